/**
 * 政府信息公开工作年度报告: the pure aggregation of sections 三 and 四 of the national format
 * (国办公开办函〔2021〕30号; rules.md §8, api.md "Reports").
 *
 * Section 三 (收到和处理政府信息公开申请情况) counts applications per applicant category; section 四
 * (政府信息公开行政复议、行政诉讼情况) counts the reviews and lawsuits about them. Every cell can name the ids behind it
 * (drill-down, rules.md §8) and every column is checked against the table's 勾稽关系 一 + 二 = 三（七） + 四.
 *
 * One placement (placeCase, placeDispute), three uses: aggregateAnnualReport counts cases and lists every cell's ids;
 * countAnnualReport counts classes of cases that place alike (what the service reads: a few hundred rows where a
 * year at a million cases holds 160 000); casesInCell and disputesInCell pick what one cell holds when it is opened.
 *
 * Pure: no framework, no database; its words come from the vocabulary module. Dates are 'YYYY-MM-DD' strings compared as
 * strings; anything else is refused with a RangeError (a timestamp would compare wrongly at the year's edges).
 */

import { asRecord, DISPUTE_CELL_TERMS, OUTCOME_TERMS, DISPUTE_GROUP_TERMS, REPORT_COLUMN_TERMS, REPORT_HEADINGS, REPORT_ROW_TERMS } from '@desk/vocabulary';

// ---------------------------------------------------------------------------------------------------------
// Vocabulary: columns, rows, labels

/** The 7 columns of section 三, in the national format's order (rules.md §8; api.md COLUMN). */
export const APPLICANT_COLUMNS = [
  'natural_person',
  'business',
  'research',
  'public_interest',
  'legal_services',
  'other',
  'total',
] as const;
export type ReportColumn = (typeof APPLICANT_COLUMNS)[number];
/** An applicant category: every column but 总计. */
export type ReportCategory = Exclude<ReportColumn, 'total'>;
/** The six category columns; 总计 is their sum. */
export const APPLICANT_CATEGORIES: readonly ReportCategory[] = APPLICANT_COLUMNS.filter(
  (column): column is ReportCategory => column !== 'total',
);

/** The rows of section 三 in the national format's order (api.md ROW; sub-rows in the order of rules.md §4). */
export const REPORT_ROWS = [
  'new',
  'carried_over',
  'disclosed',
  'partial',
  'withheld',
  'withheld.state_secret',
  'withheld.law_prohibited',
  'withheld.security_stability',
  'withheld.third_party',
  'withheld.internal_affairs',
  'withheld.process_info',
  'withheld.enforcement_file',
  'withheld.admin_query',
  'unavailable',
  'unavailable.not_held',
  'unavailable.needs_creation',
  'unavailable.unclear_after_supplement',
  'not_processed',
  'not_processed.petition',
  'not_processed.duplicate',
  'not_processed.publication',
  'not_processed.excessive',
  'not_processed.confirmation',
  'other',
  'other.no_supplement',
  'other.fee_unpaid',
  'other.other',
  'total',
  'carried_forward',
] as const;
export type ReportRow = (typeof REPORT_ROWS)[number];

/** The result families (（三）–（六）): each row is the sum of its sub-rows (rules.md §8). */
export const RESULT_FAMILIES = ['withheld', 'unavailable', 'not_processed', 'other'] as const;
export type ResultFamily = (typeof RESULT_FAMILIES)[number];

/** The outcome codes the report counts (rules.md §4): disclosed, partial and every sub-row of a family. */
export type ReportOutcome = Extract<ReportRow, 'disclosed' | 'partial' | `${ResultFamily}.${string}`>;
export const REPORT_OUTCOMES: readonly ReportOutcome[] = REPORT_ROWS.filter(isReportOutcome);

/** The rows of 三、本年度办理结果 that sum into （七）总计: disclosed, partial and the four families. */
export const RESULT_TOP_ROWS = ['disclosed', 'partial', ...RESULT_FAMILIES] as const;

/** Row labels of section 三, verbatim from the national format (rules.md §8; the vocabulary module holds them). */
export const ROW_LABELS: Record<ReportRow, string> = asRecord(REPORT_ROW_TERMS);

