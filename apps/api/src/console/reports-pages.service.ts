import { Injectable } from '@nestjs/common';
import { APPLICANT_COLUMNS, DISPUTE_CELLS, DISPUTE_GROUPS, REPORT_ROWS, RESULT_FAMILIES } from '@desk/reports';
import { DISPUTE_CELL_TERMS, DISPUTE_GROUP_TERMS, labelOf, OUTCOME_TERMS, REPORT_COLUMN_TERMS, REPORT_HEADINGS, REPORT_ROW_TERMS } from '@desk/vocabulary';
import type { Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { invalid } from '../common/domain-error';
import { ReportsService } from '../reports/reports.service';

/** A year in an address: four digits (the service checks the range: 2019 to this year). */
export function reportYear(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{4}$/.test(value)) throw invalid(`年度应为四位数字的年份，收到“${String(value ?? '')}”`);
  return Number(value);
}

const cellHref = (year: number, key: string) => `/staff/reports/${year}/cases?cell=${encodeURIComponent(key)}`;
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** The annual report screen (issue 16 item 8): the national tables with their official labels, every figure a link. */
@Injectable()
export class ReportsPages {
  constructor(
    private readonly reports: ReportsService,
    private readonly calendars: CalendarService,
  ) {}

  thisYear(): number {
    return Number(this.calendars.today().slice(0, 4));
  }

  /** The report is compiled early in the next year: the year just ended is the one people open. */
  defaultYear(): number {
    return this.thisYear() - 1;
  }

  years(selected: number) {
    const years = [];
    for (let year = this.thisYear(); year >= 2019; year--) years.push({ value: String(year), label: `${year}年`, selected: year === selected });
    return years;
  }

  async page(principal: Principal, year: number) {
    const [report, lock] = await Promise.all([this.reports.annual(principal, year), this.reports.lockInfo(principal.agencyId, year)]);
    const families = new Set<string>(['disclosed', 'partial', ...RESULT_FAMILIES, 'total']);
    const rows = REPORT_ROWS.map((row) => ({
      label: labelOf(REPORT_ROW_TERMS, row),
      // 三、本年度办理结果 stands above （一）予以公开 as in the national format.
      headingBefore: row === 'disclosed' ? REPORT_HEADINGS.results : null,
      kind: row.includes('.') ? 'sub' : families.has(row) ? 'family' : 'main',
      cells: APPLICANT_COLUMNS.map((column) => ({
        value: report.applications[row][column],
        href: cellHref(year, `${row}|${column}`),
        description: `${labelOf(REPORT_ROW_TERMS, row)}，${labelOf(REPORT_COLUMN_TERMS, column)}：${report.applications[row][column]} 件`,
      })),
    }));
    const disputes = DISPUTE_GROUPS.map((group) => ({
      label: labelOf(DISPUTE_GROUP_TERMS, group),
      cells: DISPUTE_CELLS.map((cell) => ({
        value: report.disputes[group][cell],
        href: cellHref(year, `disputes.${group}|${cell}`),
        description: `${labelOf(DISPUTE_GROUP_TERMS, group)}，${labelOf(DISPUTE_CELL_TERMS, cell)}：${report.disputes[group][cell]} 件`,
      })),
    }));
    const broken = report.identity.filter((check) => !check.holds).map((check) => ({ ...check, label: labelOf(REPORT_COLUMN_TERMS, check.column) }));
    return {
      year,
      years: this.years(year),
      headings: REPORT_HEADINGS,
      organisationColumns: APPLICANT_COLUMNS.slice(1, 6).map((column) => labelOf(REPORT_COLUMN_TERMS, column)),
      naturalPersonLabel: labelOf(REPORT_COLUMN_TERMS, 'natural_person'),
      totalLabel: labelOf(REPORT_COLUMN_TERMS, 'total'),
      rows,
      disputes,
      disputeCells: DISPUTE_CELLS.map((cell) => labelOf(DISPUTE_CELL_TERMS, cell)),
      identityHolds: report.identityHolds,
      totals: {
        new: report.applications.new.total,
        carriedOver: report.applications.carried_over.total,
        results: report.applications.total.total,
        carriedForward: report.applications.carried_forward.total,
      },
      broken,
      lock,
      yearEnded: year < this.thisYear(),
      exports: { xlsx: `/staff/reports/${year}/export?format=xlsx`, html: `/staff/reports/${year}/export?format=html` },
    };
  }

  /** The cases (or disputes) behind one figure, listed where the user may see them. */
  async cell(principal: Principal, year: number, key: unknown) {
    if (typeof key !== 'string' || !key) throw invalid('请从统计表中选择一个数字');
    const rows = (await this.reports.drillDown(principal, year, key)) as Record<string, unknown>[];
    const [left, right] = key.split('|');
    const isDispute = left.startsWith('disputes.');
    const title = isDispute
      ? `${labelOf(DISPUTE_GROUP_TERMS, left.slice('disputes.'.length))}：${labelOf(DISPUTE_CELL_TERMS, right)}`
      : `${labelOf(REPORT_ROW_TERMS, left)}：${labelOf(REPORT_COLUMN_TERMS, right)}`;
    return { year, key, title, isDispute, rows };
  }

  lock(principal: Principal, year: number) {
    return this.reports.lock(principal, year);
  }

  export(principal: Principal, year: number, format: unknown): Promise<{ kind: 'xlsx'; body: Buffer } | { kind: 'html'; body: string }> {
    if (format === 'xlsx') return this.reports.xlsx(principal, year).then((body) => ({ kind: 'xlsx' as const, body }));
    if (format === 'html') return this.reports.html(principal, year).then((body) => ({ kind: 'html' as const, body }));
    throw invalid('导出格式 应为 Excel 表格或网页');
  }

  /** The legal office's rates (rules.md §7), per year and department, in words and percentages. */
  async rates(principal: Principal, rawFrom: unknown, rawTo: unknown) {
    const to = rawTo ? reportYear(rawTo) : this.thisYear();
    const from = rawFrom ? reportYear(rawFrom) : to - 2;
    const result = await this.reports.rates(principal, from, to);
    const describe = (summary: (typeof result.years)[number] | (typeof result.years)[number]['byDepartment'][number]) => ({
      concluded: summary.concluded,
      overdue: summary.overdue,
      overdueRate: percent(summary.overdueRate),
      median: summary.medianWorkingDaysToReply ?? '—',
      review: { ...summary.review, rate: percent(summary.review.rate) },
      litigation: { ...summary.litigation, rate: percent(summary.litigation.rate) },
      outcomes: Object.entries(summary.outcomeMix)
        .map(([code, count]) => ({ label: labelOf(OUTCOME_TERMS, code), count }))
        .sort((a, b) => b.count - a.count),
    });
    return {
      from,
      to,
      fromYears: this.years(from),
      toYears: this.years(to),
      years: result.years.map((entry) => ({ year: entry.year, ...describe(entry), departments: entry.byDepartment.map((department) => ({ name: department.department, ...describe(department) })) })).reverse(),
    };
  }
}
