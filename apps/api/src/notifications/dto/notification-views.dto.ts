import { NOTIFICATION_KIND_TERMS } from '@desk/vocabulary';
import { ViewCode, ViewDateTime, ViewInt, ViewNested, ViewText, ViewUuid } from '../../common/view-properties';
import type { NotificationView } from '../notifications.service';

export class NotificationDto implements NotificationView {
  @ViewText('通知编号（标记已读：POST /api/notifications/{id}/read）') id!: string;
  @ViewUuid('相关案件 id', { nullable: true }) caseId!: string | null;
  @ViewCode(NOTIFICATION_KIND_TERMS, '通知种类') kind!: string;
  @ViewText('标题') subject!: string;
  @ViewText('内容') body!: string;
  @ViewDateTime('通知时间') createdAt!: string;
  @ViewDateTime('阅读时间；未读为 null', { nullable: true }) readAt!: string | null;
  @ViewDateTime('发送电子邮件的时间；未发送为 null', { nullable: true }) emailedAt!: string | null;
}

/** GET /api/notifications: the signed-in user's notices, newest first (at most 100). */
export class NotificationListDto {
  @ViewInt('未读通知数') unread!: number;
  @ViewNested(NotificationDto, '通知，最新的在前（最多 100 条）', { list: true }) items!: NotificationDto[];
}