/** The top-left cell of section 三 in the national format: the note on the columns' 勾稽关系 (rules.md §8). */
export const SECTION_THREE_CORNER_NOTE = REPORT_HEADINGS.cornerNote;
/** The header spanning the seven columns of section 三. */
export const SECTION_THREE_COLUMNS_LABEL = REPORT_HEADINGS.columnsGroup;

/** The heading row above （一）–（七） (rules.md §8). */
export const SECTION_THREE_RESULTS_LABEL = REPORT_HEADINGS.results;
/** Section headings of the national format (rules.md §8). */
export const SECTION_THREE_TITLE = REPORT_HEADINGS.sectionThree;
export const SECTION_FOUR_TITLE = REPORT_HEADINGS.sectionFour;

/** Column labels of section 三 (rules.md §8). */
export const COLUMN_LABELS: Record<ReportColumn, string> = asRecord(REPORT_COLUMN_TERMS);
/** The header spanning the five organisation columns (rules.md §8). */
export const COLUMN_GROUP_LABEL = REPORT_HEADINGS.organisations;

/** The three groups of section 四 (rules.md §7, §8; api.md). */
export const DISPUTE_GROUPS = ['review', 'litigation_direct', 'litigation_after_review'] as const;
export type DisputeGroup = (typeof DISPUTE_GROUPS)[number];
/** The five cells of each group; 总计 is the sum of the other four. */
export const DISPUTE_CELLS = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;
export type DisputeCell = (typeof DISPUTE_CELLS)[number];
export type DisputeResult = 'upheld' | 'corrected' | 'other';

export const DISPUTE_GROUP_LABELS: Record<DisputeGroup, string> = asRecord(DISPUTE_GROUP_TERMS);
/** The header spanning the two litigation groups. */
export const DISPUTE_LITIGATION_LABEL = REPORT_HEADINGS.litigation;
export const DISPUTE_CELL_LABELS: Record<DisputeCell, string> = asRecord(DISPUTE_CELL_TERMS);

// ---------------------------------------------------------------------------------------------------------
// Input and output

export interface ReportCase {
  caseId: string;
  category: ReportCategory;
  /** 收到 date (rules.md §1); null while an online application is unconfirmed. */
  receivedAt: string | null;
  /** The case's FIRST conclusion (reply issued, withdrawn, lapsed). */
  conclusion: { at: string; outcome: string } | null;
  /** Art. 41 correction requests are not information-disclosure applications and are not reported. */
  requestType: 'disclosure' | 'correction';
}

export interface ReportDispute {
  disputeId: string;
  caseId: string;
  kind: 'review' | 'litigation';
  /** For litigation: 复议后起诉 (true) or 未经复议直接起诉 (false). */
  afterReview: boolean;
  filedAt: string;
  result: DisputeResult | null;
  decidedAt: string | null;
}

export interface IdentityCheck {
  column: ReportColumn;
  new: number;
  carriedOver: number;
  total: number;
  carriedForward: number;
  holds: boolean;
}

export interface AnnualReport {
  year: number;
  applications: Record<ReportRow, Record<ReportColumn, number>>;
  disputes: Record<DisputeGroup, Record<DisputeCell, number>>;
  /**
   * Every cell → the ids behind it (drill-down, rules.md §8), zero cells included with an empty list:
   * `${row}|${column}` for applications, `disputes.${group}|${cell}` for disputes; total columns/rows included.
   * Ids are listed in input order.
   */
  drillDown: Record<string, string[]>;
  /** 勾稽关系 per column: new + carried_over = total + carried_forward. */
  identity: IdentityCheck[];
  identityHolds: boolean;
}

/** The report's figures without the drill-down lists (what the service serves; a cell's cases are found when asked). */
export type AnnualReportFigures = Omit<AnnualReport, 'drillDown'>;

/** What placeCase reads of a case: everything but its id (the id only names it in an error). */
export type ReportCaseFacts = Omit<ReportCase, 'caseId'> & { caseId?: string };

/**
 * Cases that place alike, and how many they are. The report counts classes, not cases: the figures of a year need
 * only, per case, its category, request type, outcome and where its two dates fall against the year
 * (see yearClassDate), so the database can group a year's cases by these and the count is the same.
 */
