import { OFFICIAL_CALENDAR } from './calendar-data';
import { computeCaseClock, type ClockEvent } from './case-clock';
import { WorkingDayCalendar } from './working-day-calendar';

const calendar = new WorkingDayCalendar(OFFICIAL_CALENDAR);
const ev = (type: string, at: string, payload: Record<string, unknown> = {}): ClockEvent => ({ type, at, payload });

// Received 2025-09-26: due 2025-10-30 (10-1..10-8 off, 9-28 and 10-11 worked).
const replied = (issuedAt: string) => [ev('REGISTER', '2025-09-26'), ev('DECIDE', '2025-10-27'), ev('ISSUE_REPLY', issuedAt)];

describe('service of the reply (国办公开办函〔2016〕235号第四条)', () => {
  it('posted on the due date: on time; the date handed to the post is the date that counts', () => {
    const clock = computeCaseClock([...replied('2025-10-29'), ev('RECORD_SERVICE', '2025-10-30', { method: 'post' })], calendar, '2025-11-10');
    expect(clock.replyServedAt).toBe('2025-10-30');
    expect(clock.warnings).toEqual([]);
    expect(clock.explanation).toContainEqual(expect.objectContaining({ date: '2025-10-30', description: '答复书交邮（邮寄送达以交邮之日为期限计算时点）', article: '国办公开办函〔2016〕235号第四条' }));
  });

  it('issued in time but posted after the due date: the reply was late, and the clock says so', () => {
    const clock = computeCaseClock([...replied('2025-10-30'), ev('RECORD_SERVICE', '2025-10-31', { method: 'post' })], calendar, '2025-11-10');
    expect(clock.warnings).toEqual(['答复书于 2025-10-31 交邮，晚于答复期限 2025-10-30（国办公开办函〔2016〕235号第四条：以交邮之日计算）']);
    // The case still concluded on the day the reply was issued (the report's year), and its due date is unchanged.
    expect(clock.asOf).toBe('2025-10-30');
    expect(clock.dueDate).toBe('2025-10-30');
  });

  it('signed for by the applicant after the due date (direct service): late as well', () => {
    const clock = computeCaseClock([...replied('2025-10-30'), ev('RECORD_SERVICE', '2025-11-03', { method: 'direct' })], calendar, '2025-11-10');
    expect(clock.warnings).toEqual(['答复书于 2025-11-03 签收，晚于答复期限 2025-10-30（国办公开办函〔2016〕235号第四条：以签收之日计算）']);
  });

  it('only the first service after the reply counts; a reopened case starts afresh', () => {
    const events = [...replied('2025-10-29'), ev('RECORD_SERVICE', '2025-10-30', { method: 'post' }), ev('RECORD_SERVICE', '2025-11-05', { method: 'direct' })];
    expect(computeCaseClock(events, calendar, '2025-11-10')).toMatchObject({ replyServedAt: '2025-10-30', warnings: [] });
    expect(computeCaseClock([...events, ev('REOPEN', '2025-12-01')], calendar, '2025-12-02').replyServedAt).toBeNull();
  });
});
