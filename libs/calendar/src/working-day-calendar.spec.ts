import { OFFICIAL_CALENDAR, type CalendarYearData } from './calendar-data';
import { addCalendarDays, type IsoDate } from './dates';
import { validateCalendarData, WorkingDayCalendar } from './working-day-calendar';

// Every expected date below was counted by hand from the notices (rules.md §2), never produced by the code under test.
const calendar = new WorkingDayCalendar(OFFICIAL_CALENDAR);

/** Every day from `from` to `to` inclusive. */
function daysFromTo(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) days.push(d);
  return days;
}

function yearData(year: number, published: boolean, holidays: CalendarYearData['holidays'] = []): CalendarYearData {
  return { year, published, source: `test ${year}`, holidays, workdays: [] };
}

describe('OFFICIAL_CALENDAR data', () => {
  it('holds the notices for 2019–2026, all published', () => {
    expect(OFFICIAL_CALENDAR.map((y) => [y.year, y.published])).toEqual(
      [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026].map((y) => [y, true]),
    );
    for (const y of OFFICIAL_CALENDAR) {
      expect(y.source).toContain(`国务院办公厅关于${y.year}年部分节假日安排的通知`);
    }
    expect(calendar.publishedYears()).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
  });

  it('passes its own validation', () => {
    expect(validateCalendarData(OFFICIAL_CALENDAR)).toEqual([]);
  });

  // Days off / 调休 days per notice, summed from the notice texts.
  it.each([
    [2019, 24, 7],
    [2020, 30, 6],
    [2021, 31, 7],
    [2022, 31, 7],
    [2023, 27, 7],
    [2024, 28, 8],
    [2025, 28, 5],
    [2026, 33, 6],
  ])('%d lists %d holiday days and %d 调休 working days', (year, holidays, workdays) => {
    const data = OFFICIAL_CALENDAR.find((y) => y.year === year);
    expect(data?.holidays).toHaveLength(holidays);
    expect(data?.workdays).toHaveLength(workdays);
  });
});