export interface ReportCaseClass extends Omit<ReportCase, 'caseId'> {
  count: number;
}

/** Why a case is left out of every year's report. */
export type ExclusionReason =
  /** Art. 41 correction of the applicant's own records: not an information-disclosure application. */
  | 'correction_request'
  /** No receipt date: an online application never confirmed (rules.md §1) was never received. */
  | 'not_received'
  /** Concluded with a code that is no report row (e.g. 'correction.*'): it could never be placed in （七）. */
  | 'unknown_outcome'
  /** A category outside the six columns (bad data; the types forbid it). */
  | 'unknown_category';

export type CasePlacement =
  | { excluded: true; reason: ExclusionReason }
  | {
      excluded: false;
      /**
       * The rows of this year the case counts in (in its category column and in 总计), in REPORT_ROWS order;
       * empty when the case does not touch the year.
       */
      rows: ReportRow[];
    };

// ---------------------------------------------------------------------------------------------------------
// Helpers

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function assertDate(value: string, what: string): string {
  if (typeof value !== 'string' || !DATE.test(value)) {
    throw new RangeError(`日期格式应为YYYY-MM-DD / ${what} must be a 'YYYY-MM-DD' date, got ${String(value)}`);
  }
  return value;
}

function yearBounds(year: number): { first: string; last: string } {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`报告年度无效 / the report year must be a four-digit integer, got ${String(year)}`);
  }
  return { first: `${year}-01-01`, last: `${year}-12-31` };
}

/**
 * The row an outcome code counts in (the vocabulary's `row`), or null when it is no report row (e.g. 'correction.*').
 * Some outcomes share a national row (api.md: no row key is added for them): row （四）1 本机关不掌握相关政府信息 counts
 * both Art. 36(4) (not held) and Art. 36(5) (another agency responsible).
 */
export function reportRowOf(code: string): ReportOutcome | null {
  const row = OUTCOME_TERMS.find((term) => term.code === code)?.row ?? code;
  return isReportOutcome(row) ? row : null;
}

export function isReportOutcome(code: string): code is ReportOutcome {
  if (code === 'disclosed' || code === 'partial') return true;
  const dot = code.indexOf('.');
  return dot > 0 && (REPORT_ROWS as readonly string[]).includes(code);
}

/** The family row a sub-row sums into ('withheld.third_party' → 'withheld'); disclosed and partial are their own. */
export function resultTopRow(outcome: ReportOutcome): (typeof RESULT_TOP_ROWS)[number] {
  if (outcome === 'disclosed' || outcome === 'partial') return outcome;
  return outcome.slice(0, outcome.indexOf('.')) as ResultFamily;
}

function isCategory(value: string): value is ReportCategory {
  return (APPLICANT_CATEGORIES as readonly string[]).includes(value);
}

function sortedRows(rows: ReadonlySet<ReportRow>): ReportRow[] {
  return REPORT_ROWS.filter((row) => rows.has(row));
}

// ---------------------------------------------------------------------------------------------------------
// Section 三: one case

/**
 * Where one case counts in `year` (rules.md §8):
 * - 一 new: received in the year; 二 carried_over: received before 1 January and not concluded before it;
 * - 三 result: concluded in the year, in its outcome's row and its family row (a partial disclosure only as
 *   （二）, the format's own note), and in （七）总计 once;
 * - 四 carried_forward: received by 31 December and not concluded by then.
 *
 * A conclusion dated before the receipt date (bad data) is taken as of the receipt date: a reply cannot precede
 * the application, and this keeps every counted case in exactly one of 三 or 四 in each year it is open, so the
 * 勾稽关系 一 + 二 = 三（七） + 四 holds by construction, and 四 of a year always equals 二 of the next.
 */
