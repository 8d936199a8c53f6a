import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PDF, PNG } from '../support/files';
import { eventSender, reviewApprover } from '../support/http';
import { startTestApp, type TestApp } from '../setup/test-app';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '../../test-output/screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

/**
 * The applicant's journeys in Debian's Chromium on a phone's viewport, read as a person reads the pages (labels and
 * roles), with JavaScript off: the portal must work without it. The office's steps go through the staff API (its
 * console is rebuilt elsewhere). Every request URL the browser sends is kept, to show that no 查询码 is ever in one.
 */
describe('the applicant’s side in a real browser, on a phone, without JavaScript', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const urls: string[] = [];
  const codes: string[] = [];
  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);

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
    // The 查询码 of every case of these journeys: in no URL the browser asked for, and in no log line.
    for (const code of codes) {
      expect(urls.filter((url) => url.toUpperCase().includes(code))).toEqual([]);
      expect(t.logLines.filter((line) => line.toUpperCase().includes(code))).toEqual([]);
    }
    await browser?.close();
    await t?.close();
  });

  async function phone(options: { javaScript?: boolean; viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: options.viewport ?? PHONE, javaScriptEnabled: options.javaScript ?? false, acceptDownloads: true, locale: 'zh-CN' });
    context.on('request', (request) => urls.push(request.url()));
    return { context, page: await context.newPage() };
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `portal-${name}.png`), fullPage: true });

  /** The online form filled as a person would; the confirmation's case number and 查询码. */
  async function applyOnline(page: Page, who: { name: string; idNumber: string; phone: string; description: string }, withIdentityCopy = false) {
    await page.goto(`${base}/`);
    await page.getByLabel('姓名或名称 *').fill(who.name);
    if (!/^\d{17}[\dX]$/.test(who.idNumber)) await page.getByLabel('证件类型 *').selectOption({ label: '护照' });
    await page.getByLabel('证件号码 *').fill(who.idNumber);
    if (withIdentityCopy) await page.getByLabel('身份证明材料（可选）').setInputFiles({ name: '身份证.png', mimeType: 'image/png', buffer: PNG });
    await page.getByLabel('联系电话', { exact: true }).fill(who.phone);
    await page.getByLabel('所需政府信息的名称').fill(who.description);
    await page.getByLabel('获取信息的方式 *').selectOption({ label: '网上获取' });
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('heading', { name: '申请已提交' }).waitFor();
    const caseNumber = (await page.locator('#case-number').textContent())!.trim();
    const queryCode = (await page.locator('#query-code').textContent())!.trim();
    codes.push(queryCode);
    const [{ id }] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [caseNumber]);
    return { caseNumber, queryCode, id: id as string };
  }

  async function track(page: Page, caseNumber: string, queryCode: string) {
    await page.goto(`${base}/track`);
    await page.getByLabel('案件编号', { exact: true }).fill(caseNumber);
    await page.getByLabel('查询码', { exact: true }).fill(queryCode);
    await page.getByRole('button', { name: '查询', exact: true }).click();
  }

  const typedOtherWays = (caseNumber: string) => {
    const [, prefix, year, serial] = /^(.*)〔(\d{4})〕第(\d{5})号$/.exec(caseNumber)!;
    return [`${prefix}[${year}]第${Number(serial)}号`, `${prefix}（${year}）${serial}号`, `${year}-${Number(serial)}`];
  };

  it('applies with an identity copy, and finds the case with its number typed three other ways', async () => {
    t.setToday('2025-09-25');
    const { context, page } = await phone();
    await page.goto(`${base}/`);
    await shot(page, '01-apply');
    // A first try with a mistake: the summary and the field say what is wrong, in the field's own words.
    await page.getByLabel('姓名或名称 *').fill('孙八');
    await page.getByLabel('证件号码 *').fill('110105194912310021');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('heading', { name: '提交未成功，请修改以下内容' }).waitFor();
    await shot(page, '02-apply-errors');
    expect(await page.getByRole('link', { name: '证件号码：居民身份证号码校验位不正确，请核对号码' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: /请至少提供一种联系方式/ }).count()).toBe(1);
    expect(await page.getByLabel('姓名或名称 *').inputValue()).toBe('孙八');

    const { caseNumber, queryCode, id } = await applyOnline(page, { name: '孙八', idNumber: '11010519491231002X', phone: '13912345678', description: '2025年本区旧住房综合改造项目清单' }, true);
    await shot(page, '03-applied');
    expect(await page.getByRole('button', { name: '打印本页' }).isVisible()).toBe(false);
    expect(await page.getByText('如需打印，请使用浏览器菜单中的“打印”。').isVisible()).toBe(true);
    const files = (await t.http.get(`/api/cases/${id}/attachments`).set(await t.as('intake')).expect(200)).body;
    expect(files).toEqual([expect.objectContaining({ filename: '身份证.png', kindLabel: '身份证明材料', fromApplicant: true })]);

    for (const [index, typed] of typedOtherWays(caseNumber).entries()) {
      await track(page, typed, queryCode.toLowerCase());
      await page.getByRole('heading', { name: caseNumber }).waitFor();
      expect(await page.getByText('已提交，等待政府信息公开工作机构确认收到').count()).toBe(1);
      if (index === 0) await shot(page, '04-tracked');
    }
    expect(new URL(page.url()).search).toBe('');
    await context.close();
  });

  it('answers a 补正 notice online and sees the reply clock restart', async () => {
    t.setToday('2025-09-25');
    const { context, page } = await phone();
    const { caseNumber, queryCode, id } = await applyOnline(page, { name: '李四', idNumber: 'E12345678', phone: '13812345678', description: '某地块国有土地上房屋征收补偿方案' });
    t.setToday('2025-09-26');
    await send('intake', id, { type: 'CONFIRM_RECEIPT' });
    await send('intake', id, { type: 'ASSIGN', handler: 'handler' });
    t.setToday('2025-09-29');
    await send('handler', id, { type: 'REQUEST_SUPPLEMENT', items: ['所需方案的文号或发布日期', '地块所在街道'] });

    t.setToday('2025-10-13');
    await track(page, typedOtherWays(caseNumber)[2], queryCode);
    await page.getByRole('heading', { name: '网上补正' }).waitFor();
    expect(await page.getByText('请在 2025年10月27日 前补正申请').count()).toBe(1);
    await shot(page, '05-supplement-requested');
    await page.getByLabel('补正内容').fill('征收补偿方案为区政府2025年5月发布，地块位于殷行街道');
    await page.getByLabel('补正材料（可选）').setInputFiles({ name: '补正说明.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: '提交补正' }).click();
    await page.getByText('本机关已收到您的补正').waitFor();
    // Art. 30: received today, 2025-10-13; 20 working days from the next day.
    expect(await page.locator('dl.summary').getByText('2025年11月10日').count()).toBe(1);
    expect(await page.getByText('本机关收到您在网上提交的补正').count()).toBe(1);
    await page.getByText('答复期限是怎样算出来的').click();
    expect(await page.getByText('本机关收到您的补正，答复期限重新计算').count()).toBe(1);
    await shot(page, '06-supplement-received');
    const view = (await t.http.get(`/api/cases/${id}`).set(await t.as('handler')).expect(200)).body;
    expect(view.clock.dueDate).toBe('2025-11-10');
    expect(view.events.at(-1)).toMatchObject({ type: 'RECEIVE_SUPPLEMENT', at: '2025-10-13', by: 'applicant' });
    await context.close();
  });

  it('receives the reply and the disclosed file; the office sees the first download recorded as service', async () => {
    t.setToday('2025-10-13');
    const { context, page } = await phone();
    const { caseNumber, queryCode, id } = await applyOnline(page, { name: '周九', idNumber: 'E7654321', phone: '13700000000', description: '某小区加装电梯审批文件' });
    await send('intake', id, { type: 'CONFIRM_RECEIPT' });
    await send('intake', id, { type: 'ASSIGN', handler: 'handler' });
    const upload = await t.http.post(`/api/cases/${id}/attachments`).set(await t.as('handler')).attach('file', PDF, { filename: '加装电梯审批意见.pdf', contentType: 'application/pdf' }).expect(201);
    await send('handler', id, { type: 'DECIDE', outcome: 'disclosed', provided: '提供审批意见电子文件', disclosedFileIds: [upload.body.id] });
    await approve('legal', id);
    await approve('head', id);
    t.setToday('2025-10-15');
    await send('intake', id, { type: 'ISSUE_REPLY' });

    await track(page, caseNumber, queryCode);
    await page.getByRole('heading', { name: '本机关提供的政府信息' }).waitFor();
    await shot(page, '07-replied');
    const replyDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: '政府信息公开申请答复书' }).click();
    const reply = await replyDownload;
    const replyPath = join(SCREENSHOTS, 'portal-reply.pdf');
    await reply.saveAs(replyPath);
    const replyText = execFileSync('pdftotext', ['-layout', replyPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(replyText).toContain('加装电梯审批意见.pdf');
    const fileDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: '加装电梯审批意见.pdf' }).click();
    expect((await fileDownload).suggestedFilename()).toBe('加装电梯审批意见.pdf');

    // The office's side (the staff API): the electronic service, by the system, with the date and time.
    const served = await waitFor(async () => {
      const view = (await t.http.get(`/api/cases/${id}`).set(await t.as('intake')).expect(200)).body;
      return view.events.find((event: { type: string }) => event.type === 'RECORD_SERVICE') ?? null;
    });
    expect(served).toMatchObject({ by: 'system', method: 'electronic', at: '2025-10-15', electronicService: { title: '政府信息公开申请答复书' } });
    expect(served.electronicService.how).toMatch(/于\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}首次下载政府信息公开申请答复书/);
    await track(page, caseNumber, queryCode);
    await page.getByText('您在网上下载了答复书（电子送达）').waitFor();
    await shot(page, '08-served');
    await context.close();
  });

  it('withdraws another application, after confirming', async () => {
    t.setToday('2025-10-13');
    const { context, page } = await phone();
    const { caseNumber, queryCode, id } = await applyOnline(page, { name: '郑十一', idNumber: 'E2345678', phone: '13600000000', description: '某学校改扩建项目环评文件' });
    await send('intake', id, { type: 'CONFIRM_RECEIPT' });
    await track(page, caseNumber, queryCode);
    await page.getByRole('button', { name: '撤回申请' }).click();
    await page.getByRole('heading', { name: '确认撤回申请' }).waitFor();
    await page.getByRole('button', { name: '确认撤回' }).click();
    await page.getByRole('link', { name: '请勾选“我确认撤回本申请”，或选择不撤回' }).waitFor();
    await shot(page, '09-withdraw-confirm');
    await page.getByLabel('撤回理由（可选）').fill('已从其他途径获得');
    await page.getByLabel('我确认撤回本申请').check();
    await page.getByRole('button', { name: '确认撤回' }).click();
    await page.getByText('您的申请已撤回，本机关不再办理。').first().waitFor();
    await shot(page, '10-withdrawn');
    expect(await page.getByRole('button', { name: '撤回申请' }).count()).toBe(0);
    const view = (await t.http.get(`/api/cases/${id}`).set(await t.as('intake')).expect(200)).body;
    expect(view).toMatchObject({ state: 'withdrawn', outcome: 'other.other' });
    expect(view.events.at(-1)).toMatchObject({ type: 'WITHDRAW', by: 'applicant', reason: '已从其他途径获得' });
    await context.close();
  });

  it('prints the confirmation: the button (JavaScript, no inline handler) prints, the print layout keeps the number, the code and the next steps', async () => {
    t.setToday('2025-10-13');
    const { context, page } = await phone({ javaScript: true });
    await page.addInitScript(() => {
      (globalThis as unknown as { printed: number }).printed = 0;
      (globalThis as unknown as { print: () => void }).print = () => {
        (globalThis as unknown as { printed: number }).printed++;
      };
    });
    const violations: string[] = [];
    // What the Content-Security-Policy refuses (an inline handler would be) is reported on the console.
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused/i.test(message.text())) violations.push(message.text());
    });
    const { caseNumber, queryCode } = await applyOnline(page, { name: '冯十三', idNumber: 'E4567890', phone: '13400000000', description: '某公园改造方案' });
    await page.getByRole('button', { name: '打印本页' }).click();
    expect(await page.evaluate(() => (globalThis as unknown as { printed: number }).printed)).toBe(1);
    expect(violations).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    await shot(page, '11-applied-print');
    const pdf = await page.pdf({ format: 'A4' });
    const pdfPath = join(SCREENSHOTS, 'portal-confirmation-print.pdf');
    writeFileSync(pdfPath, pdf);
    const printed = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const expected of [caseNumber, queryCode, '接下来会怎样', '20个工作日内答复']) expect(printed).toContain(expected);
    // The navigation, the buttons and the footer are not printed.
    for (const absent of ['依申请公开转主动公开', '政府信息公开指南', '如需打印', '国务院令第711号']) expect(printed).not.toContain(absent);
    expect(printed).not.toMatch(/打印本页(?!保存)/);
    await context.close();
  });

  it('axe-core finds no serious or critical violation on any portal page, at 390 px and at 1440 px', async () => {
    t.setToday('2025-10-13');
    const problems: string[] = [];
    for (const viewport of [PHONE, DESKTOP]) {
      const { context, page } = await phone({ javaScript: true, viewport });
      const audit = async (label: string) => {
        await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        const found: { id: string; impact: string | null; help: string; nodes: number }[] = await page.evaluate(async () => {
          const result = await (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }> } }).axe.run();
          return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.length }));
        });
        for (const violation of found) {
          if (violation.impact === 'serious' || violation.impact === 'critical') problems.push(`${viewport.width}px ${label}: ${violation.id} ${violation.help} (${violation.nodes})`);
        }
        if (viewport === DESKTOP) await page.screenshot({ path: join(SCREENSHOTS, `portal-desktop-${label}.png`), fullPage: true });
      };
      await page.goto(`${base}/`);
      await audit('apply');
      await page.getByRole('button', { name: '提交申请' }).click();
      await page.getByRole('heading', { name: '提交未成功，请修改以下内容' }).waitFor();
      await audit('apply-errors');
      const { caseNumber, queryCode, id } = await applyOnline(page, { name: '陈十四', idNumber: 'E5678901', phone: '13300000000', description: '某道路拓宽工程批复' });
      await audit('applied');
      await page.goto(`${base}/track`);
      await audit('track');
      await track(page, caseNumber, 'AAAAAAAAAA');
      await audit('track-error');
      await send('intake', id, { type: 'CONFIRM_RECEIPT' });
      await send('intake', id, { type: 'REQUEST_SUPPLEMENT', items: ['所需批复的文号'] });
      await track(page, caseNumber, queryCode);
      await page.getByRole('heading', { name: '网上补正' }).waitFor();
      await audit('track-supplement');
      await page.getByRole('button', { name: '提交补正' }).click();
      await page.getByRole('heading', { name: '没有完成' }).waitFor();
      await audit('track-supplement-error');
      await page.getByRole('button', { name: '撤回申请' }).click();
      await audit('withdraw-confirm');
      await page.getByRole('button', { name: '确认撤回' }).click();
      await audit('withdraw-confirm-error');
      await page.goto(`${base}/track/document?token=expired`);
      await audit('expired-link');
      await page.goto(`${base}/proactive`);
      await audit('proactive');
      await page.goto(`${base}/guide`);
      await audit('guide');
      await context.close();
    }
    expect(problems).toEqual([]);
  });
});

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
