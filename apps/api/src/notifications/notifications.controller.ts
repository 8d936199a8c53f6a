import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** The signed-in user's deadline warnings and other notices, newest first. */
  @Authenticated()
  @Get()
  list(@CurrentUser() principal: Principal) {
    return this.notifications.listFor(principal.userId);
  }

  @Authenticated()
  @Post(':id/read')
  @HttpCode(204)
  markRead(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<void> {
    return this.notifications.markRead(principal.userId, id);
  }
}