export function placeCase(year: number, c: ReportCaseFacts): CasePlacement {
  const { first, last } = yearBounds(year);
  if (c.requestType !== 'disclosure') return { excluded: true, reason: 'correction_request' };
  if (c.receivedAt === null) return { excluded: true, reason: 'not_received' };
  if (!isCategory(c.category)) return { excluded: true, reason: 'unknown_category' };
  const receivedAt = assertDate(c.receivedAt, `case ${c.caseId} receivedAt`);
  let concludedAt: string | null = null;
  let outcome: ReportOutcome | null = null;
  if (c.conclusion !== null) {
    const at = assertDate(c.conclusion.at, `case ${c.caseId} conclusion.at`);
    const row = reportRowOf(c.conclusion.outcome);
    if (row === null) return { excluded: true, reason: 'unknown_outcome' };
    outcome = row;
    concludedAt = at < receivedAt ? receivedAt : at;
  }

  const rows = new Set<ReportRow>();
  if (receivedAt >= first && receivedAt <= last) rows.add('new');
  if (receivedAt < first && (concludedAt === null || concludedAt >= first)) rows.add('carried_over');
  if (outcome !== null && concludedAt !== null && concludedAt >= first && concludedAt <= last) {
    rows.add(outcome);
    rows.add(resultTopRow(outcome));
    rows.add('total');
  }
  if (receivedAt <= last && (concludedAt === null || concludedAt > last)) rows.add('carried_forward');
  return { excluded: false, rows: sortedRows(rows) };
}

/**
 * The date that stands for `date` when cases of `year` are grouped into classes: the day before the year for a date
 * before it, the year's first day for a date within it, the day after the year for a date after it.
 *
 * Exact, not an approximation: placeCase compares a date only with the year's first and last day, and a conclusion
 * with the receipt (the later of the two counts). This map keeps every comparison with the two bounds, and as it never
 * puts a later date before an earlier one, the later of two dates maps to the later of their maps. So a case placed
 * with both its dates so replaced lands in the same rows (checked over generated cases in the tests), and cases equal
 * in category, request type, outcome and these two dates are counted alike: the database groups by them and hands
 * over a few hundred classes instead of every case of the year (BENCHMARKS.md).
 */
export function yearClassDate(date: string, year: number): string {
  const { first, last } = yearBounds(year);
  assertDate(date, 'date');
  if (date < first) return `${year - 1}-12-31`;
  if (date > last) return `${year + 1}-01-01`;
  return first;
}

// ---------------------------------------------------------------------------------------------------------
// Section 四: one dispute

/**
 * The cell of one dispute in `year` (rules.md §7, §8), or null when it does not count that year. It counts if
 * filed in the year, or filed earlier and still pending when the year began; its cell is its result if decided
 * by 31 December, else 尚未审结.
 *
 * A dispute is concluded only once it has both a decision date and a result: a date without a result (or the
 * reverse) is 尚未审结, and stays so, year after year, until both are recorded, so a dispute pending at the end of
 * one year is always counted again the next (for consistent data this is exactly "decidedAt null or >= 1 January").
 */
export function placeDispute(
  year: number,
  d: ReportDispute,
): { group: DisputeGroup; cell: Exclude<DisputeCell, 'total'> } | null {
  const { first, last } = yearBounds(year);
  const filedAt = assertDate(d.filedAt, `dispute ${d.disputeId} filedAt`);
  const decidedAt = d.decidedAt === null ? null : assertDate(d.decidedAt, `dispute ${d.disputeId} decidedAt`);
  let group: DisputeGroup;
  if (d.kind === 'review') group = 'review';
  else if (d.kind === 'litigation') group = d.afterReview ? 'litigation_after_review' : 'litigation_direct';
  else return null;

  const concludedBy = (date: string): boolean => decidedAt !== null && d.result !== null && decidedAt <= date;
  const filedInYear = filedAt >= first && filedAt <= last;
  const pendingAtStart = filedAt < first && !concludedBy(`${year - 1}-12-31`);
  if (!filedInYear && !pendingAtStart) return null;

  if (!concludedBy(last)) return { group, cell: 'pending' };
  const result: DisputeResult =
    d.result === 'upheld' || d.result === 'corrected' ? d.result : 'other'; // 其他结果: 终止, 撤回, 不予受理, 调解 …
  return { group, cell: result };
}

// ---------------------------------------------------------------------------------------------------------
// The report

function applicationsKey(row: ReportRow, column: ReportColumn): string {
  return `${row}|${column}`;
}

function disputesKey(group: DisputeGroup, cell: DisputeCell): string {
  return `disputes.${group}|${cell}`;
}

