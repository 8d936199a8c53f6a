/**
 * 信息处理费 calculator. rules.md §5: Art. 42 of the 2019 《政府信息公开条例》 and
 * 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）.
 *
 * No fee as a rule: a fee is charged only when an applicant's volume or frequency clearly exceeds a
 * reasonable range. Whether to charge at all is the agency's decision, not this module's; this module only
 * prices a decision already taken. Per application exactly ONE method applies (按件 or 按量, never both),
 * and both are progressive (超额累进): every unit is priced by the band it falls in.
 *
 * Pure and dependency-free. Money is summed in integer 分 internally so no floating-point drift reaches
 * an amount; tariffs are data (PER_PAGE_BANDS, PER_ITEM_TARIFF) and every function takes a replacement.
 */

/** 按件计收 (per item) or 按量计收 (per page). */
export type FeeMethod = 'per_item' | 'per_page';

/** One band of a progressive tariff: units `from`…`to` inclusive (`to: null` = open-ended), at `yuanPerUnit` each. */
export interface FeeBand {
  readonly from: number;
  readonly to: number | null;
  readonly yuanPerUnit: number;
}

/** A band with a finite upper bound. */
export interface ClosedFeeBand extends FeeBand {
  readonly to: number;
}

/** One line of the fee notice's 计算过程: one band actually charged (free bands produce no line). */
export interface FeeLine {
  from: number;
  to: number;
  units: number;
  yuanPerUnit: number;
  amountYuan: number;
}

export interface FeeQuote {
  method: FeeMethod;
  amountYuan: number;
  lines: FeeLine[];
  /** 收费依据. */
  basis: string;
  /** 收费标准: one-line summary of the tariff used. */
  standard: string;
  /** 计算过程: the arithmetic, in Chinese. */
  explanation: string;
}

/**
 * The per-item tariff (按件). 109号: within one calendar month, items 1–`freeItems` are free; `firstBand`
 * is the first paid band; after it, bands of `bandSize` items each cost `bandIncrementYuan` per item more
 * than the band before.
 */
export interface PerItemTariff {
  readonly freeItems: number;
  readonly firstBand: ClosedFeeBand;
  readonly bandSize: number;
  readonly bandIncrementYuan: number;
}

/** Largest count of pages or items accepted; anything above is treated as an input error. */
export const MAX_FEE_UNITS = 1_000_000;

export const FEE_BASIS =
  '《中华人民共和国政府信息公开条例》第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）';

/**
 * 按量计收 (rules.md §5), only for paper copies, email or copied electronic data:
 * pages 1–30 free; 31–100 at 10 元/page; 101–200 at 20 元/page; from 201 at 40 元/page.
 */
export const PER_PAGE_BANDS: readonly FeeBand[] = Object.freeze([
  Object.freeze({ from: 1, to: 30, yuanPerUnit: 0 }),
  Object.freeze({ from: 31, to: 100, yuanPerUnit: 10 }),
  Object.freeze({ from: 101, to: 200, yuanPerUnit: 20 }),
  Object.freeze({ from: 201, to: null, yuanPerUnit: 40 }),
]);

/** Items free per applicant per calendar month (按件, rules.md §5). */
export const PER_ITEM_FREE = 10;

/**
 * 按件计收 (rules.md §5): items 1–10 free; 11–30 at 100 元; from 31, bands of 10, each 100 元/item more than
 * the one before (31–40: 200, 41–50: 300, 51–60: 400, …). The band reading is marked [verify] in the
 * spec: change it here, or pass another tariff.
 */
export const PER_ITEM_TARIFF: PerItemTariff = Object.freeze({
  freeItems: PER_ITEM_FREE,
  firstBand: Object.freeze({ from: 11, to: 30, yuanPerUnit: 100 }),
  bandSize: 10,
  bandIncrementYuan: 100,
});

// ---------------------------------------------------------------------------------------------------------
// Validation

function assertCount(value: number, min: number, zh: string, en: string): void {
  if (!Number.isInteger(value) || value < min || value > MAX_FEE_UNITS) {
    throw new RangeError(
      `${zh}必须是${min}至${MAX_FEE_UNITS}之间的整数 / ${en} must be an integer from ${min} to ${MAX_FEE_UNITS}, got ${String(value)}`,
    );
  }
}

