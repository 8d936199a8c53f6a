import { JobRunnerService } from '../../apps/api/src/jobs/job-runner.service';
import { deskApplication } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';

// A notice for 2027 as an administrator would enter it (test data: New Year's Day 2027 is a Friday; the 调休 Saturday
// 2027-01-09 is invented so that publishing moves a due date).
const NOTICE_2027 = {
  published: true,
  source: '国务院办公厅关于2027年部分节假日安排的通知（测试数据）',
  holidays: [
    { date: '2027-01-01', name: '元旦' },
    { date: '2027-01-02', name: '元旦' },
    { date: '2027-01-03', name: '元旦' },
  ],
  workdays: [{ date: '2027-01-09', name: '元旦' }],
};

describe('GET/PUT /api/calendar/{year}: entering next year’s notice', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('shows a seeded year to an administrator only', async () => {
    const year = await t.http.get('/api/calendar/2025').set(await t.as('admin')).expect(200);
    expect(year.body).toMatchObject({ year: 2025, published: true });
    expect(year.body.workdays.map((day: { date: string }) => day.date)).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(year.body.holidays.map((day: { date: string }) => day.date)).toContain('2025-10-08');
    await t.http.get('/api/calendar/2025').set(await t.as('intake')).expect(403);
    await t.http.get('/api/calendar/2027').set(await t.as('admin')).expect(404);
    await t.http.get('/api/calendar/20x5').set(await t.as('admin')).expect(400);
  });

  it('recomputes every open deadline in the background and records the change', async () => {
    t.setToday('2026-12-21');
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2026-12-18' })).expect(201);
    // Without 2027: 12-21..25 = 1..5, 12-28..31 = 6..9; 2027-01-01 is 元旦 in any year (rules.md §3), so
    // 1-4..8 = 10..14, 1-11..15 = 15..19, 1-18 = 20, provisional.
    expect(created.body.clock).toMatchObject({ dueDate: '2027-01-18', provisional: true });
    const concluded = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2026-12-18' })).expect(201);
    await t.http.post(`/api/cases/${concluded.body.id}/events`).set(await t.as('intake')).send({ type: 'WITHDRAW', at: '2026-12-21' }).expect(200);

    const saved = await t.http.put('/api/calendar/2027').set(await t.as('admin')).send(NOTICE_2027).expect(200);
    expect(saved.body).toMatchObject({ year: 2027, published: true, change: { recomputation: 'queued' } });
    // The case view computes from the new calendar at once; the stored due date follows in the background job.
    const view = await t.http.get(`/api/cases/${created.body.id}`).set(await t.as('intake')).expect(200);
    // With the notice: the 调休 Saturday 1-9 = 15, 1-11..15 = 16..20.
    expect(view.body.clock).toMatchObject({ dueDate: '2027-01-15', provisional: false });

    const ran = await t.app.get(JobRunnerService).runDue();
    expect(ran).toHaveLength(1);
    const [row] = await t.dataSource.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS due, due_provisional FROM cases WHERE id = $1`, [created.body.id]);
    expect(row).toEqual({ due: '2027-01-15', due_provisional: false });
    const changes = await t.http.get('/api/calendar/changes').set(await t.as('admin')).expect(200);
    expect(changes.body[0]).toMatchObject({ year: 2027, changedBy: 'admin', recomputedCases: 1, changedCases: 1 });
    const [notice] = await t.dataSource.query(`SELECT body FROM notifications WHERE case_id = $1 AND kind = 'calendar_change' LIMIT 1`, [created.body.id]);
    expect(notice.body).toContain('由 2027-01-18 变更为 2027-01-15');
    const working = await t.http.get('/api/calendar/working-days').query({ from: '2026-12-31', add: 1 }).set(await t.as('intake')).expect(200);
    expect(working.body).toEqual({ date: '2027-01-04', provisional: false });
  });

  it.each([
    ['a date outside the year', { ...NOTICE_2027, holidays: [{ date: '2028-01-01', name: '元旦' }] }],
    ['a 调休 working day on a weekday', { ...NOTICE_2027, workdays: [{ date: '2027-01-04', name: '元旦' }] }],
    ['a malformed date', { ...NOTICE_2027, holidays: [{ date: '2027-02-30', name: '春节' }] }],
    ['no published flag', { source: 'x', holidays: [], workdays: [] }],
    ['an unknown field', { ...NOTICE_2027, comment: 'x' }],
  ])('refuses %s with 400 and changes nothing', async (_label, body) => {
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM calendar_changes`);
    const response = await t.http.put('/api/calendar/2027').set(await t.as('admin')).send(body).expect(400);
    expect(response.body.message.length).toBeGreaterThan(0);
    const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM calendar_changes`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('is for administrators only', async () => {
    await t.http.put('/api/calendar/2027').set(await t.as('head')).send(NOTICE_2027).expect(403);
  });
});