describe('isWorkingDay: the official arrangements', () => {
  // [first day, last day, name] of every holiday range in the spec's reference notices.
  const holidayRanges: [IsoDate, IsoDate, string][] = [
    ['2024-01-01', '2024-01-01', '元旦'],
    ['2024-02-10', '2024-02-17', '春节'],
    ['2024-04-04', '2024-04-06', '清明节'],
    ['2024-05-01', '2024-05-05', '劳动节'],
    ['2024-06-10', '2024-06-10', '端午节'],
    ['2024-09-15', '2024-09-17', '中秋节'],
    ['2024-10-01', '2024-10-07', '国庆节'],
    ['2025-01-01', '2025-01-01', '元旦'],
    ['2025-01-28', '2025-02-04', '春节'],
    ['2025-04-04', '2025-04-06', '清明节'],
    ['2025-05-01', '2025-05-05', '劳动节'],
    ['2025-05-31', '2025-06-02', '端午节'],
    ['2025-10-01', '2025-10-08', '国庆节、中秋节'],
    ['2026-01-01', '2026-01-03', '元旦'],
    ['2026-02-15', '2026-02-23', '春节'],
    ['2026-04-04', '2026-04-06', '清明节'],
    ['2026-05-01', '2026-05-05', '劳动节'],
    ['2026-06-19', '2026-06-21', '端午节'],
    ['2026-09-25', '2026-09-27', '中秋节'],
    ['2026-10-01', '2026-10-07', '国庆节'],
    ['2022-10-01', '2022-10-07', '国庆节'],
  ];

  it.each(holidayRanges)('%s..%s (%s) is off, every day', (from, to, name) => {
    for (const day of daysFromTo(from, to)) {
      expect([day, calendar.isWorkingDay(day)]).toEqual([day, { working: false, provisional: false, holidayName: name }]);
    }
  });

  // [date, the holiday it makes up for]: every 调休上班 weekend day of the 2024, 2025 and 2026 notices.
  const makeupWorkdays: [IsoDate, string][] = [
    ['2024-02-04', '春节'],
    ['2024-02-18', '春节'],
    ['2024-04-07', '清明节'],
    ['2024-04-28', '劳动节'],
    ['2024-05-11', '劳动节'],
    ['2024-09-14', '中秋节'],
    ['2024-09-29', '国庆节'],
    ['2024-10-12', '国庆节'],
    ['2025-01-26', '春节'],
    ['2025-02-08', '春节'],
    ['2025-04-27', '劳动节'],
    ['2025-09-28', '国庆节、中秋节'],
    ['2025-10-11', '国庆节、中秋节'],
    ['2026-01-04', '元旦'],
    ['2026-02-14', '春节'],
    ['2026-02-28', '春节'],
    ['2026-05-09', '劳动节'],
    ['2026-09-20', '国庆节'],
    ['2026-10-10', '国庆节'],
    ['2022-10-08', '国庆节'],
    ['2022-10-09', '国庆节'],
  ];

  it.each(makeupWorkdays)('%s is a 调休 working day (%s)', (date, name) => {
    expect(calendar.isWorkingDay(date)).toEqual({ working: true, provisional: false, makeupWorkdayFor: name });
  });

  it('keeps ordinary days ordinary', () => {
    expect(calendar.isWorkingDay('2024-02-09')).toEqual({ working: true, provisional: false }); // 除夕, a Friday, worked
    expect(calendar.isWorkingDay('2025-10-09')).toEqual({ working: true, provisional: false }); // Thursday after the break
    expect(calendar.isWorkingDay('2025-10-12')).toEqual({ working: false, provisional: false }); // plain Sunday
    expect(calendar.isWorkingDay('2026-03-01')).toEqual({ working: false, provisional: false }); // plain Sunday
  });

  it('applies the amending notices of 2019 and 2020', () => {
    // 国办发明电〔2019〕3号: 劳动节 5-1..5-4, Sundays 4-28 and 5-5 worked.
    expect(calendar.isWorkingDay('2019-05-02').working).toBe(false);
    expect(calendar.isWorkingDay('2019-05-05').working).toBe(true);
    // 国办发明电〔2020〕1号: 春节 extended to 2-2, so Saturday 2-1 is no longer worked.
    expect(calendar.isWorkingDay('2020-01-31')).toEqual({ working: false, provisional: false, holidayName: '春节' });
    expect(calendar.isWorkingDay('2020-02-01')).toEqual({ working: false, provisional: false, holidayName: '春节' });
    expect(calendar.isWorkingDay('2020-02-03').working).toBe(true);
  });

  it('applies a notice reaching back into December', () => {
    // The 2023 notice: 元旦 2022-12-31..2023-01-02; 2022 is published, so no flag.
    expect(calendar.isWorkingDay('2022-12-31')).toEqual({ working: false, provisional: false, holidayName: '元旦' });
    expect(calendar.isWorkingDay('2023-01-02')).toEqual({ working: false, provisional: false, holidayName: '元旦' });
    // The 2019 notice: 2018-12-29 (Sat) worked, 12-31 (Mon) off; right, but 2018 itself is not published.
    expect(calendar.isWorkingDay('2018-12-29')).toEqual({ working: true, provisional: true, makeupWorkdayFor: '元旦' });
    expect(calendar.isWorkingDay('2018-12-31')).toEqual({ working: false, provisional: true, holidayName: '元旦' });
  });

  it.each([
    // Working days in (Dec 31 of the year before, Dec 31]: weekdays − holiday weekdays + 调休 days.
    ['2023-12-31', '2024-12-31', 251], // 262 − 19 + 8
    ['2024-12-31', '2025-12-31', 248], // 261 − 18 + 5
    ['2025-12-31', '2026-12-31', 248], // 261 − 19 + 6
  ])('(%s, %s] holds %d working days', (a, b, count) => {
    expect(calendar.workingDaysBetween(a, b)).toEqual({ count, provisional: false });
  });
});

