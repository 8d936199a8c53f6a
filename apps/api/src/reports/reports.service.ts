import { Injectable } from '@nestjs/common';
import {
  APPLICANT_COLUMNS,
  casesInCell,
  countAnnualReport,
  disputesInCell,
  parseCellKey,
  yearClassDate,
  COLUMN_GROUP_LABEL,
  COLUMN_LABELS,
  DISPUTE_CELL_LABELS,
  DISPUTE_CELLS,
  DISPUTE_GROUP_LABELS,
  DISPUTE_GROUPS,
  DISPUTE_LITIGATION_LABEL,
  REPORT_ROWS,
  ROW_LABELS,
  SECTION_FOUR_TITLE,
  SECTION_THREE_COLUMNS_LABEL,
  SECTION_THREE_CORNER_NOTE,
  SECTION_THREE_RESULTS_LABEL,
  SECTION_THREE_TITLE,
  type AnnualReportFigures,
  type ReportCaseClass,
  type ReportDispute,
} from '@desk/reports';
import ExcelJS from 'exceljs';
import { DataSource, type EntityManager } from 'typeorm';
import { escapeHtml } from '../common/text';
import type { Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { CaseAccess } from '../cases/case-access.service';
import { conflict, invalid } from '../common/domain-error';
import { ReadDatabase } from '../database/read-database';

export interface AnnualReportView extends AnnualReportFigures {
  locked: boolean;
  /** The national format's labels of every row, column and dispute cell, for screens that show the table. */
  labels: {
    rows: typeof ROW_LABELS;
    columns: typeof COLUMN_LABELS;
    disputeGroups: typeof DISPUTE_GROUP_LABELS;
    disputeCells: typeof DISPUTE_CELL_LABELS;
  };
}

/** A class of the year's cases, with the grouped columns as PostgreSQL gave them (a conclusion without an outcome included). */
type GroupedClass = ReportCaseClass & { grouped: { concluded: string | null; outcome: string | null } };

/** The national annual report (国办公开办函〔2021〕30号 sections 三 and 四), from the cases' first conclusions and the disputes. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: CalendarService,
    private readonly access: CaseAccess,
    // Reports only read: from the standby when there is one (database/read-database.ts).
    private readonly reads: ReadDatabase,
  ) {}

  /**
   * The cases that touch `year`, as a subquery: their id and the class (ReportCaseClass) they are counted in — category,
   * request type, FIRST conclusion's outcome (the first reply issued, withdrawal or lapse, with the outcome decided
   * before it; rules.md §8: a later reopening does not move an earlier year's figure), and the receipt and that
   * conclusion each replaced by the date standing for it against the year (yearClassDate in libs/reports: $4 before the
   * year, $5 within it, $6 after it). The conclusion is the projection kept on the case row with the concluding event
   * (libs/reports first-conclusion.ts), so this reads no event log.
   *
   * Only two sets can count in the year (placeCase): the cases received in it (the covering index on
   * (agency_id, received_at) answers it without the table), and those received earlier and still pending on 1 January
   * (carried over: `report_open_span` contains that day). Every other case would place nowhere, so leaving it out changes
   * no figure. Where each class counts is placeCase's alone.
   *
   * The carried-over branch also states that the span contains SOME 1 January (received in one year, concluded in a
   * later one or not yet): true of every span containing this one, so it changes no row, but it is the predicate of the
   * agency's covering GiST index (migrations/1796800000010), which the planner uses only when the statement implies it.
   */
  yearCases(branches: { received: boolean; carriedOver: boolean } = { received: true, carriedOver: true }): string {
    const classDate = (date: string) => `CASE WHEN ${date} < $2::date THEN $4::date WHEN ${date} > $3::date THEN $6::date ELSE $5::date END`;
    const columns = `c.id, c.applicant_category AS category, c.request_type, ${classDate('c.received_at')} AS received,
                     ${classDate('c.first_concluded_at')} AS concluded, c.first_outcome AS outcome`;
    const received = `SELECT ${columns} FROM cases c WHERE c.agency_id = $1 AND c.received_at BETWEEN $2::date AND $3::date`;
    const carriedOver = `SELECT ${columns} FROM cases c WHERE c.agency_id = $1 AND c.report_open_span @> $2::date
               AND c.received_at IS NOT NULL AND (c.first_outcome IS NULL OR EXTRACT(year FROM c.first_concluded_at) > EXTRACT(year FROM c.received_at))`;
    const parts = [...(branches.received ? [received] : []), ...(branches.carriedOver ? [carriedOver] : [])];
    return parts.join('\n            UNION ALL\n            ');
  }

  yearParameters(agencyId: string, year: number): string[] {
    const first = `${year}-01-01`;
    const last = `${year}-12-31`;
    return [agencyId, first, last, yearClassDate(`${year - 1}-12-31`, year), yearClassDate(first, year), yearClassDate(`${year + 1}-01-01`, year)];
  }

  /**
   * The year's cases grouped into classes that place alike (a few hundred rows however many cases: PostgreSQL counts,
   * libs/reports places). A conclusion without an outcome counts as none, as it always has; the class keeps the grouped
   * columns as they were, to find its cases again (cellIds).
   */
  async reportClasses(agencyId: string, year: number, manager?: EntityManager): Promise<GroupedClass[]> {
    const rows: { category: ReportCaseClass['category']; request_type: ReportCaseClass['requestType']; received: string; concluded: string | null; outcome: string | null; count: number }[] =
      await (manager ?? this.reads).query(
        // Grouped by the dates themselves, formatted once per class rather than once per case.
        `SELECT g.category, g.request_type, to_char(g.received, 'YYYY-MM-DD') AS received, to_char(g.concluded, 'YYYY-MM-DD') AS concluded, g.outcome, g.count
           FROM (SELECT y.category, y.request_type, y.received, y.concluded, y.outcome, count(*)::int AS count
                   FROM (${this.yearCases()}) y GROUP BY y.category, y.request_type, y.received, y.concluded, y.outcome) g`,
        this.yearParameters(agencyId, year),
      );
    return rows.map((row) => ({
      category: row.category,
      requestType: row.request_type,
      receivedAt: row.received,
      conclusion: row.concluded && row.outcome ? { at: row.concluded, outcome: row.outcome } : null,
      count: row.count,
      grouped: { concluded: row.concluded, outcome: row.outcome },
    }));
  }

  /** First-instance disputes (a chain of instances counts once), with their recorded results. */
  async reportDisputes(agencyId: string): Promise<ReportDispute[]> {
    return this.reads.query(
      `SELECT id AS "disputeId", case_id AS "caseId", kind, after_review AS "afterReview", to_char(filed_at, 'YYYY-MM-DD') AS "filedAt",
              result, to_char(decided_at, 'YYYY-MM-DD') AS "decidedAt"
         FROM disputes WHERE agency_id = $1 AND instance = 'first' ORDER BY filed_at, created_at`,
      [agencyId],
    );
  }

  private checkYear(year: number): void {
    if (!Number.isInteger(year) || year < 2019 || year > Number(this.calendars.today().slice(0, 4))) {
      throw invalid(`年度应为 2019 至今年之间的年份，收到“${year}”`);
    }
  }

  /** The year's figures, counted from the classes of its cases; a cell's cases are found only when it is opened (cellIds). */
  async compute(principal: Principal, year: number): Promise<AnnualReportFigures> {
    this.checkYear(year);
    return this.figures(principal.agencyId, year);
  }

  /** The figures of any year (the document compares with the year before), without the range check. */
  async figures(agencyId: string, year: number): Promise<AnnualReportFigures> {
    const [classes, disputes] = await Promise.all([this.reportClasses(agencyId, year), this.reportDisputes(agencyId)]);
    return countAnnualReport(year, classes, disputes);
  }

  async annual(principal: Principal, year: number): Promise<AnnualReportView> {
    const report = await this.compute(principal, year);
    return {
      ...report,
      locked: await this.isLocked(principal.agencyId, year),
      labels: { rows: ROW_LABELS, columns: COLUMN_LABELS, disputeGroups: DISPUTE_GROUP_LABELS, disputeCells: DISPUTE_CELL_LABELS },
    };
  }

  /**
   * The ids behind one cell (the agency's, before any scope), or null when the key names no cell. For section 三: the
   * classes that count in the cell (libs/reports places them, as for the figures), then the year's cases of those
   * classes — the figure and its list cannot disagree. For section 四: the agency's disputes placed one by one.
   */
  async cellIds(agencyId: string, year: number, key: string): Promise<string[] | null> {
    const cell = parseCellKey(key);
    if (cell === null) return null;
    if (cell.section === 'disputes') return disputesInCell(year, await this.reportDisputes(agencyId), cell).map((d) => d.disputeId);
    const classes = casesInCell(year, await this.reportClasses(agencyId, year), cell);
    if (!classes.length) return [];
    // Matched on the class's columns as the grouping produced them; a missing conclusion or outcome is matched as such.
    // A class received within the year comes from the first branch only, one received before it from the carried-over
    // branch only (their conditions say so): a cell of carried-over cases reads only their index.
    const within = yearClassDate(`${year}-01-01`, year);
    const branches = { received: classes.some((c) => c.receivedAt === within), carriedOver: classes.some((c) => c.receivedAt !== within) };
    const rows: { id: string }[] = await this.reads.query(
      `SELECT y.id FROM (${this.yearCases(branches)}) y
         JOIN unnest($7::text[], $8::text[], $9::date[], $10::date[], $11::text[]) AS k(category, request_type, received, concluded, outcome)
           ON y.category = k.category AND y.request_type = k.request_type AND y.received = k.received
          AND y.concluded IS NOT DISTINCT FROM k.concluded AND y.outcome IS NOT DISTINCT FROM k.outcome`,
      [
        ...this.yearParameters(agencyId, year),
        classes.map((c) => c.category),
        classes.map((c) => c.requestType),
        classes.map((c) => c.receivedAt),
        classes.map((c) => c.grouped.concluded),
        classes.map((c) => c.grouped.outcome),
      ],
    );
    return rows.map((row) => row.id);
  }

  /** The cases (or disputes) behind one cell. */
  async drillDown(principal: Principal, year: number, key: string) {
    this.checkYear(year);
    const ids = await this.cellIds(principal.agencyId, year, key);
    if (!ids) throw invalid(`没有这个单元格：${key}（行|列，如 withheld.process_info|natural_person，或 disputes.review|corrected）`);
    // The figures are the agency's; the cases behind a cell are listed only where the user may see them.
    const params: unknown[] = [ids];
    const visible = this.access.scopeCondition(principal, 'c', (value) => `$${params.push(value)}`);
    if (key.startsWith('disputes.')) {
      return this.reads.query(
        `SELECT d.id, c.case_number AS "caseNumber", d.kind, d.body, to_char(d.filed_at, 'YYYY-MM-DD') AS "filedAt", d.result, to_char(d.decided_at, 'YYYY-MM-DD') AS "decidedAt"
           FROM disputes d JOIN cases c ON c.id = d.case_id WHERE d.id = ANY($1::uuid[]) AND ${visible} ORDER BY d.filed_at`,
        params,
      );
    }
    return this.reads.query(
      `SELECT id, case_number AS "caseNumber", applicant_category AS category, to_char(received_at, 'YYYY-MM-DD') AS "receivedAt", state, outcome,
              to_char(concluded_at, 'YYYY-MM-DD') AS "concludedAt"
         FROM cases c WHERE id = ANY($1::uuid[]) AND ${visible} ORDER BY case_number`,
      params,
    );
  }

  async isLocked(agencyId: string, year: number, manager?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (manager ?? this.reads).query(`SELECT 1 FROM report_locks WHERE agency_id = $1 AND year = $2`, [agencyId, year]);
    return rows.length > 0;
  }

  /** Who locked a year and when, or null while it is open. */
  async lockInfo(agencyId: string, year: number): Promise<{ lockedAt: Date; lockedBy: string | null } | null> {
    const [row]: { lockedAt: Date; lockedBy: string | null }[] = await this.reads.query(
      `SELECT l.locked_at AS "lockedAt", u.display_name AS "lockedBy" FROM report_locks l LEFT JOIN users u ON u.id = l.locked_by WHERE l.agency_id = $1 AND l.year = $2`,
      [agencyId, year],
    );
    return row ?? null;
  }

  /** Once published, a year is locked: nothing dated in it can be written any more (rules.md §8). */
  async lock(principal: Principal, year: number): Promise<AnnualReportView> {
    const report = await this.compute(principal, year);
    if (!report.identityHolds) throw conflict('勾稽关系不成立，不能锁定');
    if (year >= Number(this.calendars.today().slice(0, 4))) throw conflict('本年度尚未结束，不能锁定');
    await this.dataSource.query(`INSERT INTO report_locks (agency_id, year, locked_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      principal.agencyId,
      year,
      principal.userId,
    ]);
    // Read back from the primary that took the lock: a standby may not have applied it yet.
    return { ...(await this.annual(principal, year)), locked: await this.isLocked(principal.agencyId, year, this.dataSource.manager) };
  }

  /** A workbook laid out like the national tables: section 三 (rows × seven columns) and section 四 (one row of 15). */
  async xlsx(principal: Principal, year: number): Promise<Buffer> {
    const report = await this.compute(principal, year);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = '依申请公开 Desk';
    const three = workbook.addWorksheet('三、依申请公开情况');
    three.getCell('A1').value = `${year}年 ${SECTION_THREE_TITLE}`;
    three.mergeCells('A1:H1');
    three.getCell('A2').value = SECTION_THREE_CORNER_NOTE;
    three.mergeCells('A2:A4');
    three.getCell('A2').alignment = { wrapText: true, vertical: 'middle' };
    three.getCell('B2').value = SECTION_THREE_COLUMNS_LABEL;
    three.mergeCells('B2:H2');
    three.getCell('B3').value = COLUMN_LABELS.natural_person;
    three.mergeCells('B3:B4');
    three.getCell('C3').value = COLUMN_GROUP_LABEL;
    three.mergeCells('C3:G3');
    APPLICANT_COLUMNS.slice(1, 6).forEach((column, index) => (three.getRow(4).getCell(3 + index).value = COLUMN_LABELS[column]));
    three.getCell('H3').value = COLUMN_LABELS.total;
    three.mergeCells('H3:H4');
    let rowNumber = 5;
    for (const row of REPORT_ROWS) {
      if (row === 'disclosed') {
        three.getCell(`A${rowNumber}`).value = SECTION_THREE_RESULTS_LABEL;
        rowNumber++;
      }
      const line = three.getRow(rowNumber++);
      line.getCell(1).value = ROW_LABELS[row];
      APPLICANT_COLUMNS.forEach((column, index) => (line.getCell(2 + index).value = report.applications[row][column]));
    }
    three.getColumn(1).width = 60;
    const four = workbook.addWorksheet('四、行政复议行政诉讼');
    four.getCell('A1').value = `${year}年 ${SECTION_FOUR_TITLE}`;
    four.mergeCells('A1:O1');
    four.getCell('A2').value = DISPUTE_GROUP_LABELS.review;
    four.mergeCells('A2:E3');
    four.getCell('F2').value = DISPUTE_LITIGATION_LABEL;
    four.mergeCells('F2:O2');
    four.getCell('F3').value = DISPUTE_GROUP_LABELS.litigation_direct;
    four.mergeCells('F3:J3');
    four.getCell('K3').value = DISPUTE_GROUP_LABELS.litigation_after_review;
    four.mergeCells('K3:O3');
    DISPUTE_GROUPS.forEach((group, groupIndex) =>
      DISPUTE_CELLS.forEach((cell, cellIndex) => {
        four.getRow(4).getCell(1 + groupIndex * 5 + cellIndex).value = DISPUTE_CELL_LABELS[cell];
        four.getRow(5).getCell(1 + groupIndex * 5 + cellIndex).value = report.disputes[group][cell];
      }),
    );
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  async html(principal: Principal, year: number): Promise<string> {
    const report = await this.compute(principal, year);
    const head = `<tr><th rowspan="3" class="corner">${SECTION_THREE_CORNER_NOTE}</th><th colspan="7">${SECTION_THREE_COLUMNS_LABEL}</th></tr>
<tr><th rowspan="2">${COLUMN_LABELS.natural_person}</th><th colspan="5">${COLUMN_GROUP_LABEL}</th><th rowspan="2">${COLUMN_LABELS.total}</th></tr>
<tr>${APPLICANT_COLUMNS.slice(1, 6).map((column) => `<th>${COLUMN_LABELS[column]}</th>`).join('')}</tr>`;
    const body = REPORT_ROWS.map((row) => {
      const prefix = row === 'disclosed' ? `<tr><th colspan="8" class="section">${SECTION_THREE_RESULTS_LABEL}</th></tr>` : '';
      const cells = APPLICANT_COLUMNS.map((column) => `<td data-cell="${row}|${column}">${report.applications[row][column]}</td>`).join('');
      return `${prefix}<tr><th scope="row">${escapeHtml(ROW_LABELS[row])}</th>${cells}</tr>`;
    }).join('\n');
    // The national format's header (as the XLSX): 行政复议 over its five cells; 行政诉讼 over the two litigation groups.
    const disputes = `<tr><th colspan="5" rowspan="2">${DISPUTE_GROUP_LABELS.review}</th><th colspan="10">${DISPUTE_LITIGATION_LABEL}</th></tr>
<tr><th colspan="5">${DISPUTE_GROUP_LABELS.litigation_direct}</th><th colspan="5">${DISPUTE_GROUP_LABELS.litigation_after_review}</th></tr>
<tr>${DISPUTE_GROUPS.map(() => DISPUTE_CELLS.map((cell) => `<th>${DISPUTE_CELL_LABELS[cell]}</th>`).join('')).join('')}</tr>
<tr>${DISPUTE_GROUPS.map((group) => DISPUTE_CELLS.map((cell) => `<td data-cell="disputes.${group}|${cell}">${report.disputes[group][cell]}</td>`).join('')).join('')}</tr>`;
    return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${year}年政府信息公开工作年度报告</title>
<style>body{font-family:"FangSong","仿宋","Noto Sans SC",serif;margin:24px}table{border-collapse:collapse;margin-bottom:24px}th,td{border:1px solid #000;padding:4px 8px;text-align:center}th[scope=row]{text-align:left;font-weight:normal}.section{text-align:left}.corner{font-weight:normal;font-size:.85em;max-width:16em}</style></head>
<body><h1>${year}年政府信息公开工作年度报告（节选）</h1>
<h2>${SECTION_THREE_TITLE}</h2><table>${head}\n${body}</table>
<p>勾稽关系（一+二=三（七）+四）：${report.identityHolds ? '成立' : '不成立'}</p>
<h2>${SECTION_FOUR_TITLE}</h2><table>${disputes}</table></body></html>`;
  }

  /** The legal office's rates (rules.md §7): correction and loss rates, overdue rate, median working days, outcome mix. */
  async rates(principal: Principal, from: number, to: number) {
    if (!Number.isInteger(from) || !Number.isInteger(to) || from > to || to - from > 20) throw invalid('起止年份应为年份，起始年份不晚于截止年份，跨度不超过 20 年');
    const calendar = this.calendars.calendar();
    const cases: { id: string; department: string | null; received_at: string | null; concluded_at: string | null; due_date: string | null; outcome: string | null }[] =
      await this.reads.query(
        `SELECT c.id, d.name AS department, to_char(c.received_at, 'YYYY-MM-DD') AS received_at, to_char(c.concluded_at, 'YYYY-MM-DD') AS concluded_at,
                to_char(c.due_date, 'YYYY-MM-DD') AS due_date, c.outcome
           FROM cases c LEFT JOIN departments d ON d.id = c.department_id WHERE c.agency_id = $1 AND c.concluded_at IS NOT NULL AND c.request_type = 'disclosure'`,
        [principal.agencyId],
      );
    const disputes: { kind: string; result: string | null; decided_at: string | null; department: string | null }[] = await this.reads.query(
      `SELECT t.kind, t.result, to_char(t.decided_at, 'YYYY-MM-DD') AS decided_at, d.name AS department
         FROM disputes t JOIN cases c ON c.id = t.case_id LEFT JOIN departments d ON d.id = c.department_id WHERE t.agency_id = $1 AND t.instance = 'first'`,
      [principal.agencyId],
    );
    const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);
    const summarise = (yearCases: typeof cases, yearDisputes: typeof disputes) => {
      const days = yearCases.filter((entry) => entry.received_at).map((entry) => calendar.workingDaysBetween(entry.received_at!, entry.concluded_at!).count).sort((a, b) => a - b);
      const median = days.length ? (days.length % 2 ? days[(days.length - 1) / 2] : (days[days.length / 2 - 1] + days[days.length / 2]) / 2) : null;
      const overdue = yearCases.filter((entry) => entry.due_date && entry.concluded_at! > entry.due_date).length;
      const group = (kind: string) => {
        const concluded = yearDisputes.filter((entry) => entry.kind === kind && entry.result);
        const corrected = concluded.filter((entry) => entry.result === 'corrected').length;
        return { concluded: concluded.length, corrected, rate: rate(corrected, concluded.length) };
      };
      const outcomeMix: Record<string, number> = {};
      for (const entry of yearCases) if (entry.outcome) outcomeMix[entry.outcome] = (outcomeMix[entry.outcome] ?? 0) + 1;
      return {
        concluded: yearCases.length,
        overdue,
        overdueRate: rate(overdue, yearCases.length),
        medianWorkingDaysToReply: median,
        outcomeMix,
        // 行政复议纠错率 and 行政诉讼败诉率: corrected ÷ concluded.
        review: group('review'),
        litigation: group('litigation'),
      };
    };
    const years = [];
    for (let year = from; year <= to; year++) {
      const inYear = (date: string | null) => date?.startsWith(String(year)) ?? false;
      const yearCases = cases.filter((entry) => inYear(entry.concluded_at));
      const yearDisputes = disputes.filter((entry) => inYear(entry.decided_at));
      const departments = [...new Set([...yearCases.map((entry) => entry.department), ...yearDisputes.map((entry) => entry.department)])];
      years.push({
        year,
        ...summarise(yearCases, yearDisputes),
        byDepartment: departments.map((department) => ({
          department: department ?? '（未分办）',
          ...summarise(yearCases.filter((entry) => entry.department === department), yearDisputes.filter((entry) => entry.department === department)),
        })),
      });
    }
    return { from, to, years };
  }
}
