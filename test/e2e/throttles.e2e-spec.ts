import { loadConfig } from '../../apps/api/src/config/app-config';
import { deskApplication, onlineApplication } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';

/** Throttles that stop guessing and floods without letting anyone lock others out (issue 13, item 6). */
describe('throttles behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'loopback',
      PUBLIC_TRACKING_MAX_FAILURES: '3',
      PUBLIC_TRACKING_CASE_MAX_FAILURES: '5',
      ONLINE_APPLICATIONS_PER_HOUR: '3',
      LOGIN_ACCOUNT_BACKOFF_FAILURES: '6',
      LOGIN_ACCOUNT_BACKOFF_SECONDS: '1',
    });
  });
  afterAll(() => t?.close());

  const track = (caseNumber: string, queryCode: string, address: string) =>
    t.http.get(`/api/public/applications/${encodeURIComponent(caseNumber)}`).query({ queryCode }).set('X-Forwarded-For', address);
  const login = (username: string, password: string, address: string) => t.http.post('/api/auth/login').set('X-Forwarded-For', address).send({ username, password });

  it('many addresses guessing one case: past the case limit a wrong code answers 429 and spends its address; the right pair is still answered', async () => {
    const target = await t.http.post('/api/public/applications').set('X-Forwarded-For', '192.0.2.200').send(onlineApplication()).expect(201);
    const other = await t.http.post('/api/public/applications').set('X-Forwarded-For', '192.0.2.201').send(onlineApplication()).expect(201);
    for (let guesser = 1; guesser <= 5; guesser++) await track(target.body.caseNumber, 'WRONGCODE2', `198.51.100.${guesser}`).expect(404);
    // The case is under guard: a new address's wrong guess is refused…
    const refused = await track(target.body.caseNumber, 'WRONGCODE3', '198.51.100.6').expect(429);
    expect(refused.body.message).toContain('这个案件编号近期查询失败次数过多');
    // …and costs that address its whole allowance, for any case.
    await track(other.body.caseNumber, other.body.queryCode, '198.51.100.6').expect(429);
    // The applicant, from a new address or an old one, gets the answer.
    expect((await track(target.body.caseNumber, target.body.queryCode, '203.0.113.77').expect(200)).body.caseNumber).toBe(target.body.caseNumber);
    await track(target.body.caseNumber, target.body.queryCode, '192.0.2.200').expect(200);
    // Other cases are not under guard.
    await track(other.body.caseNumber, 'WRONGCODE2', '198.51.100.7').expect(404);
  });

  it('sign-in: five failures lock that account from that address only; the owner signs in from elsewhere', async () => {
    for (let attempt = 0; attempt < 5; attempt++) await login('legal', 'wrong-password', '198.51.100.20').expect(401);
    const limited = await login('legal', 'demo-password', '198.51.100.20').expect(429);
    expect(limited.body.message).toMatch(/15 分钟后再试/);
    await login('legal', 'demo-password', '198.51.100.21').expect(200);
    // Other accounts from the locked address go on.
    await login('head', 'demo-password', '198.51.100.20').expect(200);
  });

  it('sign-in: failures of one account from many addresses slow every attempt on it, and lock nobody out', async () => {
    for (let address = 1; address <= 6; address++) await login('admin', 'wrong-password', `192.0.2.${address}`).expect(401);
    const started = Date.now();
    await login('admin', 'demo-password', '192.0.2.99').expect(200);
    // LOGIN_ACCOUNT_BACKOFF_SECONDS=1: the attempt waited before it was checked.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('online applications: ONLINE_APPLICATIONS_PER_HOUR per address, 429 in Chinese, retries with a key free, other addresses unaffected', async () => {
    const from = (address: string, body = onlineApplication(), key?: string) => {
      const request = t.http.post('/api/public/applications').set('X-Forwarded-For', address);
      return (key ? request.set('Idempotency-Key', key) : request).send(body);
    };
    const keyed = onlineApplication({ description: '限流测试：带键的申请' });
    await from('203.0.113.30', keyed, 'flood-key-0001').expect(201);
    await from('203.0.113.30').expect(201);
    await from('203.0.113.30').expect(201);
    const refused = await from('203.0.113.30').expect(429);
    expect(refused.body.message).toBe('同一网络地址每小时最多在线提交 3 份申请，请一小时后再试；也可以当面、邮寄或传真提交申请');
    // A retry of an application already made takes no new case number and is answered, however many arrive at once.
    const retries = await Promise.all(Array.from({ length: 5 }, () => from('203.0.113.30', keyed, 'flood-key-0001')));
    expect(retries.map((retry) => retry.status)).toEqual([201, 201, 201, 201, 201]);
    // Twenty at once with a new key from a fresh address: one case, one place of the allowance.
    const burst = await Promise.all(Array.from({ length: 20 }, () => from('203.0.113.32', keyed, 'flood-key-0002')));
    expect(burst.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    expect(new Set(burst.map((answer) => answer.body.caseNumber)).size).toBe(1);
    await from('203.0.113.32').expect(201);
    await from('203.0.113.32').expect(201);
    await from('203.0.113.32').expect(429);
    // The portal's form counts alike and answers with its page.
    const page = await t.http.post('/apply').set('X-Forwarded-For', '203.0.113.30').type('form').send({
      category: 'natural_person', name: '张三', idType: 'id_card', idNumber: '11010519491231002X', phone: '13812345678',
      description: '本区2024年度公共租赁住房房源筹措和分配情况', deliveryForm: 'email',
    });
    expect(page.status).toBe(429);
    expect(page.text).toContain('每小时最多在线提交 3 份申请');
    await from('203.0.113.31').expect(201);
    // Desk intake is staff work, never limited.
    const intake = await t.as('intake');
    for (let count = 0; count < 4; count++) await t.http.post('/api/applications').set(intake).set('X-Forwarded-For', '203.0.113.30').send(deskApplication()).expect(201);
  });
});

