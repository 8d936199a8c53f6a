// The annual report, sections 三 and 四 (国办公开办函〔2021〕30号; rules.md §7, §8; api.md "Reports").
// Every expected number below is worked out by hand from the fixture, never with the code under test.
import {
  APPLICANT_CATEGORIES,
  APPLICANT_COLUMNS,
  COLUMN_GROUP_LABEL,
  COLUMN_LABELS,
  DISPUTE_CELLS,
  DISPUTE_CELL_LABELS,
  DISPUTE_GROUPS,
  DISPUTE_GROUP_LABELS,
  REPORT_OUTCOMES,
  REPORT_ROWS,
  ROW_LABELS,
  SECTION_FOUR_TITLE,
  SECTION_THREE_RESULTS_LABEL,
  SECTION_THREE_TITLE,
  aggregateAnnualReport,
  casesInCell,
  countAnnualReport,
  disputesInCell,
  emptyFigures,
  emptyReport,
  parseCellKey,
  yearClassDate,
  isReportOutcome,
  placeCase,
  placeDispute,
  verifyIdentity,
  verifyTableSums,
  type AnnualReport,
  type ReportCase,
  type ReportCaseClass,
  type ReportCategory,
  type ReportColumn,
  type ReportDispute,
  type ReportRow,
} from './index';

// ---------------------------------------------------------------------------------------------------------
// Fixture: the year 2025

function app(
  caseId: string,
  category: ReportCategory,
  receivedAt: string | null,
  concludedAt: string | null,
  outcome: string | null,
  requestType: ReportCase['requestType'] = 'disclosure',
): ReportCase {
  const conclusion = concludedAt !== null && outcome !== null ? { at: concludedAt, outcome } : null;
  return { caseId, category, receivedAt, conclusion, requestType };
}

// Cases received and concluded in 2025, one per outcome code (rules.md §4), spread over all six categories.
const CASES: ReportCase[] = [
  app('c01', 'natural_person', '2025-01-01', '2025-01-20', 'disclosed'), // received on the year's first day: new
  app('c02', 'natural_person', '2025-02-03', '2025-02-20', 'partial'), // counted once, as partial only
  app('c03', 'business', '2025-03-03', '2025-03-25', 'withheld.state_secret'),
  app('c04', 'business', '2025-03-10', '2025-04-01', 'withheld.law_prohibited'),
  app('c05', 'research', '2025-04-07', '2025-04-28', 'withheld.security_stability'),
  app('c06', 'public_interest', '2025-04-14', '2025-05-06', 'withheld.third_party'),
  app('c07', 'legal_services', '2025-05-05', '2025-05-26', 'withheld.internal_affairs'),
  app('c08', 'other', '2025-05-12', '2025-06-03', 'withheld.process_info'),
  app('c09', 'natural_person', '2025-06-02', '2025-06-23', 'withheld.enforcement_file'),
  app('c10', 'natural_person', '2025-06-09', '2025-06-30', 'withheld.admin_query'),
  app('c11', 'business', '2025-07-01', '2025-07-22', 'unavailable.not_held'),
  app('c12', 'research', '2025-07-07', '2025-07-28', 'unavailable.needs_creation'),
  app('c13', 'natural_person', '2025-08-04', '2025-09-15', 'unavailable.unclear_after_supplement'),
  app('c14', 'natural_person', '2025-08-11', '2025-08-12', 'not_processed.petition'),
  app('c15', 'natural_person', '2025-09-01', '2025-09-10', 'not_processed.duplicate'),
  app('c16', 'public_interest', '2025-09-08', '2025-09-29', 'not_processed.publication'),
  app('c17', 'natural_person', '2025-10-09', '2025-10-30', 'not_processed.excessive'),
  app('c18', 'legal_services', '2025-10-13', '2025-11-03', 'not_processed.confirmation'),
  app('c19', 'natural_person', '2025-11-03', '2025-12-31', 'other.no_supplement'), // concluded on the last day: not carried forward
  app('c20', 'other', '2025-11-10', '2025-12-15', 'other.fee_unpaid'),
  app('c21', 'natural_person', '2025-12-01', '2025-12-05', 'other.other'), // withdrawn
  // Carried over from 2024 (二).
  app('c22', 'natural_person', '2024-12-20', '2025-01-10', 'disclosed'),
  app('c23', 'business', '2024-12-31', '2025-01-01', 'partial'), // both boundaries: received 12-31, concluded 01-01
  app('c24', 'research', '2024-11-01', '2024-12-31', 'disclosed'), // received and concluded in 2024: not in 2025 at all
  app('c25', 'natural_person', '2024-12-15', null, null), // open all of 2025: carried over AND carried forward
  // Carried forward into 2026 (四).
  app('c26', 'legal_services', '2025-12-31', null, null), // received on the last day, still open
  app('c27', 'public_interest', '2025-12-10', '2026-01-05', 'disclosed'), // concluded only in 2026
  app('c28', 'other', '2026-01-02', '2026-01-20', 'disclosed'), // received in 2026: not in 2025 at all
  // Never counted.
  app('c29', 'natural_person', '2025-03-01', '2025-03-20', 'correction.corrected', 'correction'), // Art. 41
  app('c30', 'business', null, null, null), // online application never confirmed
];

