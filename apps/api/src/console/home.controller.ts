import { Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConsolePage } from '../auth/access.decorator';
import { NotificationsService } from '../notifications/notifications.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { ConsoleViews } from './console-views';
import { HomePages } from './home-page.service';
import { QueuePages } from './queue-page.service';
import { ClientAddress } from '../common/client-address';

/** The console's home page per role, and the notification area. */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@Controller('staff')
export class HomeController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly frames: ConsoleFrames,
    private readonly homes: HomePages,
    private readonly notifications: NotificationsService,
    private readonly queues: QueuePages,
  ) {}

  @ConsolePage()
  @Get()
  async home(@Req() request: ConsoleRequest, @Res() response: Response) {
    const page = await this.homes.page(request.principal);
    const frame = await this.frames.frame(request, '首页', 'home');
    // An account single sign-on opened holds no role until an administrator grants one: the page says so.
    response.type('html').send(this.views.page('home', frame, { ...page, name: request.principal.displayName, noRoles: request.principal.roles.length === 0 }));
  }

  /** 督办 (issue 16 item 2): due soon, overdue and answered late, by department. */
  @ConsolePage('head', 'legal', 'admin')
  @Get('supervision')
  async supervision(@Req() request: ConsoleRequest, @Res() response: Response) {
    const frame = await this.frames.frame(request, '督办', 'supervision');
    response.type('html').send(this.views.page('supervision', frame, await this.queues.supervision(request.principal)));
  }

  /** 审核签发: legal's replies to review, the head's to sign, each opening the draft beside its findings. */
  @ConsolePage('legal', 'head')
  @Get('review')
  async review(@Req() request: ConsoleRequest, @Res() response: Response, @ClientAddress() address: string) {
    const frame = await this.frames.frame(request, '审核签发', 'review');
    response.type('html').send(this.views.page('review', frame, await this.homes.reviewQueues(request.principal, address)));
  }

  /** The open reply of a case, for review: its draft beside the findings. */
  @ConsolePage()
  @Get('cases/:id/reply')
  async reply(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    response.redirect(303, `/staff/letters/${await this.homes.openReply(request.principal, id)}/review`);
  }

  @ConsolePage()
  @Get('notifications')
  async list(@Req() request: ConsoleRequest, @Res() response: Response) {
    const notices = await this.notifications.listFor(request.principal.userId);
    const frame = await this.frames.frame(request, '通知', 'notifications');
    response.type('html').send(this.views.page('notifications', frame, notices));
  }

  @ConsolePage()
  @Post('notifications/:id/read')
  @HttpCode(200)
  async read(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    await this.notifications.markRead(request.principal.userId, id);
    response.redirect(303, '/staff/notifications?done=read');
  }
}
