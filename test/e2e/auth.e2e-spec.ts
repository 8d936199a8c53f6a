import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('staff sign-in (POST /api/auth/login)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('gives a bearer token with an expiry for a demo account', async () => {
    const response = await t.http.post('/api/auth/login').send({ username: 'intake', password: 'demo-password' }).expect(200);
    expect(response.body.accessToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(Date.parse(response.body.expiresAt)).toBeGreaterThan(Date.now());
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${response.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ username: 'intake', roles: ['intake'] });
  });

  it('answers 401 alike for a wrong password and an unknown user', async () => {
    const wrong = await t.http.post('/api/auth/login').send({ username: 'intake', password: 'nope' }).expect(401);
    const unknown = await t.http.post('/api/auth/login').send({ username: 'nobody', password: 'nope' }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: '用户名或密码错误' });
  });

  it('refuses a login body with unknown fields or missing password (400)', async () => {
    const response = await t.http.post('/api/auth/login').send({ username: 'intake', password: 'x', admin: true }).expect(400);
    expect(response.body.message).toContain('不认识的字段：admin');
    await t.http.post('/api/auth/login').send({ username: 'intake' }).expect(400);
  });

  // The API's credential travels only in the Authorization header: no API route sets a cookie and a cookie never
  // authenticates there, so the API has no CSRF surface. The console's session cookie is scoped to /staff (Path) and
  // checked with a CSRF token on every write (console-session.e2e-spec.ts).
  it('never sets a cookie outside the console and never accepts one in place of the bearer token', async () => {
    const login = await t.http.post('/api/auth/login').send({ username: 'intake', password: 'demo-password' }).expect(200);
    const token = login.body.accessToken;
    const responses = [
      login,
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200),
      await t.http.get('/').expect(200),
      await t.http.get('/track').expect(200),
      await t.http.post('/apply').type('form').send({}).expect(400),
    ];
    for (const response of responses) expect(response.headers['set-cookie']).toBeUndefined();
    for (const cookie of [`token=${token}`, `accessToken=${token}`, `Authorization=Bearer ${token}`, `session=${token}`, `desk_session=${token}`]) {
      await t.http.get('/api/cases').set('Cookie', cookie).expect(401);
      await t.http.post('/api/applications').set('Cookie', cookie).set('Origin', 'https://evil.example').send({}).expect(401);
    }
  });

  it('refuses staff routes without a token, with a garbage token, and after sign-out', async () => {
    await t.http.get('/api/cases').expect(401);
    await t.http.get('/api/cases').set('Authorization', 'Bearer not-a-token').expect(401);
    const login = await t.http.post('/api/auth/login').send({ username: 'legal', password: 'demo-password' }).expect(200);
    const header = { Authorization: `Bearer ${login.body.accessToken}` };
    await t.http.get('/api/cases').set(header).expect(200);
    await t.http.post('/api/auth/logout').set(header).expect(204);
    const after = await t.http.get('/api/cases').set(header).expect(401);
    expect(after.body.message).toMatch(/重新登录/);
  });

  it('refuses an expired token', async () => {
    const login = await t.http.post('/api/auth/login').send({ username: 'head', password: 'demo-password' }).expect(200);
    await t.dataSource.query(`UPDATE auth_sessions SET expires_at = now() - interval '1 second'`);
    await t.http.get('/api/cases').set('Authorization', `Bearer ${login.body.accessToken}`).expect(401);
  });

  it('stores passwords as argon2id hashes and tokens only as hashes', async () => {
    const [user] = await t.dataSource.query(`SELECT password_hash FROM users WHERE username = 'admin'`);
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const login = await t.http.post('/api/auth/login').send({ username: 'admin', password: 'demo-password' }).expect(200);
    const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM auth_sessions WHERE token_hash = $1`, [login.body.accessToken]);
    expect(rows[0].n).toBe(0);
  });
});

describe('throttling and headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers 429 after five failed sign-ins of one account from one address, even with the right password; elsewhere it goes on', async () => {
    for (let i = 0; i < 5; i++) await t.http.post('/api/auth/login').set('X-Forwarded-For', '198.51.100.9').send({ username: 'legal', password: 'wrong' }).expect(401);
    const limited = await t.http.post('/api/auth/login').set('X-Forwarded-For', '198.51.100.9').send({ username: 'legal', password: 'demo-password' }).expect(429);
    expect(limited.body.message).toMatch(/15 分钟后再试/);
    await t.http.post('/api/auth/login').send({ username: 'legal', password: 'demo-password' }).expect(200);
    await t.http.post('/api/auth/login').send({ username: 'head', password: 'demo-password' }).expect(200);
  });

  it('answers 429 after twenty failures from one address, whatever the account', async () => {
    for (let i = 0; i < 20; i++) await t.http.post('/api/auth/login').set('X-Forwarded-For', '203.0.113.99').send({ username: `nobody${i}`, password: 'x' }).expect(401);
    await t.http.post('/api/auth/login').set('X-Forwarded-For', '203.0.113.99').send({ username: 'intake', password: 'demo-password' }).expect(429);
    await t.http.post('/api/auth/login').set('X-Forwarded-For', '203.0.113.100').send({ username: 'intake', password: 'demo-password' }).expect(200);
  });

  it('sends security headers and answers liveness and readiness', async () => {
    const response = await t.http.get('/health/live').expect(200, { status: 'ok' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    await t.http.get('/health/ready').expect(200, { status: 'ready' });
  });
});

describe('changing one\'s own password (POST /api/auth/password)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const signIn = async (username: string, password: string) =>
    `Bearer ${(await t.http.post('/api/auth/login').send({ username, password }).expect(200)).body.accessToken}`;

  it('asks for the current password, ends the other sign-ins, keeps this one', async () => {
    const here = await signIn('handler', 'demo-password');
    const elsewhere = await signIn('handler', 'demo-password');
    const wrong = await t.http.post('/api/auth/password').set('Authorization', here).send({ currentPassword: 'not-my-password', newPassword: 'a-new-long-password' }).expect(400);
    expect(wrong.body.message).toBe('当前密码不正确');
    const short = await t.http.post('/api/auth/password').set('Authorization', here).send({ currentPassword: 'demo-password', newPassword: 'short' }).expect(400);
    expect(short.body.message).toContain('新密码至少 10 位');
    await t.http.post('/api/auth/password').set('Authorization', here).send({ newPassword: 'a-new-long-password' }).expect(400);
    await t.http.post('/api/auth/password').set('Authorization', here).send({ currentPassword: 'demo-password', newPassword: 'a-new-long-password' }).expect(204);
    await t.http.get('/api/auth/me').set('Authorization', here).expect(200);
    await t.http.get('/api/auth/me').set('Authorization', elsewhere).expect(401);
    await t.http.post('/api/auth/login').send({ username: 'handler', password: 'demo-password' }).expect(401);
    await signIn('handler', 'a-new-long-password');
  });

  it('counts wrong current passwords like failed sign-ins (a token left open cannot guess its way to the password)', async () => {
    const token = await signIn('legal', 'demo-password');
    for (let i = 0; i < 5; i++) {
      await t.http.post('/api/auth/password').set('Authorization', token).set('X-Forwarded-For', '198.51.100.40').send({ currentPassword: `guess-${i}`, newPassword: 'a-new-long-password' }).expect(400);
    }
    await t.http.post('/api/auth/password').set('Authorization', token).set('X-Forwarded-For', '198.51.100.40').send({ currentPassword: 'demo-password', newPassword: 'a-new-long-password' }).expect(429);
  });

  it('an administrator cannot set his own password through user management, only here', async () => {
    const admin = await signIn('admin', 'demo-password');
    const me = await t.http.get('/api/auth/me').set('Authorization', admin).expect(200);
    const refused = await t.http.patch(`/api/admin/users/${me.body.userId}`).set('Authorization', admin).send({ password: 'a-new-long-password' }).expect(403);
    expect(refused.body.message).toContain('修改自己的密码请使用“修改密码”');
    await t.http.post('/api/auth/login').send({ username: 'admin', password: 'demo-password' }).expect(200);
  });
});

describe('demo accounts in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production', PERSONAL_DATA_KEY: randomBytes(32).toString('base64') });
  });
  afterAll(() => t.close());

  it('are refused at sign-in', async () => {
    await t.http.post('/api/auth/login').send({ username: 'admin', password: 'demo-password' }).expect(401);
  });
});
