import type { WorkingDateResult } from '@desk/calendar';
import { ViewBoolean, ViewDate, ViewDateTime, ViewInt, ViewNested, ViewText } from '../../common/view-properties';

/** GET /api/calendar/working-days (api.md). */
export class WorkingDateDto implements WorkingDateResult {
  @ViewDate('第 N 个工作日') date!: string;
  @ViewBoolean('计算经过尚未正式发布节假日安排的年份（暂定）') provisional!: boolean;
}

export class CalendarDayViewDto {
  @ViewDate('日期') date!: string;
  @ViewText('名称', { example: '春节' }) name!: string;
}

/** A year's holidays and make-up working days as recorded (《国务院办公厅关于20XX年部分节假日安排的通知》). */
export class CalendarYearViewDto {
  @ViewInt('年份') year!: number;
  @ViewBoolean('已正式发布；未发布年份的期限计算标为“暂定”') published!: boolean;
  @ViewText('通知文号和标题') source!: string;
  @ViewNested(CalendarDayViewDto, '放假的每一天（含假期中的周末）', { list: true }) holidays!: CalendarDayViewDto[];
  @ViewNested(CalendarDayViewDto, '调休上班的周末', { list: true }) workdays!: CalendarDayViewDto[];
  @ViewText('最后修改时间（数据库时间文本，如 2025-12-01 10:00:00.123+08）', { nullable: true }) updatedAt!: string | null;
}

export class CalendarRecomputationDto {
  @ViewText('修改记录编号（见 GET /api/calendar/changes）') id!: string;
  @ViewText('未办结案件的期限重算：已排入后台（queued）', { example: 'queued' }) recomputation!: string;
}

/** PUT /api/calendar/{year}: the year as now recorded, and the background recomputation it set off. */
export class CalendarYearChangeDto extends CalendarYearViewDto {
  @ViewNested(CalendarRecomputationDto, '本次修改及期限重算') change!: CalendarRecomputationDto;
}

/** A change of the calendar and what the recomputation of open deadlines found. */
export class CalendarChangeDto {
  @ViewText('修改记录编号') id!: string;
  @ViewInt('年份') year!: number;
  @ViewText('修改人用户名', { nullable: true }) changedBy!: string | null;
  @ViewText('修改人姓名', { nullable: true }) changedByName!: string | null;
  @ViewDateTime('修改时间') changedAt!: string;
  @ViewInt('重算的未办结案件数；尚未重算为 null', { nullable: true }) recomputedCases!: number | null;
  @ViewInt('其中期限有变化的案件数', { nullable: true }) changedCases!: number | null;
  @ViewDateTime('重算完成时间', { nullable: true }) recomputedAt!: string | null;
}
