import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import type { Principal } from '../auth/principal';
import type { PageFrame } from './console-views';

/** A console request as the guard leaves it: the principal and the CSRF token of its session. */
export type ConsoleRequest = Request & { principal: Principal; csrfToken: string };

/** What every console page shows around its content: the agency, the user and his department, the unread count. */
@Injectable()
export class ConsoleFrames {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agencies: AgenciesService,
  ) {}

  async frame(request: ConsoleRequest, title: string, current: string, extra: Partial<PageFrame> = {}): Promise<PageFrame> {
    const { principal } = request;
    const [agency, [counts]] = await Promise.all([
      this.agencies.byId(principal.agencyId),
      this.dataSource.query(
        `SELECT (SELECT name FROM departments WHERE id = $2) AS department,
                (SELECT count(*)::int FROM notifications WHERE recipient_id = $1 AND read_at IS NULL) AS unread`,
        [principal.userId, principal.departmentId],
      ) as Promise<{ department: string | null; unread: number }[]>,
    ]);
    return {
      title,
      current,
      agencyName: agency.name,
      principal,
      departmentName: counts.department,
      unread: counts.unread,
      csrf: request.csrfToken,
      flash: flashOf(request),
      ...extra,
    };
  }
}

/** The message a step leaves for the page it redirects to (Post/Redirect/Get): `?done=` names what was done. */
const FLASHES: Record<string, string> = {
  signed_in: '',
  registered: '已登记。',
  assigned: '已分办。',
  saved: '已保存。',
  read: '已标为已读。',
  uploaded: '附件已上传。',
  user_saved: '用户信息已保存。',
  user_deactivated: '账号已停用，该用户已登录的页面随即失效。',
  user_reactivated: '账号已重新启用。',
  department_created: '部门已新建。',
  department_renamed: '部门已改名。',
  settings_saved: '机关设置已保存。',
  calendar_saved: '节假日安排已保存。未办结案件的答复期限正在后台重新计算。',
  report_locked: '年度报告已锁定。',
  dispute_recorded: '已记录行政复议或诉讼。',
  dispute_decided: '已记录审理结果。',
};

function flashOf(request: Request): string | null {
  const done = request.query.done;
  if (typeof done !== 'string') return null;
  if (done.startsWith('event:')) return null; // the case page words it with the event's label
  return FLASHES[done] || null;
}
