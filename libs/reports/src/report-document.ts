/**
 * 政府信息公开工作年度报告 as a document (国办公开办函〔2021〕30号, six sections): the checks the tables must pass before
 * export, with every cell that breaks one, and the figures of section 一 (总体情况) and 六 (信息处理费).
 * Pure: the figures come in, words and numbers go out.
 */
import {
  APPLICANT_CATEGORIES,
  APPLICANT_COLUMNS,
  COLUMN_LABELS,
  DISPUTE_CELL_LABELS,
  DISPUTE_GROUP_LABELS,
  DISPUTE_GROUPS,
  REPORT_OUTCOMES,
  RESULT_FAMILIES,
  RESULT_TOP_ROWS,
  ROW_LABELS,
  type AnnualReportFigures,
  type ReportColumn,
  type ReportRow,
} from './annual-report';

/** One identity of the tables that does not hold: in words, with the cells on each side (their drill-down keys). */
export interface ReportBreach {
  identity: string;
  /** The cell the others should sum to. */
  cell: string;
  value: number;
  /** The cells it should equal the sum of. */
  parts: string[];
  sum: number;
}

const appKey = (row: ReportRow, column: ReportColumn) => `${row}|${column}`;
const cellName = (row: ReportRow, column: ReportColumn) => `${ROW_LABELS[row]}·${COLUMN_LABELS[column]}`;

/**
 * The national tables' own identities (rules.md §8), each checked cell by cell:
 * - 一 + 二 = 三（七） + 四 in every column (the corner note of section 三);
 * - every family row （三）–（六） equals the sum of its items, and （七） the sum of （一）–（六）, in every column;
 * - every row's 总计 column equals the sum of the six applicant columns;
 * - section 四: each group's 总计 equals 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
 */
export function reportBreaches(report: Pick<AnnualReportFigures, 'applications' | 'disputes'>): ReportBreach[] {
  const a = report.applications;
  const breaches: ReportBreach[] = [];
  const check = (identity: string, cell: string, value: number, parts: { key: string; value: number }[]) => {
    const sum = parts.reduce((total, part) => total + part.value, 0);
    if (sum !== value) breaches.push({ identity, cell, value, parts: parts.map((part) => part.key), sum });
  };
  for (const column of APPLICANT_COLUMNS) {
    // 一 + 二 = 三（七） + 四: checked as （七） = 一 + 二 − 四, naming （七）'s cell.
    const expected = a.new[column] + a.carried_over[column] - a.carried_forward[column];
    if (expected !== a.total[column]) {
      breaches.push({
        identity: `${COLUMN_LABELS[column]}列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度`,
        cell: appKey('total', column),
        value: a.total[column],
        parts: [appKey('new', column), appKey('carried_over', column), appKey('carried_forward', column)],
        sum: expected,
      });
    }
    for (const family of RESULT_FAMILIES) {
      const items = REPORT_OUTCOMES.filter((outcome) => outcome.startsWith(`${family}.`));
      check(`${cellName(family, column)} 应等于其各小项之和`, appKey(family, column), a[family][column], items.map((item) => ({ key: appKey(item, column), value: a[item][column] })));
    }
    check(`${cellName('total', column)} 应等于（一）至（六）之和`, appKey('total', column), a.total[column], RESULT_TOP_ROWS.map((row) => ({ key: appKey(row, column), value: a[row][column] })));
  }
  for (const row of Object.keys(a) as ReportRow[]) {
    check(`${ROW_LABELS[row]} 的总计应等于各类申请人之和`, appKey(row, 'total'), a[row].total, APPLICANT_CATEGORIES.map((column) => ({ key: appKey(row, column), value: a[row][column] })));
  }
  for (const group of DISPUTE_GROUPS) {
    const cells = report.disputes[group];
    check(
      `${DISPUTE_GROUP_LABELS[group]}的总计应等于${['upheld', 'corrected', 'other', 'pending'].map((cell) => DISPUTE_CELL_LABELS[cell as 'upheld']).join('、')}之和`,
      `disputes.${group}|total`,
      cells.total,
      (['upheld', 'corrected', 'other', 'pending'] as const).map((cell) => ({ key: `disputes.${group}|${cell}`, value: cells[cell] })),
    );
  }
  return breaches;
}