/** Amounts are in 元 with at most two decimals (分); returns the amount in 分. */
function toFen(yuan: number, label: string): number {
  const fen = Math.round(yuan * 100);
  if (!Number.isFinite(yuan) || yuan < 0 || Math.abs(yuan * 100 - fen) > 1e-6 || !Number.isSafeInteger(fen)) {
    throw new RangeError(
      `收费标准中的金额必须是非负且最多两位小数的元数 / ${label} must be a non-negative amount in yuan with at most two decimals, got ${String(yuan)}`,
    );
  }
  return fen;
}

function badTable(zh: string, en: string): RangeError {
  return new RangeError(`收费标准表无效：${zh} / invalid fee band table: ${en}`);
}

/** A band table must start at unit 1, be contiguous and ascending, and end with one open-ended band. */
function assertBandTable(bands: readonly FeeBand[]): void {
  if (bands.length === 0) throw badTable('不能为空', 'it is empty');
  let expectedFrom = 1;
  bands.forEach((band, i) => {
    if (band.from !== expectedFrom) {
      throw badTable(`第${i + 1}档应从第${expectedFrom}起`, `band ${i + 1} must start at ${expectedFrom}, got ${band.from}`);
    }
    toFen(band.yuanPerUnit, `band ${i + 1} yuanPerUnit`);
    const last = i === bands.length - 1;
    if (band.to === null) {
      if (!last) throw badTable('只有最后一档可以不设上限', `only the last band may be open-ended (band ${i + 1} is)`);
      return;
    }
    if (last) throw badTable('最后一档必须不设上限', 'the last band must be open-ended (to: null)');
    if (!Number.isSafeInteger(band.to) || band.to < band.from) {
      throw badTable(`第${i + 1}档的上限无效`, `band ${i + 1} has an invalid upper bound ${String(band.to)}`);
    }
    expectedFrom = band.to + 1;
  });
}

function badTariff(zh: string, en: string): RangeError {
  return new RangeError(`按件收费标准无效：${zh} / invalid per-item tariff: ${en}`);
}

function assertTariff(t: PerItemTariff): void {
  if (!Number.isInteger(t.freeItems) || t.freeItems < 0) {
    throw badTariff('免费件数必须是非负整数', `freeItems must be a non-negative integer, got ${String(t.freeItems)}`);
  }
  if (t.firstBand.from !== t.freeItems + 1) {
    throw badTariff(
      '第一个收费档必须紧接免费件数',
      `firstBand.from must be freeItems + 1 = ${t.freeItems + 1}, got ${String(t.firstBand.from)}`,
    );
  }
  if (!Number.isSafeInteger(t.firstBand.to) || t.firstBand.to < t.firstBand.from) {
    throw badTariff('第一个收费档的上限无效', `firstBand.to is invalid: ${String(t.firstBand.to)}`);
  }
  if (!Number.isInteger(t.bandSize) || t.bandSize < 1) {
    throw badTariff('每档件数必须是正整数', `bandSize must be a positive integer, got ${String(t.bandSize)}`);
  }
  toFen(t.firstBand.yuanPerUnit, 'firstBand.yuanPerUnit');
  toFen(t.bandIncrementYuan, 'bandIncrementYuan');
}

// ---------------------------------------------------------------------------------------------------------
// Progressive arithmetic shared by both methods

/** Price units `start`…`end` (inclusive) against `bandAt`; one FeeLine per paid band touched. */
function progressive(start: number, end: number, bandAt: (unit: number) => FeeBand): { fen: number; lines: FeeLine[] } {
  const lines: FeeLine[] = [];
  let fen = 0;
  for (let unit = start; unit <= end; ) {
    const band = bandAt(unit);
    const to = band.to === null ? end : Math.min(end, band.to);
    const units = to - unit + 1;
    const lineFen = toFen(band.yuanPerUnit, 'yuanPerUnit') * units;
    if (lineFen > 0) {
      lines.push({ from: unit, to, units, yuanPerUnit: band.yuanPerUnit, amountYuan: lineFen / 100 });
      fen += lineFen;
    }
    unit = to + 1;
  }
  if (!Number.isSafeInteger(fen)) {
    throw new RangeError(`收费金额超出可计算范围 / fee amount is too large to compute exactly`);
  }
  return { fen, lines };
}

