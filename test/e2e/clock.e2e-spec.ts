import { deskApplication } from '../factories/applications';
import { eventSender } from '../support/http';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('the statutory clock of a case over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const send = eventSender(() => t);

  it('补正, then an agency consultation, then an extension, across Spring Festival 2026', async () => {
    t.setToday('2026-02-06');
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2026-02-06' })).expect(201);
    const id = created.body.id;
    // 7 working days for the 补正 notice: 2-9..13 = 1..5, 2-14 (调休 Saturday) = 6, 2-24 = 7.
    expect(created.body.clock).toMatchObject({ dueDate: '2026-03-12', supplementNoticeDueDate: '2026-02-24' });

    t.setToday('2026-02-09');
    let view = await send('intake', id, { type: 'REQUEST_SUPPLEMENT', at: '2026-02-09', items: ['请写明所需信息的文号'], periodWorkingDays: 15 });
    expect(view.state).toBe('awaitingSupplement');
    // 2-10..13 = 1..4, 2-14 = 5, 2-24..27 = 6..9, 2-28 = 10, 3-2..6 = 11..15
    expect(view.clock).toMatchObject({ dueDate: null, supplementDueDate: '2026-03-06', warnings: [] });

    t.setToday('2026-02-24');
    view = await send('intake', id, { type: 'RECEIVE_SUPPLEMENT', at: '2026-02-13', summary: '补充了文号' });
    // The reply clock restarts from 2-13: 2-14 = 1, 2-24..27 = 2..5, 2-28 = 6, 3-2..6 = 7..11, 3-9..13 = 12..16, 3-16..19 = 17..20.
    expect(view.clock).toMatchObject({ dueDate: '2026-03-19', supplementDueDate: null });

    view = await send('intake', id, { type: 'ASSIGN', at: '2026-02-24', handler: 'handler' });
    t.setToday('2026-03-06');
    view = await send('handler', id, { type: 'START_CONSULTATION', at: '2026-03-02', kind: 'agency', party: '区规划资源局' });
    expect(view.clock).toMatchObject({ paused: true, consultationLimitDate: '2026-03-23' });
    view = await send('handler', id, { type: 'END_CONSULTATION', at: '2026-03-06', answer: 'consent' });
    expect(view.clock).toMatchObject({ pausedWorkingDays: 4, dueDate: '2026-03-25', paused: false });

    t.setToday('2026-03-20');
    view = await send('head', id, { type: 'EXTEND', at: '2026-03-20', workingDays: 10, reason: '需调取历年档案' });
    // 3-26..27, 3-30..4-3 = 25..31; 4-4..4-6 清明 off; 4-7..9 = 32..34
    expect(view.clock).toMatchObject({ dueDate: '2026-04-09', extendedWorkingDays: 10, pausedWorkingDays: 4, remainingWorkingDays: 13, overdue: false });
    expect(view.clock.explanation.map((step: { article: string }) => step.article)).toEqual([
      '第三十一条、第三十三条第二款',
      '第三十条',
      '第三十条、第三十三条',
      '第三十四条、第三十三条第三款',
      '第三十三条第三款',
      '第三十三条第二款',
      '第三十三条',
    ]);
    expect(view.clock.explanation.at(-1)).toMatchObject({ date: '2026-04-09', workingDays: 34 });
    expect(view.events.find((event: { type: string }) => event.type === 'EXTEND')).toMatchObject({ dueDateBeforeExtension: '2026-03-25' });
    const [row] = await t.dataSource.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS due FROM cases WHERE id = $1`, [id]);
    expect(row.due).toBe('2026-04-09');
  });

  it('refuses an extension approved after the due date, naming both dates (Art. 33 ¶2)', async () => {
    t.setToday('2025-11-03');
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-09-26' })).expect(201);
    await send('intake', created.body.id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
    const refused = await send('head', created.body.id, { type: 'EXTEND', at: '2025-10-31', workingDays: 10, reason: '档案多' }, 409);
    expect(refused.message).toContain('答复期限为 2025-10-30，批准日期 2025-10-31 已逾期');
    const view = await t.http.get(`/api/cases/${created.body.id}`).set(await t.as('head')).expect(200);
    expect(view.body.clock).toMatchObject({ dueDate: '2025-10-30', remainingWorkingDays: -2, overdue: true });
  });

  it('refuses follow-up dates before the event or after today (400)', async () => {
    t.setToday('2025-10-20');
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-09-26' })).expect(201);
    const before = await send('intake', created.body.id, { type: 'REQUEST_SUPPLEMENT', at: '2025-10-09', items: ['文号'], noticeReceivedAt: '2025-10-08' }, 400);
    expect(before.message).toMatch(/申请人收到告知之日（2025-10-08）应在 2025-10-09 至今天（2025-10-20）之间/);
    await send('intake', created.body.id, { type: 'REQUEST_SUPPLEMENT', at: '2025-10-09', items: ['文号'], noticeReceivedAt: '2025-10-21' }, 400);
    const late = await send('intake', created.body.id, { type: 'REQUEST_SUPPLEMENT', at: '2025-10-14', items: ['文号'], noticeReceivedAt: '2025-10-16' });
    // Sent after the 7th working day (10-13): allowed, but the clock says so.
    expect(late.clock.warnings).toEqual([expect.stringContaining('晚于收到申请后 7 个工作日（2025-10-13）')]);
    expect(late.clock.supplementDueDate).toBe('2025-11-06');
  });

  it('GET /api/calendar/working-days answers the court case and flags an unpublished year', async () => {
    const header = await t.as('intake');
    await t.http.get('/api/calendar/working-days').query({ from: '2022-09-30', add: 20 }).set(header).expect(200, { date: '2022-11-02', provisional: false });
    const provisional = await t.http.get('/api/calendar/working-days').query({ from: '2026-12-18', add: 20 }).set(header).expect(200);
    // 2027 is not published, but 2027-01-01 is 元旦 in every year: day 10 is 1-4, day 20 is 1-18 (rules.md §3).
    expect(provisional.body).toEqual({ date: '2027-01-18', provisional: true });
    await t.http.get('/api/calendar/working-days').query({ from: '2026-02-30', add: 1 }).set(header).expect(400);
    await t.http.get('/api/calendar/working-days').query({ from: '2026-02-10', add: -1 }).set(header).expect(400);
  });
});
