import type { Pool, PoolClient } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { deskApplication } from '../factories/applications';
import { eventSender } from '../support/http';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('POST /api/cases/{id}/events: the workflow over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-31');
  });
  afterAll(() => t.close());

  async function register(receivedAt = '2025-09-26'): Promise<string> {
    const response = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt })).expect(201);
    return response.body.id;
  }
  const send = eventSender(() => t);

  it('walks a case from registration to a signed, issued reply and the proactive decision', async () => {
    const id = await register();
    let view = await send('intake', id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
    expect(view).toMatchObject({ state: 'handling.active', handler: { username: 'handler' }, department: { name: '住房保障科' } });
    view = await send('handler', id, { type: 'DECIDE', at: '2025-10-20', outcome: 'disclosed', provided: '提供复印件 3 页' });
    expect(view).toMatchObject({ state: 'decided.legalReview', outcome: 'disclosed' });
    view = await send('legal', id, { type: 'APPROVE', at: '2025-10-21', comment: '合法' });
    expect(view.state).toBe('decided.headApproval');
    view = await send('head', id, { type: 'APPROVE', at: '2025-10-22' });
    expect(view.state).toBe('decided.signed');
    view = await send('intake', id, { type: 'ISSUE_REPLY', at: '2025-10-23' });
    expect(view).toMatchObject({ state: 'replied', concludedAt: '2025-10-23' });
    view = await send('head', id, { type: 'DECIDE_PROACTIVE', at: '2025-10-24', publish: false, reason: '仅涉及申请人自身' });
    expect(view).toMatchObject({ state: 'closed', version: 7, outcome: 'disclosed', concludedAt: '2025-10-23' });
    expect(view.events.map((event: { type: string }) => event.type)).toEqual([
      'REGISTER', 'ASSIGN', 'DECIDE', 'APPROVE', 'APPROVE', 'ISSUE_REPLY', 'DECIDE_PROACTIVE',
    ]);
    expect(view.events[2]).toMatchObject({ type: 'DECIDE', at: '2025-10-20', by: 'handler', outcome: 'disclosed', provided: '提供复印件 3 页' });
    // The clock is frozen at the conclusion: the reply went out 5 working days before its due date.
    expect(view.clock).toMatchObject({ dueDate: '2025-10-30', asOf: '2025-10-23' });
  });

  it('a handler sees only the cases of its department', async () => {
    const id = await register();
    await t.http.get(`/api/cases/${id}`).set(await t.as('handler')).expect(404);
    const list = await t.http.get('/api/cases').set(await t.as('handler')).expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(id);
    await send('intake', id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
    await t.http.get(`/api/cases/${id}`).set(await t.as('handler')).expect(200);
  });

  describe('refusals', () => {
    it('409 for an event the state does not allow, naming what is possible', async () => {
      const id = await register();
      const body = await send('admin', id, { type: 'APPROVE', at: '2025-09-29' }, 409);
      expect(body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(body.message).toBe('案件当前状态为“已登记”，不能审核通过；现在可以办理：分办、补正告知、撤回申请');
    });

    it('409 naming the missing search record before unavailable.not_held (SPC guiding case 101)', async () => {
      const id = await register();
      await send('intake', id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
      const refused = await send('handler', id, { type: 'DECIDE', at: '2025-10-10', outcome: 'unavailable.not_held', reasons: '经检索未找到' }, 409);
      expect(refused.message).toMatch(/缺少检索记录/);
      await send('handler', id, { type: 'RECORD_SEARCH', at: '2025-10-13', scope: '档案室；OA系统', terms: '旧改 补偿', result: '未检索到' });
      const decided = await send('handler', id, { type: 'DECIDE', at: '2025-10-14', outcome: 'unavailable.not_held', reasons: '经检索未找到' });
      expect(decided.state).toBe('decided.legalReview');
    });

    it('403 for a role that may not send the event, including the wrong review step', async () => {
      const id = await register();
      const assign = await send('legal', id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' }, 403);
      expect(assign.message).toBe('“分办”须由登记、承办、负责人办理');
      await send('intake', id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
      await send('handler', id, { type: 'EXTEND', at: '2025-10-20', workingDays: 10, reason: '档案多' }, 403);
      await send('handler', id, { type: 'DECIDE', at: '2025-10-20', outcome: 'withheld.process_info', reasons: '所申请的会议纪要属于内部讨论记录，尚未定稿' });
      // 合法性审查 belongs to legal: the head cannot skip it.
      const skip = await send('head', id, { type: 'APPROVE', at: '2025-10-21' }, 403);
      expect(skip.message).toBe('“审核通过”须由法制审核办理');
      await send('legal', id, { type: 'APPROVE', at: '2025-10-21' });
      await send('legal', id, { type: 'APPROVE', at: '2025-10-21' }, 403);
      // A user holding both roles approves each step separately.
      await send('admin', id, { type: 'APPROVE', at: '2025-10-22' });
    });

    it.each([
      [{ type: 'TELEPORT' }, /^不认识的办理事项类型；可以办理的事项：确认收到、分办、/],
      [{}, /缺少办理事项的类型/],
      [{ type: 'REGISTER', at: '2025-09-29' }, /“登记”不能通过办理事项接口记录/],
      [{ type: 'ASSIGN', handler: 'handler', at: '2026-01-01' }, /不能晚于今天（2025-12-31）/],
      [{ type: 'ASSIGN', handler: 'handler', at: '2025-09-25' }, /日期（2025-09-25）不能早于本案上一事项的日期（2025-09-26）/],
      [{ type: 'ASSIGN', handler: 'handler', at: '2025-9-29' }, /^日期 应为有效日期/],
      [{ type: 'ASSIGN', handler: 'legal', at: '2025-09-29' }, /没有用户名为“legal”的承办人/],
      [{ type: 'ASSIGN', at: '2025-09-29' }, /^承办人 不能为空$/],
      [{ type: 'ASSIGN', handler: 'handler', at: '2025-09-29', colour: 'red' }, /不认识的字段：colour/],
      [{ type: 'REQUEST_SUPPLEMENT', at: '2025-09-29', items: [] }, /^需要补正的事项 至少列出 1 项$/],
      [{ type: 'EXTEND', at: '2025-09-29', workingDays: 21, reason: 'x' }, /最长不得超过 20 个工作日/],
      [{ type: 'DECIDE', at: '2025-09-29', outcome: 'maybe' }, /^办理结果 应为以下之一：予以公开、部分公开、/],
      [{ type: 'DECIDE', at: '2025-09-29', outcome: 'other.no_supplement', reasons: 'x' }, /^办理结果 应为以下之一：/],
      // api.md: a missing or malformed payload field is 400, before any prerequisite on record (409).
      [{ type: 'DECIDE', at: '2025-09-29', outcome: 'withheld.process_info' }, /^除“予以公开”“予以更正”外，须填写理由$/],
    ])('400 for an invalid body %#', async (body, message) => {
      const id = await register();
      const response = await send('admin', id, body, 400);
      expect(response.message).toMatch(message);
      const view = await t.http.get(`/api/cases/${id}`).set(await t.as('admin')).expect(200);
      expect(view.body).toMatchObject({ version: 1, state: 'registered' });
      expect(view.body.events).toHaveLength(1);
    });

    it('404 for an unknown case or a malformed id', async () => {
      await send('admin', '00000000-0000-4000-8000-000000000000', { type: 'ASSIGN', handler: 'handler' }, 404);
      await t.http.get('/api/cases/not-a-uuid').set(await t.as('admin')).expect(404);
    });

    it('409 for a stale version, and nothing changes', async () => {
      const id = await register();
      await send('intake', id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler', version: 1 });
      const stale = await send('handler', id, { type: 'RECORD_SEARCH', at: '2025-09-30', scope: 'a', terms: 'b', result: 'c', version: 1 }, 409);
      expect(stale.message).toMatch(/当前版本 2/);
      const view = await t.http.get(`/api/cases/${id}`).set(await t.as('handler')).expect(200);
      expect(view.body.events).toHaveLength(2);
    });
  });

  it('racing writers: exactly one wins, the rest get 409, no event is lost or duplicated', async () => {
    const id = await register();
    await send('intake', id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
    const header = await t.as('handler');
    const viewsRecorded = async () =>
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM personal_data_access WHERE action = 'view_case' AND $1 = ANY(case_ids)`, [id]))[0].n as number;
    const viewsBefore = await viewsRecorded();
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        t.http.post(`/api/cases/${id}/events`).set(header).send({ type: 'RECORD_SEARCH', at: '2025-09-30', scope: `范围${index}`, terms: '词', result: '无', version: 2 }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const events = await t.dataSource.query(`SELECT sequence, type FROM case_events WHERE case_id = $1 ORDER BY sequence`, [id]);
    expect(events).toEqual([
      { sequence: 1, type: 'REGISTER' },
      { sequence: 2, type: 'ASSIGN' },
      { sequence: 3, type: 'RECORD_SEARCH' },
    ]);
    const [row] = await t.dataSource.query(`SELECT version FROM cases WHERE id = $1`, [id]);
    expect(row.version).toBe(3);
    // Only the winner's answer showed the case: the losers, refused at their read or at their write, recorded no view.
    expect(await viewsRecorded()).toBe(viewsBefore + 1);
  });

  it('the event log refuses to be rewritten', async () => {
    const id = await register();
    await expect(t.dataSource.query(`UPDATE case_events SET at = '2025-01-01' WHERE case_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM case_events WHERE case_id = $1`, [id])).rejects.toThrow(/append-only/);
  });

  it('a withdrawal concludes the case with other.other', async () => {
    const id = await register();
    const view = await send('intake', id, { type: 'WITHDRAW', at: '2025-10-09', reason: '申请人书面撤回' });
    expect(view).toMatchObject({ state: 'withdrawn', outcome: 'other.other', concludedAt: '2025-10-09', availableEvents: [] });
  });

  it('work queues filter by state and due date and sort by urgency', async () => {
    const early = await register('2025-09-01');
    const late = await register('2025-11-03');
    const header = await t.as('admin');
    const queue = await t.http.get('/api/cases').query({ state: 'registered', pageSize: 200 }).set(header).expect(200);
    const ids = queue.body.items.map((item: { id: string }) => item.id);
    expect(ids.indexOf(early)).toBeLessThan(ids.indexOf(late));
    const overdue = await t.http.get('/api/cases').query({ overdue: 'true', pageSize: 200 }).set(header).expect(200);
    expect(overdue.body.items.map((item: { id: string }) => item.id)).toContain(early);
    expect(overdue.body.items.every((item: { remainingWorkingDays: number }) => item.remainingWorkingDays < 0)).toBe(true);
    const dueBefore = await t.http.get('/api/cases').query({ due_before: '2025-10-15', pageSize: 200 }).set(header).expect(200);
    expect(dueBefore.body.items.map((item: { id: string }) => item.id)).toContain(early);
    expect(dueBefore.body.items.map((item: { id: string }) => item.id)).not.toContain(late);
    expect(queue.body.items[0].applicantIdNumber).toBe('110105********002X');
    await t.http.get('/api/cases').query({ due_before: 'soon' }).set(header).expect(400);
    await t.http.get('/api/cases').query({ pageSize: 1000 }).set(header).expect(400);
  });

  // Last in the file: it changes a column's type.
  it('records steps after the server dropped their prepared statements (DISCARD ALL, a pooler) or a migration changed a column they read', async () => {
    const id = await register();
    const other = await register();
    await send('intake', id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
    const logged = t.logLines.length;
    // Every connection of the pool forgets its prepared statements; `pg` still believes them prepared (26000).
    const pool = (t.dataSource.driver as PostgresDriver).master as Pool;
    const clients: PoolClient[] = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
    for (const client of clients) await client.query('DEALLOCATE ALL');
    for (const client of clients) client.release();
    // A step that writes its one statement (no transaction) and one that issues a letter (a transaction for its writes).
    let view = await send('handler', id, { type: 'RECORD_SEARCH', at: '2025-09-30', scope: 'OA系统', terms: '申请所述事项', result: '未检索到' });
    expect(view).toMatchObject({ version: 3, events: [{ type: 'REGISTER' }, { type: 'ASSIGN' }, { type: 'RECORD_SEARCH' }] });
    view = await send('intake', other, { type: 'REQUEST_SUPPLEMENT', at: '2025-09-30', items: ['请写明所需信息的名称或文号'] });
    expect(view).toMatchObject({ version: 2, state: 'awaitingSupplement' });
    // A column the step's read returns changes type while the service runs (0A000: cached plan must not change result type).
    await t.dataSource.query(`ALTER TABLE cases ALTER COLUMN state TYPE varchar(64)`);
    view = await send('handler', id, { type: 'RECORD_SEARCH', at: '2025-09-30', scope: '档案室', terms: '申请所述事项', result: '未检索到' });
    expect(view).toMatchObject({ version: 4, state: 'handling.active' });
    view = await send('handler', id, { type: 'RECORD_SEARCH', at: '2025-09-30', scope: '纸质档案', terms: '申请所述事项', result: '未检索到' });
    expect(view.version).toBe(5);
    expect(t.logLines.slice(logged).filter((line) => line.includes('unhandled error'))).toEqual([]);
  });
});