/** '4700' for whole yuan, '12.50' otherwise. */
function yuanText(fen: number): string {
  return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2);
}

function rangeText(from: number, to: number): string {
  return from === to ? `第${from}` : `第${from}—${to}`;
}

function lineText(line: FeeLine, unit: string): string {
  return `${rangeText(line.from, line.to)}${unit}${line.units}${unit}×${yuanText(toFen(line.yuanPerUnit, 'yuanPerUnit'))}元=${yuanText(Math.round(line.amountYuan * 100))}元`;
}

function explanationText(prefix: string, lines: readonly FeeLine[], fen: number, unit: string): string {
  const body = lines.length === 0 ? '均在免费范围内，不收费' : lines.map((l) => lineText(l, unit)).join('；');
  return `${prefix}：${body}；合计${yuanText(fen)}元`;
}

// ---------------------------------------------------------------------------------------------------------
// 按量 (per page)

function perPageStandard(bands: readonly FeeBand[]): string {
  const parts = bands.map((b) => {
    const price = b.yuanPerUnit === 0 ? '免费' : `每页${yuanText(toFen(b.yuanPerUnit, 'yuanPerUnit'))}元`;
    if (b.to === null) return `${b.from - 1}页以上${price}`;
    if (b.from === 1 && b.yuanPerUnit === 0) return `${b.to}页（含）以内免费`;
    return `${b.from === b.to ? `第${b.from}` : `${b.from}—${b.to}`}页${price}`;
  });
  return `按量计收：${parts.join('；')}`;
}

/**
 * 按量计收 for one application of `pages` pages in total (paper copies, email or copied electronic data only).
 * Example (rules.md §5): 250 pages = 70×10 + 100×20 + 50×40 = 4700 元.
 */
export function quotePerPage(pages: number, bands: readonly FeeBand[] = PER_PAGE_BANDS): FeeQuote {
  assertCount(pages, 0, '页数', 'pages');
  assertBandTable(bands);
  const bandAt = (page: number): FeeBand => {
    const band = bands.find((b) => b.to === null || page <= b.to); // table is contiguous from 1 and ascending
    if (band === undefined) throw badTable('未覆盖该页', `no band covers page ${page}`); // unreachable once validated
    return band;
  };
  const { fen, lines } = progressive(1, pages, bandAt);
  return {
    method: 'per_page',
    amountYuan: fen / 100,
    lines,
    basis: FEE_BASIS,
    standard: perPageStandard(bands),
    explanation: explanationText(`共${pages}页`, lines, fen, '页'),
  };
}

// ---------------------------------------------------------------------------------------------------------
// 按件 (per item)

/**
 * The band the `itemNumber`-th item of the month falls in (1-based): the free band 1–freeItems (0 元),
 * the first paid band, or the n-th band of `bandSize` after it at firstBand + n × bandIncrementYuan.
 */
export function perItemBandFor(itemNumber: number, tariff: PerItemTariff = PER_ITEM_TARIFF): ClosedFeeBand {
  if (!Number.isSafeInteger(itemNumber) || itemNumber < 1) {
    throw new RangeError(`件序号必须是正整数 / itemNumber must be a positive integer, got ${String(itemNumber)}`);
  }
  assertTariff(tariff);
  const { freeItems, firstBand, bandSize, bandIncrementYuan } = tariff;
  if (itemNumber <= freeItems) return { from: 1, to: freeItems, yuanPerUnit: 0 };
  if (itemNumber <= firstBand.to) return { from: firstBand.from, to: firstBand.to, yuanPerUnit: firstBand.yuanPerUnit };
  const n = Math.floor((itemNumber - firstBand.to - 1) / bandSize); // 0 for the first band after firstBand
  const from = firstBand.to + 1 + n * bandSize;
  const fen = toFen(firstBand.yuanPerUnit, 'firstBand.yuanPerUnit') + (n + 1) * toFen(bandIncrementYuan, 'bandIncrementYuan');
  return { from, to: from + bandSize - 1, yuanPerUnit: fen / 100 };
}

