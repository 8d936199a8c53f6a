import type { CalendarYearData } from './calendar-data';
import {
  assertIsoDate,
  dayNumberToIsoDate,
  isIsoDate,
  isoDateToDayNumber,
  type IsoDate,
} from './dates';

/** A date reached by counting; `provisional` when any day classified on the way lies in an unpublished year. */
export interface WorkingDateResult {
  date: IsoDate;
  provisional: boolean;
}

/** A count of working days; `provisional` as for WorkingDateResult. */
export interface WorkingDayCountResult {
  count: number;
  provisional: boolean;
}

/** How one day is classified. */
export interface WorkingDayStatus {
  working: boolean;
  /** rules.md §2: the day's year is not published, so it was classified on Mon–Fri alone. */
  provisional: boolean;
  /** Set when the day lies inside an official holiday range. */
  holidayName?: string;
  /** Set when the day is a weekend day made a working day (调休上班): the holiday it makes up for. */
  makeupWorkdayFor?: string;
}

interface DayEntry {
  kind: 'holiday' | 'workday';
  name: string;
}

/**
 * Working-day arithmetic over the official calendar (rules.md §2). Pure and immutable: build a new instance when the
 * calendar data changes.
 */
export class WorkingDayCalendar {
  private readonly published: ReadonlySet<number>;
  /** Holiday and 调休 entries of published years, by day number. */
  private readonly entries: ReadonlyMap<number, DayEntry>;

  constructor(years: readonly CalendarYearData[]) {
    const problems = validateCalendarData(years);
    if (problems.length > 0) {
      throw new RangeError(`invalid calendar data: ${problems.join('; ')}`);
    }
    this.published = new Set(years.filter((y) => y.published).map((y) => y.year));
    const entries = new Map<number, DayEntry>();
    for (const y of years) {
      // rules.md §2: an unpublished year proceeds on plain Mon–Fri, so a draft's entries are not applied.
      if (!y.published) continue;
      for (const h of y.holidays) entries.set(isoDateToDayNumber(h.date), { kind: 'holiday', name: h.name });
      for (const w of y.workdays) entries.set(isoDateToDayNumber(w.date), { kind: 'workday', name: w.name });
    }
    this.entries = entries;
  }

  /** Whether `year`'s notice is in the calendar and published. */
  isPublished(year: number): boolean {
    return this.published.has(year);
  }

  /** The published years, ascending. */
  publishedYears(): number[] {
    return [...this.published].sort((a, b) => a - b);
  }

  isWorkingDay(date: IsoDate): WorkingDayStatus {
    assertIsoDate(date, 'date');
    return this.classify(isoDateToDayNumber(date));
  }

  /**
   * The n-th working day strictly after `from` (rules.md §2: day 0 is not counted, even on a working day; a period of
   * n working days ends on the n-th). n = 0 returns `from` itself, classifying nothing.
   */
  addWorkingDays(from: IsoDate, n: number): WorkingDateResult {
    assertIsoDate(from, 'from');
    assertCount(n);
    let day = isoDateToDayNumber(from);
    let provisional = false;
    for (let counted = 0; counted < n; ) {
      day = nextDay(day);
      const status = this.classify(day);
      provisional ||= status.provisional;
      if (status.working) counted += 1;
    }
    return { date: dayNumberToIsoDate(day), provisional };
  }

  /**
   * Working days in the half-open interval (a, b]; when b < a, minus the working days in (b, a]. Used for "working days
   * left", which goes negative once a case is overdue (rules.md §3).
   */
  workingDaysBetween(a: IsoDate, b: IsoDate): WorkingDayCountResult {
    assertIsoDate(a, 'a');
    assertIsoDate(b, 'b');
    const start = isoDateToDayNumber(a);
    const end = isoDateToDayNumber(b);
    const forward = start <= end;
    const [low, high] = forward ? [start, end] : [end, start];
    let count = 0;
    let provisional = false;
    for (let day = low + 1; day <= high; day += 1) {
      const status = this.classify(day);
      provisional ||= status.provisional;
      if (status.working) count += 1;
    }
    // Never -0: it would fail Object.is / toBe(0) checks downstream.
    return { count: forward || count === 0 ? count : -count, provisional };
  }

  /**
   * `date` if it is a working day, else the first working day after it: a period counted in calendar days whose last
   * day falls on a holiday or weekend ends on the next working day (民事诉讼法 Art. 85).
   */
  nextWorkingDayOnOrAfter(date: IsoDate): WorkingDateResult {
    assertIsoDate(date, 'date');
    let day = isoDateToDayNumber(date);
    let status = this.classify(day);
    let provisional = status.provisional;
    while (!status.working) {
      day = nextDay(day);
      status = this.classify(day);
      provisional ||= status.provisional;
    }
    return { date: dayNumberToIsoDate(day), provisional };
  }