// Hand count. Counted in 2025: c01–c23, c25, c26, c27 (26 cases); c24, c28, c29, c30 are not.
// Columns:                 自然人 商业 科研 公益 法律 其他 总计
const EXPECTED: Record<ReportRow, [number, number, number, number, number, number, number]> = {
  // new = c01–c21, c26, c27. NP: c01 c02 c09 c10 c13 c14 c15 c17 c19 c21 = 10; B: c03 c04 c11 = 3;
  // R: c05 c12 = 2; PI: c06 c16 c27 = 3; LS: c07 c18 c26 = 3; O: c08 c20 = 2; 23 in all.
  new: [10, 3, 2, 3, 3, 2, 23],
  carried_over: [2, 1, 0, 0, 0, 0, 3], // c22 NP, c25 NP, c23 B
  disclosed: [2, 0, 0, 0, 0, 0, 2], // c01, c22 (c24 in 2024, c27 in 2026, c28 not received in 2025)
  partial: [1, 1, 0, 0, 0, 0, 2], // c02 NP, c23 B
  withheld: [2, 2, 1, 1, 1, 1, 8], // c03–c10: NP c09 c10; B c03 c04; R c05; PI c06; LS c07; O c08
  'withheld.state_secret': [0, 1, 0, 0, 0, 0, 1], // c03
  'withheld.law_prohibited': [0, 1, 0, 0, 0, 0, 1], // c04
  'withheld.security_stability': [0, 0, 1, 0, 0, 0, 1], // c05
  'withheld.third_party': [0, 0, 0, 1, 0, 0, 1], // c06
  'withheld.internal_affairs': [0, 0, 0, 0, 1, 0, 1], // c07
  'withheld.process_info': [0, 0, 0, 0, 0, 1, 1], // c08
  'withheld.enforcement_file': [1, 0, 0, 0, 0, 0, 1], // c09
  'withheld.admin_query': [1, 0, 0, 0, 0, 0, 1], // c10
  unavailable: [1, 1, 1, 0, 0, 0, 3], // c11 B, c12 R, c13 NP
  'unavailable.not_held': [0, 1, 0, 0, 0, 0, 1], // c11
  'unavailable.needs_creation': [0, 0, 1, 0, 0, 0, 1], // c12
  'unavailable.unclear_after_supplement': [1, 0, 0, 0, 0, 0, 1], // c13
  not_processed: [3, 0, 0, 1, 1, 0, 5], // c14 c15 c17 NP, c16 PI, c18 LS
  'not_processed.petition': [1, 0, 0, 0, 0, 0, 1], // c14
  'not_processed.duplicate': [1, 0, 0, 0, 0, 0, 1], // c15
  'not_processed.publication': [0, 0, 0, 1, 0, 0, 1], // c16
  'not_processed.excessive': [1, 0, 0, 0, 0, 0, 1], // c17
  'not_processed.confirmation': [0, 0, 0, 0, 1, 0, 1], // c18
  other: [2, 0, 0, 0, 0, 1, 3], // c19 c21 NP, c20 O
  'other.no_supplement': [1, 0, 0, 0, 0, 0, 1], // c19
  'other.fee_unpaid': [0, 0, 0, 0, 0, 1, 1], // c20
  'other.other': [1, 0, 0, 0, 0, 0, 1], // c21
  // （七） = disclosed + partial + the four families, per column:
  // NP 2+1+2+1+3+2 = 11; B 0+1+2+1+0+0 = 4; R 0+0+1+1+0+0 = 2; PI 0+0+1+0+1+0 = 2; LS 0+0+1+0+1+0 = 2;
  // O 0+0+1+0+0+1 = 2; total 2+2+8+3+5+3 = 23 (= c01–c23).
  total: [11, 4, 2, 2, 2, 2, 23],
  carried_forward: [1, 0, 0, 1, 1, 0, 3], // c25 NP, c27 PI, c26 LS
};

// 勾稽关系 by hand, 一 + 二 = （七） + 四:
// NP 10+2 = 11+1 = 12; B 3+1 = 4+0 = 4; R 2+0 = 2+0; PI 3+0 = 2+1; LS 3+0 = 2+1; O 2+0 = 2+0; 总计 23+3 = 23+3 = 26.
const EXPECTED_IDENTITY: [ReportColumn, number, number, number, number][] = [
  ['natural_person', 10, 2, 11, 1],
  ['business', 3, 1, 4, 0],
  ['research', 2, 0, 2, 0],
  ['public_interest', 3, 0, 2, 1],
  ['legal_services', 3, 0, 2, 1],
  ['other', 2, 0, 2, 0],
  ['total', 23, 3, 23, 3],
];