function perItemStandard(t: PerItemTariff): string {
  const price = (b: FeeBand): string => `每件${yuanText(toFen(b.yuanPerUnit, 'yuanPerUnit'))}元`;
  const first = t.firstBand;
  const next1 = perItemBandFor(first.to + 1, t);
  const next2 = perItemBandFor(next1.to + 1, t);
  const parts = [
    ...(t.freeItems > 0 ? [`${t.freeItems}件（含）以内免费`] : []),
    `${first.from}—${first.to}件${price(first)}`,
    `${first.to}件以上以${t.bandSize}件为一档，每增加一档每件提高${yuanText(toFen(t.bandIncrementYuan, 'bandIncrementYuan'))}元` +
      `（${next1.from}—${next1.to}件${price(next1)}，${next2.from}—${next2.to}件${price(next2)}，依此类推）`,
  ];
  return `按件计收（同一申请人一个自然月内累计件数）：${parts.join('；')}`;
}

/**
 * 按件计收. Items are numbered consecutively across the applicant's calendar month; this application's items are
 * numbers itemsBeforeThisMonth + 1 … itemsBeforeThisMonth + itemsInThisApplication (after 一事一申请 splitting,
 * so at least 1).
 */
export function quotePerItem(
  itemsBeforeThisMonth: number,
  itemsInThisApplication: number,
  tariff: PerItemTariff = PER_ITEM_TARIFF,
): FeeQuote {
  assertCount(itemsBeforeThisMonth, 0, '本月此前已申请件数', 'itemsBeforeThisMonth');
  assertCount(itemsInThisApplication, 1, '本次申请件数', 'itemsInThisApplication');
  assertTariff(tariff);
  const first = itemsBeforeThisMonth + 1;
  const last = itemsBeforeThisMonth + itemsInThisApplication;
  const { fen, lines } = progressive(first, last, (item) => perItemBandFor(item, tariff));
  const prefix = `本自然月内此前已申请${itemsBeforeThisMonth}件，本次申请计${itemsInThisApplication}件（本月${rangeText(first, last)}件）`;
  return {
    method: 'per_item',
    amountYuan: fen / 100,
    lines,
    basis: FEE_BASIS,
    standard: perItemStandard(tariff),
    explanation: explanationText(prefix, lines, fen, '件'),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Dispatch

export type FeeQuoteInput =
  | { method: 'per_page'; pages: number }
  | { method: 'per_item'; itemsBeforeThisMonth: number; items: number };

/** One method per application (rules.md §5): the input names which. Default tariffs. */
export function quote(input: FeeQuoteInput): FeeQuote {
  switch (input.method) {
    case 'per_page':
      return quotePerPage(input.pages);
    case 'per_item':
      return quotePerItem(input.itemsBeforeThisMonth, input.items);
    default: {
      const unknown: never = input;
      throw new RangeError(`未知的收费方式 / unknown fee method: ${JSON.stringify(unknown)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Monthly item count (按件 counts per applicant per calendar month)

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Strict 'YYYY-MM-DD' naming a real day (2024-02-29 passes, 2025-02-29 does not). */
function assertReceiptDate(value: string, label: string): void {
  const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  const ok = m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 &&
    Number(m[3]) <= daysInMonth(Number(m[1]), Number(m[2]));
  if (!ok) {
    throw new RangeError(
      `${label}必须是YYYY-MM-DD格式的真实日期 / ${label} must be a real date in YYYY-MM-DD form, got ${String(value)}`,
    );
  }
}

/**
 * How many items the applicant already had earlier in the same calendar month as `receivedAt` (the
 * `itemsBeforeThisMonth` of quotePerItem).
 *
 * Rule: counts every entry of `receiptDates` in the same calendar month (same YYYY-MM) as `receivedAt`
 * with a date on or before `receivedAt`. Same-day entries count as earlier, so the caller must pass only the
 * applicant's OTHER applications registered before this one (never this one, never later ones). Pass one
 * entry per item: repeat the date for an earlier application that was counted as several items.
 * Dates are calendar dates 'YYYY-MM-DD' (Asia/Shanghai); no time zone arithmetic is involved.
 */
export function itemsEarlierInMonth(receiptDates: readonly string[], receivedAt: string): number {
  assertReceiptDate(receivedAt, 'receivedAt');
  const month = receivedAt.slice(0, 7);
  let count = 0;
  for (const date of receiptDates) {
    assertReceiptDate(date, 'receiptDates');
    if (date.slice(0, 7) === month && date <= receivedAt) count += 1; // fixed-width ISO strings compare by date
  }
  return count;
}