describe('TRUST_PROXY unset: no peer is trusted, X-Forwarded-For is ignored', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: '', PUBLIC_TRACKING_MAX_FAILURES: '3' });
  });
  afterAll(() => t?.close());

  it('failures with a different forged address each are counted against the peer (both tracking paths)', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    const path = `/api/public/applications/${encodeURIComponent(created.body.caseNumber)}`;
    for (let forged = 1; forged <= 3; forged++) await t.http.get(path).query({ queryCode: 'WRONGCODE2' }).set('X-Forwarded-For', `198.51.100.${forged}`).expect(404);
    await t.http.get(path).query({ queryCode: created.body.queryCode }).set('X-Forwarded-For', '198.51.100.50').expect(429);
    // HEAD goes through Express: the same rule.
    expect((await t.http.head(path).query({ queryCode: created.body.queryCode }).set('X-Forwarded-For', '198.51.100.51')).status).toBe(429);
  });

  it('the personal-data access log records the peer, not the forged address', async () => {
    const intake = await t.as('intake');
    const created = await t.http.post('/api/applications').set(intake).send(deskApplication()).expect(201);
    await t.http.get(`/api/cases/${created.body.id}/personal-data`).query({ reason: '核对申请人身份' }).set(intake).set('X-Forwarded-For', '203.0.113.9').expect(200);
    const [row] = await t.dataSource.query(`SELECT address FROM personal_data_access WHERE action = 'reveal_identity' ORDER BY at DESC LIMIT 1`);
    expect(row.address).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
  });
});

describe('TRUST_PROXY is validated at start', () => {
  it.each(['true', 'not-an-address', '10.0.0.0/99'])('refuses %s with a message naming the setting', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it.each([
    ['', false],
    ['2', 2],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
  ])('reads %j as what Express takes', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });
});