describe('addWorkingDays', () => {
  it('reproduces the reported court case: received 2022-09-30, 20 working days → 2022-11-02', () => {
    // 10-1..10-7 off; 10-8 (Sat) and 10-9 (Sun) are days 1 and 2.
    expect(calendar.addWorkingDays('2022-09-30', 20)).toEqual({ date: '2022-11-02', provisional: false });
    expect(calendar.addWorkingDays('2022-09-30', 2)).toEqual({ date: '2022-10-09', provisional: false });
  });

  it('does not count day 0, even when it is a working day (rules.md §2)', () => {
    expect(calendar.addWorkingDays('2025-03-03', 1)).toEqual({ date: '2025-03-04', provisional: false }); // Mon → Tue
    expect(calendar.addWorkingDays('2025-03-07', 1)).toEqual({ date: '2025-03-10', provisional: false }); // Fri → Mon
    expect(calendar.addWorkingDays('2025-09-28', 1)).toEqual({ date: '2025-09-29', provisional: false }); // 调休 Sunday
    expect(calendar.addWorkingDays('2025-10-08', 1)).toEqual({ date: '2025-10-09', provisional: false }); // from a holiday
  });

  it('returns `from` itself for n = 0, even on a holiday', () => {
    expect(calendar.addWorkingDays('2025-03-03', 0)).toEqual({ date: '2025-03-03', provisional: false });
    expect(calendar.addWorkingDays('2025-10-01', 0)).toEqual({ date: '2025-10-01', provisional: false });
  });

  describe('Spring Festival', () => {
    it('2024: from Fri 2024-02-02, 20 working days → 2024-03-06', () => {
      // 2-4 (Sun) 1, 2-5..2-9 2–6 (除夕 2-9 worked), 2-10..2-17 off, 2-18 (Sun) 7, 2-19..2-23 8–12,
      // 2-26..3-1 13–17, 3-4..3-6 18–20.
      expect(calendar.addWorkingDays('2024-02-02', 20)).toEqual({ date: '2024-03-06', provisional: false });
      expect(calendar.addWorkingDays('2024-02-02', 7)).toEqual({ date: '2024-02-18', provisional: false });
    });

    it('2025: from Fri 2025-01-24, 20 working days → 2025-02-27', () => {
      // 1-26 (Sun) 1, 1-27 2, 1-28..2-4 off, 2-5..2-7 3–5, 2-8 (Sat) 6, 2-10..2-14 7–11, 2-17..2-21 12–16,
      // 2-24..2-27 17–20.
      expect(calendar.addWorkingDays('2025-01-24', 20)).toEqual({ date: '2025-02-27', provisional: false });
      expect(calendar.addWorkingDays('2025-01-27', 1)).toEqual({ date: '2025-02-05', provisional: false });
    });

    it('2026: from Fri 2026-02-13, 20 working days → 2026-03-19', () => {
      // 2-14 (Sat) 1, 2-15..2-23 off, 2-24..2-27 2–5, 2-28 (Sat) 6, 3-2..3-6 7–11, 3-9..3-13 12–16, 3-16..3-19 17–20.
      expect(calendar.addWorkingDays('2026-02-13', 20)).toEqual({ date: '2026-03-19', provisional: false });
      expect(calendar.addWorkingDays('2026-02-14', 1)).toEqual({ date: '2026-02-24', provisional: false });
    });
  });

  it('National Day with Mid-Autumn 2025: from Fri 2025-09-26, 20 working days → 2025-10-30', () => {
    // 9-28 (Sun) 1, 9-29 2, 9-30 3, 10-1..10-8 off, 10-9 4, 10-10 5, 10-11 (Sat) 6, 10-13..10-17 7–11,
    // 10-20..10-24 12–16, 10-27..10-30 17–20.
    expect(calendar.addWorkingDays('2025-09-26', 20)).toEqual({ date: '2025-10-30', provisional: false });
    expect(calendar.addWorkingDays('2025-09-30', 1)).toEqual({ date: '2025-10-09', provisional: false });
    // A 补正 notice (7 WD) from the same day ends on Mon 10-13.
    expect(calendar.addWorkingDays('2025-09-26', 7)).toEqual({ date: '2025-10-13', provisional: false });
  });

  describe('year boundaries', () => {
    it('from 2025-12-25 into 2026 (元旦 1-1..1-3 off, 1-4 worked) → 2026-01-23', () => {
      // 12-26 1, 12-29..12-31 2–4, 1-4 (Sun) 5, 1-5..1-9 6–10, 1-12..1-16 11–15, 1-19..1-23 16–20.
      expect(calendar.addWorkingDays('2025-12-25', 20)).toEqual({ date: '2026-01-23', provisional: false });
      expect(calendar.addWorkingDays('2025-12-31', 1)).toEqual({ date: '2026-01-04', provisional: false });
    });

    it('from 2023-12-29 across New Year 2024 → 2024-01-29', () => {
      // 12-30, 12-31 weekend, 1-1 off; 1-2..1-5 1–4, 1-8..1-12 5–9, 1-15..1-19 10–14, 1-22..1-26 15–19, 1-29 20.
      expect(calendar.addWorkingDays('2023-12-29', 20)).toEqual({ date: '2024-01-29', provisional: false });
      expect(calendar.addWorkingDays('2023-12-29', 1)).toEqual({ date: '2024-01-02', provisional: false });
    });
  });
});

