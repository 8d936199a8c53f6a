import { addCalendarDays, compareIsoDates, isIsoDate, isoDateToDayNumber, type IsoDate } from './dates';

/**
 * The State Council's yearly notice (《国务院办公厅关于20XX年部分节假日安排的通知》) as an administrator pastes it, read
 * into days (rules.md §2), and a year's days written back in the notice's own words, so the calendar editor shows and
 * takes one text. A notice reads, one holiday per item:
 *
 *   二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
 *
 * Each item's name is what stands before the colon; the remarks in brackets are dropped; a date or range belongs to the
 * nearest 放假 or 上班 after it in its sentence (a date with neither is a day off); every day of a range is a day off,
 * weekend days included. A line without a name continues the item above it.
 */

export interface NoticeDay {
  date: IsoDate;
  name: string;
}

export interface ParsedNotice {
  holidays: NoticeDay[];
  workdays: NoticeDay[];
  /** What could not be read, in words, with the line it is on. */
  problems: string[];
}

/** A range longer than this is a slip of the pen (the longest holiday, 春节 or 国庆, runs 8 or 9 days). */
const LONGEST_RANGE_DAYS = 31;

const ITEM_NUMBER = /^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.．]\s*/;
const BRACKETS = /（[^（）]*）|\([^()]*\)|【[^【】]*】/g;
// 2018年12月30日 | 12月30日 | 30日 | 2025-10-01 | 2025/10/01
const DATE = String.raw`(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`;
const RANGE = new RegExp(String.raw`(?:${DATE})(?:\s*(?:至|到|－|—|–|~|～|-)\s*(?:${DATE}))?`, 'g');
const KEYWORD = /放假|上班/g;

interface DatePart {
  year: number | null;
  month: number | null;
  day: number;
}

function datePart(match: RegExpExecArray, offset: number): DatePart | null {
  if (match[offset + 2] !== undefined) return { year: match[offset] ? Number(match[offset]) : null, month: match[offset + 1] ? Number(match[offset + 1]) : null, day: Number(match[offset + 2]) };
  if (match[offset + 3] !== undefined) return { year: Number(match[offset + 3]), month: Number(match[offset + 4]), day: Number(match[offset + 5]) };
  return null;
}

