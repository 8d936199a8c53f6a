// Administration, the annual report and a dispute in Debian's Chromium, as the office uses them: by labels and roles,
// without scripts where the page needs none. Screenshots of every screen go to test-output/screenshots/admin-*.png.
import type { Browser, Page } from 'playwright-core';
import { deskApplication, personApplicant } from '../factories/applications';
import { eventSender, reviewApprover } from '../support/http';
import { launchChromium, listen, seriousViolations, shoot, signIn, signOut } from '../support/console-browser';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('in Chromium: administration, the annual report and a dispute', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let caseId: string;
  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchChromium();
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-03-03', applicant: personApplicant() })).expect(201);
    caseId = created.body.id;
    await send('intake', caseId, { type: 'ASSIGN', at: '2025-03-03', handler: 'handler' });
    await send('handler', caseId, { type: 'DECIDE', at: '2025-03-10', outcome: 'disclosed', provided: '提供复印件', reasons: '依法公开' });
    await approve('legal', caseId, { at: '2025-03-11' });
    await approve('head', caseId, { at: '2025-03-11' });
    await send('intake', caseId, { type: 'ISSUE_REPLY', at: '2025-03-12' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function looked(page: Page, name: string) {
    await shoot(page, `admin-${name}`);
    expect(await seriousViolations(page)).toEqual([]);
  }

  it('the administrator creates a user, sees the password once, and the new user signs in with it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, base, 'admin');
    await page.getByRole('link', { name: '系统管理' }).click();
    await looked(page, '01-index');
    await page.getByRole('link', { name: '用户' }).first().click();
    await looked(page, '02-users');
    await page.getByRole('link', { name: '新建用户' }).click();
    // Sent empty first: the error summary names each field and links to it.
    await page.getByRole('button', { name: '创建用户' }).click();
    await expect(page.getByRole('alert').getByRole('link', { name: '姓名 不能为空' }).isVisible()).resolves.toBe(true);
    await looked(page, '03-user-errors');
    await page.getByRole('alert').getByRole('link', { name: '姓名 不能为空' }).click();
    expect(await page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe('#field-displayName');
    await page.getByLabel('用户名').fill('qian.fa');
    await page.getByLabel('姓名').fill('钱法制');
    await page.getByRole('checkbox', { name: /法制审核/ }).check();
    await page.getByLabel('所属部门').selectOption('法制科');
    await page.getByRole('button', { name: '创建用户' }).click();
    await page.getByRole('heading', { name: '已创建用户 钱法制' }).waitFor();
    await looked(page, '04-user-created');
    const password = (await page.locator('code.secret').innerText()).trim();
    await page.getByRole('link', { name: '完成' }).click();
    await looked(page, '05-user-edit');
    await signOut(page);
    await signIn(page, base, 'qian.fa', password);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('钱法制');
    await page.close();
  });

  it('the administrator changes a setting, is told what is wrong beside the field, and enters next year’s notice by pasting it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, base, 'admin');
    await page.goto(`${base}/staff/admin/settings`);
    await looked(page, '06-settings');
    await page.getByLabel('案件编号格式').fill('{prefix}第号');
    await page.getByLabel('行政复议机关').fill('上海市某区人民政府');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByRole('alert').waitFor();
    await looked(page, '07-settings-errors');
    await page.getByLabel('案件编号格式').fill('{prefix}〔{year}〕第{n:5}号');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('机关设置已保存。').waitFor();
    await page.goto(`${base}/staff/admin/calendar`);
    await looked(page, '08-calendar');
    await page.getByRole('link', { name: '2027年' }).first().click();
    await page.getByLabel('通知文号和标题').fill('国务院办公厅关于2027年部分节假日安排的通知（测试数据）');
    await page.getByRole('group', { name: '已正式发布' }).getByLabel('是').check();
    await page.getByLabel('放假和调休安排').fill('一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、春节：2月6日（农历腊月三十、周六）至14日（农历正月初八、周日）放假调休，共9天。2月20日（周六）上班。');
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByRole('heading', { name: '请核对：2027年节假日安排' }).waitFor();
    await looked(page, '09-calendar-check');
    await page.getByRole('button', { name: '确认保存' }).click();
    await page.getByText('节假日安排已保存').waitFor();
    await looked(page, '10-calendar-saved');
    const days = await t.dataSource.query(`SELECT count(*)::int AS n FROM calendar_days WHERE year = 2027`);
    expect(days).toEqual([{ n: 13 }]);
    await page.goto(`${base}/staff/admin/departments`);
    await looked(page, '11-departments');
    await page.goto(`${base}/staff/admin/access-log`);
    await looked(page, '12-access-log');
    await page.close();
  });

  it('legal staff record a review from the case page and its result; the head reads the report, drills down and locks the year', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, base, 'legal');
    await page.goto(`${base}/staff/cases/${caseId}`);
    await page.getByRole('link', { name: '记录行政复议或行政诉讼' }).click();
    await looked(page, '13-dispute-form');
    await page.getByRole('radio', { name: '行政复议' }).check();
    await page.getByRole('radio', { name: '一审' }).check();
    await page.getByLabel('申请或起诉日期').fill('2025-04-01');
    await page.getByLabel(/^收到副本之日/).fill('2025-04-07');
    await page.getByRole('group', { name: /简易程序/ }).getByLabel('否').check();
    await page.getByLabel('案号').fill('沪某府复〔2025〕12号');
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByRole('heading', { name: '请核对：行政复议或诉讼' }).waitFor();
    await looked(page, '14-dispute-check');
    await page.getByRole('button', { name: '确认提交' }).click();
    await page.getByText('已记录行政复议或诉讼。').waitFor();
    await looked(page, '15-dispute');
    await page.getByRole('link', { name: '记录审理结果' }).click();
    await page.getByRole('radio', { name: /结果维持/ }).check();
    await page.getByLabel('决定或判决日期').fill('2025-06-03');
    await page.getByRole('group', { name: /责令重新答复/ }).getByLabel('否').check();
    await page.getByRole('button', { name: '继续' }).click();
    await looked(page, '16-result-check');
    await page.getByRole('button', { name: '确认提交' }).click();
    await page.getByText('已记录审理结果。').waitFor();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '复议诉讼' }).click();
    await page.getByRole('link', { name: '已审结' }).click();
    await looked(page, '17-disputes');
    await signOut(page);

    await signIn(page, base, 'head');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '年度报告' }).click();
    await page.getByLabel('年度', { exact: true }).selectOption('2025');
    await page.getByRole('button', { name: '查看' }).click();
    await page.getByRole('heading', { name: '2025年政府信息公开工作年度报告' }).waitFor();
    await looked(page, '18-report');
    await page.getByRole('link', { name: '（一）予以公开，自然人：1 件' }).click();
    await looked(page, '19-report-cell');
    await page.getByRole('link', { name: '返回统计表' }).click();
    await page.getByRole('link', { name: '纠错率、败诉率和逾期率' }).click();
    await looked(page, '20-rates');
    await page.goto(`${base}/staff/reports?year=2025`);
    await page.getByRole('link', { name: '锁定2025年度' }).click();
    await looked(page, '21-lock-check');
    await page.getByRole('button', { name: '确认锁定' }).click();
    await page.getByText('年度报告已锁定。').waitFor();
    await looked(page, '22-report-locked');
    await page.goto(`${base}/staff/help`);
    await looked(page, '23-help');
    await page.goto(`${base}/staff/no-such-screen`);
    await looked(page, '24-not-found');
    await page.close();
  });
});