describe('unpublished years are provisional (rules.md §2)', () => {
  const withoutDraft = calendar; // no 2027 at all
  const withDraft = new WorkingDayCalendar([...OFFICIAL_CALENDAR, yearData(2027, false, [{ date: '2027-01-01', name: '元旦' }])]);

  it.each([
    ['absent', withoutDraft],
    ['published: false', withDraft],
  ])('2027 %s: counting from 2026-12-20 into 2027 is provisional', (_label, cal) => {
    expect(cal.isPublished(2027)).toBe(false);
    // 12-21..12-25 1–5, 12-28..12-31 6–9, then weekdays but 元旦 (Fri 2027-01-01, fixed by 《全国年节及纪念日放假办法》):
    // 1-4..1-8 10–14, 1-11..1-15 15–19, 1-18 20.
    expect(cal.addWorkingDays('2026-12-20', 20)).toEqual({ date: '2027-01-18', provisional: true });
    expect(cal.addWorkingDays('2026-12-20', 9)).toEqual({ date: '2026-12-31', provisional: false });
    expect(cal.addWorkingDays('2026-12-20', 10)).toEqual({ date: '2027-01-04', provisional: true });
    expect(cal.workingDaysBetween('2026-12-20', '2027-01-18')).toEqual({ count: 20, provisional: true });
    expect(cal.workingDaysBetween('2027-01-18', '2026-12-20')).toEqual({ count: -20, provisional: true });
  });

  it.each([
    ['absent', withoutDraft],
    ['published: false', withDraft],
  ])('2027 %s: the fixed statutory holidays are never working days, and every day is flagged', (_label, cal) => {
    // 《全国年节及纪念日放假办法》 fixes 元旦, 劳动节 and 国庆节 by date: no yearly notice can make them working days.
    expect(cal.isWorkingDay('2027-01-01')).toEqual({ working: false, provisional: true, holidayName: '元旦' });
    expect(cal.isWorkingDay('2027-10-01')).toEqual({ working: false, provisional: true, holidayName: '国庆节' });
    expect(cal.isWorkingDay('2027-10-03')).toEqual({ working: false, provisional: true, holidayName: '国庆节' });
    expect(cal.isWorkingDay('2028-05-01')).toEqual({ working: false, provisional: true, holidayName: '劳动节' }); // a Monday
    expect(cal.isWorkingDay('2028-05-02')).toEqual({ working: false, provisional: true, holidayName: '劳动节' }); // since 国务院令第795号
    expect(cal.isWorkingDay('2027-10-04')).toEqual({ working: true, provisional: true }); // a Monday the notice has not named yet
    expect(cal.isWorkingDay('2027-01-02')).toEqual({ working: false, provisional: true }); // even a Saturday
  });

  it('a 20-working-day period over National Day 2027 skips 10-1 even unpublished: from 2027-09-24 (Fri)', () => {
    // 9-27..10-1 would be 1–5 on weekdays alone; 10-1 (Fri) is 国庆节: 9-27..9-30 1–4, 10-4..10-8 5–9, 10-11..15 10–14,
    // 10-18..22 15–19, 10-25 20.
    expect(calendar.addWorkingDays('2027-09-24', 20)).toEqual({ date: '2027-10-25', provisional: true });
  });

  it('a notice that makes a fixed statutory holiday a working day is refused', () => {
    const bad: CalendarYearData = { year: 2027, published: true, source: 'test', holidays: [], workdays: [{ date: '2022-05-01', name: '调休' }] };
    expect(validateCalendarData([{ ...bad, year: 2022 }])).toEqual([expect.stringMatching(/2022-05-01 是劳动节，法定节日不能调为上班/)]);
  });

  it('a computation entirely inside 2026 is not provisional', () => {
    // 12-2..12-4 1–3, 12-7 4, 12-8 5.
    expect(calendar.addWorkingDays('2026-12-01', 5)).toEqual({ date: '2026-12-08', provisional: false });
    // Dec 2026 after the 1st: 3 + 5 + 5 + 5 + 4 weekdays.
    expect(calendar.workingDaysBetween('2026-12-01', '2026-12-31')).toEqual({ count: 22, provisional: false });
    expect(calendar.isWorkingDay('2026-12-31')).toEqual({ working: true, provisional: false });
  });

  it('a year before the data is provisional too', () => {
    expect(calendar.isPublished(2018)).toBe(false);
    // 2018-12-27 (Thu): 12-28 (Fri) 1, 12-29 (Sat, 调休 per the 2019 notice) 2, 12-30..2019-01-01 off, 1-2 3.
    expect(calendar.addWorkingDays('2018-12-27', 3)).toEqual({ date: '2019-01-02', provisional: true });
    expect(calendar.addWorkingDays('2019-01-01', 1)).toEqual({ date: '2019-01-02', provisional: false });
  });

  it('publishing the year lifts the flag and applies its holidays', () => {
    const published = new WorkingDayCalendar([...OFFICIAL_CALENDAR, yearData(2027, true, [{ date: '2027-01-01', name: '元旦' }])]);
    expect(published.publishedYears()).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027]);
    expect(published.isWorkingDay('2027-01-01')).toEqual({ working: false, provisional: false, holidayName: '元旦' });
    // As before, minus 2027-01-01: day 20 moves from 1-15 to Mon 1-18.
    expect(published.addWorkingDays('2026-12-20', 20)).toEqual({ date: '2027-01-18', provisional: false });
  });

  it('an empty calendar classifies every day provisionally on Mon–Fri', () => {
    const empty = new WorkingDayCalendar([]);
    expect(empty.publishedYears()).toEqual([]);
    expect(empty.isWorkingDay('2025-09-30')).toEqual({ working: true, provisional: true });
    // …but for the fixed statutory holidays: 10-1..10-3 are days off, 10-4 and 10-5 a weekend.
    expect(empty.isWorkingDay('2025-10-01')).toEqual({ working: false, provisional: true, holidayName: '国庆节' });
    expect(empty.addWorkingDays('2025-09-30', 1)).toEqual({ date: '2025-10-06', provisional: true });
  });
});