function dispute(
  disputeId: string,
  kind: ReportDispute['kind'],
  afterReview: boolean,
  filedAt: string,
  result: ReportDispute['result'],
  decidedAt: string | null,
): ReportDispute {
  return { disputeId, caseId: 'c03', kind, afterReview, filedAt, result, decidedAt };
}

const DISPUTES: ReportDispute[] = [
  dispute('d01', 'review', false, '2025-02-10', 'upheld', '2025-04-10'),
  dispute('d02', 'review', false, '2024-11-20', 'corrected', '2025-01-15'), // filed 2024, decided 2025: counts with its result
  dispute('d03', 'review', false, '2024-10-01', 'upheld', '2024-12-31'), // decided in 2024: not in 2025
  dispute('d04', 'review', false, '2025-11-20', null, null), // pending at year end
  dispute('d05', 'review', false, '2025-06-01', 'other', '2025-07-01'),
  dispute('d06', 'litigation', false, '2025-03-01', 'upheld', '2025-09-01'),
  dispute('d07', 'litigation', false, '2025-05-01', 'corrected', '2025-12-31'), // decided on the last day
  dispute('d08', 'litigation', false, '2025-08-01', 'other', '2025-10-01'),
  dispute('d09', 'litigation', false, '2025-10-01', 'upheld', '2026-01-10'), // decided after year end: pending
  dispute('d10', 'litigation', true, '2024-12-01', 'corrected', '2025-01-01'), // still pending on 2025-01-01
  dispute('d11', 'litigation', true, '2025-04-01', 'upheld', '2025-08-01'),
  dispute('d12', 'litigation', true, '2025-07-01', 'other', '2025-11-01'),
  dispute('d13', 'litigation', true, '2024-06-01', null, null), // filed 2024, still pending: pending in 2025
  dispute('d14', 'litigation', true, '2026-01-03', null, null), // filed 2026: not in 2025
];

const report = aggregateAnnualReport(2025, CASES, DISPUTES);

function row(r: AnnualReport, key: ReportRow): number[] {
  return APPLICANT_COLUMNS.map((column) => r.applications[key][column]);
}

function rowsOf(year: number, c: ReportCase): ReportRow[] | string {
  const placement = placeCase(year, c);
  return placement.excluded ? placement.reason : placement.rows;
}

function byId(id: string): ReportCase {
  const found = CASES.find((c) => c.caseId === id);
  if (found === undefined) throw new Error(`no fixture case ${id}`);
  return found;
}

// ---------------------------------------------------------------------------------------------------------

describe('vocabulary and labels (rules.md §8, api.md)', () => {
  it('lists the 7 columns and the 29 rows in the national order', () => {
    expect(APPLICANT_COLUMNS).toEqual([
      'natural_person',
      'business',
      'research',
      'public_interest',
      'legal_services',
      'other',
      'total',
    ]);
    expect(APPLICANT_CATEGORIES).toEqual(['natural_person', 'business', 'research', 'public_interest', 'legal_services', 'other']);
    expect(REPORT_ROWS).toEqual([
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
    ]);
    // 2 + 8 + 3 + 5 + 3 = 21 outcome codes of rules.md §4, without the family and bookkeeping rows.
    expect(REPORT_OUTCOMES).toHaveLength(21);
    expect(isReportOutcome('withheld.third_party')).toBe(true);
    expect(isReportOutcome('withheld')).toBe(false);
    expect(isReportOutcome('total')).toBe(false);
    expect(isReportOutcome('correction.corrected')).toBe(false);
  });

  it('carries the row labels verbatim', () => {
    expect(Object.keys(ROW_LABELS).sort()).toEqual([...REPORT_ROWS].sort());
    expect(ROW_LABELS.new).toBe('一、本年新收政府信息公开申请数量');
    expect(ROW_LABELS.carried_over).toBe('二、上年结转政府信息公开申请数量');
    expect(SECTION_THREE_RESULTS_LABEL).toBe('三、本年度办理结果');
    expect(ROW_LABELS.disclosed).toBe('（一）予以公开');
    expect(ROW_LABELS.partial).toBe('（二）部分公开（区分处理的，只计这一情形，不计其他情形）');
    expect(ROW_LABELS.withheld).toBe('（三）不予公开');
    expect(ROW_LABELS['withheld.state_secret']).toBe('1.属于国家秘密');
    expect(ROW_LABELS['withheld.security_stability']).toBe('3.危及“三安全一稳定”');
    // The quotation marks are the full-width “ (U+201C) and ” (U+201D) of the national format.
    expect(ROW_LABELS['withheld.security_stability'].codePointAt(4)).toBe(0x201c);
    expect(ROW_LABELS['withheld.security_stability'].codePointAt(11)).toBe(0x201d);
    expect(ROW_LABELS['withheld.admin_query']).toBe('8.属于行政查询事项');
    expect(ROW_LABELS.unavailable).toBe('（四）无法提供');
    expect(ROW_LABELS['unavailable.unclear_after_supplement']).toBe('3.补正后申请内容仍不明确');
    expect(ROW_LABELS.not_processed).toBe('（五）不予处理');
    expect(ROW_LABELS['not_processed.confirmation']).toBe('5.要求行政机关确认或重新出具已获取信息');
    expect(ROW_LABELS.other).toBe('（六）其他处理');
    expect(ROW_LABELS['other.no_supplement']).toBe('1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请');
    expect(ROW_LABELS['other.fee_unpaid']).toBe('2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请');
    expect(ROW_LABELS['other.other']).toBe('3.其他');
    expect(ROW_LABELS.total).toBe('（七）总计');
    expect(ROW_LABELS.carried_forward).toBe('四、结转下年度继续办理');
  });

  it('carries the column and section 四 labels', () => {
    expect(APPLICANT_COLUMNS.map((c) => COLUMN_LABELS[c])).toEqual([
      '自然人',
      '商业企业',
      '科研机构',
      '社会公益组织',
      '法律服务机构',
      '其他',
      '总计',
    ]);
    expect(COLUMN_GROUP_LABEL).toBe('法人或其他组织');
    expect(SECTION_THREE_TITLE).toBe('三、收到和处理政府信息公开申请情况');
    expect(SECTION_FOUR_TITLE).toBe('四、政府信息公开行政复议、行政诉讼情况');
    expect(DISPUTE_GROUPS.map((g) => DISPUTE_GROUP_LABELS[g])).toEqual(['行政复议', '未经复议直接起诉', '复议后起诉']);
    expect(DISPUTE_CELLS.map((c) => DISPUTE_CELL_LABELS[c])).toEqual(['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']);
  });
});

