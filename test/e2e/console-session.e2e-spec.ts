// The console's sign-in (issue 16): an HttpOnly, SameSite=Strict session cookie scoped to the console, and a CSRF token
// on every write — a page of another site can neither read the session nor post with it.
import { csrfTokenFor, SESSION_COOKIE } from '../../apps/api/src/console/console-session';
import { startTestApp, type TestApp } from '../setup/test-app';

const cookieOf = (setCookie: string[] | string | undefined, name: string) => [setCookie ?? []].flat().find((cookie) => cookie.startsWith(`${name}=`)) ?? '';

describe('the console session', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** The sign-in as a browser does it: the form's page (its token cookie), then the post. */
  async function signIn(username: string, password = 'demo-password') {
    const form = await t.http.get('/staff/sign-in').expect(200);
    const signInCookie = cookieOf(form.headers['set-cookie'], 'desk_sign_in').split(';')[0];
    const formToken = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    return t.http.post('/staff/sign-in').redirects(0).set('Cookie', signInCookie).type('form').send({ username, password, _csrf: formToken, next: '/staff/queue' });
  }

  it('signs in with a cookie the page cannot read and no other site sends, and lands where it was going', async () => {
    const response = await signIn('handler');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/staff/queue');
    const cookie = cookieOf(response.headers['set-cookie'], SESSION_COOKIE);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/staff/);
    const token = cookie.split(';')[0].split('=')[1];
    const home = await t.http.get('/staff').set('Cookie', `${SESSION_COOKIE}=${token}`).expect(200);
    expect(home.text).toContain('李承办');
    expect(home.headers['cache-control']).toBe('no-store');
  });

  it('refuses a wrong password on the page, in words, without a session', async () => {
    const response = await signIn('handler', 'wrong-password');
    expect(response.status).toBe(401);
    expect(response.text).toContain('用户名或密码错误');
    expect(cookieOf(response.headers['set-cookie'], SESSION_COOKIE)).toBe('');
  });

  it('refuses a sign-in posted without the form’s own token (login CSRF)', async () => {
    const response = await t.http.post('/staff/sign-in').redirects(0).type('form').send({ username: 'handler', password: 'demo-password', _csrf: 'forged' });
    expect(response.status).toBe(400);
    expect(cookieOf(response.headers['set-cookie'], SESSION_COOKIE)).toBe('');
  });

  it('refuses every write without the CSRF token, or with another session’s, and changes nothing', async () => {
    const intake = (await t.http.post('/api/auth/login').send({ username: 'intake', password: 'demo-password' })).body.accessToken as string;
    const handler = (await t.http.post('/api/auth/login').send({ username: 'handler', password: 'demo-password' })).body.accessToken as string;
    const created = await t.http.post('/api/applications').set('Authorization', `Bearer ${intake}`).send({
      channel: 'in_person',
      receivedAt: '2025-09-26',
      applicant: { category: 'natural_person', name: '张三', idType: 'id_card', idNumber: '11010519491231002X', phone: '13812345678' },
      description: '某地块房屋征收补偿方案',
      deliveryForm: 'paper_pickup',
    });
    const id = created.body.id as string;
    const post = (token: string, csrf: string | undefined) =>
      t.http
        .post(`/staff/cases/${id}/act/assign`)
        .redirects(0)
        .set('Cookie', `${SESSION_COOKIE}=${token}`)
        .type('form')
        .send({ handler: 'handler', stage: 'commit', ...(csrf === undefined ? {} : { _csrf: csrf }) });
    for (const csrf of [undefined, '', 'forged', csrfTokenFor(handler)]) {
      const refused = await post(intake, csrf);
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('页面已过期或来源不明');
    }
    const [{ state }] = await t.dataSource.query(`SELECT state FROM cases WHERE id = $1`, [id]);
    expect(state).toBe('registered');
    const done = await post(intake, csrfTokenFor(intake));
    expect(done.status).toBe(303);
    // htmx sends the token in a header.
    const header = await t.http.post(`/staff/cases/${id}/personal-data`).set('Cookie', `${SESSION_COOKIE}=${intake}`).set('X-CSRF-Token', csrfTokenFor(intake)).type('form').send({ reason: '核验身份' });
    expect(header.status).toBe(200);
    expect(header.text).toContain('11010519491231002X');
  });

  it('signs out: the session ends for the console and the API alike', async () => {
    const token = (await t.http.post('/api/auth/login').send({ username: 'legal', password: 'demo-password' })).body.accessToken as string;
    const out = await t.http.post('/staff/sign-out').redirects(0).set('Cookie', `${SESSION_COOKIE}=${token}`).type('form').send({ _csrf: csrfTokenFor(token) });
    expect(out.status).toBe(303);
    expect(cookieOf(out.headers['set-cookie'], SESSION_COOKIE)).toMatch(/Expires=Thu, 01 Jan 1970/);
    const after = await t.http.get('/staff').redirects(0).set('Cookie', `${SESSION_COOKIE}=${token}`);
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/staff/sign-in?next=%2Fstaff');
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('sends a signed-out visitor to the sign-in page and back, never to another site', async () => {
    const away = await t.http.get('/staff/queue?view=mine').redirects(0);
    expect(away.status).toBe(303);
    expect(away.headers.location).toBe(`/staff/sign-in?next=${encodeURIComponent('/staff/queue?view=mine')}`);
    const page = await t.http.get('/staff/sign-in?next=https://evil.example/').expect(200);
    expect(page.text).toContain('name="next" value="/staff"');
  });
});
