// Every screen of the console, as every role reaches it by following links from its home page: no code word on any of
// them (issue 16: states, events, outcomes, roles and ID types in the office's words) and no serious or critical
// accessibility violation (axe-core, WCAG 2.1 AA). A screen added later is crawled too, as soon as a page links to it.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../apps/api/src/demo/demo-seed';
import { documentPdf } from '../../apps/api/src/letters/letter-layout';
import { deskApplication } from '../factories/applications';
import { codeWordsIn, launchChromium, listen, seriousViolations, shoot, signIn, visibleText } from '../support/console-browser';
import { startTestApp, type TestApp } from '../setup/test-app';
import { PlatformCallbacks } from '../../apps/api/src/integration/platform-callbacks.service';
import { eventSender } from '../support/http';
import { integrationAdmin, platformApplication, platformClient } from '../support/integration-client';

const ROLES = ['intake', 'handler', 'legal', 'head', 'admin'] as const;
const MAX_SCREENS_PER_ROLE = 100;
// The administrator (every role in the demo) reaches every screen (about 60); axe takes one to five seconds on each on a busy machine.
const CRAWL_TIMEOUT_MS = 600_000;

/** Links that are not screens: downloads, documents, signing out. */
const NOT_A_SCREEN = [/\/sign-out/, /\.xlsx/, /\/document/, /\/attachments\/[0-9a-f-]{36}$/, /\/evidence/, /format=/, /\.docx|\.pdf/];

/** One screen per shape of address: case pages of different cases are one screen, different queues are not. */
function screenKey(url: URL): string {
  const path = url.pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id');
  const view = url.searchParams.get('view');
  return view ? `${path}?view=${view}` : path;
}

/**
 * A platform's client, subscribed to callbacks at an address nobody answers, with an imported case that moved once: the
 * client's page, its access log and a callback that failed (with its reason in words) have something to show.
 */
async function platformWithCallbacks(t: TestApp): Promise<void> {
  const admin = await integrationAdmin(t);
  const created = await admin.createClient({ name: '浙里公开平台', source: 'zlgk', scopes: ['applications:import', 'cases:status'] }).expect(201);
  // A port that was free a moment ago: nobody listens there, so the attempt is refused (ECONNREFUSED).
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  await admin.subscribe(created.body.id, { url: `http://127.0.0.1:${port}/ogi/callbacks`, events: ['state_changed', 'letter_issued', 'due_date_changed', 'concluded'] }).expect(200);
  const imported = await platformClient(t, created.body.secret).importApplication(platformApplication()).expect(201);
  const [row] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [imported.body.caseNumber]);
  await eventSender(() => t)('intake', row.id, { type: 'CONFIRM_RECEIPT', at: new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()) });
  await t.app.get(PlatformCallbacks).deliverDue();
}