describe('workingDaysBetween', () => {
  it('counts the half-open interval (a, b]', () => {
    expect(calendar.workingDaysBetween('2025-03-03', '2025-03-03')).toEqual({ count: 0, provisional: false });
    expect(calendar.workingDaysBetween('2025-03-03', '2025-03-04')).toEqual({ count: 1, provisional: false });
    expect(calendar.workingDaysBetween('2025-03-07', '2025-03-09')).toEqual({ count: 0, provisional: false }); // Fri → Sun
    expect(calendar.workingDaysBetween('2025-03-07', '2025-03-10')).toEqual({ count: 1, provisional: false }); // Fri → Mon
    expect(calendar.workingDaysBetween('2025-03-08', '2025-03-10')).toEqual({ count: 1, provisional: false }); // Sat → Mon
    expect(calendar.workingDaysBetween('2025-01-27', '2025-02-05')).toEqual({ count: 1, provisional: false }); // 春节
    expect(calendar.workingDaysBetween('2025-09-30', '2025-10-11')).toEqual({ count: 3, provisional: false });
    expect(calendar.workingDaysBetween('2022-09-30', '2022-11-02')).toEqual({ count: 20, provisional: false });
  });

  it('is negative when b is before a (overdue)', () => {
    expect(calendar.workingDaysBetween('2025-03-10', '2025-03-07')).toEqual({ count: -1, provisional: false });
    expect(calendar.workingDaysBetween('2025-10-30', '2025-09-26')).toEqual({ count: -20, provisional: false });
    // Due Thu 2025-10-09, today Mon 10-13: 10-10, 10-11 (调休 Sat) and 10-13 have passed → 3 days overdue.
    expect(calendar.workingDaysBetween('2025-10-13', '2025-10-09')).toEqual({ count: -3, provisional: false });
  });

  it('returns 0, never -0, for a backwards interval without working days', () => {
    const { count } = calendar.workingDaysBetween('2025-03-09', '2025-03-07');
    expect(Object.is(count, 0)).toBe(true);
  });

  it('agrees with addWorkingDays for every n (consistency property)', () => {
    const starts: IsoDate[] = [
      '2022-09-30',
      '2023-12-29',
      '2024-02-02',
      '2024-09-10',
      '2025-01-20',
      '2025-09-20',
      '2025-10-01',
      '2025-12-20',
      '2026-02-10',
      '2026-09-15',
      '2026-12-01',
    ];
    for (const from of starts) {
      let previous = from;
      for (let n = 0; n <= 70; n += 1) {
        const reached = calendar.addWorkingDays(from, n);
        // from and n ride along so a failure names the case.
        expect({ from, n, between: calendar.workingDaysBetween(from, reached.date) }).toEqual({
          from,
          n,
          between: { count: n, provisional: reached.provisional },
        });
        expect(calendar.workingDaysBetween(reached.date, from).count).toBe(n === 0 ? 0 : -n);
        if (n > 0) {
          expect(calendar.isWorkingDay(reached.date).working).toBe(true);
          expect(reached.date > previous).toBe(true);
        }
        previous = reached.date;
      }
    }
  });
});