const iso = (year: number, month: number, day: number) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** Reads a pasted notice (or the editor's own text) for `year`: dates without a year are in `year`. */
export function parseHolidayNotice(year: number, text: string): ParsedNotice {
  const holidays = new Map<IsoDate, string>();
  const workdays = new Map<IsoDate, string>();
  const problems: string[] = [];
  let name = '';
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((rawLine, index) => {
    const where = `第 ${index + 1} 行`;
    let line = rawLine.replace(BRACKETS, '').replace(ITEM_NUMBER, '').trim();
    if (!line) return;
    const colon = /^([^：:0-9]{1,30})[：:]/.exec(line);
    if (colon) {
      name = colon[1].trim();
      line = line.slice(colon[0].length);
    }
    // Prose around the items (the preamble, the signature and its date) is not read: a line counts when it names a
    // holiday, says 放假 or 上班, or holds nothing but dates without a year (a dated line alone is the signature's).
    const onlyDates = !line.includes('年') && !line.replace(RANGE, '').replace(/[、，,。；;\s]/g, '');
    if (!colon && !/放假|上班/.test(line) && !onlyDates) return;
    for (const sentence of line.split(/[。；;]/)) {
      const keywords = [...sentence.matchAll(KEYWORD)].map((match) => ({ at: match.index, word: match[0] }));
      let month: number | null = null;
      let lastYear = year;
      for (const match of sentence.matchAll(RANGE)) {
        const start = datePart(match, 1)!;
        const end = datePart(match, 7);
        const startYear = start.year ?? lastYear;
        const startMonth: number | null = start.month ?? month;
        if (startMonth === null) {
          problems.push(`${where}：“${match[0].trim()}”没有写月份`);
          continue;
        }
        const from = iso(startYear, startMonth, start.day);
        if (!isIsoDate(from)) {
          problems.push(`${where}：没有${startMonth}月${start.day}日这一天`);
          continue;
        }
        let to = from;
        if (end) {
          const endMonth: number = end.month ?? startMonth;
          let endYear = end.year ?? startYear;
          // 12月30日至1月1日: the range runs into the next year.
          if (end.year === null && (endMonth < startMonth || (endMonth === startMonth && end.day < start.day))) endYear++;
          to = iso(endYear, endMonth, end.day);
          if (!isIsoDate(to)) {
            problems.push(`${where}：没有${endMonth}月${end.day}日这一天`);
            continue;
          }
          month = endMonth;
          lastYear = endYear;
        } else {
          month = startMonth;
          lastYear = startYear;
        }
        const length = isoDateToDayNumber(to) - isoDateToDayNumber(from) + 1;
        if (length < 1) {
          problems.push(`${where}：“${match[0].trim()}”的结束日期早于开始日期`);
          continue;
        }
        if (length > LONGEST_RANGE_DAYS) {
          problems.push(`${where}：“${match[0].trim()}”长达 ${length} 天，请核对`);
          continue;
        }
        const next = keywords.find((keyword) => keyword.at >= match.index + match[0].length);
        const kind = next?.word === '上班' ? workdays : holidays;
        const dayName = name || (kind === workdays ? '调休上班' : '放假');
        for (let day = from; compareIsoDates(day, to) <= 0; day = addCalendarDays(day, 1)) {
          const other = kind === workdays ? holidays : workdays;
          if (other.has(day)) problems.push(`${where}：${chineseDay(day)}既列为放假又列为上班`);
          else kind.set(day, dayName);
        }
      }
    }
    // A short line that says 放假 or 上班 without a date is an item gone wrong; a long one is the preamble.
    if (!colon && line.length <= 20 && !line.match(RANGE)) problems.push(`${where}：没有找到日期（如“10月1日至8日放假”“9月28日上班”）`);
  });
  const list = (days: Map<IsoDate, string>) => [...days].map(([date, dayName]) => ({ date, name: dayName })).sort((a, b) => compareIsoDates(a.date, b.date));
  return { holidays: list(holidays), workdays: list(workdays), problems };
}

function chineseDay(date: IsoDate): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** A date as the notice writes it: 10月1日, with the year only when it is not the notice's (2018年12月30日). */
function noticeDate(year: number, date: IsoDate, previous: IsoDate | null): string {
  const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  if (previous && previous.slice(0, 7) === date.slice(0, 7)) return `${d}日`;
  return `${y !== year ? `${y}年` : ''}${m}月${d}日`;
}

/** Consecutive days as ranges: [[first, last], …]. */
function ranges(dates: readonly IsoDate[]): [IsoDate, IsoDate][] {
  const result: [IsoDate, IsoDate][] = [];
  for (const date of [...dates].sort(compareIsoDates)) {
    const last = result[result.length - 1];
    if (last && isoDateToDayNumber(date) === isoDateToDayNumber(last[1]) + 1) last[1] = date;
    else result.push([date, date]);
  }
  return result;
}

/**
 * A year's days in the notice's words, one holiday per line, in the order of its first day:
 * `国庆节、中秋节：10月1日至8日放假；9月28日、10月11日上班。` — parseHolidayNotice reads it back to the same days.
 */
export function formatHolidayNotice(year: number, data: { holidays: readonly NoticeDay[]; workdays: readonly NoticeDay[] }): string {
  const names: string[] = [];
  const byName = new Map<string, { holidays: IsoDate[]; workdays: IsoDate[] }>();
  const first = (day: NoticeDay) => {
    if (!byName.has(day.name)) byName.set(day.name, { holidays: [], workdays: [] });
    return byName.get(day.name)!;
  };
  for (const day of [...data.holidays].sort((a, b) => compareIsoDates(a.date, b.date))) first(day).holidays.push(day.date);
  for (const day of [...data.workdays].sort((a, b) => compareIsoDates(a.date, b.date))) first(day).workdays.push(day.date);
  const firstDay = (entry: { holidays: IsoDate[]; workdays: IsoDate[] }) => [...entry.holidays, ...entry.workdays].sort(compareIsoDates)[0];
  names.push(...[...byName.keys()].sort((a, b) => compareIsoDates(firstDay(byName.get(a)!), firstDay(byName.get(b)!))));
  return names
    .map((name) => {
      const entry = byName.get(name)!;
      const parts: string[] = [];
      if (entry.holidays.length) {
        parts.push(
          `${ranges(entry.holidays)
            .map(([from, to]) => (from === to ? noticeDate(year, from, null) : `${noticeDate(year, from, null)}至${noticeDate(year, to, from)}`))
            .join('、')}放假`,
        );
      }
      if (entry.workdays.length) parts.push(`${entry.workdays.map((date) => noticeDate(year, date, null)).join('、')}上班`);
      return `${name}：${parts.join('；')}。`;
    })
    .join('\n');
}