describe('section 三 for 2025 (rules.md §8)', () => {
  it('fills the whole table as counted by hand', () => {
    expect(report.year).toBe(2025);
    for (const key of REPORT_ROWS) {
      expect({ row: key, cells: row(report, key) }).toEqual({ row: key, cells: EXPECTED[key] });
    }
  });

  it('hits every row and every column at least once', () => {
    for (const key of REPORT_ROWS) expect({ key, hit: report.applications[key].total > 0 }).toEqual({ key, hit: true });
    for (const column of APPLICANT_COLUMNS) {
      const hit = REPORT_ROWS.some((key) => report.applications[key][column] > 0);
      expect({ column, hit }).toEqual({ column, hit: true });
    }
  });

  it('holds the 勾稽关系 一 + 二 = （七） + 四 in every column', () => {
    expect(report.identity).toEqual(
      EXPECTED_IDENTITY.map(([column, n, co, total, cf]) => ({
        column,
        new: n,
        carriedOver: co,
        total,
        carriedForward: cf,
        holds: true,
      })),
    );
    expect(report.identityHolds).toBe(true);
    expect(verifyTableSums(report)).toEqual([]);
  });

  it('carries cases over in both directions', () => {
    expect(rowsOf(2025, byId('c22'))).toEqual(['carried_over', 'disclosed', 'total']); // 2024 → concluded 2025
    expect(rowsOf(2025, byId('c25'))).toEqual(['carried_over', 'carried_forward']); // open through 2025
    expect(rowsOf(2025, byId('c26'))).toEqual(['new', 'carried_forward']); // received 2025, open
    expect(rowsOf(2025, byId('c27'))).toEqual(['new', 'carried_forward']); // concluded 2026-01-05
    expect(rowsOf(2026, byId('c27'))).toEqual(['carried_over', 'disclosed', 'total']); // ... and counted then
    expect(rowsOf(2025, byId('c24'))).toEqual([]); // received and concluded in 2024
    expect(rowsOf(2024, byId('c24'))).toEqual(['new', 'disclosed', 'total']);
    expect(rowsOf(2025, byId('c28'))).toEqual([]); // received in 2026
  });

  it('treats 2025-01-01 and 2025-12-31 exactly', () => {
    expect(rowsOf(2025, byId('c01'))).toEqual(['new', 'disclosed', 'total']); // received 01-01: new, not carried over
    expect(rowsOf(2025, byId('c23'))).toEqual(['carried_over', 'partial', 'total']); // received 2024-12-31, concluded 01-01
    expect(rowsOf(2024, byId('c23'))).toEqual(['new', 'carried_forward']);
    expect(rowsOf(2025, byId('c19'))).toEqual(['new', 'other', 'other.no_supplement', 'total']); // concluded 12-31
    expect(rowsOf(2025, byId('c26'))).toEqual(['new', 'carried_forward']); // received 12-31
    expect(rowsOf(2026, byId('c26'))).toEqual(['carried_over', 'carried_forward']);
    expect(report.drillDown['carried_over|total']).toEqual(['c22', 'c23', 'c25']);
    expect(report.drillDown['carried_forward|total']).toEqual(['c25', 'c26', 'c27']);
  });

  it('counts an Art. 36(5) reply (unavailable.not_responsible) in row （四）1 with Art. 36(4), adding no row (api.md)', () => {
    const cases: ReportCase[] = [
      { caseId: 'n1', category: 'natural_person', receivedAt: '2025-03-03', requestType: 'disclosure', conclusion: { at: '2025-03-28', outcome: 'unavailable.not_held' } },
      { caseId: 'r1', category: 'natural_person', receivedAt: '2025-03-04', requestType: 'disclosure', conclusion: { at: '2025-03-31', outcome: 'unavailable.not_responsible' } },
    ];
    const report = aggregateAnnualReport(2025, cases, []);
    expect(report.applications['unavailable.not_held'].natural_person).toBe(2);
    expect(report.applications.unavailable.total).toBe(2);
    expect(report.drillDown['unavailable.not_held|natural_person']).toEqual(['n1', 'r1']);
    expect(Object.keys(report.applications)).not.toContain('unavailable.not_responsible');
    expect(report.identityHolds).toBe(true);
  });

  it('counts a partial disclosure only as partial', () => {
    expect(rowsOf(2025, byId('c02'))).toEqual(['new', 'partial', 'total']);
    const cellsWithC02 = Object.entries(report.drillDown)
      .filter(([, ids]) => ids.includes('c02'))
      .map(([key]) => key)
      .sort();
    expect(cellsWithC02).toEqual([
      'new|natural_person',
      'new|total',
      'partial|natural_person',
      'partial|total',
      'total|natural_person',
      'total|total',
    ]);
  });

  it('leaves out correction requests and unconfirmed online applications', () => {
    expect(rowsOf(2025, byId('c29'))).toBe('correction_request');
    expect(rowsOf(2025, byId('c30'))).toBe('not_received');
    for (const id of ['c24', 'c28', 'c29', 'c30']) {
      const cells = Object.entries(report.drillDown).filter(([, ids]) => ids.includes(id));
      expect({ id, cells }).toEqual({ id, cells: [] });
    }
  });

  it('drills every cell down to the case ids behind it', () => {
    // 29 rows × 7 columns + 3 groups × 5 cells, zero cells included.
    expect(Object.keys(report.drillDown)).toHaveLength(29 * 7 + 3 * 5);
    expect(report.drillDown['new|natural_person']).toEqual(['c01', 'c02', 'c09', 'c10', 'c13', 'c14', 'c15', 'c17', 'c19', 'c21']);
    expect(report.drillDown['disclosed|natural_person']).toEqual(['c01', 'c22']);
    expect(report.drillDown['disclosed|business']).toEqual([]);
    expect(report.drillDown['withheld|total']).toEqual(['c03', 'c04', 'c05', 'c06', 'c07', 'c08', 'c09', 'c10']);
    expect(report.drillDown['withheld.security_stability|research']).toEqual(['c05']);
    expect(report.drillDown['not_processed|natural_person']).toEqual(['c14', 'c15', 'c17']);
    expect(report.drillDown['other|other']).toEqual(['c20']);
    expect(report.drillDown['other.other|natural_person']).toEqual(['c21']);
    expect(report.drillDown['total|legal_services']).toEqual(['c07', 'c18']);
    expect(report.drillDown['carried_forward|public_interest']).toEqual(['c27']);
    // Each list is as long as its number.
    for (const key of REPORT_ROWS) {
      for (const column of APPLICANT_COLUMNS) {
        expect(report.drillDown[`${key}|${column}`]).toHaveLength(report.applications[key][column]);
      }
    }
  });
});

