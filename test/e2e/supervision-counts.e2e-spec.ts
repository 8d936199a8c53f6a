// 督办 (issue 20): the head's table of each lead department's open, due-soon and overdue cases and of the year's
// conclusions and late replies is read from the open cases' index and from counts kept per department and year
// (migrations/1796800000030). Whatever it reads, its numbers must be those of a plain count over the cases — after the
// steps of real cases on real dates, and after writes that bypass the steps (a bulk move between departments, a
// conclusion moved to another year, a due date changed), which the kept counts must follow too.
import { CalendarService } from '../../apps/api/src/calendar/calendar.service';
import { deskApplication } from '../factories/applications';
import { consoleGet, consoleSession } from '../support/console-http';
import { eventSender, reviewApprover } from '../support/http';
import { addHandler } from '../support/users';
import { startTestApp, type TestApp } from '../setup/test-app';

const TODAY = '2025-12-15';
const COLUMNS = ['open', 'dueSoon', 'overdue', 'concluded', 'late'] as const;
type Row = Record<(typeof COLUMNS)[number], number>;

describe('督办: each department’s numbers are a plain count over the cases', () => {
  let t: TestApp;
  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);
  const ids: Record<string, string> = {};

  async function received(name: string, receivedAt: string, handler: string | null): Promise<string> {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt, description: `${name}所需信息` })).expect(201);
    if (handler) await send('intake', created.body.id, { type: 'ASSIGN', at: receivedAt, handler });
    ids[name] = created.body.id;
    return created.body.id;
  }

  async function replied(name: string, receivedAt: string, at: string): Promise<string> {
    const id = await received(name, receivedAt, 'handler');
    await send('handler', id, { type: 'DECIDE', at, outcome: 'withheld.internal_affairs', reasons: '属于内部管理信息' });
    await approve('legal', id, { at, comment: '同意' });
    await approve('head', id, { at });
    await send('intake', id, { type: 'ISSUE_REPLY', at });
    return id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    // A second lead department with a handler of its own.
    await addHandler(t, 'handler2', '政府信息公开办公室', '周承办');
    t.setToday('2024-11-05');
    const lastYear = await received('lastYear', '2024-11-01', 'handler');
    await send('handler', lastYear, { type: 'WITHDRAW', at: '2024-11-05', reason: '申请人书面撤回' });
    t.setToday(TODAY);
    await received('unassigned', '2025-12-12', null);
    await received('overdue', '2025-10-09', 'handler');
    await received('soon', '2025-11-19', 'handler');
    await received('later', '2025-12-15', 'handler2');
    await replied('onTime', '2025-11-03', '2025-11-20');
    // Received in September, withdrawn in December: concluded after its due date.
    const late = await received('late', '2025-09-01', 'handler2');
    await send('handler2', late, { type: 'WITHDRAW', at: '2025-12-01', reason: '申请人书面撤回' });
    const withdrawn = await received('withdrawnUnassigned', '2025-12-01', null);
    await send('intake', withdrawn, { type: 'WITHDRAW', at: '2025-12-02', reason: '申请人书面撤回' });
    // Concluded this year, then reopened by a corrected review: open again, out of the year's conclusions.
    const reopened = await replied('reopened', '2025-11-04', '2025-11-21');
    await send('legal', reopened, { type: 'REOPEN', at: '2025-12-15', reason: '复议决定撤销并责令重新答复' });
  });
  afterAll(() => t?.close());

  /** The table as the head sees it: department → its five numbers, and the totals row. */
  async function page(): Promise<{ rows: Record<string, Row>; totals: Row }> {
    const html = (await consoleGet(t, await consoleSession(t, 'head'), '/staff/supervision').expect(200)).text;
    const numbers = (cells: string) => [...cells.matchAll(/<td class="num">([\s\S]*?)<\/td>/g)].map((cell) => Number(cell[1].replace(/<[^>]+>/g, '')));
    const row = (values: number[]) => Object.fromEntries(COLUMNS.map((column, index) => [column, values[index]])) as Row;
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1];
    const rows = Object.fromEntries([...body.matchAll(/<th scope="row">([^<]+)<\/th>([\s\S]*?)<\/tr>/g)].map((match) => [match[1], row(numbers(match[2]))]));
    return { rows, totals: row(numbers(/<tfoot>([\s\S]*?)<\/tfoot>/.exec(html)![1])) };
  }

  /** The same numbers counted plainly over the cases, written out here rather than taken from the service. */
  async function plainCount(): Promise<{ rows: Record<string, Row>; totals: Row }> {
    const [{ days }] = await t.dataSource.query(`SELECT (settings->>'dueSoonWorkingDays')::int AS days FROM agencies`);
    const dueSoonBy = t.app.get(CalendarService).calendar().addWorkingDays(TODAY, days).date;
    const counted: ({ department: string } & Row)[] = await t.dataSource.query(
      `SELECT COALESCE(d.name, '尚未分办') AS department,
              count(*) FILTER (WHERE c.concluded_at IS NULL)::int AS open,
              count(*) FILTER (WHERE c.concluded_at IS NULL AND c.due_date BETWEEN $1 AND $2)::int AS "dueSoon",
              count(*) FILTER (WHERE c.concluded_at IS NULL AND c.due_date < $1)::int AS overdue,
              count(*) FILTER (WHERE c.concluded_at >= $3)::int AS concluded,
              count(*) FILTER (WHERE c.concluded_at >= $3 AND c.concluded_at > c.due_date)::int AS late
         FROM cases c LEFT JOIN departments d ON d.id = c.department_id
        GROUP BY d.name
       HAVING count(*) FILTER (WHERE c.concluded_at IS NULL OR c.concluded_at >= $3) > 0`,
      [TODAY, dueSoonBy, '2025-01-01'],
    );
    const rows = Object.fromEntries(counted.map(({ department, ...row }) => [department, row]));
    const totals = Object.fromEntries(COLUMNS.map((column) => [column, counted.reduce((sum, row) => sum + row[column], 0)])) as Row;
    return { rows, totals };
  }

  it('after the steps of real cases: every number of every department, and the totals', async () => {
    const expected = await plainCount();
    // Not vacuous: two departments and the unassigned cases, and something in every column.
    expect(Object.keys(expected.rows).sort()).toEqual(['住房保障科', '尚未分办', '政府信息公开办公室'].sort());
    for (const column of COLUMNS) expect(expected.totals[column]).toBeGreaterThan(0);
    expect(await page()).toEqual(expected);
    // The cases as named: the reopened case is open again and no longer among the year's conclusions.
    expect(expected.rows['住房保障科']).toMatchObject({ open: 3, concluded: 1 });
    expect(expected.rows['政府信息公开办公室']).toMatchObject({ concluded: 1, late: 1 });
  });

  it('after writes that bypass the steps: a bulk move between departments, a conclusion moved a year back, a due date changed', async () => {
    const [office] = await t.dataSource.query(`SELECT id FROM departments WHERE name = '政府信息公开办公室'`);
    // One statement moving a case concluded this year, one concluded last year and an open one.
    await t.dataSource.query(`UPDATE cases SET department_id = $1 WHERE id = ANY($2)`, [office.id, [ids.onTime, ids.lastYear, ids.overdue]]);
    await t.dataSource.query(`UPDATE cases SET concluded_at = '2024-12-31' WHERE id = $1`, [ids.withdrawnUnassigned]);
    // Replied on 2025-11-20: with a due date the day before, a late reply.
    await t.dataSource.query(`UPDATE cases SET due_date = '2025-11-19' WHERE id = $1`, [ids.onTime]);
    const expected = await plainCount();
    expect(expected.rows['政府信息公开办公室']).toMatchObject({ concluded: 2, late: 2 });
    expect(expected.rows['尚未分办']).toMatchObject({ concluded: 0 });
    expect(await page()).toEqual(expected);
  });
});
