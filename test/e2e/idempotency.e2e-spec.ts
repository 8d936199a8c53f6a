import { onlineApplication } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';

/** POST /api/public/applications with Idempotency-Key: one case per key, the same answer to every retry. */
describe('idempotent online applications', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ IDEMPOTENCY_KEY_TTL_HOURS: '6' });
  });
  afterAll(() => t?.close());

  const submit = (key: string, body: unknown) => t.http.post('/api/public/applications').set('Idempotency-Key', key).send(body as object);
  const track = (caseNumber: string, queryCode: string) => t.http.get(`/api/public/applications/${encodeURIComponent(caseNumber)}`).query({ queryCode });
  const casesOf = async (description: string) =>
    (await t.dataSource.query(`SELECT case_number FROM cases WHERE description = $1`, [description])) as { case_number: string }[];

  it('a retry answers the same case number and the same 查询码; the first code keeps working', async () => {
    const body = onlineApplication({ description: '幂等测试一：本区2024年度公共租赁住房房源筹措情况' });
    const first = await submit('retry-key-0001', body).expect(201);
    const again = await submit('retry-key-0001', body).expect(201);
    expect(again.body).toEqual(first.body);
    // The same fields in another order are the same application.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    expect((await submit('retry-key-0001', reordered).expect(201)).body).toEqual(first.body);
    await track(first.body.caseNumber, first.body.queryCode).expect(200);
    expect(await casesOf(body.description)).toHaveLength(1);
    // Kept encrypted beside the key, never in clear; the key expires after IDEMPOTENCY_KEY_TTL_HOURS.
    const [row] = await t.dataSource.query(
      `SELECT query_code_ciphertext, round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours FROM idempotency_keys WHERE key = $1`,
      ['retry-key-0001'],
    );
    expect(row.hours).toBe(6);
    expect(row.query_code_ciphertext).not.toContain(first.body.queryCode);
    expect(JSON.stringify(await t.dataSource.query(`SELECT * FROM idempotency_keys`))).not.toContain(first.body.queryCode);
  });

  it('the same key with another body is refused with 422 and a message that says what to do', async () => {
    await submit('retry-key-0002', onlineApplication({ description: '幂等测试二：本区2024年度旧区改造项目清单' })).expect(201);
    const refused = await submit('retry-key-0002', onlineApplication({ description: '幂等测试二：另一份完全不同的申请内容' })).expect(422);
    expect(refused.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', message: expect.stringContaining('Idempotency-Key 已用于另一份内容不同的申请') });
    expect(await casesOf('幂等测试二：另一份完全不同的申请内容')).toHaveLength(0);
  });

  it('20 parallel submissions with one key: one case, twenty answers with its number and one working code', async () => {
    const body = onlineApplication({ description: '幂等测试三：并发提交的同一份申请' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => submit('parallel-key-0003', body)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((answer) => answer.body.caseNumber)).size).toBe(1);
    expect(new Set(answers.map((answer) => answer.body.queryCode)).size).toBe(1);
    expect(await casesOf(body.description)).toHaveLength(1);
    await track(answers[0].body.caseNumber, answers[0].body.queryCode).expect(200);
  });

  it('a claim whose transaction never committed is released: the retry makes the case', async () => {
    const body = onlineApplication({ description: '幂等测试四：第一次提交在事务中失败' });
    // The case's transaction fails after the key was claimed in it (a trigger refuses the case row).
    await t.dataSource.query(`
      CREATE FUNCTION test_refuse_case() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await t.dataSource.query(`CREATE TRIGGER tr_test_refuse_case BEFORE INSERT ON cases FOR EACH ROW WHEN (NEW.description LIKE '幂等测试四%') EXECUTE FUNCTION test_refuse_case()`);
    try {
      await submit('failed-key-0004', body).expect(500);
    } finally {
      await t.dataSource.query(`DROP TRIGGER tr_test_refuse_case ON cases`);
      await t.dataSource.query(`DROP FUNCTION test_refuse_case()`);
    }
    expect(await t.dataSource.query(`SELECT key FROM idempotency_keys WHERE key = 'failed-key-0004'`)).toEqual([]);
    const created = await submit('failed-key-0004', body).expect(201);
    await track(created.body.caseNumber, created.body.queryCode).expect(200);

    // A claim left committed without an answer (how the former design left a crash) is released too.
    await t.dataSource.query(`INSERT INTO idempotency_keys (key, request_hash, expires_at) VALUES ('stale-key-0005', 'x', now() + interval '1 hour')`);
    const afterStale = await submit('stale-key-0005', onlineApplication({ description: '幂等测试五：崩溃遗留的占用' })).expect(201);
    await track(afterStale.body.caseNumber, afterStale.body.queryCode).expect(200);
  });

  it('an expired key is forgotten: the same key then makes a new case', async () => {
    const body = onlineApplication({ description: '幂等测试六：过期的键' });
    const first = await submit('expired-key-0006', body).expect(201);
    await t.dataSource.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'expired-key-0006'`);
    const second = await submit('expired-key-0006', body).expect(201);
    expect(second.body.caseNumber).not.toBe(first.body.caseNumber);
    await track(first.body.caseNumber, first.body.queryCode).expect(200);
    await track(second.body.caseNumber, second.body.queryCode).expect(200);
  });

  it('refuses a malformed key (400)', async () => {
    const refused = await submit('short', onlineApplication()).expect(400);
    expect(refused.body.message).toContain('Idempotency-Key');
  });
});