describe('section 四 for 2025 (rules.md §7, §8)', () => {
  it('counts each group and result class by hand', () => {
    expect(report.disputes).toEqual({
      // d01 upheld, d02 corrected (filed 2024), d05 other, d04 pending; d03 decided in 2024 is out.
      review: { upheld: 1, corrected: 1, other: 1, pending: 1, total: 4 },
      // d06 upheld, d07 corrected (decided 12-31), d08 other, d09 pending (decided 2026-01-10).
      litigation_direct: { upheld: 1, corrected: 1, other: 1, pending: 1, total: 4 },
      // d11 upheld, d10 corrected (filed 2024, decided 2025-01-01), d12 other, d13 pending (filed 2024); d14 filed 2026 is out.
      litigation_after_review: { upheld: 1, corrected: 1, other: 1, pending: 1, total: 4 },
    });
  });

  it('drills down to the dispute ids', () => {
    expect(report.drillDown['disputes.review|corrected']).toEqual(['d02']);
    expect(report.drillDown['disputes.review|total']).toEqual(['d01', 'd02', 'd04', 'd05']);
    expect(report.drillDown['disputes.litigation_direct|corrected']).toEqual(['d07']);
    expect(report.drillDown['disputes.litigation_direct|pending']).toEqual(['d09']);
    expect(report.drillDown['disputes.litigation_after_review|corrected']).toEqual(['d10']);
    expect(report.drillDown['disputes.litigation_after_review|pending']).toEqual(['d13']);
    expect(report.drillDown['disputes.litigation_after_review|total']).toEqual(['d10', 'd11', 'd12', 'd13']);
    const everywhere = Object.values(report.drillDown).flat();
    expect(everywhere).not.toContain('d03');
    expect(everywhere).not.toContain('d14');
  });

  it('places a dispute in each year it touches', () => {
    const d = (id: string): ReportDispute => {
      const found = DISPUTES.find((x) => x.disputeId === id);
      if (found === undefined) throw new Error(id);
      return found;
    };
    expect(placeDispute(2024, d('d03'))).toEqual({ group: 'review', cell: 'upheld' });
    expect(placeDispute(2025, d('d03'))).toBeNull();
    expect(placeDispute(2024, d('d02'))).toEqual({ group: 'review', cell: 'pending' });
    expect(placeDispute(2024, d('d10'))).toEqual({ group: 'litigation_after_review', cell: 'pending' });
    expect(placeDispute(2026, d('d09'))).toEqual({ group: 'litigation_direct', cell: 'upheld' });
    expect(placeDispute(2026, d('d07'))).toBeNull(); // decided 2025-12-31
    expect(placeDispute(2026, d('d13'))).toEqual({ group: 'litigation_after_review', cell: 'pending' });
    // A result without a decision date, or a decision date without a result, is still 尚未审结.
    expect(placeDispute(2025, dispute('x1', 'review', false, '2025-05-01', 'upheld', null))).toEqual({
      group: 'review',
      cell: 'pending',
    });
    expect(placeDispute(2025, dispute('x2', 'review', false, '2025-05-01', null, '2025-06-01'))).toEqual({
      group: 'review',
      cell: 'pending',
    });
    // ... and, not concluded, it is counted again the next year until the result is recorded.
    expect(placeDispute(2026, dispute('x2', 'review', false, '2025-05-01', null, '2025-06-01'))).toEqual({
      group: 'review',
      cell: 'pending',
    });
    expect(placeDispute(2026, dispute('x3', 'review', false, '2025-05-01', 'other', '2025-06-01'))).toBeNull();
  });
});

