import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { ApiErrors } from '../common/error-response.dto';
import { NotificationListDto } from './dto/notification-views.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** The signed-in user's deadline warnings and other notices, newest first. */
  @Authenticated()
  @Get()
  @ApiOperation({ summary: '当前用户的通知（期限提醒等），最新的在前' })
  @ApiOkResponse({ type: NotificationListDto })
  list(@CurrentUser() principal: Principal) {
    return this.notifications.listFor(principal.userId);
  }

  @Authenticated()
  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: '标记通知已读' })
  @ApiParam({ name: 'id', description: '通知编号' })
  @ApiNoContentResponse({ description: '已标记' })
  @ApiErrors([404, '当前用户没有这条通知'])
  markRead(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<void> {
    return this.notifications.markRead(principal.userId, id);
  }
}
