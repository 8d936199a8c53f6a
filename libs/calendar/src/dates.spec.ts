import {
  addCalendarDays,
  compareIsoDates,
  dayNumberToIsoDate,
  dayOfWeek,
  isIsoDate,
  isoDateToChinese,
  isoDateToDayNumber,
  todayInShanghai,
  yearOf,
} from './dates';

describe('isIsoDate', () => {
  it.each(['2025-01-01', '2024-02-29', '2000-02-29', '2025-12-31', '1999-11-30', '0001-01-01'])('accepts %s', (s) => {
    expect(isIsoDate(s)).toBe(true);
  });

  it.each([
    '2025-02-29', // 2025 is not a leap year
    '1900-02-29', // century, not divisible by 400
    '2025-04-31',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '2025-1-1',
    '25-01-01',
    '2025/01/01',
    '2025-01-01T00:00:00Z',
    ' 2025-01-01',
    '2025-01-01\n',
    '',
  ])('rejects %j', (s) => {
    expect(isIsoDate(s)).toBe(false);
  });

  it.each([null, undefined, 20250101, new Date('2025-01-01')])('rejects non-string %p', (v) => {
    expect(isIsoDate(v)).toBe(false);
  });
});

describe('addCalendarDays', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2025-09-26', 0, '2025-09-26'],
    ['2025-01-01', 365, '2026-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2025-03-30', 2, '2025-04-01'], // across the European DST change, which must not matter
    ['0099-12-31', 1, '0100-01-01'], // two-digit years must not be read as 19xx
  ])('%s %+d → %s', (from, n, expected) => {
    expect(addCalendarDays(from, n)).toBe(expected);
  });

  it('rejects a non-integer or a bad date', () => {
    expect(() => addCalendarDays('2025-01-01', 1.5)).toThrow(RangeError);
    expect(() => addCalendarDays('2025-01-01', Number.NaN)).toThrow(RangeError);
    expect(() => addCalendarDays('2025-02-29', 1)).toThrow(RangeError);
    expect(() => addCalendarDays('9999-12-31', 1)).toThrow(RangeError);
  });
});

describe('day numbers', () => {
  it('counts from 1970-01-01', () => {
    expect(isoDateToDayNumber('1970-01-01')).toBe(0);
    expect(isoDateToDayNumber('1970-01-02')).toBe(1);
    expect(isoDateToDayNumber('1969-12-31')).toBe(-1);
    expect(dayNumberToIsoDate(0)).toBe('1970-01-01');
    expect(dayNumberToIsoDate(-1)).toBe('1969-12-31');
  });
});

describe('compareIsoDates', () => {
  it('orders dates', () => {
    expect(compareIsoDates('2025-01-01', '2025-01-02')).toBe(-1);
    expect(compareIsoDates('2025-01-02', '2025-01-01')).toBe(1);
    expect(compareIsoDates('2025-10-01', '2025-10-01')).toBe(0);
    expect(compareIsoDates('2024-12-31', '2025-01-01')).toBe(-1);
    expect(['2025-10-08', '2024-02-09', '2025-01-28'].sort(compareIsoDates)).toEqual([
      '2024-02-09',
      '2025-01-28',
      '2025-10-08',
    ]);
  });

  it('rejects a malformed date', () => {
    expect(() => compareIsoDates('2025-1-1', '2025-01-01')).toThrow(RangeError);
  });
});

describe('dayOfWeek', () => {
  it.each([
    ['1970-01-01', 4], // Thursday
    ['2025-10-01', 3], // Wednesday
    ['2025-09-28', 0], // Sunday (调休上班)
    ['2025-10-11', 6], // Saturday (调休上班)
    ['2024-02-09', 5], // Friday, 除夕
    ['2026-02-14', 6], // Saturday
    ['1969-12-31', 3], // Wednesday, before day 0
  ])('%s → %d', (date, dow) => {
    expect(dayOfWeek(date)).toBe(dow);
  });
});

describe('todayInShanghai', () => {
  it('uses the Shanghai date, not UTC or the host zone', () => {
    // 16:00 UTC is midnight in Shanghai (UTC+8, no DST).
    expect(todayInShanghai(new Date('2025-09-25T15:59:59Z'))).toBe('2025-09-25');
    expect(todayInShanghai(new Date('2025-09-25T16:00:00Z'))).toBe('2025-09-26');
    expect(todayInShanghai(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01');
    expect(todayInShanghai(new Date('2024-02-28T20:00:00Z'))).toBe('2024-02-29');
  });

  it('defaults to now', () => {
    expect(isIsoDate(todayInShanghai())).toBe(true);
  });

  it('agrees with the time-zone database at every hour of two years, and before 1992 when Shanghai kept summer time', () => {
    const zone = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
    for (let at = Date.UTC(2025, 0, 1); at < Date.UTC(2027, 0, 1); at += 3600_000) {
      expect(todayInShanghai(new Date(at))).toBe(zone.format(at));
    }
    // 1991-04-14 to 09-15 was UTC+9 (tz database): 15:30 UTC on 1991-06-01 was already the 2nd in Shanghai.
    expect(todayInShanghai(new Date('1991-06-01T15:30:00Z'))).toBe('1991-06-02');
  });

  it('rejects an invalid Date', () => {
    expect(() => todayInShanghai(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('isoDateToChinese', () => {
  it.each([
    ['2025-09-26', '2025年9月26日'],
    ['2025-01-05', '2025年1月5日'],
    ['2022-11-02', '2022年11月2日'],
    ['2024-12-31', '2024年12月31日'],
  ])('%s → %s', (date, text) => {
    expect(isoDateToChinese(date)).toBe(text);
  });

  it('rejects a malformed date', () => {
    expect(() => isoDateToChinese('2025-02-30')).toThrow(RangeError);
  });
});

describe('yearOf', () => {
  it('returns the year', () => {
    expect(yearOf('2027-01-01')).toBe(2027);
    expect(yearOf('2018-12-31')).toBe(2018);
    expect(() => yearOf('2027')).toThrow(RangeError);
  });
});