describe('nextWorkingDayOnOrAfter', () => {
  it('keeps a working day and moves a day off to the next working day', () => {
    expect(calendar.nextWorkingDayOnOrAfter('2025-10-09')).toEqual({ date: '2025-10-09', provisional: false });
    expect(calendar.nextWorkingDayOnOrAfter('2025-10-01')).toEqual({ date: '2025-10-09', provisional: false });
    expect(calendar.nextWorkingDayOnOrAfter('2025-09-27')).toEqual({ date: '2025-09-28', provisional: false }); // Sat → 调休 Sun
    expect(calendar.nextWorkingDayOnOrAfter('2026-02-15')).toEqual({ date: '2026-02-24', provisional: false });
    expect(calendar.nextWorkingDayOnOrAfter('2026-12-31')).toEqual({ date: '2026-12-31', provisional: false });
  });

  it('flags a result that needed an unpublished year', () => {
    expect(calendar.nextWorkingDayOnOrAfter('2027-01-02')).toEqual({ date: '2027-01-04', provisional: true });
  });
});

describe('bad input', () => {
  it.each(['2025-02-29', '2025-2-1', '20250101', '', '2025-10-01T00:00:00+08:00'])('rejects the date %j', (bad) => {
    expect(() => calendar.isWorkingDay(bad)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(bad, 1)).toThrow(RangeError);
    expect(() => calendar.workingDaysBetween(bad, '2025-01-01')).toThrow(RangeError);
    expect(() => calendar.workingDaysBetween('2025-01-01', bad)).toThrow(RangeError);
    expect(() => calendar.nextWorkingDayOnOrAfter(bad)).toThrow(RangeError);
  });

  it('names the bad value in the message', () => {
    expect(() => calendar.isWorkingDay('2025-02-29')).toThrow(/"2025-02-29"/);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects n = %p', (n) => {
    expect(() => calendar.addWorkingDays('2025-01-01', n)).toThrow(RangeError);
  });

  it('refuses to count past 9999-12-31', () => {
    expect(() => calendar.addWorkingDays('9999-12-30', 5)).toThrow(RangeError);
  });

  it.each<[string, CalendarYearData[], RegExp]>([
    ['a 调休 day on a weekday', [{ ...yearData(2027, true), workdays: [{ date: '2027-01-04', name: '元旦' }] }], /调休上班日只能是周六或周日/],
    [
      'a day both off and worked',
      [{ ...yearData(2027, true), holidays: [{ date: '2027-01-02', name: '元旦' }], workdays: [{ date: '2027-01-02', name: '元旦' }] }],
      /列出了不止一次/,
    ],
    ['a year twice', [yearData(2027, true), yearData(2027, false)], /出现了不止一次/],
    ['a malformed date', [yearData(2027, true, [{ date: '2027-02-30', name: '春节' }])], /不是有效日期/],
    ['a date outside the notice years', [yearData(2027, true, [{ date: '2025-01-01', name: '元旦' }])], /不在 2026 年至 2027 年之内/],
    ['a nameless holiday', [yearData(2027, true, [{ date: '2027-01-01', name: ' ' }])], /没有写节日名称/],
    ['a bad year', [yearData(27.5, true)], /不是四位数的年份/],
  ])('rejects calendar data with %s', (_label, data, message) => {
    expect(validateCalendarData(data)).not.toEqual([]);
    expect(() => new WorkingDayCalendar(data)).toThrow(RangeError);
    expect(() => new WorkingDayCalendar(data)).toThrow(message);
  });
});
