// Single sign-on for staff through the agency's unified identity system (统一身份认证, issue 19 item 4), against a real
// OpenID provider (oidc-provider, started by the test in a process of its own) and Debian's Chromium.
//
// The browser reaches the console as http://localhost:<port> and the provider at http://127.0.0.1:<port>: two sites, as
// in production, so the SameSite rules of the cookies are those a real deployment meets (a provider on the same site
// would hide a Strict cookie that a cross-site redirect does not carry).
import { createServer, type AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword, hashToken } from '../../apps/api/src/auth/auth.service';
import { SESSION_COOKIE } from '../../apps/api/src/console/console-session';
import { SSO_PENDING_COOKIE } from '../../apps/api/src/sso/sso-pending';
import { SsoProviders } from '../../apps/api/src/sso/sso-providers.service';
import { SsoSignInService } from '../../apps/api/src/sso/sso-sign-in.service';
import { SsoRepository } from '../../apps/api/src/sso/sso.repository';
import { startTestApp, type TestApp } from '../setup/test-app';
import { codeWordsIn, launchChromium, seriousViolations, shoot, signIn, visibleText } from '../support/console-browser';
import { startTestProvider, type TestProvider } from '../support/oidc-provider';

/** A port nothing listens on (one of fetch's blocked ports would fail for another reason). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The page's text as a reader sees it, less what is marked as typed (names, identifiers: data-verbatim). */
function wordsOf(page: Page): Promise<string> {
  return page.evaluate(`(() => { const copy = document.body.cloneNode(true); copy.querySelectorAll('[data-verbatim]').forEach((node) => node.remove()); document.body.append(copy); const text = copy.innerText; copy.remove(); return text; })()`) as Promise<string>;
}

const CLIENT_SECRET = 'provider-issued-client-secret-8f3a';

const ACCOUNTS = {
  // The demo handler (李承办) under his name at the provider.
  zhangsan: { sub: 'u-1001', claims: { preferred_username: 'handler', name: '李承办' } },
  // Known to the provider, unknown to the desk.
  stranger: { sub: 'u-9999', claims: { preferred_username: 'stranger', name: '陌生人' } },
  newcomer: { sub: 'u-2001', claims: { preferred_username: 'newcomer', name: '新同事' } },
  // Sent by the provider without the username the agency maps by.
  nameless: { sub: 'u-3001', claims: { name: '无名氏' } },
};

