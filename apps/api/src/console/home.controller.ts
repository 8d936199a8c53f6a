import { Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConsolePage } from '../auth/access.decorator';
import { NotificationsService } from '../notifications/notifications.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsoleFrames, type ConsoleRequest } from './console-frame.service';
import { ConsoleViews } from './console-views';
import { HomePages } from './home-page.service';

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
  ) {}

  @ConsolePage()
  @Get()
  async home(@Req() request: ConsoleRequest, @Res() response: Response) {
    const page = await this.homes.page(request.principal);
    const frame = await this.frames.frame(request, '首页', 'home');
    response.type('html').send(this.views.page('home', frame, { ...page, name: request.principal.displayName }));
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