describe('the console’s screens, as each role finds them', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const redactionScreens: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.app, { cases: true });
    await platformWithCallbacks(t);
    // 区分处理: a case of the handler's with a document being marked (one region). The crawl opens one case page of many,
    // which need not be this one, so its two screens are visited directly as well.
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: today, deliveryForm: 'online' })).expect(201);
    await t.http.post(`/api/cases/${created.body.id}/events`).set(await t.as('intake')).send({ type: 'ASSIGN', at: today, handler: 'handler' }).expect(200);
    const handler = await t.as('handler');
    const pdf = await documentPdf('拟公开的文件', ['联系人 王某某 电话 13900001111'], '2025-11-01');
    const upload = await t.http.post(`/api/cases/${created.body.id}/attachments`).set(handler).attach('file', pdf, { filename: '拟公开的文件.pdf', contentType: 'application/pdf' }).expect(201);
    const document = await t.http.post(`/api/cases/${created.body.id}/redactions`).set(handler).send({ attachmentId: upload.body.id }).expect(201);
    await t.http.post(`/api/redactions/${document.body.id}/regions`).set(handler).send({ page: 1, x: 60, y: 100, width: 120, height: 20, reason: 'withheld.third_party', note: '第三方自然人的姓名' }).expect(201);
    redactionScreens.push(`/staff/cases/${created.body.id}/redaction`, `/staff/redactions/${document.body.id}`);
    base = await listen(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function crawl(page: Page, role: string) {
    const seen = new Map<string, string>();
    const queue = [`${base}/staff`, ...redactionScreens.map((path) => `${base}${path}`)];
    const problems: string[] = [];
    while (queue.length && seen.size < MAX_SCREENS_PER_ROLE) {
      const address = queue.shift()!;
      const url = new URL(address);
      const key = screenKey(url);
      if (seen.has(key)) continue;
      seen.set(key, address);
      const response = await page.goto(address);
      const status = response?.status() ?? 0;
      if (status >= 400 && status !== 403 && status !== 409) problems.push(`${key}: HTTP ${status}`);
      const text = await visibleText(page);
      const words = codeWordsIn(text);
      if (words.length) problems.push(`${key}: code words ${words.join(', ')}`);
      const violations = await seriousViolations(page);
      if (violations.length) problems.push(`${key}: ${violations.join(' | ')}`);
      await shoot(page, `screen-${role}-${key.replace(/[/:?=]+/g, '_').replace(/^_|_$/g, '') || 'home'}`);
      const links = (await page.evaluate(`[...document.querySelectorAll('a[href]')].map((anchor) => anchor.href)`)) as string[];
      for (const link of links) {
        const next = new URL(link);
        if (next.origin !== base || !next.pathname.startsWith('/staff') || NOT_A_SCREEN.some((pattern) => pattern.test(link))) continue;
        next.hash = '';
        if (!seen.has(screenKey(next))) queue.push(next.toString());
      }
    }
    return { screens: [...seen.keys()], problems };
  }

  it('names a 协办 request by what it was on the case page once answered, never by its id', async () => {
    // A demo case of 住房保障科 asks the office (where the demo administrator handles) to assist, and the office answers.
    const [handled] = await t.dataSource.query(
      `SELECT c.id FROM cases c JOIN departments d ON d.id = c.department_id WHERE d.name = '住房保障科' AND c.concluded_at IS NULL AND c.handler_id IS NOT NULL ORDER BY c.case_number LIMIT 1`,
    );
    const send = eventSender(() => t);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const asked = await send('handler', handled.id, { type: 'REQUEST_ASSISTANCE', at: today, department: '政府信息公开办公室', question: '请提供台账', dueDate: today });
    const requestId = asked.events.find((event: { type: string }) => event.type === 'REQUEST_ASSISTANCE').requestId as string;
    await send('admin', handled.id, { type: 'ANSWER_ASSISTANCE', at: today, requestId, answer: '台账无记录' });
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    for (const role of ['handler', 'admin']) {
      await signIn(page, base, role);
      await page.goto(`${base}/staff/cases/${handled.id}`);
      const text = await visibleText(page);
      expect(text).toContain('台账无记录');
      expect(codeWordsIn(text)).toEqual([]);
      await page.getByRole('button', { name: '退出' }).click();
      await page.waitForURL((url) => url.pathname.endsWith('/sign-in'));
    }
    await page.close();
  });

  it('puts in the address bar only the filters a search asked for, not the form’s empty fields', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, base, 'intake');
    await page.goto(`${base}/staff/queue`);
    await page.getByRole('searchbox', { name: '查找' }).fill('张三');
    await page.getByRole('button', { name: '查找' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === '张三');
    const address = new URL(page.url());
    expect([...address.searchParams.keys()].sort()).toEqual(['q', 'view']);
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/共 \d+ 件/);
    await page.close();
  });

  it('fits a phone (390 px): the home page, the queue with its filters and a case page are no wider than the screen', async () => {
    // Enough cases for a second page: the pager is there to be reached.
    const intake = await t.as('intake');
    for (let index = 0; index < 21; index++) await t.http.post('/api/applications').set(intake).send(deskApplication({ description: `翻页用的第${index + 1}件申请所需信息` })).expect(201);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, base, 'intake');
    const [open] = await t.dataSource.query(`SELECT id FROM cases WHERE concluded_at IS NULL ORDER BY case_number LIMIT 1`);
    const widths: Record<string, number> = {};
    for (const path of ['/staff', '/staff/queue', `/staff/cases/${open.id}`]) {
      await page.goto(`${base}${path}`);
      widths[path.replace(open.id, ':id')] = (await page.evaluate(`document.documentElement.scrollWidth`)) as number;
    }
    await page.goto(`${base}/staff/queue`);
    // The queue's table scrolls inside its own region, which a keyboard reaches.
    const table = page.getByRole('region', { name: /表格可左右滚动/ });
    expect(await table.evaluate((region: { scrollWidth: number; clientWidth: number }) => region.scrollWidth > region.clientWidth)).toBe(true);
    expect(await table.getAttribute('tabindex')).toBe('0');
    // The pager right under the table, before the 分办 form, with targets a finger can hit (44 px).
    const next = page.getByRole('navigation', { name: '翻页' }).getByRole('link', { name: '下一页' });
    const nextBox = (await next.boundingBox())!;
    expect(nextBox.height).toBeGreaterThanOrEqual(44);
    expect(nextBox.y).toBeLessThan((await page.getByRole('group', { name: '分办所选案件' }).boundingBox())!.y);
    await shoot(page, 'queue-phone');
    await table.evaluate((region: { scrollLeft: number }) => (region.scrollLeft = 560));
    await shoot(page, 'queue-phone-scrolled');
    await page.close();
    expect(widths).toEqual({ '/staff': 390, '/staff/queue': 390, '/staff/cases/:id': 390 });
  });

  for (const role of ROLES) {
    it(`shows ${role} only the office’s words, and nothing axe finds serious`, async () => {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await signIn(page, base, role);
      const { screens, problems } = await crawl(page, role);
      await page.close();
      expect(screens.length).toBeGreaterThan(3);
      // The marking screens: a handler's own (another role reads the record, or is refused the start screen).
      if (role === 'handler' || role === 'admin') expect(screens).toEqual(expect.arrayContaining(['/staff/cases/:id/redaction', '/staff/redactions/:id']));
      expect(problems).toEqual([]);
    }, CRAWL_TIMEOUT_MS);
  }
});
