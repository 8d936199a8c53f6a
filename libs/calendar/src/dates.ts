/**
 * Calendar-date helpers. rules.md §2: dates are calendar dates in Asia/Shanghai, carried as 'YYYY-MM-DD'.
 * All arithmetic goes through integer day numbers (days since 1970-01-01, UTC midnight), so the host
 * time zone never changes a result.
 */

/** A calendar date in Asia/Shanghai, 'YYYY-MM-DD'. */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Strict 'YYYY-MM-DD' that names a real day (2025-02-29 is rejected). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE_PATTERN.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** Throws a RangeError naming the argument unless `value` is a valid IsoDate. */
export function assertIsoDate(value: unknown, label = 'date'): asserts value is IsoDate {
  if (!isIsoDate(value)) {
    throw new RangeError(`${label} must be a real calendar date in YYYY-MM-DD form, got ${describe(value)}`);
  }
}

/** Days since 1970-01-01 (negative before it). */
export function isoDateToDayNumber(date: IsoDate): number {
  assertIsoDate(date);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 onto 1900–1999.
  const utc = new Date(0);
  utc.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.round(utc.getTime() / MS_PER_DAY);
}

/** Inverse of isoDateToDayNumber; throws outside years 0000–9999, which 'YYYY' cannot carry. */
export function dayNumberToIsoDate(dayNumber: number): IsoDate {
  if (!Number.isSafeInteger(dayNumber)) {
    throw new RangeError(`day number must be an integer, got ${describe(dayNumber)}`);
  }
  const utc = new Date(dayNumber * MS_PER_DAY);
  const year = utc.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new RangeError(`day number ${dayNumber} falls outside years 0000–9999`);
  }
  return `${pad(year, 4)}-${pad(utc.getUTCMonth() + 1, 2)}-${pad(utc.getUTCDate(), 2)}`;
}

/** `date` moved by `days` calendar days (negative moves back). */
export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isSafeInteger(days)) {
    throw new RangeError(`days must be an integer, got ${describe(days)}`);
  }
  return dayNumberToIsoDate(isoDateToDayNumber(date) + days);
}

/** -1, 0 or 1, for sorting. Valid IsoDates order lexically, but both are validated first. */
export function compareIsoDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  assertIsoDate(a, 'a');
  assertIsoDate(b, 'b');
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  // Day 0 (1970-01-01) was a Thursday.
  return (((isoDateToDayNumber(date) + 4) % 7) + 7) % 7;
}

const SHANGHAI_DATE_FORMAT = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const SHANGHAI_FIXED_OFFSET_SINCE = Date.UTC(1992, 0, 1);

/** Today's date in Asia/Shanghai at instant `now` (rules.md §2: every date is a Shanghai calendar date). */
export function todayInShanghai(now: Date = new Date()): IsoDate {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new RangeError(`now must be a valid Date, got ${describe(now)}`);
  }
  // China has kept UTC+8 without daylight saving since 1991 (tz database, Asia/Shanghai): from then on the date is the
  // UTC date eight hours on — a few string operations instead of Intl's, which a step asks for several times.
  if (now.getTime() >= SHANGHAI_FIXED_OFFSET_SINCE) return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  const parts = SHANGHAI_DATE_FORMAT.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  const iso = `${pad(part('year'), 4)}-${pad(part('month'), 2)}-${pad(part('day'), 2)}`;
  assertIsoDate(iso, 'formatted Shanghai date');
  return iso;
}

/** '2025-09-26' → '2025年9月26日', the form used in letters (no leading zeros). */
export function isoDateToChinese(date: IsoDate): string {
  assertIsoDate(date);
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** The calendar year of `date`. */
export function yearOf(date: IsoDate): number {
  assertIsoDate(date);
  return Number(date.slice(0, 4));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  return String(value);
}
