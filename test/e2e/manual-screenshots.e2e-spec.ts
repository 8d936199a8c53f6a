// The 操作手册's screens (docs/manual/, issue 16 item 10): each role's journey through the console in Chromium, as the
// manual tells it. Every screen the manual shows is visited here and checked for what the manual says is on it; and
// every screen text the manual quotes 「like this」 must be found on the screens of that role's journey, so the manual
// cannot drift from the console unnoticed. With MANUAL_SCREENSHOTS=1 the screens are also written to
// docs/manual/images/ (1280×800, PNG) — run once after a change to the screens and commit the images.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { deskApplication, onlineApplication } from '../factories/applications';
import { eventSender, reviewApprover } from '../support/http';
import { addOfficeHandler } from '../support/users';
import { launchChromium, listen, signIn, signOut, visibleText } from '../support/console-browser';
import { startTestApp, type TestApp } from '../setup/test-app';

const MANUAL = join(__dirname, '../../docs/manual');
const IMAGES = join(MANUAL, 'images');
const WRITE_IMAGES = process.env.MANUAL_SCREENSHOTS === '1';
const PNGQUANT = '/usr/bin/pngquant';
const ROLES = ['intake', 'handler', 'legal', 'head', 'admin'] as const;
type ManualRole = (typeof ROLES)[number];
/** A role's whole journey in one browser, on a 2-core machine shared with others. */
const JOURNEY_TIMEOUT = 300_000;