describe('the identity is a property of the counting', () => {
  it('holds for deliberately inconsistent cases', () => {
    const bad: ReportCase[] = [
      app('x1', 'business', '2025-03-01', '2024-12-01', 'disclosed'), // concluded before it was received
      app('x2', 'research', '2026-01-10', '2025-06-01', 'partial'), // concluded in 2025, received in 2026
      app('x3', 'natural_person', '2025-02-01', '2025-03-01', 'correction.corrected'), // no report row
      app('x4', 'natural_person', '2025-02-01', '2025-03-01', 'withheld'), // a family, not an outcome
      app('x5', 'citizen' as unknown as ReportCategory, '2025-02-01', null, null), // no such column
      app('x6', 'other', '2025-04-01', '2025-04-02', 'disclosed'),
      app('x6', 'other', '2025-04-01', '2025-04-02', 'disclosed'), // the same id twice
      app('x7', 'other', '2024-05-01', '2023-05-01', 'other.other'), // concluded a year before receipt
    ];
    // A reply cannot precede the application: x1 is taken as concluded on its receipt date.
    expect(rowsOf(2025, bad[0])).toEqual(['new', 'disclosed', 'total']);
    expect(rowsOf(2024, bad[0])).toEqual([]);
    expect(rowsOf(2025, bad[1])).toEqual([]);
    expect(rowsOf(2026, bad[1])).toEqual(['new', 'partial', 'total']);
    expect(rowsOf(2025, bad[2])).toBe('unknown_outcome');
    expect(rowsOf(2025, bad[3])).toBe('unknown_outcome');
    expect(rowsOf(2025, bad[4])).toBe('unknown_category');
    expect(rowsOf(2024, bad[7])).toEqual(['new', 'other', 'other.other', 'total']);

    const r = aggregateAnnualReport(2025, [...CASES, ...bad], DISPUTES);
    // By hand: on top of the fixture, new gains x1 (B), x6 twice (O); results gain x1 disclosed (B), x6 twice (O).
    expect(row(r, 'new')).toEqual([10, 4, 2, 3, 3, 4, 26]);
    expect(row(r, 'disclosed')).toEqual([2, 1, 0, 0, 0, 2, 5]);
    expect(row(r, 'total')).toEqual([11, 5, 2, 2, 2, 4, 26]);
    expect(row(r, 'carried_over')).toEqual(EXPECTED.carried_over);
    expect(row(r, 'carried_forward')).toEqual(EXPECTED.carried_forward);
    expect(r.identityHolds).toBe(true);
    expect(verifyTableSums(r)).toEqual([]);
  });

  // mulberry32: a tiny seeded PRNG so the generated set is the same on every run.
  function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function generated(seed: number, n: number): { cases: ReportCase[]; disputes: ReportDispute[] } {
    const random = prng(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
    const dayZero = Date.UTC(2023, 0, 1);
    const date = (offset: number): string => new Date(dayZero + offset * 86_400_000).toISOString().slice(0, 10);
    const outcomes: readonly string[] = [...REPORT_OUTCOMES, 'correction.corrected', 'withheld', 'bogus'];
    const cases: ReportCase[] = [];
    for (let i = 0; i < n; i++) {
      const received = int(0, 5 * 365); // 2023-01-01 … 2027-12-31
      const receivedAt = random() < 0.05 ? null : date(received);
      // Mostly after receipt; one in ten before it (inconsistent); a quarter still open.
      const concludedAt = random() < 0.25 ? null : date(received + (random() < 0.1 ? -int(1, 400) : int(0, 500)));
      cases.push(
        app(
          `g${i}`,
          pick(APPLICANT_CATEGORIES),
          receivedAt,
          concludedAt,
          concludedAt === null ? null : pick(outcomes),
          random() < 0.05 ? 'correction' : 'disclosure',
        ),
      );
    }
    const disputes: ReportDispute[] = [];
    for (let i = 0; i < n / 2; i++) {
      const filed = int(0, 5 * 365);
      const decided = random() < 0.3 ? null : date(filed + int(0, 400));
      disputes.push(
        dispute(
          `gd${i}`,
          pick(['review', 'litigation'] as const),
          random() < 0.5,
          date(filed),
          random() < 0.1 ? null : pick(['upheld', 'corrected', 'other'] as const),
          decided,
        ),
      );
    }
    return { cases, disputes };
  }

  it('holds over 200 generated cases in every year, and 四 of a year is 二 of the next', () => {
    const { cases, disputes } = generated(20250101, 200);
    const years = [2023, 2024, 2025, 2026, 2027];
    const reports = years.map((year) => aggregateAnnualReport(year, cases, disputes));
    let concludedSomewhere = 0;
    for (const r of reports) {
      expect({ year: r.year, identity: r.identity.filter((check) => !check.holds) }).toEqual({ year: r.year, identity: [] });
      expect(r.identityHolds).toBe(true);
      expect(verifyTableSums(r)).toEqual([]);
      concludedSomewhere += r.applications.total.total;
    }
    expect(concludedSomewhere).toBeGreaterThan(50); // the set is not trivially empty
    for (let i = 0; i + 1 < reports.length; i++) {
      expect(row(reports[i], 'carried_forward')).toEqual(row(reports[i + 1], 'carried_over'));
      expect([...reports[i].drillDown['carried_forward|total']].sort()).toEqual(
        [...reports[i + 1].drillDown['carried_over|total']].sort(),
      );
      // Every dispute pending at the end of a year is counted again the next year.
      for (const group of DISPUTE_GROUPS) {
        const next = reports[i + 1].drillDown[`disputes.${group}|total`];
        for (const id of reports[i].drillDown[`disputes.${group}|pending`]) expect(next).toContain(id);
      }
    }
  });

  /** The cases grouped as the service's SQL groups them: category, request type, outcome and the two class dates. */
  function classesOf(year: number, cases: readonly ReportCase[]): ReportCaseClass[] {
    const classes = new Map<string, ReportCaseClass>();
    for (const c of cases) {
      if (c.receivedAt === null) continue; // never received: the service reads only the year's received cases
      const receivedAt = yearClassDate(c.receivedAt, year);
      const conclusion = c.conclusion && { at: yearClassDate(c.conclusion.at, year), outcome: c.conclusion.outcome };
      const key = JSON.stringify([c.category, c.requestType, receivedAt, conclusion]);
      const entry = classes.get(key) ?? { category: c.category, requestType: c.requestType, receivedAt, conclusion, count: 0 };
      entry.count += 1;
      classes.set(key, entry);
    }
    return [...classes.values()];
  }

  it('places a case whose dates are replaced by their class dates in the same rows, in every year', () => {
    const { cases } = generated(20251207, 1000);
    for (const year of [2023, 2024, 2025, 2026, 2027]) {
      for (const c of cases) {
        if (c.receivedAt === null) continue;
        const reduced: ReportCase = {
          ...c,
          receivedAt: yearClassDate(c.receivedAt, year),
          conclusion: c.conclusion && { at: yearClassDate(c.conclusion.at, year), outcome: c.conclusion.outcome },
        };
        expect({ id: c.caseId, year, rows: rowsOf(year, reduced) }).toEqual({ id: c.caseId, year, rows: rowsOf(year, c) });
      }
    }
    // The edges of the year stand for themselves; the day before and after for everything beyond.
    expect(['2024-03-01', '2024-12-31', '2025-01-01', '2025-12-31', '2026-01-01', '2030-05-05'].map((d) => yearClassDate(d, 2025))).toEqual([
      '2024-12-31',
      '2024-12-31',
      '2025-01-01',
      '2025-01-01',
      '2026-01-01',
      '2026-01-01',
    ]);
    expect(() => yearClassDate('2025-03-01T00:00:00Z', 2025)).toThrow(RangeError);
  });

  it('counts classes of cases as it counts the cases, and each cell lists the cases of the classes in it', () => {
    const { cases, disputes } = generated(20251208, 1000);
    for (const year of [2024, 2025, 2026]) {
      const byCase = aggregateAnnualReport(year, cases, disputes);
      const classes = classesOf(year, cases);
      expect(classes.length).toBeLessThan(cases.length / 2);
      const { drillDown, ...figures } = byCase;
      expect(countAnnualReport(year, classes, disputes)).toEqual(figures);
      for (const [key, ids] of Object.entries(drillDown)) {
        const cell = parseCellKey(key);
        if (cell === null) throw new Error(`no cell ${key}`);
        if (cell.section === 'disputes') {
          expect({ key, ids: disputesInCell(year, disputes, cell).map((d) => d.disputeId) }).toEqual({ key, ids });
          continue;
        }
        // The cell's cases are those of its classes: the same list as the per-case drill-down, in input order.
        const inClasses = new Set(casesInCell(year, classes, cell).map((c) => JSON.stringify([c.category, c.requestType, c.receivedAt, c.conclusion])));
        const behind = cases.filter((c) => c.receivedAt !== null && inClasses.has(JSON.stringify([c.category, c.requestType, yearClassDate(c.receivedAt, year), c.conclusion && { at: yearClassDate(c.conclusion.at, year), outcome: c.conclusion.outcome }])));
        expect({ key, ids: behind.map((c) => c.caseId) }).toEqual({ key, ids });
        expect({ key, ids: casesInCell(year, cases, cell).map((c) => c.caseId) }).toEqual({ key, ids });
        expect(casesInCell(year, classes, cell).reduce((sum, c) => sum + c.count, 0)).toBe(ids.length);
      }
    }
  });

  it('reads a drill-down key back, and no other', () => {
    expect(parseCellKey('withheld.process_info|natural_person')).toEqual({ section: 'applications', row: 'withheld.process_info', column: 'natural_person' });
    expect(parseCellKey('disputes.review|corrected')).toEqual({ section: 'disputes', group: 'review', cell: 'corrected' });
    for (const key of ['__proto__', 'constructor', '__proto__|__proto__', 'new', 'new|total|total', 'withheld|nobody', 'disputes.review|total|x', 'disputes.nothing|total', 'disputes.|total']) {
      expect({ key, cell: parseCellKey(key) }).toEqual({ key, cell: null });
    }
    expect(Object.keys(emptyReport(2025).drillDown).every((key) => parseCellKey(key) !== null)).toBe(true);
  });

  it('refuses a class counted a fraction of a case', () => {
    expect(() => countAnnualReport(2025, [{ category: 'business', requestType: 'disclosure', receivedAt: '2025-01-01', conclusion: null, count: 1.5 }], [])).toThrow(RangeError);
    const { year: _year, ...zeros } = emptyFigures(2025);
    expect(countAnnualReport(2025, [], [])).toEqual({ year: 2025, ...zeros });
  });

  it('is re-checked on a stored report and catches a tampered one', () => {
    const tampered: AnnualReport = structuredClone(report);
    tampered.applications.total.business += 1;
    const check = verifyIdentity(tampered);
    expect(check.identityHolds).toBe(false);
    expect(check.identity.filter((c) => !c.holds).map((c) => c.column)).toEqual(['business']);
    expect(verifyTableSums(tampered)).toEqual([
      'total: total column 23 ≠ sum of categories 24',
      'total|business: 5 ≠ sum of result rows 4',
    ]);
  });
});

describe('edges', () => {
  it('gives an empty report of zeros with every drill-down key', () => {
    const empty = emptyReport(2025);
    expect(aggregateAnnualReport(2025, [], [])).toEqual(empty);
    expect(empty.applications.new).toEqual({
      natural_person: 0,
      business: 0,
      research: 0,
      public_interest: 0,
      legal_services: 0,
      other: 0,
      total: 0,
    });
    expect(Object.values(empty.drillDown).every((ids) => ids.length === 0)).toBe(true);
    expect(Object.keys(empty.drillDown)).toHaveLength(218);
    expect(empty.identityHolds).toBe(true);
  });

  it('refuses a bad year or a date that is not YYYY-MM-DD', () => {
    expect(() => aggregateAnnualReport(2025.5, [], [])).toThrow(RangeError);
    expect(() => emptyReport(99)).toThrow(RangeError);
    expect(() => aggregateAnnualReport(2025, [app('t1', 'business', '2025/03/01', null, null)], [])).toThrow(RangeError);
    // A timestamp would compare after '2025-12-31' as a string: refused rather than miscounted.
    expect(() =>
      aggregateAnnualReport(2025, [app('t2', 'business', '2025-03-01', '2025-12-31T20:00:00Z', 'disclosed')], []),
    ).toThrow(RangeError);
    expect(() => aggregateAnnualReport(2025, [], [dispute('t3', 'review', false, '20250301', null, null)])).toThrow(
      RangeError,
    );
  });

  it('does not mutate its input', () => {
    const cases = structuredClone(CASES);
    const disputes = structuredClone(DISPUTES);
    aggregateAnnualReport(2025, cases, disputes);
    expect(cases).toEqual(CASES);
    expect(disputes).toEqual(DISPUTES);
  });
});
