import { Injectable } from '@nestjs/common';
import { isIsoDate } from '@desk/calendar';
import { CHANNEL_TERMS, labelOf, OUTCOME_TERMS, STATE_TERMS, type Vocabulary } from '@desk/vocabulary';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import type { Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { invalid } from '../common/domain-error';
import { CaseRepository, QUEUE_ORDERS, QUEUE_SEARCH_MIN_LENGTH, type QueueSort } from '../cases/case.repository';
import { CaseViewService, type CaseListQuery } from '../cases/case-view.service';
import type { CaseSummary } from '../cases/case-view';

/** The queues the office works from, each a set of filters with a name (the home page's counts link to them). */
export const QUEUE_VIEWS = {
  open: { label: '全部在办案件', filters: { open: true } },
  mine: { label: '我承办的案件', filters: { mine: true, open: true } },
  online: { label: '网上申请待确认收到', filters: { state: 'received' } },
  unassigned: { label: '已登记待分办', filters: { state: 'registered' } },
  supplement: { label: '等待补正', filters: { state: 'awaitingSupplement' } },
  returned: { label: '退回修改的答复', filters: { returned: true } },
  review: { label: '待法制审核的答复', filters: { state: 'decided.legalReview' } },
  signing: { label: '待签发的答复', filters: { state: 'decided.headApproval' } },
  extension: { label: '待审批的延期申请', filters: { extensionRequested: true } },
  overdue: { label: '已逾期未答复', filters: { overdue: true } },
  due_soon: { label: '即将到期', filters: { open: true } },
  service: { label: '已答复待送达', filters: { state: 'replied' } },
  late: { label: '今年逾期作出的答复', filters: { late: true } },
  concluded: { label: '已办结', filters: { open: false } },
  all: { label: '全部案件（含已办结）', filters: {} },
} as const satisfies Record<string, { label: string; filters: Partial<CaseListQuery> }>;

export type QueueView = keyof typeof QUEUE_VIEWS;

const SORTS: { value: QueueSort; label: string }[] = [
  { value: 'urgency', label: '按紧急程度（剩余工作日）' },
  { value: 'received_desc', label: '按收到日期（新的在前）' },
  { value: 'received_asc', label: '按收到日期（早的在前）' },
  { value: 'case_number', label: '按案件编号' },
];

const PAGE_SIZE = 20;
const EXPORT_LIMIT = 5000;

type Raw = Record<string, unknown>;

/** The queue's filters as read from the address: one value each, dates checked, problems in words (400). */
export interface QueueFilters {
  view: QueueView;
  q: string;
  state: string;
  department: string;
  handler: string;
  channel: string;
  outcome: string;
  receivedFrom: string;
  receivedTo: string;
  dueFrom: string;
  dueTo: string;
  sort: QueueSort;
  /** The page counted from the first as the user paged (shown; read with OFFSET only when there is no cursor). */
  page: number;
  /** Where the page starts (下一页/上一页 carry it: keyset paging, cases/queue-order.ts). */
  cursor: string;
}

const one = (value: unknown): string => (Array.isArray(value) ? String(value[0] ?? '') : typeof value === 'string' ? value : '').trim();

export function readQueueFilters(raw: Raw, defaultView: QueueView): { filters: QueueFilters; problems: { name: string; message: string }[] } {
  const problems: { name: string; message: string }[] = [];
  const view = one(raw.view) in QUEUE_VIEWS ? (one(raw.view) as QueueView) : defaultView;
  const date = (name: string, label: string) => {
    const value = one(raw[name]);
    if (value && !isIsoDate(value)) {
      problems.push({ name, message: `${label} 应为有效日期（年-月-日）` });
      return '';
    }
    return value;
  };
  const known = (name: string, label: string, terms: Vocabulary) => {
    const value = one(raw[name]);
    if (value && !terms.some((term) => term.code === value)) {
      problems.push({ name, message: `${label} 不是可选的值` });
      return '';
    }
    return value;
  };
  const sort = one(raw.sort) in QUEUE_ORDERS ? (one(raw.sort) as QueueSort) : 'urgency';
  const page = Math.max(1, Math.min(100_000, Number.parseInt(one(raw.page), 10) || 1));
  const q = one(raw.q).slice(0, 100);
  return {
    filters: {
      view,
      q,
      state: known('state', '状态', STATE_TERMS),
      department: one(raw.department).slice(0, 100),
      handler: one(raw.handler).slice(0, 100),
      channel: known('channel', '申请方式', CHANNEL_TERMS),
      outcome: known('outcome', '办理结果', OUTCOME_TERMS),
      receivedFrom: date('receivedFrom', '收到日期（起）'),
      receivedTo: date('receivedTo', '收到日期（止）'),
      dueFrom: date('dueFrom', '答复期限（起）'),
      dueTo: date('dueTo', '答复期限（止）'),
      sort,
      page,
      cursor: one(raw.cursor).slice(0, 400),
    },
    problems,
  };
}

/** The work queues of the console: searched, filtered, sorted and paged on the server, exported to XLSX. */
@Injectable()
export class QueuePages {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseViewService,
    private readonly calendars: CalendarService,
    private readonly agencies: AgenciesService,
    private readonly repository: CaseRepository,
  ) {}

  /** The query of a queue: its view's filters, then the ones chosen on the page. */
  async query(principal: Principal, filters: QueueFilters, page: number, pageSize: number): Promise<CaseListQuery> {
    const base: Partial<CaseListQuery> = { ...QUEUE_VIEWS[filters.view].filters };
    // 即将到期 as 督办 counts it (DUE_WARNINGS): not yet overdue.
    if (filters.view === 'due_soon') base.dueSoonBy = await this.dueSoonBy(principal);
    if (filters.view === 'late') base.concludedFrom = `${this.calendars.today().slice(0, 4)}-01-01`;
    return {
      ...base,
      q: filters.q || undefined,
      state: filters.state || base.state,
      department: filters.department || undefined,
      handler: filters.handler || undefined,
      channel: filters.channel || undefined,
      outcome: filters.outcome || undefined,
      receivedFrom: filters.receivedFrom || undefined,
      receivedTo: filters.receivedTo || undefined,
      dueFrom: filters.dueFrom || undefined,
      dueTo: filters.dueTo || undefined,
      sort: filters.sort,
      page,
      pageSize,
    };
  }

  /** The last due date that counts as “due soon” today: the agency's dueSoonWorkingDays ahead. */
  async dueSoonBy(principal: Principal): Promise<string> {
    const agency = await this.agencies.byId(principal.agencyId);
    return this.calendars.calendar().addWorkingDays(this.calendars.today(), agency.settings.dueSoonWorkingDays).date;
  }

  /** 督办: each department's open, due-soon and overdue cases and this year's late replies, each count a link to its queue. */
  async supervision(principal: Principal) {
    const today = this.calendars.today();
    const rows = await this.repository.supervision(principal.agencyId, today, await this.dueSoonBy(principal), Number(today.slice(0, 4)));
    const link = (view: QueueView, department: string | null) => `/staff/queue?${queueSearch({ view, ...(department ? { department } : {}) })}`;
    return {
      year: today.slice(0, 4),
      rows: rows.map((row) => ({
        ...row,
        name: row.department ?? '尚未分办',
        links: {
          open: row.department ? link('open', row.department) : link('unassigned', null),
          dueSoon: link('due_soon', row.department),
          overdue: link('overdue', row.department),
          late: link('late', row.department),
        },
      })),
      totals: rows.reduce((sum, row) => ({ open: sum.open + row.open, dueSoon: sum.dueSoon + row.dueSoon, overdue: sum.overdue + row.overdue, concluded: sum.concluded + row.concluded, late: sum.late + row.late }), {
        open: 0,
        dueSoon: 0,
        overdue: 0,
        concluded: 0,
        late: 0,
      }),
    };
  }

  async page(principal: Principal, filters: QueueFilters, address: string) {
    const query = { ...(await this.query(principal, filters, filters.page, PAGE_SIZE)), cursor: filters.cursor || undefined };
    const [result, choices] = await Promise.all([this.cases.list(principal, query, address), this.choices(principal)]);
    // Past the count's limit the number of pages is not known, only that the next one exists (CaseRepository.count) —
    // until 下一页 reaches the end: the last case's place is then the count.
    const endReached = !result.totalExact && result.nextCursor === null && filters.cursor !== '' && result.items.length > 0;
    const knownPages = result.totalExact ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : null;
    // 下一页/上一页 go by cursor: as deep as the user pages, each page reads only its own cases, and a case concluded or
    // added meanwhile neither hides another nor shows one twice. The page number is the user's count of the pages turned
    // (as a mail client's "51–100"), carried in the address: the first page is always 1; a queue that changed since may
    // make a later number approximate, never the cases shown.
    const page = !filters.cursor ? filters.page : result.previousCursor === null ? 1 : Math.min(Math.max(2, filters.page), knownPages ?? Number.MAX_SAFE_INTEGER);
    const pages = endReached ? page : knownPages;
    const link = (changes: Partial<Record<keyof QueueFilters, string | number>>) => `/staff/queue?${queueSearch({ ...filters, ...changes })}`;
    const firstPage = link({ page: 1, cursor: '' });
    const first = (page - 1) * PAGE_SIZE + 1;
    const last = first + result.items.length - 1;
    const previous = result.previousCursor === null ? null : page <= 2 ? firstPage : link({ page: page - 1, cursor: result.previousCursor });
    const next = result.nextCursor ? link({ page: page + 1, cursor: result.nextCursor }) : null;
    return {
      filters,
      viewLabel: QUEUE_VIEWS[filters.view].label,
      views: Object.entries(QUEUE_VIEWS).map(([key, view]) => ({ value: key, label: view.label, selected: key === filters.view })),
      items: result.items,
      total: endReached ? last : result.total,
      totalExact: result.totalExact || endReached,
      page,
      pages,
      first,
      last,
      // One page holding every case needs neither its range nor a pager.
      onePage: pages === 1 && !previous && !next,
      // The page before the second is the first page itself, whatever changed before it.
      previous,
      next,
      firstPage: page > 2 ? firstPage : null,
      // 查找 of one or two characters reads only the start of the applicant's name (CaseViewService.filter): say so.
      nameStartOnly: Boolean(filters.q) && [...filters.q].length < QUEUE_SEARCH_MIN_LENGTH,
      exportHref: `/staff/queue/export.xlsx?${queueSearch({ ...filters, page: 1, cursor: '' })}`,
      sorts: SORTS.map((sort) => ({ ...sort, selected: sort.value === filters.sort })),
      canAssign: principal.roles.includes('intake'),
      ...choices,
      selected: (value: string, chosen: string) => value === chosen,
    };
  }

  /** Every case of a queue (all pages, up to EXPORT_LIMIT) as a worksheet in the office's words. */
  async export(principal: Principal, filters: QueueFilters, address: string): Promise<Buffer> {
    const query = await this.query(principal, filters, 1, EXPORT_LIMIT);
    const result = await this.cases.list(principal, query, address);
    if (!result.totalExact) throw invalid(`该队列的案件超过一次导出的上限 ${EXPORT_LIMIT} 件，请先用条件缩小范围`);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(QUEUE_VIEWS[filters.view].label.slice(0, 31));
    sheet.columns = [
      { header: '案件编号', key: 'caseNumber', width: 28 },
      { header: '状态', key: 'state', width: 22 },
      { header: '申请人', key: 'applicant', width: 24 },
      { header: '证件号码（已隐去部分）', key: 'id', width: 24 },
      { header: '收到申请之日', key: 'receivedAt', width: 14 },
      { header: '答复期限', key: 'dueDate', width: 14 },
      { header: '剩余工作日', key: 'left', width: 12 },
      { header: '承办部门', key: 'department', width: 16 },
      { header: '承办人', key: 'handler', width: 12 },
      { header: '办理结果', key: 'outcome', width: 30 },
    ];
    sheet.getRow(1).font = { bold: true };
    for (const item of result.items as (CaseSummary & { handlerName?: string | null })[]) {
      sheet.addRow({
        caseNumber: item.caseNumber,
        state: item.stateLabel,
        applicant: item.applicantName,
        id: item.applicantIdNumber,
        receivedAt: item.receivedAt ?? '',
        dueDate: item.dueDate ? `${item.dueDate}${item.dueProvisional ? '（暂定）' : ''}` : '',
        left: item.remainingWorkingDays ?? '',
        department: item.departmentName ?? '',
        handler: item.handlerName ?? '',
        outcome: labelOf([...OUTCOME_TERMS], item.outcome),
      });
    }
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  private async choices(principal: Principal) {
    const [departments, handlers] = await Promise.all([
      this.dataSource.query(`SELECT name FROM departments WHERE agency_id = $1 ORDER BY name`, [principal.agencyId]) as Promise<{ name: string }[]>,
      this.dataSource.query(`SELECT username, display_name AS "displayName" FROM users WHERE agency_id = $1 AND active AND 'handler' = ANY(roles) ORDER BY display_name`, [
        principal.agencyId,
      ]) as Promise<{ username: string; displayName: string }[]>,
    ]);
    return {
      states: STATE_TERMS.filter((term) => term.code !== 'new'),
      channels: CHANNEL_TERMS,
      outcomes: OUTCOME_TERMS,
      departments: departments.map((department) => department.name),
      handlers,
    };
  }
}

/** A queue's address: its filters, without the empty ones. */
export function queueSearch(filters: Partial<Record<keyof QueueFilters, string | number>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value === '' || value === undefined || (name === 'page' && value === 1) || (name === 'sort' && value === 'urgency')) continue;
    search.set(name, String(value));
  }
  return search.toString();
}
