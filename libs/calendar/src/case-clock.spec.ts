import { OFFICIAL_CALENDAR } from './calendar-data';
import { computeCaseClock, type ClockEvent } from './case-clock';
import { WorkingDayCalendar } from './working-day-calendar';

const calendar = new WorkingDayCalendar(OFFICIAL_CALENDAR);
const ev = (type: string, at: string, payload: Record<string, unknown> = {}): ClockEvent => ({ type, at, payload });

describe('the reply clock of a case (Art. 33), on the official calendar', () => {
  it('the reported court case: received 2022-09-30, due 2022-11-02', () => {
    const clock = computeCaseClock([ev('REGISTER', '2022-09-30')], calendar, '2022-10-10');
    expect(clock.dueDate).toBe('2022-11-02');
    expect(clock.provisional).toBe(false);
  });

  it('across National Day and Mid-Autumn 2025 (10-1..10-8 off, 9-28 and 10-11 worked)', () => {
    // 9-28=1, 9-29=2, 9-30=3, 10-9=4, 10-10=5, 10-11=6, 10-13..17=7..11, 10-20..24=12..16, 10-27..30=17..20
    const clock = computeCaseClock([ev('REGISTER', '2025-09-26')], calendar, '2025-09-26');
    expect(clock.dueDate).toBe('2025-10-30');
    expect(clock.remainingWorkingDays).toBe(20);
    expect(clock.explanation[0]).toMatchObject({ date: '2025-09-26', workingDays: 20, article: '第三十一条、第三十三条第二款' });
  });

  it('an online application counts from the day both sides confirm, not the submission (Art. 31(3))', () => {
    const clock = computeCaseClock([ev('SUBMIT_ONLINE', '2025-09-25'), ev('CONFIRM_RECEIPT', '2025-09-26')], calendar, '2025-09-29');
    expect(clock.dueDate).toBe('2025-10-30');
  });

  it('no due date before the online application is confirmed', () => {
    const clock = computeCaseClock([ev('SUBMIT_ONLINE', '2025-09-25')], calendar, '2025-09-29');
    expect(clock.dueDate).toBeNull();
    expect(clock.remainingWorkingDays).toBeNull();
  });

  it('is overdue with negative working days left', () => {
    const clock = computeCaseClock([ev('REGISTER', '2025-09-26')], calendar, '2025-11-03');
    expect(clock.remainingWorkingDays).toBe(-2);
  });

  it('an open consultation stands the clock still: working days left stay the same', () => {
    const events = [ev('REGISTER', '2025-09-26'), ev('START_CONSULTATION', '2025-10-09', { kind: 'third_party', party: '某公司' })];
    const atStart = computeCaseClock(events, calendar, '2025-10-09');
    expect(atStart.remainingWorkingDays).toBe(16);
    const later = computeCaseClock(events, calendar, '2025-10-14');
    // (10-09, 10-14] = 10-10, 10-11 (调休 Saturday), 10-13, 10-14: four working days paused so far.
    expect(later.pausedWorkingDays).toBe(4);
    expect(later.dueDate).toBe('2025-11-05');
    expect(later.remainingWorkingDays).toBe(16);
    expect(later.paused).toBe(true);
  });

  it('补正 then consultation then extension, across Spring Festival 2026', () => {
    const events = [
      ev('REGISTER', '2026-02-06'),
      ev('REQUEST_SUPPLEMENT', '2026-02-09', { periodWorkingDays: 15 }),
    ];
    const waiting = computeCaseClock(events, calendar, '2026-02-10');
    // 2-10..13 = 1..4, 2-14 (调休 Saturday) = 5, 2-24..27 = 6..9, 2-28 (调休 Saturday) = 10, 3-2..6 = 11..15
    expect(waiting.supplementDueDate).toBe('2026-03-06');
    expect(waiting.dueDate).toBeNull();

    events.push(ev('RECEIVE_SUPPLEMENT', '2026-02-13'));
    // From 2-13: 2-14 = 1, 2-24..27 = 2..5, 2-28 = 6, 3-2..6 = 7..11, 3-9..13 = 12..16, 3-16..19 = 17..20
    expect(computeCaseClock(events, calendar, '2026-02-13').dueDate).toBe('2026-03-19');

    events.push(ev('START_CONSULTATION', '2026-03-02', { kind: 'agency', party: '区规划资源局' }), ev('END_CONSULTATION', '2026-03-06'));
    const consulted = computeCaseClock(events, calendar, '2026-03-06');
    expect(consulted.pausedWorkingDays).toBe(4);
    expect(consulted.dueDate).toBe('2026-03-25');

    events.push(ev('EXTEND', '2026-03-20', { workingDays: 10, reason: '需要调档' }));
    // 3-26, 3-27, 3-30, 3-31, 4-1, 4-2, 4-3 = 25..31; 4-4..4-6 清明 off; 4-7, 4-8, 4-9 = 32..34
    const extended = computeCaseClock(events, calendar, '2026-03-20');
    expect(extended.dueDate).toBe('2026-04-09');
    expect(extended.extendedWorkingDays).toBe(10);
    expect(extended.explanation.map((step) => step.article)).toEqual([
      '第三十一条、第三十三条第二款',
      '第三十条',
      '第三十条、第三十三条',
      '第三十四条、第三十三条第三款',
      '第三十三条第三款',
      '第三十三条第二款',
      '第三十三条',
    ]);
    expect(extended.explanation.at(-1)?.description).toContain('20 + 暂停 4 + 延长 10');
  });

  it('a concluded case counts working days left as of its conclusion', () => {
    const clock = computeCaseClock([ev('REGISTER', '2025-09-26'), ev('ISSUE_REPLY', '2025-10-28')], calendar, '2026-01-05');
    expect(clock.asOf).toBe('2025-10-28');
    expect(clock.remainingWorkingDays).toBe(2);
  });

  it('a reopened case gets a new reply clock from the reopening', () => {
    const clock = computeCaseClock(
      [ev('REGISTER', '2025-09-26'), ev('EXTEND', '2025-10-20', { workingDays: 20 }), ev('ISSUE_REPLY', '2025-11-20'), ev('REOPEN', '2026-02-06')],
      calendar,
      '2026-02-09',
    );
    // From 2026-02-06: 2-9..13 = 1..5, 2-14 = 6, 2-24..27 = 7..10, 2-28 = 11, 3-2..6 = 12..16, 3-9..12 = 17..20
    expect(clock.dueDate).toBe('2026-03-12');
    expect(clock.extendedWorkingDays).toBe(0);
  });

  it('is provisional when it counts into a year whose calendar is not published', () => {
    const without2027 = new WorkingDayCalendar(OFFICIAL_CALENDAR.filter((year) => year.year !== 2026));
    const clock = computeCaseClock([ev('REGISTER', '2025-12-20')], without2027, '2025-12-22');
    expect(clock.provisional).toBe(true);
    expect(computeCaseClock([ev('REGISTER', '2025-09-26')], without2027, '2025-09-29').provisional).toBe(false);
  });
});