describe('single sign-on through a real OpenID provider', () => {
  let t: TestApp;
  let provider: TestProvider;
  let browser: Browser;
  /** The console as the browser reaches it. */
  let site: string;
  let admin: { Authorization: string };

  const settings = (overrides: Record<string, unknown> = {}) => ({
    enabled: true,
    providerName: '测试统一身份认证平台',
    issuer: provider.issuer,
    clientId: 'ogi-desk',
    clientSecret: CLIENT_SECRET,
    matchBy: 'username',
    ...overrides,
  });
  const configure = async (overrides: Record<string, unknown> = {}) => (await t.http.put('/api/admin/sso').set(admin).send(settings(overrides)).expect(200)).body;

  /** A fresh browser (no cookies) on the console's sign-in page. */
  async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'zh-CN' });
    return { context, page: await context.newPage() };
  }

  /** Through the provider's own sign-in form, as a person does, from the console's button. */
  async function signInAtProvider(page: Page, login: string, password = provider.password): Promise<void> {
    await page.getByRole('link', { name: '通过统一身份认证登录' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByLabel('统一身份认证账号').fill(login);
    await page.getByLabel('统一身份认证密码').fill(password);
    await page.getByRole('button', { name: '登录统一身份认证' }).click();
  }

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    site = `http://localhost:${port}`;
    provider = await startTestProvider({
      clients: [
        {
          client_id: 'ogi-desk',
          client_secret: CLIENT_SECRET,
          redirect_uris: [`${site}/staff/sso/default/callback`],
          post_logout_redirect_uris: [`${site}/staff/sign-in?signed_out=1`],
        },
      ],
      accounts: ACCOUNTS,
    });
    browser = await launchChromium();
    admin = await t.as('admin');
  });
  afterAll(async () => {
    await browser?.close();
    await provider?.stop();
    await t?.close();
  });

  describe('the settings (API)', () => {
    it('unconfigured: the defaults, and the addresses to register at the provider', async () => {
      const response = await t.http.get('/api/admin/sso').set(admin).set('Host', 'desk.example.gov.cn').expect(200);
      // Behind the trusted proxy (the tests stand behind one on loopback), the address the proxy says it was called at.
      const proxied = await t.http.get('/api/admin/sso').set(admin).set('X-Forwarded-Host', 'xxgk.example.gov.cn').set('X-Forwarded-Proto', 'https').expect(200);
      expect(proxied.body.redirectUri).toBe('https://xxgk.example.gov.cn/staff/sso/default/callback');
      expect(response.body).toMatchObject({
        configured: false,
        enabled: false,
        clientSecretSet: false,
        scopes: 'openid profile',
        matchBy: 'username',
        usernameClaim: 'preferred_username',
        selfRegistration: false,
        passwordsDisabled: false,
        redirectUri: 'http://desk.example.gov.cn/staff/sso/default/callback',
        postLogoutRedirectUri: 'http://desk.example.gov.cn/staff/sign-in?signed_out=1',
      });
    });

    it('refuses, in words naming the field, what cannot work; nothing is saved', async () => {
      const refusals: [Record<string, unknown>, RegExp][] = [
        [{ clientSecret: undefined }, /^客户端密钥 不能为空/],
        [{ scopes: 'profile email' }, /^申请的权限范围 须包含 openid/],
        [{ issuer: `http://127.0.0.1:${await closedPort()}/nothing-here` }, /^签发方地址 暂时无法从身份认证平台（http:\/\/127\.0\.0\.1:\d+\/nothing-here）读取它的配置：无法连接该地址/],
        // The provider answers as the issuer it is, not as the one typed (a trailing path changes the issuer).
        [{ issuer: `${provider.issuer}/other` }, /^签发方地址 暂时无法从身份认证平台.*读取它的配置/],
        [{ passwordsDisabled: true }, /^关闭密码登录 须指定应急管理员/],
        [{ enabled: false, passwordsDisabled: true, breakGlassUsername: 'admin' }, /^关闭密码登录 须同时启用统一身份认证登录/],
        [{ breakGlassUsername: 'handler' }, /^应急管理员 应为本机关在用的管理员的用户名/],
        [{ matchBy: 'email' }, /^用户对应方式 应为以下之一：按用户名对应、按外部身份标识对应/],
        [{ usernameClaim: 'user name' }, /^用户名声明 应为身份认证平台的声明名/],
      ];
      for (const [overrides, message] of refusals) {
        const response = await t.http.put('/api/admin/sso').set(admin).send(settings(overrides));
        expect({ overrides, status: response.status, message: response.body.message }).toEqual({ overrides, status: 400, message: expect.stringMatching(message) });
      }
      expect((await t.http.get('/api/admin/sso').set(admin).expect(200)).body.configured).toBe(false);
      // Only administrators.
      await t.http.get('/api/admin/sso').set(await t.as('handler')).expect(403);
    });

    it('saves a working provider; the secret is stored encrypted and never returned', async () => {
      const saved = await configure();
      expect(saved).toMatchObject({ configured: true, enabled: true, issuer: provider.issuer, clientId: 'ogi-desk', clientSecretSet: true, updatedBy: '系统管理员' });
      expect(JSON.stringify(saved)).not.toContain(CLIENT_SECRET);
      const [row] = await t.dataSource.query(`SELECT client_secret_ciphertext FROM sso_configurations`);
      expect(row.client_secret_ciphertext).toMatch(/^pd1:/);
      expect(row.client_secret_ciphertext).not.toContain(CLIENT_SECRET);
      // Saved again without the secret: the stored one stays (the sign-ins below use it).
      await configure({ clientSecret: undefined, providerName: '测试统一身份认证平台' });
    });
  });

  describe('signing in through the provider (Chromium)', () => {
    it('the sign-in page offers “通过统一身份认证登录”; through the provider the user lands where he was going, as the mapped user', async () => {
      const { context, page } = await freshPage();
      await page.goto(`${site}/staff/queue?state=accepted`);
      await page.waitForURL((url) => url.pathname === '/staff/sign-in');
      await shoot(page, 'sso-sign-in');
      expect(await visibleText(page)).toContain('由测试统一身份认证平台确认您的身份');
      expect(codeWordsIn(await visibleText(page))).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);

      const callbacks: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/staff/sso/default/callback')) callbacks.push(request.url());
      });
      await signInAtProvider(page, 'zhangsan');
      await page.waitForURL((url) => url.origin === site && url.pathname === '/staff/queue');
      expect(new URL(page.url()).search).toBe('?state=accepted');
      expect(await visibleText(page)).toContain('李承办');

      // The callback carried code and state (and the PKCE verifier stayed home: the token request is the server's).
      expect(callbacks).toHaveLength(1);
      const callback = new URL(callbacks[0]);
      expect([...callback.searchParams.keys()].sort()).toEqual(expect.arrayContaining(['code', 'state']));

      // The same console session as a password sign-in opens: HttpOnly, SameSite=Strict, the console's path; the
      // sealed attempt is gone.
      const cookies = await context.cookies([`${site}/staff/`, `${site}/staff/sso/default/callback`]);
      const session = cookies.find((cookie) => cookie.name === SESSION_COOKIE)!;
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/staff' });
      expect(cookies.find((cookie) => cookie.name === SSO_PENDING_COOKIE)).toBeUndefined();
      const [row] = await t.dataSource.query(`SELECT u.username, s.sign_in_method FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, [hashToken(session.value)]);
      expect(row).toEqual({ username: 'handler', sign_in_method: 'sso' });
      // It works for the API as a bearer token too, like every session.
      expect((await t.http.get('/api/auth/me').set('Authorization', `Bearer ${session.value}`).expect(200)).body.username).toBe('handler');

      // Signing out ends the session here and, the provider offering it, there (after the provider asks).
      await page.getByRole('button', { name: '退出' }).click();
      await page.waitForURL((url) => url.origin === provider.issuer);
      await page.getByRole('button', { name: '确认退出' }).click();
      await page.waitForURL((url) => url.origin === site && url.pathname === '/staff/sign-in');
      expect(await visibleText(page)).toContain('您已退出登录');
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${session.value}`).expect(401);
      // Signed out at the provider too: the next sign-in asks for the account again.
      await page.getByRole('link', { name: '通过统一身份认证登录' }).click();
      await page.waitForURL((url) => url.origin === provider.issuer);
      await expect(page.getByLabel('统一身份认证账号').isVisible()).resolves.toBe(true);
      await context.close();
    });

    it('an identity the desk does not know is refused with a page in words; nobody is created', async () => {
      const { context, page } = await freshPage();
      await page.goto(`${site}/staff/sign-in`);
      await signInAtProvider(page, 'stranger');
      await page.waitForURL((url) => url.origin === site && url.pathname.endsWith('/callback'));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('未能通过统一身份认证登录');
      const text = await visibleText(page);
      expect(text).toContain('身份认证平台已确认您的身份（用户名 stranger），但本系统中没有与之对应的工作人员账号');
      expect(codeWordsIn(text)).toEqual([]);
      await shoot(page, 'sso-refused-unknown');
      expect((await context.cookies(`${site}/staff/`)).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);
      expect(await t.dataSource.query(`SELECT 1 FROM users WHERE username = 'stranger'`)).toEqual([]);
      await page.getByRole('link', { name: '回到登录页' }).click();
      await page.waitForURL((url) => url.pathname === '/staff/sign-in');
      await context.close();
    });

    it('a claim the mapping needs missing from the provider: refused in words', async () => {
      const { context, page } = await freshPage();
      await page.goto(`${site}/staff/sign-in`);
      await signInAtProvider(page, 'nameless');
      await page.waitForURL((url) => url.origin === site && url.pathname.endsWith('/callback'));
      expect(await visibleText(page)).toContain('身份认证平台没有提供用户名');
      await context.close();
    });

    it('a state altered on its way back is refused; so is the callback replayed, and its code replayed with the cookie', async () => {
      // Altered: the state the provider is sent (and echoes back) is not the one this browser's attempt holds. The
      // start's redirect is the first of its chain, so the browser's request can be caught and its answer rewritten.
      let { context, page } = await freshPage();
      await page.goto(`${site}/staff/sign-in`);
      await page.route('**/staff/sso/default/start*', async (route) => {
        const response = await route.fetch({ maxRedirects: 0 });
        const location = new URL(response.headers().location);
        location.searchParams.set('state', `${location.searchParams.get('state')}x`);
        await route.fulfill({ response, headers: { ...response.headers(), location: location.href } });
      });
      await signInAtProvider(page, 'zhangsan');
      await page.waitForURL((url) => url.origin === site && url.pathname.endsWith('/callback'));
      expect(await visibleText(page)).toContain('身份认证平台返回的登录请求与本浏览器发起的不符（可能已被篡改），未予登录');
      await shoot(page, 'sso-refused-state');
      expect((await context.cookies(`${site}/staff/`)).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);
      await context.close();

      // A good sign-in, its callback noted with the cookie it carried.
      ({ context, page } = await freshPage());
      let replay: { url: string; cookie: string } | null = null;
      page.on('request', async (request) => {
        if (request.url().includes('/staff/sso/default/callback') && !replay) replay = { url: request.url(), cookie: (await request.allHeaders()).cookie ?? '' };
      });
      await page.goto(`${site}/staff/sign-in`);
      await signInAtProvider(page, 'zhangsan');
      await page.waitForURL((url) => url.origin === site && url.pathname === '/staff');
      expect(replay!.cookie).toContain(`${SSO_PENDING_COOKIE}=`);
      // The same browser again: the attempt was used up.
      const again = await page.goto(replay!.url);
      expect(again!.status()).toBe(400);
      expect(await visibleText(page)).toContain('这次登录请求已失效');
      await context.close();
      // With a copy of the cookie: the desk's checks pass, the provider refuses the used code.
      const stolen = await t.http.get(new URL(replay!.url).pathname + new URL(replay!.url).search).set('Host', new URL(site).host).set('Cookie', replay!.cookie);
      expect(stolen.status).toBe(401);
      expect(stolen.text).toContain('身份认证平台没有接受这次登录的凭据：它已经用过或已过期');
      expect([stolen.headers['set-cookie'] ?? []].flat().some((cookie: string) => cookie.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
    });

    it('an ID token whose signature does not verify against the provider’s published keys, or with another nonce, is refused', async () => {
      const [{ id: agencyId }] = await t.dataSource.query(`SELECT id FROM agencies WHERE code = 'default'`);
      await provider.publishRogueKey(true);
      t.app.get(SsoProviders).forget(agencyId); // read the provider's keys afresh
      try {
        const { context, page } = await freshPage();
        await page.goto(`${site}/staff/sign-in`);
        await signInAtProvider(page, 'zhangsan');
        await page.waitForURL((url) => url.origin === site && url.pathname.endsWith('/callback'));
        expect(await visibleText(page)).toContain('身份认证平台返回的身份信息未通过核验');
        expect((await context.cookies(`${site}/staff/`)).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);
        await context.close();
      } finally {
        await provider.publishRogueKey(false);
        t.app.get(SsoProviders).forget(agencyId);
      }
      expect(t.logLines.some((line) => line.includes('sign-in through the unified identity system failed') && /signature|JWS/i.test(line))).toBe(true);

      // The nonce the provider is asked to put in the ID token is not the one this browser's attempt holds.
      const { context, page } = await freshPage();
      await page.goto(`${site}/staff/sign-in`);
      await page.route('**/staff/sso/default/start*', async (route) => {
        const response = await route.fetch({ maxRedirects: 0 });
        const location = new URL(response.headers().location);
        location.searchParams.set('nonce', `${location.searchParams.get('nonce')}x`);
        await route.fulfill({ response, headers: { ...response.headers(), location: location.href } });
      });
      await signInAtProvider(page, 'zhangsan');
      await page.waitForURL((url) => url.origin === site && url.pathname.endsWith('/callback'));
      expect(await visibleText(page)).toContain('身份认证平台返回的身份信息未通过核验');
      expect((await context.cookies(`${site}/staff/`)).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);
      await context.close();
    });

    it('with self-registration on, a first sign-in opens an account with no role', async () => {
      await configure({ clientSecret: undefined, selfRegistration: true });
      const { context, page } = await freshPage();
      await page.goto(`${site}/staff/sign-in`);
      await signInAtProvider(page, 'newcomer');
      await page.waitForURL((url) => url.origin === site && url.pathname === '/staff', { timeout: 5000 }).catch(async (error) => {
        throw new Error(`${page.url()}: ${await visibleText(page)} ${t.logLines.filter((line) => line.includes('"level":50')).join('\n')} ${String(error)}`);
      });
      expect(await visibleText(page)).toContain('新同事，您好');
      expect(await visibleText(page)).toContain('您的账号还没有任何角色，暂时不能办理申请');
      await shoot(page, 'sso-self-registered-home');
      const [user] = await t.dataSource.query(`SELECT u.display_name, u.roles, u.active, u.department_id, a.code AS agency FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.username = 'newcomer'`);
      expect(user).toEqual({ display_name: '新同事', roles: [], active: true, department_id: null, agency: 'default' });
      // No role: the pages of any role refuse him.
      const refused = await page.goto(`${site}/staff/queue`);
      expect(refused!.status()).toBe(403);
      // Nobody knows his password: the password sign-in refuses every guess the same way.
      await t.http.post('/api/auth/login').send({ username: 'newcomer', password: 'demo-password' }).expect(401);
      // Were an administrator to give him a password (a reset), the API would still show him nothing agency-wide.
      await t.dataSource.query(`UPDATE users SET password_hash = $1 WHERE username = 'newcomer'`, [await hashPassword('a-reset-password-1')]);
      const login = await t.http.post('/api/auth/login').send({ username: 'newcomer', password: 'a-reset-password-1' }).expect(200);
      const bearer = { Authorization: `Bearer ${login.body.accessToken}` };
      await t.http.get('/api/auth/me').set(bearer).expect(200);
      for (const path of ['/api/reports/annual/2025', '/api/reports/annual/2025/fill-ins', '/api/reports/annual/2025/checks', '/api/reports/rates']) {
        await t.http.get(path).set(bearer).expect(403);
      }
      await context.close();
      // Two first sign-ins of one person at once open one account.
      const [{ id: agencyId }] = await t.dataSource.query(`SELECT id FROM agencies WHERE code = 'default'`);
      const sso = (await t.app.get(SsoRepository).configuration(agencyId))!;
      const signIns = t.app.get(SsoSignInService);
      const twins = await Promise.all([1, 2].map(() => signIns.userFor(sso, { sub: 'u-8001', preferred_username: 'twin', name: '同时登录' })));
      expect(twins[0].id).toBe(twins[1].id);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE username = 'twin'`)).toEqual([{ n: 1 }]);
      await configure({ clientSecret: undefined, selfRegistration: false });
    });

    it('by the external identity: the first sign-in links the user of that username, later ones follow the link', async () => {
      await configure({ clientSecret: undefined, matchBy: 'subject' });
      const { context, page } = await freshPage();
      await page.goto(`${site}/staff/sign-in`);
      await signInAtProvider(page, 'zhangsan');
      await page.waitForURL((url) => url.origin === site && url.pathname === '/staff');
      const links = (await t.http.get('/api/admin/sso/links').set(admin).expect(200)).body;
      expect(links).toEqual([expect.objectContaining({ username: 'handler', displayName: '李承办', issuer: provider.issuer, subject: 'u-1001' })]);
      await context.close();

      // The link, not the username, decides from now on: claims naming another username still sign in 李承办.
      const repository = t.app.get(SsoRepository);
      const signIns = t.app.get(SsoSignInService);
      const [{ agency_id: agencyId }] = await t.dataSource.query(`SELECT id AS agency_id FROM agencies WHERE code = 'default'`);
      const sso = (await repository.configuration(agencyId))!;
      expect((await signIns.userFor(sso, { sub: 'u-1001', preferred_username: 'renamed-at-provider' })).username).toBe('handler');
      // Another identity claiming a linked user's username is refused, not linked over him.
      await expect(signIns.userFor(sso, { sub: 'u-impostor', preferred_username: 'handler' })).rejects.toThrow('已与统一身份认证的另一身份关联');
      // Two first sign-ins of one identity at once link it once, to one user.
      const both = await Promise.all([signIns.userFor(sso, { sub: 'u-5001', preferred_username: 'legal' }), signIns.userFor(sso, { sub: 'u-5001', preferred_username: 'legal' })]);
      expect(both.map((user) => user.username)).toEqual(['legal', 'legal']);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM user_external_identities WHERE subject = 'u-5001'`)).toEqual([{ n: 1 }]);
      // Unlinked by an administrator: the next sign-in links afresh by username.
      await t.http.delete(`/api/admin/sso/links/${both[0].id}`).set(admin).expect(204);
      await t.http.delete(`/api/admin/sso/links/${both[0].id}`).set(admin).expect(404);
      await configure({ clientSecret: undefined, matchBy: 'username' });
    });

    it('a deactivated user is refused even though the provider vouches for him', async () => {
      await t.dataSource.query(`UPDATE users SET active = false WHERE username = 'handler'`);
      try {
        const { context, page } = await freshPage();
        await page.goto(`${site}/staff/sign-in`);
        await signInAtProvider(page, 'zhangsan');
        await page.waitForURL((url) => url.origin === site && url.pathname.endsWith('/callback'));
        expect(await visibleText(page)).toContain('您在本系统的账号已停用');
        await context.close();
      } finally {
        await t.dataSource.query(`UPDATE users SET active = true WHERE username = 'handler'`);
      }
    });
  });

  describe('passwords switched off', () => {
    it('refuses the password sign-in of the agency’s users, except the break-glass administrator, whose use is recorded', async () => {
      const handlerToken = (await t.http.post('/api/auth/login').send({ username: 'handler', password: 'demo-password' }).expect(200)).body.accessToken as string;
      const adminToken = admin.Authorization.slice('Bearer '.length);
      const saved = await configure({ clientSecret: undefined, passwordsDisabled: true, breakGlassUsername: 'admin' });
      expect(saved).toMatchObject({ passwordsDisabled: true, breakGlass: { username: 'admin', displayName: '系统管理员' }, breakGlassUsedAt: null });

      // The password sessions opened before end at once (the break-glass administrator's stay).
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${handlerToken}`).expect(401);
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${adminToken}`).expect(200);

      // The right password opens nothing, and says why; a wrong one answers as before (nothing told to a guesser).
      const refused = await t.http.post('/api/auth/login').send({ username: 'handler', password: 'demo-password' }).expect(403);
      expect(refused.body.message).toBe('本机关已改为通过统一身份认证登录，不再使用本系统的密码：请点击“通过统一身份认证登录”');
      await t.http.post('/api/auth/login').send({ username: 'handler', password: 'wrong-password' }).expect(401);

      // In the console, in words on the sign-in page.
      const { context, page } = await freshPage();
      await page.goto(`${site}/staff/sign-in`);
      expect(await visibleText(page)).toContain('应急管理员用密码登录');
      await page.getByLabel('用户名').fill('handler');
      await page.getByLabel('密码').fill('demo-password');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await expect(page.getByText('本机关已改为通过统一身份认证登录').first().isVisible()).resolves.toBe(true);
      expect((await context.cookies(`${site}/staff/`)).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);
      await shoot(page, 'sso-password-refused');

      // The break-glass administrator still signs in with his password; it is recorded for the other administrators.
      await signIn(page, site, 'admin');
      expect(new URL(page.url()).pathname).toBe('/staff');
      const after = (await t.http.get('/api/admin/sso').set(admin).expect(200)).body;
      expect(after.breakGlassUsedAt).toEqual(expect.any(String));
      expect(t.logLines.some((line) => line.includes('break-glass administrator signed in with a password'))).toBe(true);
      // Through the identity system the others still sign in.
      await context.close();
      const second = await freshPage();
      await second.page.goto(`${site}/staff/sign-in`);
      await signInAtProvider(second.page, 'zhangsan');
      await second.page.waitForURL((url) => url.origin === site && url.pathname === '/staff');
      await second.context.close();

      // One deployment, several agencies: another agency's staff keep their passwords, and are nobody to this agency's provider.
      const [secondAgency] = await t.dataSource.query(`INSERT INTO agencies (code, name) VALUES ('second', '上海市某区规划和自然资源局') RETURNING id`);
      await t.dataSource.query(`INSERT INTO users (agency_id, username, display_name, password_hash, roles) VALUES ($1, 'clerk2', '孙登记', $2, '{intake}')`, [
        secondAgency.id,
        await hashPassword('clerk2-password'),
      ]);
      await t.http.post('/api/auth/login').send({ username: 'clerk2', password: 'clerk2-password' }).expect(200);
      const [{ id: agencyId }] = await t.dataSource.query(`SELECT id FROM agencies WHERE code = 'default'`);
      const sso = (await t.app.get(SsoRepository).configuration(agencyId))!;
      await expect(t.app.get(SsoSignInService).userFor(sso, { sub: 'u-7001', preferred_username: 'clerk2' })).rejects.toThrow('本系统中没有与之对应的工作人员账号');
      const page2 = await freshPage();
      await page2.page.goto(`${site}/staff/sign-in`);
      expect(await visibleText(page2.page)).toContain('或用本系统的用户名和密码登录');
      await page2.context.close();

      await configure({ clientSecret: undefined, passwordsDisabled: false });
      await t.http.post('/api/auth/login').send({ username: 'handler', password: 'demo-password' }).expect(200);
    });
  });

  describe('the administrator’s page /staff/admin/sso', () => {
    it('shows the settings and the addresses to register, saves a change, and shows a refusal beside its field', async () => {
      const { context, page } = await freshPage();
      await signIn(page, site, 'admin');
      await page.goto(`${site}/staff/admin/sso`);
      expect(await page.locator("body").innerText()).toContain(`${site}/staff/sso/default/callback`);
      expect(codeWordsIn(await wordsOf(page))).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await shoot(page, 'sso-admin');

      await page.getByLabel('身份认证平台名称').fill('某市统一身份认证平台');
      await page.getByRole('button', { name: '保存设置' }).click();
      await page.waitForURL((url) => url.search === '?done=saved');
      expect(await visibleText(page)).toContain('已保存。');
      expect((await t.http.get('/api/admin/sso').set(admin).expect(200)).body).toMatchObject({ providerName: '某市统一身份认证平台', clientSecretSet: true });

      await page.getByRole('group', { name: '关闭密码登录' }).getByLabel('是').check();
      await page.getByLabel('应急管理员').fill('');
      await page.getByRole('button', { name: '保存设置' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toContain('关闭密码登录 须指定应急管理员');
      expect(codeWordsIn(await wordsOf(page))).toEqual([]);
      await shoot(page, 'sso-admin-refused');
      expect((await t.http.get('/api/admin/sso').set(admin).expect(200)).body.passwordsDisabled).toBe(false);

      // Another role does not see it.
      await context.close();
      const other = await freshPage();
      await signIn(other.page, site, 'handler');
      expect((await other.page.goto(`${site}/staff/admin/sso`))!.status()).toBe(403);
      await other.context.close();
    });
  });

  it('a provider that cannot be reached: the start says so in words, and the password form still works', async () => {
    await provider.stop();
    const [{ id: agencyId }] = await t.dataSource.query(`SELECT id FROM agencies WHERE code = 'default'`);
    t.app.get(SsoProviders).forget(agencyId); // what was discovered is otherwise reused for 10 minutes
    const response = await t.http.get('/staff/sso/default/start').set('Host', new URL(site).host).redirects(0);
    expect(response.status).toBe(503);
    expect(response.text).toContain('暂时无法从身份认证平台');
    expect(response.text).toContain('无法连接该地址');
    await t.http.get('/staff/sso/nowhere/start').redirects(0).expect(404);
    await t.http.post('/api/auth/login').send({ username: 'handler', password: 'demo-password' }).expect(200);
  });
});
