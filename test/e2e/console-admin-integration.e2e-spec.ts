// The platforms' API clients, their status callbacks and one's own password, in Debian's Chromium, as the office uses
// them: by labels and roles. The platform's side is real: its secret calls the API, its callback receiver is an HTTP
// server started here. Screenshots go to test-output/screenshots/integration-*.png.
import type { Browser, Page } from 'playwright-core';
import { PlatformCallbacks } from '../../apps/api/src/integration/platform-callbacks.service';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-seed';
import { codeWordsIn, launchChromium, listen, seriousViolations, shoot, signIn, signOut, visibleText } from '../support/console-browser';
import { consoleGet, consolePost, consoleSession, errorSummary, fieldError, pageText } from '../support/console-http';
import { eventSender } from '../support/http';
import { CallbackReceiver, platformApplication, platformClient } from '../support/integration-client';
import { startTestApp, type TestApp } from '../setup/test-app';

// A journey of a dozen screens, each checked by axe, on a small shared machine.
const BROWSER_TIMEOUT_MS = 240_000;

describe('in Chromium: the platforms’ clients, their callbacks, and one’s own password', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const receiver = new CallbackReceiver();
  const send = eventSender(() => t);
  const deliver = () => t.app.get(PlatformCallbacks).deliverDue();
  const caseIdOf = async (caseNumber: string) => (await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [caseNumber]))[0].id as string;
  // Today in Asia/Shanghai, the office's calendar day (the receipt date the import records).
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

  beforeAll(async () => {
    // One refused attempt makes a callback dead, so the replay is reached without waiting out the back-off.
    t = await startTestApp({ CALLBACK_MAX_ATTEMPTS: '1' });
    base = await listen(t);
    browser = await launchChromium();
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await browser?.close();
    await t?.close();
  });

  /** A screenshot kept, and the page in the office's words with nothing axe finds serious. */
  async function looked(page: Page, name: string) {
    await shoot(page, `integration-${name}`);
    expect(codeWordsIn(await visibleText(page))).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  }

  it('the administrator registers a platform, gives it its secret once, subscribes it, sees the delivery, replays a failed one, and revokes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, base, 'admin');
    await page.getByRole('link', { name: '系统管理' }).click();
    await page.getByRole('link', { name: /接入平台/ }).click();
    await looked(page, '01-clients-empty');
    await page.getByRole('link', { name: '登记客户端' }).click();
    // Sent without a name or a platform code: each field is named in words.
    await page.getByRole('button', { name: '登记客户端' }).click();
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('alert').getByRole('link', { name: '客户端名称 不能为空' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('alert').getByRole('link', { name: /来源平台/ }).isVisible()).resolves.toBe(true);
    await looked(page, '02-client-errors');
    await page.getByLabel('客户端名称').fill('浙里公开平台');
    await page.getByLabel('来源平台').fill('zlgk');
    await expect(page.getByRole('checkbox', { name: /转入申请/ }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('checkbox', { name: /查询办理进度/ }).isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: '登记客户端' }).click();
    await page.getByRole('heading', { name: '已登记客户端 浙里公开平台' }).waitFor();
    const secret = (await page.locator('code.secret').innerText()).trim();
    expect(secret).toMatch(/^ogi-client\./);
    expect(await visibleText(page)).toContain('此密钥只显示这一次');
    await looked(page, '03-client-secret');

    // The secret works against the platform's API at once.
    const platform = platformClient(t, secret);
    const imported = await platform.importApplication(platformApplication({ source: 'zlgk', externalRef: 'ZJ-BROWSER-1' })).expect(201);

    // Never again: not on the client's page, not in the list.
    await page.getByRole('link', { name: '完成' }).click();
    await page.getByRole('heading', { name: /浙里公开平台/ }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    // The access log shows the call in words (written once the call is answered).
    await expect(page.getByRole('cell', { name: '转入申请' }).isVisible()).resolves.toBe(true);

    // Subscribed to the receiver started here, for the changes of state and the letters.
    await page.getByLabel('回调地址').fill(receiver.url);
    await page.getByRole('checkbox', { name: /办理状态变化/ }).check();
    await page.getByRole('checkbox', { name: /出具文书/ }).check();
    await page.getByRole('button', { name: '保存订阅' }).click();
    await page.getByRole('heading', { name: '已保存 浙里公开平台 的回调订阅' }).waitFor();
    const signingSecret = (await page.locator('code.secret').innerText()).trim();
    expect(signingSecret).toMatch(/^ogi-whsec\./);
    await looked(page, '04-signing-secret');
    await page.getByRole('link', { name: '完成' }).click();
    await looked(page, '05-client');
    expect(await page.content()).not.toContain(signingSecret);

    // The desk confirms the receipt: the platform is called back, and the administrator sees it delivered.
    const caseId = await caseIdOf(imported.body.caseNumber);
    await send('intake', caseId, { type: 'CONFIRM_RECEIPT', at: today() });
    await deliver();
    expect(receiver.bodies().map((body) => body.case.externalRef)).toEqual(['ZJ-BROWSER-1']);
    await page.getByRole('link', { name: '查看此客户端的状态回调' }).click();
    const delivered = page.getByRole('row').filter({ hasText: imported.body.caseNumber });
    await expect(delivered.getByText('已送达').first().isVisible()).resolves.toBe(true);
    await expect(delivered.getByText('对方已接收').isVisible()).resolves.toBe(true);
    await looked(page, '06-callbacks-delivered');

    // The receiver refuses the next one: dead at once here, with the reason in words, and replayed by the administrator.
    receiver.status = 500;
    await send('intake', caseId, { type: 'ASSIGN', at: today(), handler: 'handler' });
    expect(await deliver()).toMatchObject({ dead: 1 });
    await page.goto(`${base}/staff/admin/callbacks?status=dead`);
    const dead = page.getByRole('row').filter({ hasText: '发送失败，已停止重试' });
    await expect(dead.getByText('对方返回 HTTP 500').isVisible()).resolves.toBe(true);
    await looked(page, '07-callbacks-dead');
    receiver.status = 200;
    await dead.getByRole('button', { name: /重发/ }).click();
    await page.getByRole('status').filter({ hasText: '回调已重新排队' }).waitFor();
    expect(await deliver()).toMatchObject({ delivered: 1 });
    await page.reload();
    await expect(page.getByRole('row').filter({ hasText: '由管理员重发' }).getByText('已送达').first().isVisible()).resolves.toBe(true);
    await looked(page, '08-callbacks-replayed');
    expect(receiver.received).toHaveLength(3);

    // Revoked after a confirmation: the old secret is refused from the next call on.
    await page.getByRole('link', { name: '返回接入平台' }).click();
    await looked(page, '09-clients');
    await page.getByRole('link', { name: '浙里公开平台' }).click();
    await page.getByRole('link', { name: '停用客户端' }).click();
    await page.getByRole('heading', { name: '停用客户端 浙里公开平台？' }).waitFor();
    await looked(page, '10-revoke-confirm');
    await page.getByRole('button', { name: '确认停用' }).click();
    await page.getByRole('status').filter({ hasText: '客户端已停用' }).waitFor();
    await looked(page, '11-client-revoked');
    expect(await page.getByRole('button', { name: '保存订阅' }).count()).toBe(0);
    const refused = await platform.importApplication(platformApplication({ source: 'zlgk', externalRef: 'ZJ-BROWSER-2' })).expect(401);
    expect(refused.body.message).toBe('该 API 客户端已停用，请联系本机关管理员');
    await page.close();
  }, BROWSER_TIMEOUT_MS);

  it('a rotated secret is shown once and the old one stops; a second client of one platform is refused beside its field', async () => {
    const admin = await consoleSession(t, 'admin');
    const created = await consolePost(t, admin, '/staff/admin/api-clients', { name: '一网通办', source: 'ywtb', scopes: ['cases:status'] }).expect(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const secret = /<code class="secret"[^>]*>([^<]+)<\/code>/.exec(created.text)![1];
    const [row] = await t.dataSource.query(`SELECT id FROM api_clients WHERE source = 'ywtb'`);
    const rotated = await consolePost(t, admin, `/staff/admin/api-clients/${row.id}/rotate`, { previousSecretValidMinutes: '0' }).expect(200);
    const newSecret = /<code class="secret"[^>]*>([^<]+)<\/code>/.exec(rotated.text)![1];
    expect(newSecret).not.toBe(secret);
    expect(pageText(rotated)).toContain('旧密钥已立即失效');
    await platformClient(t, secret).applicationStatus('NOTHING').expect(401);
    await platformClient(t, newSecret).applicationStatus('NOTHING').expect(404);
    const detail = await consoleGet(t, admin, `/staff/admin/api-clients/${row.id}`).expect(200);
    expect(detail.text).not.toContain(newSecret);

    const twice = await consolePost(t, admin, '/staff/admin/api-clients', { name: '重复', source: 'ywtb', scopes: ['cases:status'] }).expect(409);
    expect(fieldError(twice, 'source')).toMatch(/来源平台“ywtb”已有在用的 API 客户端/);
    const badMinutes = await consolePost(t, admin, `/staff/admin/api-clients/${row.id}/rotate`, { previousSecretValidMinutes: '-5' }).expect(400);
    expect(fieldError(badMinutes, 'previousSecretValidMinutes')).toBe('旧密钥保留分钟数 不能小于 0');
    const badUrl = await consolePost(t, admin, `/staff/admin/api-clients/${row.id}/subscription`, { url: 'ftp://example', events: [] }).expect(400);
    expect(errorSummary(badUrl).map((problem) => problem.href)).toEqual(expect.arrayContaining(['#field-url', '#field-events']));
  });

  it('a handler changes his own password: a wrong current password is refused in words, the new one signs him in, his other sign-ins end', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, base, 'handler');
    await page.getByRole('link', { name: '修改密码' }).click();
    await page.getByRole('heading', { name: '修改密码', level: 1 }).waitFor();
    await looked(page, '20-password');
    // Signed in elsewhere too (an API token): that sign-in ends with the change.
    const elsewhere = (await t.http.post('/api/auth/login').send({ username: 'handler', password: DEMO_PASSWORD }).expect(200)).body.accessToken as string;

    await page.getByLabel('当前密码').fill('not-my-password');
    await page.getByLabel('新密码', { exact: true }).fill('李承办的新密码2026');
    await page.getByLabel('再次输入新密码').fill('李承办的新密码2026');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('alert').getByRole('link', { name: '当前密码不正确' }).isVisible()).resolves.toBe(true);
    await looked(page, '21-password-wrong');
    await page.getByLabel('当前密码').fill(DEMO_PASSWORD);
    await page.getByLabel('新密码', { exact: true }).fill('李承办的新密码2026');
    await page.getByLabel('再次输入新密码').fill('李承办的新密码2027');
    await page.getByRole('button', { name: '修改密码' }).click();
    await expect(page.getByRole('alert').getByRole('link', { name: /与新密码不一致/ }).isVisible()).resolves.toBe(true);
    await page.getByLabel('当前密码').fill(DEMO_PASSWORD);
    await page.getByLabel('新密码', { exact: true }).fill('李承办的新密码2026');
    await page.getByLabel('再次输入新密码').fill('李承办的新密码2026');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByRole('status').filter({ hasText: '密码已修改' }).waitFor();
    await looked(page, '22-password-changed');
    await t.http.get('/api/auth/me').set({ Authorization: `Bearer ${elsewhere}` }).expect(401);
    // This page stayed signed in.
    await page.getByRole('link', { name: '首页' }).first().click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('李承办');

    await signOut(page);
    await page.getByLabel('用户名').fill('handler');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').waitFor();
    expect(new URL(page.url()).pathname).toBe('/staff/sign-in');
    await signIn(page, base, 'handler', '李承办的新密码2026');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('李承办');
    await page.close();
  }, BROWSER_TIMEOUT_MS);

  it('the form checks each field in words before the password is asked for', async () => {
    const intake = await consoleSession(t, 'intake');
    const empty = await consolePost(t, intake, '/staff/account/password', {}).expect(400);
    expect(errorSummary(empty)).toEqual([
      { href: '#field-currentPassword', message: '当前密码 不能为空' },
      { href: '#field-newPassword', message: '新密码 不能为空' },
      { href: '#field-confirmPassword', message: '请再次输入新密码' },
    ]);
    const short = await consolePost(t, intake, '/staff/account/password', { currentPassword: DEMO_PASSWORD, newPassword: 'short', confirmPassword: 'short' }).expect(400);
    expect(fieldError(short, 'newPassword')).toBe('新密码至少 10 位');
    const same = await consolePost(t, intake, '/staff/account/password', { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD, confirmPassword: DEMO_PASSWORD }).expect(400);
    expect(fieldError(same, 'newPassword')).toBe('新密码不能与当前密码相同');
    // Nothing typed comes back in the page.
    expect(same.text).not.toContain(DEMO_PASSWORD);
  });

  it('a user of an agency that signs in only through its unified identity system is told so instead of a form; its break-glass administrator keeps it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, base, 'intake');
    const intake = await consoleSession(t, 'intake');
    const admin = await consoleSession(t, 'admin');
    const intakeBearer = (await t.http.post('/api/auth/login').send({ username: 'intake', password: DEMO_PASSWORD }).expect(200)).body.accessToken as string;
    const [{ agency_id: agencyId, id: adminId }] = await t.dataSource.query(`SELECT agency_id, id FROM users WHERE username = 'admin'`);
    await t.dataSource.query(
      `INSERT INTO sso_configurations (agency_id, enabled, provider_name, issuer, client_id, client_secret_ciphertext, scopes, match_by, username_claim, subject_claim, display_name_claim, passwords_disabled, break_glass_user_id)
       VALUES ($1, true, '测试统一身份认证平台', 'https://id.example.gov.cn', 'ogi-desk', 'unused', 'openid', 'username', 'preferred_username', 'sub', 'name', true, $2)`,
      [agencyId, adminId],
    );
    try {
      await page.getByRole('link', { name: '修改密码' }).click();
      await page.getByRole('heading', { name: '修改密码', level: 1 }).waitFor();
      expect(await visibleText(page)).toContain('本机关已改为通过统一身份认证登录，不再使用本系统的密码');
      expect(await page.getByLabel('当前密码').count()).toBe(0);
      await looked(page, '23-password-sso');
      const refused = await consolePost(t, intake, '/staff/account/password', { currentPassword: DEMO_PASSWORD, newPassword: '一个足够长的新密码2026', confirmPassword: '一个足够长的新密码2026' }).expect(403);
      expect(pageText(refused)).toContain('不再使用本系统的密码');
      // The API says the same.
      await t.http.post('/api/auth/password').set({ Authorization: `Bearer ${intakeBearer}` }).send({ currentPassword: DEMO_PASSWORD, newPassword: '一个足够长的新密码2026' }).expect(403);
      // The break-glass administrator still signs in with his password, and may change it.
      const form = await consoleGet(t, admin, '/staff/account/password').expect(200);
      expect(form.text).toContain('id="field-currentPassword"');
    } finally {
      await t.dataSource.query(`DELETE FROM sso_configurations WHERE agency_id = $1`, [agencyId]);
      await page.close();
    }
  }, BROWSER_TIMEOUT_MS);
});