/** A report of zeros with every drill-down key present (and the identity trivially holding). */
export function emptyReport(year: number): AnnualReport {
  const drillDown: Record<string, string[]> = {};
  for (const row of REPORT_ROWS) for (const column of APPLICANT_COLUMNS) drillDown[applicationsKey(row, column)] = [];
  for (const group of DISPUTE_GROUPS) for (const cell of DISPUTE_CELLS) drillDown[disputesKey(group, cell)] = [];
  return { ...emptyFigures(year), drillDown };
}

/** The figures of a report of zeros. */
export function emptyFigures(year: number): AnnualReportFigures {
  yearBounds(year);
  const applications = {} as Record<ReportRow, Record<ReportColumn, number>>;
  for (const row of REPORT_ROWS) {
    const cells = {} as Record<ReportColumn, number>;
    for (const column of APPLICANT_COLUMNS) cells[column] = 0;
    applications[row] = cells;
  }
  const disputes = {} as Record<DisputeGroup, Record<DisputeCell, number>>;
  for (const group of DISPUTE_GROUPS) {
    const cells = {} as Record<DisputeCell, number>;
    for (const cell of DISPUTE_CELLS) cells[cell] = 0;
    disputes[group] = cells;
  }
  return { year, applications, disputes, ...verifyIdentity({ applications }) };
}
/** The table's 勾稽关系 per column (rules.md §8): 一 + 二 = 三（七） + 四. */
export function verifyIdentity(
  report: Pick<AnnualReport, 'applications'>,
): Pick<AnnualReport, 'identity' | 'identityHolds'> {
  const a = report.applications;
  const identity = APPLICANT_COLUMNS.map((column): IdentityCheck => {
    const check = {
      column,
      new: a.new[column],
      carriedOver: a.carried_over[column],
      total: a.total[column],
      carriedForward: a.carried_forward[column],
    };
    return { ...check, holds: check.new + check.carriedOver === check.total + check.carriedForward };
  });
  return { identity, identityHolds: identity.every((check) => check.holds) };
}

/**
 * The table's other sums (rules.md §8), as a list of problems (empty when consistent): 总计 column = sum of the
 * six categories; each family = sum of its sub-rows; （七） = （一）+（二）+ the four families; each dispute
 * group's 总计 = the sum of its four cells. Useful to re-check a stored or hand-edited report.
 */
export function verifyTableSums(report: Pick<AnnualReport, 'applications' | 'disputes'>): string[] {
  const problems: string[] = [];
  const a = report.applications;
  for (const row of REPORT_ROWS) {
    const sum = APPLICANT_CATEGORIES.reduce((acc, column) => acc + a[row][column], 0);
    if (sum !== a[row].total) problems.push(`${row}: total column ${a[row].total} ≠ sum of categories ${sum}`);
  }
  for (const column of APPLICANT_COLUMNS) {
    for (const family of RESULT_FAMILIES) {
      const sum = REPORT_OUTCOMES.filter((o) => o.startsWith(`${family}.`)).reduce((acc, o) => acc + a[o][column], 0);
      if (sum !== a[family][column]) problems.push(`${family}|${column}: ${a[family][column]} ≠ sum of sub-rows ${sum}`);
    }
    const sum = RESULT_TOP_ROWS.reduce((acc, row) => acc + a[row][column], 0);
    if (sum !== a.total[column]) problems.push(`total|${column}: ${a.total[column]} ≠ sum of result rows ${sum}`);
  }
  for (const group of DISPUTE_GROUPS) {
    const g = report.disputes[group];
    const sum = g.upheld + g.corrected + g.other + g.pending;
    if (sum !== g.total) problems.push(`disputes.${group}: total ${g.total} ≠ sum of cells ${sum}`);
  }
  return problems;
}

/**
 * Sections 三 and 四 of the annual report for `year` (rules.md §8; api.md `GET /api/reports/annual/{year}`), with the
 * ids behind every cell. Correction requests (Art. 41), never-received applications and cases concluded with a code
 * that is no report row are left out altogether (see placeCase); every other case counts in its category column and
 * in 总计.
 */
