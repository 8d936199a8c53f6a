import { OFFICIAL_CALENDAR } from './calendar-data';
import { clockAlerts, computeCaseClock, DEFAULT_CLOCK_SETTINGS, lapseDateOf, type ClockEvent } from './case-clock';
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

  describe('consultations: the pause stops at the party’s 15 working days (Art. 32, 33 ¶3, 34)', () => {
    // Party received the letter 2025-10-10: 10-11 (调休 Saturday) = 1, 10-13..17 = 2..6, 10-20..24 = 7..11, 10-27..30 = 12..15.
    const start = [
      ev('REGISTER', '2025-09-26'),
      ev('START_CONSULTATION', '2025-10-09', { kind: 'third_party', party: '某公司', partyReceivedAt: '2025-10-10' }),
    ];

    it('an answer after the limit: only (10-09, 10-30] is paused', () => {
      const clock = computeCaseClock([...start, ev('END_CONSULTATION', '2025-11-05')], calendar, '2025-11-05');
      expect(clock.pausedWorkingDays).toBe(16);
      // 20 + 16 = 36th working day after 9-26: 10-30 is the 20th, then 10-31, 11-3..7, 11-10..14, 11-17..21.
      expect(clock.dueDate).toBe('2025-11-21');
      expect(clock.explanation.find((step) => step.date === '2025-11-05')?.description).toContain('超过征求意见期限 2025-10-30');
    });

    it('an open consultation past its limit no longer pauses, and raises an alert', () => {
      const clock = computeCaseClock(start, calendar, '2025-11-05');
      expect(clock).toMatchObject({ consultationLimitDate: '2025-10-30', paused: false, pausedWorkingDays: 16, dueDate: '2025-11-21' });
      expect(clockAlerts(clock, '2025-11-05').map((alert) => alert.kind)).toEqual(['consultation_limit_reached']);
      expect(clockAlerts(computeCaseClock(start, calendar, '2025-10-30'), '2025-10-30')).toEqual([]);
    });
  });

  describe('the 补正 notice and the supplement period (Art. 30)', () => {
    it('shows the 7-working-day notice deadline until a notice is sent', () => {
      // 9-28 = 1, 9-29 = 2, 9-30 = 3, 10-9 = 4, 10-10 = 5, 10-11 = 6, 10-13 = 7
      expect(computeCaseClock([ev('REGISTER', '2025-09-26')], calendar, '2025-09-29').supplementNoticeDueDate).toBe('2025-10-13');
    });

    it('warns about a notice later than 7 working days and counts the period from the notice’s receipt', () => {
      const events = [
        ev('REGISTER', '2025-09-26'),
        ev('REQUEST_SUPPLEMENT', '2025-10-14', { periodWorkingDays: 15, noticeReceivedAt: '2025-10-16' }),
      ];
      const clock = computeCaseClock(events, calendar, '2025-10-20');
      expect(clock.warnings).toEqual([expect.stringContaining('晚于收到申请后 7 个工作日（2025-10-13）')]);
      // From 10-16: 10-17 = 1, 10-20..24 = 2..6, 10-27..31 = 7..11, 11-3..6 = 12..15
      expect(clock.supplementDueDate).toBe('2025-11-06');
      expect(clock.supplementNoticeDueDate).toBeNull();
      expect(clockAlerts(computeCaseClock(events, calendar, '2025-11-06'), '2025-11-06')).toEqual([]);
      expect(clockAlerts(computeCaseClock(events, calendar, '2025-11-07'), '2025-11-07')).toEqual([
        expect.objectContaining({ kind: 'supplement_lapsed', date: '2025-11-06' }),
      ]);
    });
  });

  describe('fees (国办函〔2020〕109号)', () => {
    const events = [
      ev('REGISTER', '2025-09-26'),
      ev('SEND_FEE_NOTICE', '2025-10-09', { amountYuan: 4700, noticeReceivedAt: '2025-10-10' }),
    ];

    it('20 working days to pay from the day after the notice is received', () => {
      // From 10-10: 10-30 is the 15th, 10-31 = 16, 11-3..6 = 17..20
      expect(computeCaseClock(events, calendar, '2025-10-13').feeDueDate).toBe('2025-11-06');
      expect(clockAlerts(computeCaseClock(events, calendar, '2025-11-07'), '2025-11-07').map((alert) => alert.kind)).toContain('fee_lapsed');
    });

    it('pauses the reply clock by default, and not when the setting says so', () => {
      const paid = [...events, ev('RECORD_FEE_PAYMENT', '2025-10-15', { receiptNumber: 'No.1' })];
      // (10-09, 10-15] = 10-10, 10-11, 10-13, 10-14, 10-15: five working days; 25th working day after 9-26 = 11-06.
      const pausedClock = computeCaseClock(paid, calendar, '2025-10-16');
      expect(pausedClock).toMatchObject({ pausedWorkingDays: 5, dueDate: '2025-11-06', feeDueDate: null });
      const running = computeCaseClock(paid, calendar, '2025-10-16', { ...DEFAULT_CLOCK_SETTINGS, feePausesReplyClock: false });
      expect(running).toMatchObject({ pausedWorkingDays: 0, dueDate: '2025-10-30' });
    });
  });

  it('Art. 35: a later reply date replaces the computed one', () => {
    const clock = computeCaseClock(
      [ev('REGISTER', '2025-09-26'), ev('SET_LATER_REPLY_DATE', '2025-10-20', { replyBy: '2025-12-31', reason: '诉讼需要' })],
      calendar,
      '2025-10-20',
    );
    expect(clock.dueDate).toBe('2025-12-31');
    expect(clock.explanation.at(-1)).toMatchObject({ article: '第三十五条' });
  });

  it('alerts: due soon within 3 working days, overdue after the due date, nothing before', () => {
    const events = [ev('REGISTER', '2025-09-26')];
    expect(clockAlerts(computeCaseClock(events, calendar, '2025-10-24'), '2025-10-24')).toEqual([]);
    expect(clockAlerts(computeCaseClock(events, calendar, '2025-10-27'), '2025-10-27')).toEqual([
      expect.objectContaining({ kind: 'due_soon', date: '2025-10-30' }),
    ]);
    expect(clockAlerts(computeCaseClock(events, calendar, '2025-10-31'), '2025-10-31')).toEqual([
      expect.objectContaining({ kind: 'overdue', date: '2025-10-30' }),
    ]);
  });

  describe('a period that has run out stays run out (rules.md §3)', () => {
    // Received Fri 2025-09-26: due Thu 2025-10-30 (see above).
    const received = ev('REGISTER', '2025-09-26');

    it('a consultation sent after the due date pauses nothing: the case stays overdue', () => {
      const events = [received, ev('START_CONSULTATION', '2025-10-31', { kind: 'third_party', party: '某公司' }), ev('END_CONSULTATION', '2025-11-10', { answer: 'consent' })];
      const clock = computeCaseClock(events, calendar, '2025-11-11');
      expect(clock).toMatchObject({ dueDate: '2025-10-30', pausedWorkingDays: 0, paused: false });
      // (10-30, 11-11]: 10-31, 11-3..7, 11-10, 11-11 = 8 working days overdue.
      expect(clock.remainingWorkingDays).toBe(-8);
      expect(clock.warnings).toEqual([expect.stringMatching(/征求第三方意见于 2025-10-31 作出，答复期限 2025-10-30 已届满/)]);
      // While it is open it does not stand the clock still either.
      expect(computeCaseClock(events.slice(0, 2), calendar, '2025-11-03')).toMatchObject({ dueDate: '2025-10-30', paused: false, remainingWorkingDays: -2 });
    });

    it('a consultation sent on the due date itself still pauses', () => {
      const events = [received, ev('START_CONSULTATION', '2025-10-30', { kind: 'agency', party: '某局' }), ev('END_CONSULTATION', '2025-11-04', { answer: 'consent' })];
      // (10-30, 11-04] = 10-31, 11-3, 11-4: three working days; 20 + 3 after 9-26 = 11-04.
      expect(computeCaseClock(events, calendar, '2025-11-04')).toMatchObject({ dueDate: '2025-11-04', pausedWorkingDays: 3 });
    });

    it('a fee notice after the due date pauses nothing (国办函〔2020〕109号: within the reply period)', () => {
      const events = [received, ev('SEND_FEE_NOTICE', '2025-11-03', { amountYuan: 700 })];
      const clock = computeCaseClock(events, calendar, '2025-11-05');
      expect(clock).toMatchObject({ dueDate: '2025-10-30', pausedWorkingDays: 0, paused: false, remainingWorkingDays: -4 });
      // The applicant's payment period is still counted: 20 working days from 11-03 → 12-01.
      expect(clock.feeDueDate).toBe('2025-12-01');
      const paid = computeCaseClock([...events, ev('RECORD_FEE_PAYMENT', '2025-11-10', { receiptNumber: 'No.1' })], calendar, '2025-11-10');
      expect(paid).toMatchObject({ dueDate: '2025-10-30', pausedWorkingDays: 0 });
    });

    it('an extension recorded after the due date changes nothing', () => {
      const clock = computeCaseClock([received, ev('EXTEND', '2025-10-31', { workingDays: 20 })], calendar, '2025-10-31');
      expect(clock).toMatchObject({ dueDate: '2025-10-30', extendedWorkingDays: 0, remainingWorkingDays: -1 });
    });

    it('an Art. 35 later date decided after the due date, or not later than it, changes nothing', () => {
      const late = computeCaseClock([received, ev('SET_LATER_REPLY_DATE', '2025-10-31', { replyBy: '2025-12-31' })], calendar, '2025-11-03');
      expect(late).toMatchObject({ dueDate: '2025-10-30', laterReplyDate: null, remainingWorkingDays: -2 });
      const earlier = computeCaseClock([received, ev('SET_LATER_REPLY_DATE', '2025-10-20', { replyBy: '2025-10-28' })], calendar, '2025-10-20');
      expect(earlier).toMatchObject({ dueDate: '2025-10-30', laterReplyDate: null });
      expect(earlier.warnings).toEqual([expect.stringMatching(/2025-10-28 不晚于答复期限 2025-10-30/)]);
    });
  });

  describe('the third party’s relief period after a 公开决定告知书 (Art. 32)', () => {
    it('15 working days from the notice, shown with its end and explained; a late end is warned about', () => {
      const events = [ev('REGISTER', '2025-09-26'), ev('APPROVE', '2025-10-20', { disclosureDecisionNotice: true })];
      // From Mon 10-20: 10-21..24 1–4, 10-27..31 5–9, 11-3..7 10–14, 11-10 15.
      const clock = computeCaseClock(events, calendar, '2025-10-20');
      expect(clock.thirdPartyReliefEnds).toBe('2025-11-10');
      expect(clock.explanation).toEqual(expect.arrayContaining([expect.objectContaining({ date: '2025-10-20', workingDays: 15, article: expect.stringContaining('第三十二条') })]));
      expect(clock.warnings).toEqual([expect.stringMatching(/第三方救济期限至 2025-11-10.*晚于答复期限 2025-10-30/)]);
      const shorter = computeCaseClock(events, calendar, '2025-10-20', { ...DEFAULT_CLOCK_SETTINGS, thirdPartyReliefWorkingDays: 5 });
      expect(shorter.thirdPartyReliefEnds).toBe('2025-10-27');
      expect(shorter.warnings).toEqual([]);
      // Concluded: nothing left to wait for.
      expect(computeCaseClock([...events, ev('ISSUE_REPLY', '2025-11-11')], calendar, '2025-11-12').thirdPartyReliefEnds).toBeNull();
    });
  });

  it('a lapse concludes on the first day after the period’s last day (Art. 30; 109号)', () => {
    expect(lapseDateOf('2025-11-06')).toBe('2025-11-07');
    expect(lapseDateOf('2025-12-31')).toBe('2026-01-01');
  });
});