describe('the 操作手册’s screens, role by role', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);
  /** The text of every screen visited, per role's chapter (README.md's quotes may come from any role's screens). */
  const screens: Record<ManualRole, string[]> = { intake: [], handler: [], legal: [], head: [], admin: [] };
  const captured = new Set<string>();

  beforeAll(async () => {
    // The console's address as the office would register it at its identity system (shown on the single sign-on page).
    t = await startTestApp({ CONSOLE_BASE_URL: 'https://xxgk.example.gov.cn' });
    base = await listen(t);
    browser = await launchChromium();
    if (WRITE_IMAGES) mkdirSync(IMAGES, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    // Screenshots of text lose nothing visible at 256 colours and shrink about threefold (pngquant, when installed).
    if (WRITE_IMAGES && existsSync(PNGQUANT)) {
      const images = readdirSync(IMAGES).filter((file) => file.endsWith('.png')).map((file) => join(IMAGES, file));
      // Exit 98/99: an image kept as it was (no smaller, or not good enough at 256 colours).
      const { status } = spawnSync(PNGQUANT, ['--quality=70-95', '--speed', '1', '--skip-if-larger', '--ext', '.png', '--force', ...images]);
      expect([0, 98, 99]).toContain(status);
    }
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterEach(async () => {
    await page.close();
  });

  /** Everything a screen says, including what sits folded in a <details> or in a select's options. */
  async function screenText(on: Page): Promise<string> {
    const visible = await visibleText(on);
    const all = (await on.evaluate(`(() => { const copy = document.body.cloneNode(true); copy.querySelectorAll('script, style').forEach((e) => e.remove()); return copy.textContent; })()`)) as string;
    return `${visible}\n${all.replace(/\s+/g, ' ')}`;
  }

  /**
   * A screen of the manual: asserts it shows what the manual says (`shows`), keeps its text for the drift check, and
   * with MANUAL_SCREENSHOTS=1 writes docs/manual/images/<name>.png — the viewport, scrolled to `at` when given.
   */
  async function screen(role: ManualRole, name: string, shows: (string | RegExp)[], at?: Locator, on: Page = page) {
    await on.waitForLoadState('load');
    const text = await screenText(on);
    for (const expected of shows) {
      if (typeof expected === 'string') expect({ name, has: text.includes(expected) ? expected : text.slice(0, 400) }).toEqual({ name, has: expected });
      else expect(text).toMatch(expected);
    }
    screens[role].push(text);
    if (!name) return;
    captured.add(name);
    if (WRITE_IMAGES) {
      if (at) await at.evaluate((element) => element.scrollIntoView({ block: 'start' }));
      else await on.evaluate('window.scrollTo(0, 0)');
      await on.screenshot({ path: join(IMAGES, `${name}.png`) });
    }
  }

  /** One panel of a screen, pictured alone (where the rest of the page would only distract). */
  async function panel(role: ManualRole, name: string, shows: string[], element: Locator) {
    await screen(role, '', shows);
    captured.add(name);
    if (WRITE_IMAGES) await element.screenshot({ path: join(IMAGES, `${name}.png`) });
  }

  /** A screen the manual names without showing it: its text counts for the drift check. */
  async function read(role: ManualRole, shows: string[] = []) {
    await screen(role, '', shows);
  }

  /** A case registered at the desk through the API (journeys not about intake start from here). */
  async function registered(overrides: Record<string, unknown> = {}): Promise<{ id: string; caseNumber: string }> {
    const response = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication(overrides)).expect(201);
    return { id: response.body.id, caseNumber: response.body.caseNumber };
  }

  async function assigned(at: string, overrides: Record<string, unknown> = {}) {
    const created = await registered({ receivedAt: at, ...overrides });
    await send('intake', created.id, { type: 'ASSIGN', at, handler: 'handler' });
    return created;
  }

  async function press(name: string) {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name, exact: true }).click()]);
  }

  async function follow(link: Locator) {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
  }

  async function openCase(id: string) {
    await page.goto(`${base}/staff/cases/${id}`);
  }

  /** Open a step's form from the case page (folded steps under 其他办理事项 included). */
  async function openStep(id: string, label: string) {
    await openCase(id);
    const link = page.getByRole('link', { name: label, exact: true });
    if (!(await link.isVisible())) await page.getByText('其他办理事项').click();
    await follow(link);
  }

  /** 继续, then the check page's confirmation if the step has one (`check` sees it first); ends on the case page. */
  async function submit(label: string, check?: () => Promise<void>) {
    await press('继续');
    const commit = page.getByRole('button', { name: /^(确认并发出|确认提交)$/ });
    if (await commit.count()) {
      await check?.();
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), commit.click()]);
    }
    await page.getByText(`已办理：${label}`).waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
      throw new Error(`“${label}” was not recorded; the page said: ${(await visibleText(page)).slice(0, 600)}`, { cause: error });
    });
  }

  it('登记: the sign-in, the intake home, confirming an online application, registering one from the desk, 补正 and 分办', async () => {
    t.setToday('2025-10-09');
    const online = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    await page.goto(`${base}/staff/sign-in`);
    await screen('intake', 'sign-in', ['用户名', '密码', '登录']);
    await signIn(page, base, 'intake');
    await screen('intake', 'intake-home', ['网上申请待确认收到', '登记申请', '工作队列']);

    await follow(page.getByRole('link', { name: /网上申请待确认收到/ }));
    await screen('intake', 'intake-online-queue', [online.body.caseNumber]);
    await follow(page.getByRole('link', { name: online.body.caseNumber }));
    await screen('intake', 'intake-online-case', ['现在可以办理', '确认收到', '申请内容', '答复期限', '办理经过']);
    await follow(page.getByRole('link', { name: '确认收到', exact: true }));
    await submit('确认收到', async () => {
      await screen('intake', 'intake-confirm-check', ['政府信息公开申请接收回执', '确认并发出']);
    });
    await screen('intake', 'intake-confirmed', [/收到申请之日\s*2025年10月9日/, '已办理：确认收到']);

    await follow(page.getByRole('link', { name: '登记申请' }));
    await screen('intake', 'intake-register-form', ['申请方式', '收到申请之日', '姓名或名称', '证件号码', '所需信息的描述', '获取信息的方式', '登记并出具接收回执']);
    await page.getByLabel('申请方式').selectOption({ label: '邮寄（挂号信、EMS）' });
    await page.getByLabel('收到申请之日').fill('2025-08-20');
    await page.getByLabel('姓名或名称').fill('周九');
    await page.getByLabel('证件号码').fill('11010519491231002X');
    await page.getByLabel('通信地址').fill('上海市杨浦区示例路9号');
    await page.getByLabel('所需信息的描述').fill('本区2024年度老旧小区加装电梯补贴发放情况');
    await page.getByLabel('获取信息的方式').selectOption({ label: '纸质文本（邮寄）' });
    await press('登记并出具接收回执');
    await screen('intake', 'intake-register-errors', ['须填写信封上的邮件号']);
    await page.getByLabel('邮件号').fill('XA123456789CN');
    await page.getByLabel('姓名或名称').fill('周九');
    await press('登记并出具接收回执');
    await screen('intake', 'intake-register-late', ['已过', '已知悉，按此收到日期登记'], page.getByLabel('已知悉，按此收到日期登记'));
    await page.getByLabel('已知悉，按此收到日期登记').check();
    await press('登记并出具接收回执');
    await page.getByRole('heading', { name: /^已登记：/ }).waitFor();
    await screen('intake', 'intake-receipt', [/查询码：[A-Za-z0-9-]{8,}/, '政府信息公开申请接收回执']);

    // 补正: one notice within 7 working days of receipt; the supplement restarts the 20 working days (Art. 30).
    t.setToday('2025-09-29');
    const unclear = await registered({ receivedAt: '2025-09-29' });
    await openStep(unclear.id, '补正告知');
    await screen('intake', 'intake-supplement-form', ['需要补正的事项']);
    await page.getByLabel('需要补正的事项').fill('请写明所需信息的名称或文号\n请提供身份证件复印件');
    await submit('补正告知', async () => {
      await screen('intake', 'intake-supplement-check', ['政府信息公开申请补正告知书', '请写明所需信息的名称或文号', '确认并发出']);
    });
    expect(await visibleText(page)).toContain('待补正');
    t.setToday('2025-10-13');
    await openStep(unclear.id, '收到补正');
    await submit('收到补正');
    await page.getByText('期限是怎样计算的').click();
    await screen('intake', 'intake-supplement-received', ['已办理：收到补正', '2025年11月10日', '答复期限', '期限是怎样计算的'], page.getByRole('heading', { name: '答复期限' }));

    await openStep(unclear.id, '分办');
    await page.getByLabel('承办人').selectOption({ index: 1 });
    await screen('intake', 'intake-assign', ['承办人', '改派理由', '继续']);
    await submit('分办');
  }, JOURNEY_TIMEOUT);

  it('承办: the handler’s home, search record, 协办, a third party consulted, 部分公开, extension request, issue and service', async () => {
    t.setToday('2025-10-09');
    await addOfficeHandler(t);
    const caseA = await assigned('2025-10-09');
    await assigned('2025-09-01'); // overdue by now: the home page puts it first
    await signIn(page, base, 'handler');
    await screen('handler', 'handler-home', ['我承办的']);
    await openCase(caseA.id);
    await screen('handler', 'handler-case', ['现在可以办理', '记录检索', '拟办答复', '征求意见', '申请延期', '答复期限']);

    // 协办: another department is asked by a date; its handler answers on the same case.
    await openStep(caseA.id, '请求协办');
    await screen('handler', 'handler-assistance-form', ['协办部门', '请协办的事项', '协办答复期限']);
    await page.getByLabel('协办部门').selectOption({ label: '政府信息公开办公室' });
    await page.getByLabel('请协办的事项').fill('请提供2024年征收补偿方案征求意见的汇总材料');
    await page.getByLabel('协办答复期限').fill('2025-10-16');
    await submit('请求协办');
    await signOut(page);
    await signIn(page, base, 'handler2');
    await screen('handler', 'handler-assistance-home', ['待答复的协办请求', '请提供2024年征收补偿方案征求意见的汇总材料']);
    // The assisting handler answers from the 协办 panel's 答复: the request is chosen already, described in words.
    await openCase(caseA.id);
    await follow(page.getByRole('region', { name: '协办' }).getByRole('link', { name: '答复', exact: true }));
    await screen('handler', '', ['协办请求', '请提供2024年征收补偿方案征求意见的汇总材料', '请于2025年10月16日前答复', '协办意见']);
    await page.getByLabel('协办意见').fill('征求意见汇总材料已整理，共12页，随附扫描件');
    await submit('答复协办');
    await panel('handler', 'handler-assistance-answered', ['协办', '征求意见汇总材料已整理'], page.locator('section', { has: page.getByRole('heading', { name: '协办', exact: true }) }));
    await signOut(page);
    await signIn(page, base, 'handler');

    // Third-party consultation (Art. 32): the reply clock pauses while the third party has its 15 working days.
    await openStep(caseA.id, '征求意见');
    await page.getByLabel('第三方（第三十二条）').check();
    await page.getByLabel('第三方或机关名称').fill('上海示例置业有限公司');
    await screen('handler', 'handler-consult-form', ['第三方（第三十二条）', '第三方或机关名称']);
    await submit('征求意见', async () => {
      await screen('handler', 'handler-consult-check', ['第三方意见征询函', '确认并发出']);
    });
    t.setToday('2025-10-20');
    await openStep(caseA.id, '收到意见');
    await page.getByLabel('不同意公开').check();
    await page.getByLabel('意见及理由').fill('涉及本公司商业秘密');
    await screen('handler', 'handler-consult-answer', ['对方意见', '意见及理由']);
    await submit('收到意见');

    // Search record first (Art. 36(4) needs it; here it also documents what was found).
    await openStep(caseA.id, '记录检索');
    await page.getByLabel('检索范围').fill('档案室纸质档案（2015—2025年）；OA公文系统');
    await page.getByLabel('检索词').fill('征收 补偿方案');
    await page.getByLabel('检索结果').fill('检索到补偿方案1件及内部讨论记录3份');
    await screen('handler', 'handler-search-form', ['检索范围', '检索词', '检索结果']);
    await submit('记录检索');

    // 部分公开 over the third party's objection: refused until the public-interest reasons are written (Art. 15, 37).
    await openStep(caseA.id, '拟办答复');
    await page.getByLabel('办理结果').selectOption({ label: '部分公开' });
    await page.getByLabel('提供的信息及方式').fill('提供补偿方案全文（含第三方的补偿单价），删去内部讨论记录，以纸质方式送达');
    await page.getByLabel('不予公开的部分').fill('方案形成过程中的内部讨论记录');
    await page.getByLabel('属于四类过程性信息（第十六条第二款）').check();
    await page.getByLabel('理由', { exact: true }).fill('内部讨论记录属于过程性信息');
    await press('继续');
    await screen('handler', 'handler-partial-refused', ['第三方不同意公开：须写明不公开可能对公共利益造成重大影响的理由']);
    await page.getByLabel('不公开可能对公共利益造成重大影响的理由').fill('补偿单价关系被征收人的切身利益，不公开将影响征收补偿的公平公正');
    await submit('拟办答复', async () => {
      await screen('handler', 'handler-decide-check', ['确认提交', '部分公开']);
    });
    await screen('handler', 'handler-decided', ['已办理：拟办答复', '部分公开']);

    // Extension asked before the due date (Art. 33 ¶2): the head approves it.
    const slow = await assigned('2025-10-20');
    await openStep(slow.id, '申请延期');
    await page.getByLabel('申请延长的工作日数').fill('15');
    await page.getByLabel('延期理由').fill('所需信息涉及多个科室的档案，需要调阅和汇总');
    await screen('handler', 'handler-extension-request', ['申请延长的工作日数', '延期理由']);
    await submit('申请延期');

    // Legal and the head approve (their chapters show how); the handler issues the reply and records its service.
    await approve('legal', caseA.id, { at: '2025-10-20' });
    await approve('head', caseA.id, { at: '2025-10-20' });
    // Art. 32: the third party objected and is told of the decision; the reply waits for its time to seek relief.
    await openStep(caseA.id, '出具答复');
    await press('继续');
    await screen('handler', 'handler-issue-refused', ['请修改以下内容', '须待第三方寻求救济的期限', '第三十二条']);
    t.setToday('2025-11-11');
    await openStep(caseA.id, '出具答复');
    await submit('出具答复', async () => {
      await screen('handler', 'handler-issue-check', ['答复书出具后即编号、定稿', '确认提交']);
    });
    await openStep(caseA.id, '送达');
    await page.getByLabel('邮寄送达').check();
    await page.getByLabel('邮政挂号信').check();
    await page.getByLabel('邮件号').fill('XA987654321CN');
    await screen('handler', 'handler-service-form', ['送达方式', '邮寄方式', '邮件号', '送达凭证']);
    await submit('送达');
    await openStep(caseA.id, '转主动公开决定');
    await read('handler', ['是否转为主动公开', '理由', '公开标题', '摘要', '公开的内容']);
    await page.getByLabel('否', { exact: true }).check();
    await page.getByLabel('理由', { exact: true }).fill('补偿方案已在征收公告中公开，无需另行转为主动公开');
    await submit('转主动公开决定');
    await screen('handler', 'handler-closed', ['已办结']);
  }, JOURNEY_TIMEOUT);

  it('法制审核: the review queue, a draft with the checker’s findings and the risk review, a return with a comment, a dispute with its evidence', async () => {
    t.setToday('2025-10-09');
    const notHeld = await assigned('2025-10-09');
    await send('handler', notHeld.id, { type: 'RECORD_SEARCH', at: '2025-10-09', scope: '档案室纸质档案（2015—2025年）；OA公文系统', terms: '加装电梯 补贴 2024', result: '未检索到相关信息' });
    await send('handler', notHeld.id, { type: 'DECIDE', at: '2025-10-09', outcome: 'unavailable.not_held', reasons: '经检索本机关档案室纸质档案及OA公文系统，未找到所申请的信息。' });
    const toReturn = await assigned('2025-10-09');
    await send('handler', toReturn.id, { type: 'DECIDE', at: '2025-10-09', outcome: 'disclosed', provided: '提供补偿方案' });

    await signIn(page, base, 'legal');
    await screen('legal', 'legal-home', ['审核签发', '复议诉讼']);
    await follow(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审核签发' }));
    await screen('legal', 'legal-review-queue', [notHeld.caseNumber, '审查答复书']);
    await follow(page.getByRole('row', { name: notHeld.caseNumber }).getByRole('link', { name: /审查答复书/ }));
    await screen('legal', 'legal-review', ['答复所依据的办理记录', '档案室纸质档案（2015—2025年）', '保存修改', '审核通过', '退回修改']);
    const reasons = page.getByRole('textbox', { name: '理由', exact: true });
    await reasons.fill('信息不存在。');
    await page.getByText('理由过于简单').first().waitFor();
    await screen('legal', 'legal-live-warning', ['理由过于简单']);
    await press('保存修改');
    await page.getByText('已保存答复书的填写部分。').waitFor();
    await press('审核通过');
    await screen('legal', 'legal-acknowledge-refused', ['对败诉风险提示的确认', '审核意见 不能为空']);
    await page.goto(`${base}/staff/cases/${notHeld.id}/reply`);
    await read('legal', ['对该风险的审核意见']);
    await page.getByRole('textbox', { name: '对该风险的审核意见' }).fill('已核实档案室及OA系统检索情况，检索记录完整');
    await press('审核通过');
    await page.getByText('已办理：审核通过').waitFor();

    await openStep(toReturn.id, '退回修改');
    await page.getByLabel('退回意见').fill('请写明提供的方式和时间');
    await screen('legal', 'legal-return-form', ['退回意见']);
    await submit('退回修改');

    // A reply issued in March is taken to review (行政复议): record it from the case page, then its result.
    t.setToday('2025-04-09');
    const issued = await assigned('2025-03-03');
    await send('handler', issued.id, { type: 'DECIDE', at: '2025-03-10', outcome: 'disclosed', provided: '提供复印件', reasons: '依法公开' });
    await approve('legal', issued.id, { at: '2025-03-11' });
    await approve('head', issued.id, { at: '2025-03-11' });
    await send('intake', issued.id, { type: 'ISSUE_REPLY', at: '2025-03-12' });
    await openCase(issued.id);
    await read('legal', ['复议与诉讼', '记录行政复议或行政诉讼']);
    await follow(page.getByRole('link', { name: '记录行政复议或行政诉讼' }));
    await page.getByRole('radio', { name: '行政复议' }).check();
    await page.getByLabel('申请或起诉日期').fill('2025-04-01');
    await page.getByLabel(/^收到副本之日/).fill('2025-04-07');
    await page.getByRole('group', { name: /简易程序/ }).getByLabel('否').check();
    await page.getByLabel('案号').fill('沪某府复〔2025〕12号');
    await screen('legal', 'legal-dispute-form', ['行政复议', '行政诉讼', '申请或起诉日期', '收到副本之日', '简易程序', '案号']);
    await press('继续');
    await screen('legal', 'legal-dispute-check', ['请核对：行政复议或诉讼', '确认提交']);
    await press('确认提交');
    await page.getByText('已记录行政复议或诉讼。').waitFor();
    await screen('legal', 'legal-dispute', ['记录的内容', '审理结果', '记录审理结果', '证据材料', '下载证据材料']);
    // The bundle downloads in the signed-in session (a ZIP: the letters, the attachments and the index).
    const bundle = await page.request.get(`${base}${await page.getByRole('link', { name: '下载证据材料' }).getAttribute('href')}`);
    expect(bundle.status()).toBe(200);
    expect(bundle.headers()['content-type']).toContain('zip');
    await follow(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '复议诉讼' }));
    await screen('legal', 'legal-disputes', ['复议诉讼', '沪某府复〔2025〕12号']);
  }, JOURNEY_TIMEOUT);

  it('负责人: the head’s home, an extension approved with a separate 审批意见, a reply signed, 督办', async () => {
    t.setToday('2025-10-21');
    const slow = await assigned('2025-10-21');
    await send('handler', slow.id, { type: 'REQUEST_EXTENSION', at: '2025-10-21', workingDays: 15, reason: '所需信息涉及多个科室的档案，需要调阅和汇总' });
    const toSign = await assigned('2025-10-21');
    await send('handler', toSign.id, { type: 'DECIDE', at: '2025-10-21', outcome: 'disclosed', provided: '提供补偿方案全文，于2025年10月31日前以纸质方式邮寄' });
    await approve('legal', toSign.id, { at: '2025-10-21' });

    await signIn(page, base, 'head');
    await screen('head', 'head-home', ['待审批的延期申请', '督办']);
    await follow(page.getByRole('link', { name: /待审批的延期申请/ }));
    await follow(page.getByRole('link', { name: slow.caseNumber }));
    await read('head', ['现在可以办理', '延期审批']);
    await follow(page.getByRole('link', { name: '延期审批', exact: true }));
    await page.getByLabel('审批意见').fill('同意延期，请于延长期限内办结');
    await screen('head', 'head-extension-form', ['延长的工作日数', '延期理由', '审批意见']);
    await press('继续');
    await screen('head', 'head-extension-check', ['所需信息涉及多个科室的档案', '确认并发出']);
    await press('确认并发出');
    await page.getByText('已办理：延期审批').waitFor();

    await follow(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审核签发' }));
    await read('head', ['审查答复书']);
    await follow(page.getByRole('row', { name: toSign.caseNumber }).getByRole('link', { name: /审查答复书/ }));
    await screen('head', 'head-review', ['审核通过', '退回修改']);
    await press('审核通过');
    await page.getByText('已办理：审核通过').waitFor();

    await follow(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '督办' }));
    await screen('head', 'head-supervision', ['督办', '承办部门', '即将到期', '已逾期', '其中逾期答复', '打印督办表']);
  }, JOURNEY_TIMEOUT);

  it('管理员: users, departments, agency settings, the calendar, the access log, the annual report and single sign-on', async () => {
    t.setToday('2026-03-02');
    await signIn(page, base, 'admin');
    await follow(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '系统管理' }));
    await screen('admin', 'admin-index', ['用户', '部门', '机关设置', '工作日历', '个人信息访问日志']);
    await page.goto(`${base}/staff/admin/users`);
    await screen('admin', 'admin-users', ['新建用户']);
    await follow(page.getByRole('link', { name: '新建用户' }));
    await page.getByLabel('用户名').fill('qian.fa');
    await page.getByLabel('姓名').fill('钱法制');
    await page.getByRole('checkbox', { name: /法制审核/ }).check();
    await page.getByLabel('所属部门').selectOption('法制科');
    await screen('admin', 'admin-user-new', ['用户名', '姓名', '所属部门', '创建用户']);
    await press('创建用户');
    await page.getByRole('heading', { name: '已创建用户 钱法制' }).waitFor();
    await screen('admin', 'admin-user-created', ['已创建用户 钱法制', '完成']);
    await follow(page.getByRole('link', { name: '完成' }));
    await screen('admin', 'admin-user-edit', ['钱法制']);

    await page.goto(`${base}/staff/admin/departments`);
    await screen('admin', 'admin-departments', ['法制科']);
    await page.goto(`${base}/staff/admin/settings`);
    await screen('admin', 'admin-settings', ['案件编号格式', '行政复议机关', '保存设置']);
    await page.getByLabel('案件编号格式').fill('{prefix}第号');
    await press('保存设置');
    await screen('admin', 'admin-settings-errors', ['案件编号格式']);

    await page.goto(`${base}/staff/admin/calendar`);
    await screen('admin', 'admin-calendar', ['工作日历', '2027年']);
    await follow(page.getByRole('link', { name: '2027年' }).first());
    await page.getByLabel('通知文号和标题').fill('国务院办公厅关于2027年部分节假日安排的通知（示例）');
    await page.getByRole('group', { name: '已正式发布' }).getByLabel('是').check();
    await page.getByLabel('放假和调休安排').fill('一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、春节：2月6日（农历腊月三十、周六）至14日（农历正月初八、周日）放假调休，共9天。2月20日（周六）上班。');
    await screen('admin', 'admin-calendar-year', ['通知文号和标题', '已正式发布', '放假和调休安排']);
    await press('继续');
    await screen('admin', 'admin-calendar-check', ['请核对：2027年节假日安排', '确认保存']);
    await press('确认保存');
    await page.getByText('节假日安排已保存').waitFor();

    await page.goto(`${base}/staff/admin/access-log`);
    await screen('admin', 'admin-access-log', ['个人信息访问日志']);
    await page.goto(`${base}/staff/reports?year=2025`);
    await screen('admin', 'admin-report', ['2025年政府信息公开工作年度报告', '本年新收政府信息公开申请数量']);
    await page.goto(`${base}/staff/admin/sso`);
    await screen('admin', 'admin-sso', ['统一身份认证', '在身份认证平台登记的地址', '回调地址', '启用统一身份认证登录', 'https://xxgk.example.gov.cn/staff/sso/default/callback']);
    await screen('admin', 'admin-sso-passwords', ['关闭密码登录', '应急管理员', '保存设置'], page.getByRole('heading', { name: '密码登录', exact: true }));
  }, JOURNEY_TIMEOUT);

  it('the manual quotes only what these screens show, and shows only images taken here', () => {
    for (const role of ROLES) {
      const file = join(MANUAL, `${role}.md`);
      expect(existsSync(file)).toBe(true);
      const text = readFileSync(file, 'utf8');
      const shown = screens[role].join('\n');
      // 「…」 in the manual quotes a screen: a heading, a link, a button, a field's label, a message.
      const quoted = [...text.matchAll(/「([^」]+)」/g)].map((match) => match[1]!);
      expect(quoted.length).toBeGreaterThan(10);
      expect({ role, missing: quoted.filter((words) => !shown.includes(words)) }).toEqual({ role, missing: [] });
      const images = [...text.matchAll(/\]\(images\/([^)]+)\.png\)/g)].map((match) => match[1]!);
      expect({ role, notTaken: images.filter((name) => !captured.has(name)) }).toEqual({ role, notTaken: [] });
    }
    const readme = readFileSync(join(MANUAL, 'README.md'), 'utf8');
    const everywhere = ROLES.map((role) => screens[role].join('\n')).join('\n');
    expect({ file: 'README', missing: [...readme.matchAll(/「([^」]+)」/g)].map((match) => match[1]!).filter((words) => !everywhere.includes(words)) }).toEqual({ file: 'README', missing: [] });
    const referenced = ['README', ...ROLES].map((name) => readFileSync(join(MANUAL, `${name}.md`), 'utf8')).join('\n');
    for (const name of captured) expect({ name, inManual: referenced.includes(`images/${name}.png`) }).toEqual({ name, inManual: true });
    for (const image of readdirSync(IMAGES)) expect({ image, taken: captured.has(image.replace(/\.png$/, '')) }).toEqual({ image, taken: true });
  });
});
