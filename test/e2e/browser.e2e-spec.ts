import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../setup/test-app';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '../../test-output/screenshots');

/**
 * The whole journey in a real browser (Debian's Chromium driven by playwright-core): an applicant applies online, the
 * intake officer confirms and assigns, the handler decides, legal approves, the head signs, intake issues, and the
 * applicant downloads the reply with the case number and 查询码.
 */
describe('in a real browser: from the online application to the applicant’s download', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(page: Page, username: string) {
    await page.goto(`${base}/staff`);
    await page.fill('#username', username);
    await page.fill('#password', 'demo-password');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#nav:not(.hidden)');
  }
  async function act(page: Page, caseId: string, type: string, fields: Record<string, string> = {}) {
    await page.goto(`${base}/staff#case/${caseId}`);
    await page.waitForSelector(`details summary:text-is("${type}")`);
    await page.click(`details summary:text-is("${type}")`);
    for (const [name, value] of Object.entries(fields)) await page.fill(`#${type}-${name}`, value);
    await page.click(`text=提交 ${type}`);
    await page.waitForSelector(`text=已记录：${type}`);
  }

  it('walks the journey', async () => {
    const applicant = await browser.newPage();
    await applicant.goto(`${base}/`);
    await applicant.screenshot({ path: join(SCREENSHOTS, '01-portal-apply.png'), fullPage: true });
    await applicant.fill('#name', '孙八');
    await applicant.fill('#idNumber', '11010519491231002X');
    await applicant.fill('#phone', '13812345678');
    await applicant.fill('#description', '2025年本区旧住房综合改造项目清单');
    await applicant.click('button[type=submit]');
    const caseNumber = (await applicant.textContent('strong'))!.trim();
    const queryCode = (await applicant.textContent('.code'))!.trim();
    await applicant.screenshot({ path: join(SCREENSHOTS, '02-portal-applied.png'), fullPage: true });
    const [{ id }] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [caseNumber]);

    const staff = await browser.newPage();
    await signIn(staff, 'intake');
    await staff.waitForSelector(`text=${caseNumber}`);
    await staff.screenshot({ path: join(SCREENSHOTS, '03-staff-queue.png'), fullPage: true });
    await act(staff, id, 'CONFIRM_RECEIPT');
    await act(staff, id, 'ASSIGN', { handler: 'handler' });

    await staff.click('#logout');
    await signIn(staff, 'handler');
    await act(staff, id, 'DECIDE', { outcome: 'disclosed', provided: '该清单已在区政府网站公开，附链接' });
    await staff.screenshot({ path: join(SCREENSHOTS, '04-staff-case-decided.png'), fullPage: true });

    await staff.click('#logout');
    await signIn(staff, 'legal');
    await staff.goto(`${base}/staff#case/${id}`);
    await staff.waitForSelector('text=合法性检查：未发现问题');
    // The litigation-risk review beside the draft: the applicant wants email but gave no address (service unprovable).
    await staff.waitForSelector('text=【须确认】申请人要求以电子邮件获取，但未登记电子邮箱');
    await staff.screenshot({ path: join(SCREENSHOTS, '05-staff-legal-review.png'), fullPage: true });
    await staff.click('details summary:text-is("APPROVE")');
    await staff.fill('#APPROVE-comment', '同意');
    await staff.waitForSelector('#ack-service_unprovable');
    await staff.fill('#ack-service_unprovable', '已电话联系申请人，改为当面领取');
    await staff.click('text=提交 APPROVE');
    await staff.waitForSelector('text=已记录：APPROVE');

    await staff.click('#logout');
    await signIn(staff, 'head');
    await act(staff, id, 'APPROVE');

    await staff.click('#logout');
    await signIn(staff, 'intake');
    await act(staff, id, 'ISSUE_REPLY');
    // At pickup the desk checks the identity card: the full number only for a stated purpose, recorded by the server.
    await staff.goto(`${base}/staff#case/${id}`);
    await staff.waitForSelector('text=110105********002X');
    await staff.click('summary:text-is("查看完整证件号码和电话")');
    await staff.fill('#reveal-reason', '领取答复时核验身份');
    await staff.click('button:text-is("查看完整证件号码和电话")');
    await staff.waitForSelector('text=证件号码：11010519491231002X');

    // The 查询码 goes in the form's POST body, never in a URL (issue 17); the letter links are short-lived signed links.
    await applicant.goto(`${base}/track`);
    await applicant.getByLabel('案件编号').fill(caseNumber);
    await applicant.getByLabel('查询码').fill(queryCode);
    await applicant.getByRole('button', { name: '查询' }).click();
    await applicant.waitForSelector('text=政府信息公开申请答复书');
    await applicant.screenshot({ path: join(SCREENSHOTS, '06-portal-track.png'), fullPage: true });
    const href = await applicant.getAttribute('a:has-text("政府信息公开申请答复书")', 'href');
    const download = await applicant.request.get(`${base}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toBe('application/pdf');
    expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // Legal records a review on the case in the console.
    await staff.click('#logout');
    await signIn(staff, 'legal');
    await staff.goto(`${base}/staff#case/${id}`);
    await staff.click('summary:text-is("登记复议或诉讼")');
    await staff.fill('#dispute-kind', 'review');
    await staff.fill('#dispute-filedAt', new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date()));
    await staff.fill('#dispute-body', '上海市某区人民政府');
    await staff.click('button:text-is("登记复议或诉讼")');
    await staff.waitForSelector('text=已登记复议或诉讼');
    await staff.waitForSelector('text=尚未审结');
  });

  it('each role sees only its own actions', async () => {
    const [{ id }] = await t.dataSource.query(`SELECT id FROM cases WHERE state = 'registered' LIMIT 1`).then(async (rows: { id: string }[]) => {
      if (rows.length) return rows;
      const created = await t.http.post('/api/applications').set(await t.as('intake')).send({
        channel: 'in_person', receivedAt: '2026-11-02', applicant: { category: 'natural_person', name: '周九', idType: 'passport', idNumber: 'E7654321', phone: '13800000000' },
        description: '某项目的批复文件', deliveryForm: 'paper_pickup',
      });
      return [{ id: created.body.id as string }];
    });
    const page = await browser.newPage();
    const actions = async (username: string) => {
      await signIn(page, username);
      await page.goto(`${base}/staff#case/${id}`);
      await page.waitForSelector('text=现在可以进行的操作');
      const list = await page.$$eval('section:has(> h2:text-is("现在可以进行的操作")) details summary', (nodes) => nodes.map((node) => node.textContent));
      await page.click('#logout');
      return list;
    };
    expect(await actions('intake')).toEqual(['ASSIGN', 'REQUEST_SUPPLEMENT', 'WITHDRAW']);
    expect(await actions('legal')).toEqual([]);
    expect(await actions('head')).toEqual(['ASSIGN']);
  });

  it('the pages pass an automated accessibility check (axe-core) with no serious or critical violations', async () => {
    const page = await browser.newPage();
    const audit = async (url: string, prepare?: () => Promise<void>) => {
      await page.goto(url);
      if (prepare) await prepare();
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const violations: { id: string; impact: string | null; help: string }[] = await page.evaluate(async () => {
        const result = await (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string | null; help: string }[] }> } }).axe.run();
        return result.violations.map(({ id, impact, help }) => ({ id, impact, help }));
      });
      return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${url}: ${violation.id} ${violation.help}`);
    };
    const problems = [
      ...(await audit(`${base}/`)),
      ...(await audit(`${base}/track`)),
      ...(await audit(`${base}/proactive`)),
      ...(await audit(`${base}/guide`)),
      ...(await audit(`${base}/staff`)),
      ...(await audit(`${base}/staff`, async () => {
        await page.fill('#username', 'admin');
        await page.fill('#password', 'demo-password');
        await page.click('#login-form button[type=submit]');
        await page.waitForSelector('table');
      })),
      ...(await audit(`${base}/staff#calendar/2026`, () => page.waitForSelector('#cal-holidays').then(() => undefined))),
      ...(await audit(`${base}/staff#admin`, () => page.waitForSelector('#user-username').then(() => undefined))),
      ...(await audit(`${base}/staff#reports/2026`, () => page.waitForSelector('text=2026 年度报告').then(() => undefined))),
    ];
    expect(problems).toEqual([]);
  });

  it('the administrator enters next year’s calendar, manages users, and exports the report', async () => {
    const page = await browser.newPage();
    await signIn(page, 'admin');
    await page.goto(`${base}/staff#calendar/2027`);
    await page.waitForSelector('#cal-holidays');
    await page.fill('#cal-source', '国务院办公厅关于2027年部分节假日安排的通知（测试数据）');
    await page.fill('#cal-published', 'true');
    await page.fill('#cal-holidays', '2027-01-01 元旦\n2027-01-02 元旦\n2027-01-03 元旦');
    await page.click('text=保存 2027 年安排');
    await page.waitForSelector('text=已保存；未办结案件的期限正在后台重新计算。');
    await page.screenshot({ path: join(SCREENSHOTS, '07-staff-calendar.png'), fullPage: true });
    const [{ published }] = await t.dataSource.query(`SELECT published FROM calendar_years WHERE year = 2027`);
    expect(published).toBe(true);

    await page.goto(`${base}/staff#admin`);
    await page.fill('#user-username', 'zheng.legal');
    await page.fill('#user-displayName', '郑法制');
    await page.fill('#user-password', 'a-long-password');
    await page.fill('#user-roles', 'legal');
    await page.fill('#user-department', '法制科');
    await page.click('button:text-is("新建用户")');
    await page.waitForSelector('td:text-is("zheng.legal")');
    await page.screenshot({ path: join(SCREENSHOTS, '08-staff-admin.png'), fullPage: true });

    await page.goto(`${base}/staff#audit`);
    await page.waitForSelector('td:text-is("领取答复时核验身份")');

    await page.goto(`${base}/staff#reports/2026`);
    await page.waitForSelector('text=2026 年度报告');
    const downloaded = page.waitForEvent('download');
    await page.click('text=导出 Excel（全国统一格式）');
    expect((await downloaded).suggestedFilename()).toBe('2026年政府信息公开年度报告.xlsx');
    await page.waitForSelector('text=已生成。');
    await page.screenshot({ path: join(SCREENSHOTS, '09-staff-report.png'), fullPage: true });
  });
});