export function aggregateAnnualReport(
  year: number,
  cases: readonly ReportCase[],
  disputes: readonly ReportDispute[],
): AnnualReport {
  const report = emptyReport(year);
  for (const c of cases) {
    for (const key of countCase(report, year, c, 1)) report.drillDown[key].push(c.caseId);
  }
  for (const d of disputes) {
    for (const key of countDispute(report, year, d)) report.drillDown[key].push(d.disputeId);
  }
  return { ...report, ...verifyIdentity(report) };
}

/**
 * The same figures from classes of cases (ReportCaseClass: each counted `count` times) and the disputes, without the
 * drill-down lists: what a screen or a document shows. A cell's cases are found when asked (casesInCell).
 */
export function countAnnualReport(
  year: number,
  classes: readonly ReportCaseClass[],
  disputes: readonly ReportDispute[],
): AnnualReportFigures {
  const report = emptyFigures(year);
  for (const c of classes) {
    if (!Number.isInteger(c.count) || c.count < 0) throw new RangeError(`a class of cases counts a whole number of cases, got ${String(c.count)}`);
    countCase(report, year, c, c.count);
  }
  for (const d of disputes) countDispute(report, year, d);
  return { ...report, ...verifyIdentity(report) };
}

/** Adds a case (or a class of `weight` cases) to the figures; the keys of the cells it counts in. */
function countCase(report: AnnualReportFigures, year: number, c: ReportCaseFacts, weight: number): string[] {
  const placement = placeCase(year, c);
  if (placement.excluded) return [];
  const keys: string[] = [];
  for (const row of placement.rows) {
    for (const column of [c.category, 'total'] as const) {
      report.applications[row][column] += weight;
      keys.push(applicationsKey(row, column));
    }
  }
  return keys;
}

/** Adds a dispute to the figures; the keys of the cells it counts in. */
function countDispute(report: AnnualReportFigures, year: number, d: ReportDispute): string[] {
  const placement = placeDispute(year, d);
  if (placement === null) return [];
  const keys: string[] = [];
  for (const cell of [placement.cell, 'total'] as const) {
    report.disputes[placement.group][cell] += 1;
    keys.push(disputesKey(placement.group, cell));
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------------------
// One cell, when it is opened

/** A drill-down key read back: `${row}|${column}` of section 三, or `disputes.${group}|${cell}` of section 四. */
export type ReportCell =
  | { section: 'applications'; row: ReportRow; column: ReportColumn }
  | { section: 'disputes'; group: DisputeGroup; cell: DisputeCell };

/** The cell a drill-down key names, or null when it names none (an own key only: `__proto__` is no cell). */
export function parseCellKey(key: string): ReportCell | null {
  const bar = key.indexOf('|');
  if (bar < 0 || key.indexOf('|', bar + 1) >= 0) return null;
  const left = key.slice(0, bar);
  const right = key.slice(bar + 1);
  if (left.startsWith('disputes.')) {
    const group = left.slice('disputes.'.length);
    return (DISPUTE_GROUPS as readonly string[]).includes(group) && (DISPUTE_CELLS as readonly string[]).includes(right)
      ? { section: 'disputes', group: group as DisputeGroup, cell: right as DisputeCell }
      : null;
  }
  return (REPORT_ROWS as readonly string[]).includes(left) && (APPLICANT_COLUMNS as readonly string[]).includes(right)
    ? { section: 'applications', row: left as ReportRow, column: right as ReportColumn }
    : null;
}

/**
 * The cases (or classes of cases) that count in one cell of section 三 in `year`, in input order: exactly those
 * aggregateAnnualReport lists under that key, by the same placement.
 */
export function casesInCell<T extends ReportCaseFacts>(
  year: number,
  cases: readonly T[],
  cell: { row: ReportRow; column: ReportColumn },
): T[] {
  return cases.filter((c) => {
    if (cell.column !== 'total' && c.category !== cell.column) return false;
    const placement = placeCase(year, c);
    return !placement.excluded && placement.rows.includes(cell.row);
  });
}

/** The disputes that count in one cell of section 四 in `year`, in input order. */
export function disputesInCell(
  year: number,
  disputes: readonly ReportDispute[],
  cell: { group: DisputeGroup; cell: DisputeCell },
): ReportDispute[] {
  return disputes.filter((d) => {
    const placement = placeDispute(year, d);
    return placement !== null && placement.group === cell.group && (cell.cell === 'total' || placement.cell === cell.cell);
  });
}