/** The label of a drill-down key, as the tables print it. */
export function cellLabel(key: string): string {
  const [left, right] = key.split('|');
  if (left.startsWith('disputes.')) {
    const group = left.slice('disputes.'.length) as keyof typeof DISPUTE_GROUP_LABELS;
    return `${DISPUTE_GROUP_LABELS[group] ?? group}·${DISPUTE_CELL_LABELS[right as keyof typeof DISPUTE_CELL_LABELS] ?? right}`;
  }
  return cellName(left as ReportRow, right as ReportColumn);
}

/** 信息处理费 of the year (国办函〔2020〕109号; the report's section 六). Amounts in yuan. */
export interface FeeFigures {
  noticesSent: number;
  amountCharged: number;
  paymentsReceived: number;
  amountCollected: number;
}

/** A rate as the report prints it: 33.3%, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): string | null {
  if (!whole) return null;
  return `${(Math.round((part / whole) * 1000) / 10).toFixed(1).replace(/\.0$/, '')}%`;
}

const yuan = (amount: number) => `${amount.toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 })}元`;

/**
 * Section 一's paragraph of figures: received, carried over, concluded by outcome, carried forward, the change on the
 * year before, and the disputes with their correction rate (corrected ÷ concluded, rules.md §7).
 */
export function overviewParagraph(year: number, report: AnnualReportFigures, previous: AnnualReportFigures | null): string {
  const t = (row: ReportRow) => report.applications[row].total;
  const received = t('new');
  let change = '';
  if (previous) {
    const before = previous.applications.new.total;
    const difference = received - before;
    const rate = percent(Math.abs(difference), before);
    change =
      difference === 0
        ? `，与上年（${before}件）持平`
        : `，比上年（${before}件）${difference > 0 ? '增加' : '减少'}${Math.abs(difference)}件${rate ? `（${difference > 0 ? '增长' : '下降'}${rate}）` : ''}`;
  }
  const review = report.disputes.review;
  const litigation = { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 };
  for (const group of ['litigation_direct', 'litigation_after_review'] as const) {
    for (const cell of Object.keys(litigation) as (keyof typeof litigation)[]) litigation[cell] += report.disputes[group][cell];
  }
  const disputeSentence = (name: string, cells: typeof litigation) => {
    const concluded = cells.upheld + cells.corrected + cells.other;
    const rate = percent(cells.corrected, concluded);
    return `${name}${cells.total}件${concluded ? `，已审结${concluded}件，其中结果纠正${cells.corrected}件，纠错率${rate}` : '，均未审结'}${cells.pending && concluded ? `，尚未审结${cells.pending}件` : ''}`;
  };
  return (
    `${year}年，本机关新收政府信息公开申请${received}件${change}；上年结转${t('carried_over')}件。` +
    `本年度办理结果共${t('total')}件，其中予以公开${t('disclosed')}件，部分公开${t('partial')}件，不予公开${t('withheld')}件，无法提供${t('unavailable')}件，不予处理${t('not_processed')}件，其他处理${t('other')}件；结转下年度继续办理${t('carried_forward')}件。` +
    `本年度涉及政府信息公开的${disputeSentence('行政复议', { ...review })}；${disputeSentence('行政诉讼', litigation)}。`
  );
}

/** Section 六's paragraph on 信息处理费. */
export function feeParagraph(fees: FeeFigures): string {
  if (!fees.noticesSent && !fees.paymentsReceived) return '本年度本机关未收取信息处理费，未发出收费通知。';
  return `本年度本机关依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知${fees.noticesSent}件，金额合计${yuan(fees.amountCharged)}；实际收取信息处理费${fees.paymentsReceived}件，金额合计${yuan(fees.amountCollected)}。`;
}