  private classify(dayNumber: number): WorkingDayStatus {
    const day = new Date(dayNumber * 86_400_000);
    const year = day.getUTCFullYear();
    const provisional = !this.published.has(year);
    const entry = this.entries.get(dayNumber);
    if (entry?.kind === 'holiday') return { working: false, provisional, holidayName: entry.name };
    // rules.md §3: the fixed statutory holidays are days off in every year, whatever the notice says or whether it is out.
    const fixed = fixedHolidayOn(year, day.getUTCMonth() + 1, day.getUTCDate());
    if (fixed) return { working: false, provisional, holidayName: fixed };
    if (entry?.kind === 'workday') return { working: true, provisional, makeupWorkdayFor: entry.name };
    const weekday = (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 (day 0) was a Thursday
    return { working: weekday !== 0 && weekday !== 6, provisional };
  }
}

/**
 * The holidays 《全国年节及纪念日放假办法》 fixes by date (Art. 2): 元旦 1月1日, 劳动节 5月1日 (and 5月2日 since the 2024
 * revision, 国务院令第795号, in force 2025-01-01), 国庆节 10月1日至3日. They are days off in any year, published or not;
 * the lunar holidays (春节, 清明, 端午, 中秋) move and come only from the yearly notice. Null for any other date.
 */
export function fixedStatutoryHoliday(date: IsoDate): string | null {
  assertIsoDate(date, 'date');
  return fixedHolidayOn(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

function fixedHolidayOn(year: number, month: number, day: number): string | null {
  if (month === 1 && day === 1) return '元旦';
  if (month === 5 && (day === 1 || (day === 2 && year >= 2025))) return '劳动节';
  if (month === 10 && day >= 1 && day <= 3) return '国庆节';
  return null;
}

/**
 * Every problem in `years` as a message; empty when the data is usable. Lets an administrator's edit be checked before
 * it is saved; the constructor throws on the same problems.
 */
// The messages reach the administrator who entered the notice (the calendar editor, PUT /api/calendar/{year}).
const LIST_LABELS = { holidays: '放假日期', workdays: '调休上班日期' } as const;

export function validateCalendarData(years: readonly CalendarYearData[]): string[] {
  const problems: string[] = [];
  const seenYears = new Set<number>();
  const seenDates = new Map<IsoDate, number>();
  for (const y of years) {
    if (!Number.isSafeInteger(y.year) || y.year < 1 || y.year > 9999) {
      problems.push(`年份“${String(y.year)}”不是四位数的年份`);
      continue;
    }
    if (seenYears.has(y.year)) problems.push(`${y.year} 年的安排出现了不止一次`);
    seenYears.add(y.year);
    const check = (date: IsoDate, list: 'holidays' | 'workdays', name: string): void => {
      if (!isIsoDate(date)) {
        problems.push(`${y.year} 年${LIST_LABELS[list]}：“${String(date)}”不是有效日期（年-月-日）`);
        return;
      }
      const entryYear = Number(date.slice(0, 4));
      // A notice may reach back into the previous December (元旦 ranges), never further.
      if (entryYear !== y.year && entryYear !== y.year - 1) {
        problems.push(`${y.year} 年${LIST_LABELS[list]}：${date} 不在 ${y.year - 1} 年至 ${y.year} 年之内`);
      }
      if (name.trim() === '') problems.push(`${y.year} 年${LIST_LABELS[list]}：${date} 没有写节日名称`);
      const dow = (((isoDateToDayNumber(date) + 4) % 7) + 7) % 7;
      // rules.md §2: 调休上班 turns a weekend day into a working day; a weekday in the list is a data error.
      if (list === 'workdays' && dow !== 0 && dow !== 6) {
        problems.push(`${y.year} 年调休上班日期：${date} 是星期${'日一二三四五六'[dow]}，调休上班日只能是周六或周日`);
      }
      const fixed = list === 'workdays' ? fixedStatutoryHoliday(date) : null;
      if (fixed) problems.push(`${y.year} 年调休上班日期：${date} 是${fixed}，法定节日不能调为上班`);
      const earlier = seenDates.get(date);
      if (earlier === y.year) problems.push(`${y.year} 年的安排中 ${date} 列出了不止一次（如既列为放假又列为上班）`);
      else if (earlier !== undefined) problems.push(`${date} 同时列入了 ${earlier} 年和 ${y.year} 年的安排`);
      seenDates.set(date, y.year);
    };
    for (const h of y.holidays) check(h.date, 'holidays', h.name);
    for (const w of y.workdays) check(w.date, 'workdays', w.name);
  }
  return problems;
}

function assertCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`n must be a non-negative integer number of working days, got ${String(n)}`);
  }
}

const LAST_DAY_NUMBER = isoDateToDayNumber('9999-12-31');

/** The following day; stops a huge n from scanning past the last date an IsoDate can name. */
function nextDay(dayNumber: number): number {
  if (dayNumber >= LAST_DAY_NUMBER) throw new RangeError('the count runs past 9999-12-31');
  return dayNumber + 1;
}
