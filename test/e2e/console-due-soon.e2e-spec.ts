// 即将到期 and 已逾期 mean the same on the head's home, the queues and 督办 (issue 16): a case whose due date has passed is
// overdue, not “due soon”; due soon is due today or within the agency's due-soon working days. Real dates, real clock.
import { deskApplication } from '../factories/applications';
import { consoleGet, consoleSession, pageText } from '../support/console-http';
import { eventSender } from '../support/http';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('即将到期 and 已逾期: one definition on the home page, the queues and 督办', () => {
  let t: TestApp;
  const send = eventSender(() => t);
  const cases: Record<string, { id: string; caseNumber: string }> = {};

  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-15');
    // Received long ago (due in November: overdue), four weeks before today (due within days) and today (due in January).
    for (const [name, receivedAt] of [
      ['overdue', '2025-10-09'],
      ['soon', '2025-11-19'],
      ['later', '2025-12-15'],
    ] as const) {
      const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt, description: `${name}所需信息` })).expect(201);
      cases[name] = { id: created.body.id, caseNumber: created.body.caseNumber };
      await send('intake', created.body.id, { type: 'ASSIGN', at: '2025-12-15', handler: 'handler' });
    }
  });
  afterAll(() => t?.close());

  it('the cases are what their names say, by the clock (the agency warns 3 working days ahead)', async () => {
    const remaining = async (name: string) => (await t.http.get(`/api/cases/${cases[name].id}`).set(await t.as('head')).expect(200)).body.clock.remainingWorkingDays as number;
    expect(await remaining('overdue')).toBeLessThan(0);
    const soon = await remaining('soon');
    expect(soon).toBeGreaterThanOrEqual(0);
    expect(soon).toBeLessThanOrEqual(3);
    expect(await remaining('later')).toBeGreaterThan(3);
  });

  /** The count of a home card by its label. */
  const card = (html: string, label: string) => Number(new RegExp(`<span class="card-count">(\\d+)</span><span class="card-label">${label}</span>`).exec(html)?.[1] ?? NaN);

  it('the head’s home counts the overdue case once, as 已逾期, and 即将到期 only the case due within days — as 督办 does', async () => {
    const head = await consoleSession(t, 'head');
    const home = (await consoleGet(t, head, '/staff').expect(200)).text;
    expect({ dueSoon: card(home, '即将到期'), overdue: card(home, '已逾期未答复') }).toEqual({ dueSoon: 1, overdue: 1 });
    const supervision = (await consoleGet(t, head, '/staff/supervision').expect(200)).text;
    const totals = /<tfoot>[\s\S]*?<\/tfoot>/.exec(supervision)![0].match(/<td class="num">(\d+)<\/td>/g)!.map((cell) => Number(/\d+/.exec(cell)![0]));
    // 在办, 即将到期, 已逾期, …
    expect(totals.slice(0, 3)).toEqual([3, 1, 1]);

    const handler = await consoleSession(t, 'handler');
    const handlerHome = (await consoleGet(t, handler, '/staff').expect(200)).text;
    expect({ dueSoon: card(handlerHome, '即将到期'), overdue: card(handlerHome, '已逾期未答复') }).toEqual({ dueSoon: 1, overdue: 1 });
  });

  it('the 即将到期 queue lists the case due within days, not the overdue one', async () => {
    const head = await consoleSession(t, 'head');
    const queue = pageText(await consoleGet(t, head, '/staff/queue?view=due_soon').expect(200));
    expect(queue).toContain(cases.soon.caseNumber);
    expect(queue).not.toContain(cases.overdue.caseNumber);
    expect(queue).not.toContain(cases.later.caseNumber);
    const overdue = pageText(await consoleGet(t, head, '/staff/queue?view=overdue').expect(200));
    expect(overdue).toContain(cases.overdue.caseNumber);
    expect(overdue).not.toContain(cases.soon.caseNumber);
  });
});
