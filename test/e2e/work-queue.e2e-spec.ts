import { deskApplication } from '../factories/applications';
import { consoleGet, consoleSession, pageText } from '../support/console-http';
import { eventSender } from '../support/http';
import { addOfficeHandler } from '../support/users';
import { startTestApp, type TestApp } from '../setup/test-app';

/** GET /api/cases: who sees what, most urgent first, and pages that neither lose nor repeat a case. */
describe('the work queues', () => {
  let t: TestApp;
  const send = eventSender(() => t);
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-31');
    await addOfficeHandler(t);
    // Receipt dates give distinct due dates (20 working days on); the demo handler is in 住房保障科, handler2 in the office.
    const plan: [string, string, string][] = [
      ['A', '2025-12-03', 'handler'],
      ['B', '2025-12-01', 'handler'],
      ['C', '2025-12-05', 'handler'],
      ['D', '2025-12-02', 'handler2'],
      ['E', '2025-12-04', 'handler2'],
      ['F', '2025-11-28', 'handler'],
    ];
    for (const [name, receivedAt, handler] of plan) {
      const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt, description: `案件${name}所需信息` })).expect(201);
      ids[name] = created.body.id;
      await send('intake', ids[name], { type: 'ASSIGN', at: '2025-12-08', handler });
    }
    // 协办: the office asks 住房保障科 about D, so the demo handler sees D; E stays the office's alone.
    await send('handler2', ids.D, { type: 'REQUEST_ASSISTANCE', at: '2025-12-09', department: '住房保障科', question: '请提供台账', dueDate: '2025-12-16' });
    await send('handler', ids.F, { type: 'WITHDRAW', at: '2025-12-09' });
  });
  afterAll(() => t.close());

  const nameOf = (id: string) => Object.entries(ids).find(([, value]) => value === id)?.[0] ?? id;
  async function queue(username: string, query: Record<string, string | number> = {}) {
    const response = await t.http.get('/api/cases').query(query).set(await t.as(username)).expect(200);
    return { names: response.body.items.map((item: { id: string }) => nameOf(item.id)) as string[], total: response.body.total as number, items: response.body.items };
  }

  it('shows a handler its department’s cases and those it assists with, open ones by due date, concluded ones last', async () => {
    const mine = await queue('handler');
    expect(mine.names).toEqual(['B', 'D', 'A', 'C', 'F']);
    expect(mine.total).toBe(5);
    const dueDates = mine.items.slice(0, 4).map((item: { dueDate: string }) => item.dueDate);
    expect([...dueDates].sort()).toEqual(dueDates);
    expect(mine.items[4]).toMatchObject({ outcome: 'other.other', remainingWorkingDays: null, overdue: false });
    expect((await queue('handler2')).names).toEqual(['D', 'E']);
  });

  it('pages through a handler’s two halves without losing or repeating a case', async () => {
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      const result = await queue('handler', { page, pageSize: 2 });
      expect(result.total).toBe(5);
      pages.push(...result.names);
    }
    expect(pages).toEqual(['B', 'D', 'A', 'C', 'F']);
    expect((await queue('handler', { page: 4, pageSize: 2 })).names).toEqual([]);
  });

  it('shows intake the whole agency, with the filters applied to every half', async () => {
    const all = await queue('intake', { pageSize: 100 });
    expect(all.names).toEqual(['B', 'D', 'A', 'E', 'C', 'F']);
    expect((await queue('intake', { page: 2, pageSize: 4 })).names).toEqual(['C', 'F']);
    expect((await queue('handler', { q: '案件D' })).names).toEqual(['D']);
    expect((await queue('handler', { q: '案件E' })).names).toEqual([]);
    expect((await queue('handler', { department: '政府信息公开办公室' })).names).toEqual(['D']);
    expect((await queue('handler', { state: 'handling' })).names).toEqual(['B', 'D', 'A', 'C']);
  });

  it('counts a queue only up to a thousand cases (or to the page asked for), and says so', async () => {
    expect(await queueWithCount('handler')).toMatchObject({ total: 5, totalExact: true });
    // A thousand more cases in the demo handler's department: copies of A, each with a number of its own.
    const [{ columns }] = await t.dataSource.query(
      `SELECT string_agg(quote_ident(column_name), ', ') AS columns FROM information_schema.columns
        WHERE table_name = 'cases' AND is_generated = 'NEVER' AND column_name NOT IN ('id', 'case_number')`,
    );
    await t.dataSource.query(
      `INSERT INTO cases (id, case_number, ${columns}) SELECT gen_random_uuid(), case_number || '-' || g, ${columns} FROM cases, generate_series(1, 1000) g WHERE id = $1`,
      [ids.A],
    );
    expect(await queueWithCount('handler')).toMatchObject({ total: 1000, totalExact: false });
    expect(await queueWithCount('handler', { state: 'handling' })).toMatchObject({ total: 1000, totalExact: false });
    // Page 51 of 20 lies past the thousand: counted that far, the 1 005 cases are exact again, and the page holds the last five.
    const deep = await queueWithCount('handler', { page: 51, pageSize: 20 });
    expect(deep).toMatchObject({ total: 1005, totalExact: true });
    expect(deep.items).toHaveLength(5);
    expect(await queueWithCount('handler', { department: '政府信息公开办公室' })).toMatchObject({ total: 1, totalExact: true });

    const session = await consoleSession(t, 'handler');
    const page = pageText(await consoleGet(t, session, '/staff/queue?view=open').expect(200));
    expect(page).toContain('超过 1000 件，第 1–20 件');
    expect(page).toContain('第 1 页');
    expect(page).toContain('下一页');
    expect(pageText(await consoleGet(t, session, '/staff').expect(200))).toContain('1000+');
  });

  async function queueWithCount(username: string, query: Record<string, string | number> = {}) {
    return (await t.http.get('/api/cases').query(query).set(await t.as(username)).expect(200)).body as { total: number; totalExact: boolean; items: unknown[] };
  }
});
