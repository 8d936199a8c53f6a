// The office's journeys through the console in a real browser (Debian's Chromium), each step by the role whose work it
// is, written as a person reads the page: links and buttons by their names, fields by their labels (issue 16).
import type { Browser, Page } from 'playwright-core';
import { deskApplication, onlineApplication } from '../factories/applications';
import { launchChromium, listen, shoot, signIn, signOut, visibleText } from '../support/console-browser';
import { addOfficeHandler } from '../support/users';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('the office’s journeys through the console', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  });
  afterEach(async () => {
    await page.close();
  });

  /** A case registered at the desk through the API (journeys that are not about intake start from here). */
  async function registered(overrides: Record<string, unknown> = {}): Promise<{ id: string; caseNumber: string }> {
    const response = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication(overrides)).expect(201);
    return { id: response.body.id, caseNumber: response.body.caseNumber };
  }

  /** Press a button that posts the page's form, and wait for the page it leads to. */
  async function press(name: string) {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name, exact: true }).click()]);
  }

  /** Follow a link and wait for the page it opens. */
  async function follow(link: ReturnType<Page['getByRole']>) {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
  }

  async function openCase(id: string) {
    await page.goto(`${base}/staff/cases/${id}`);
  }

  /**
   * One step on the case page: its link, its form filled by `fill`, 继续, and — where the step issues a letter or asks
   * for confirmation — the check page's button. Ends on the case page with the step recorded.
   */
  async function act(id: string, label: string, fill: (page: Page) => Promise<void> = async () => {}, check?: (page: Page) => Promise<void>) {
    await openCase(id);
    const link = page.getByRole('link', { name: label, exact: true });
    if (!(await link.isVisible())) await page.getByText('其他办理事项').click();
    await follow(link);
    await fill(page);
    await press('继续');
    await recorded(label, check);
  }

  /** After a step's button: the check page's confirmation where the step asks for one, then the case page saying it is done. */
  async function recorded(label: string, check?: (page: Page) => Promise<void>) {
    await page.waitForLoadState();
    const commit = page.getByRole('button', { name: /^(确认并发出|确认提交)$/ });
    if (await commit.count()) {
      await check?.(page);
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), commit.click()]);
    }
    await page
      .getByText(`已办理：${label}`)
      .waitFor({ timeout: 10_000 })
      .catch(async (error: unknown) => {
        await shoot(page, `failed-${label}`);
        throw new Error(`“${label}” was not recorded; the page said: ${(await visibleText(page)).slice(0, 600)}`, { cause: error });
      });
  }

  async function letterText(caseId: string, kind: string): Promise<string> {
    const [letter] = await t.dataSource.query(`SELECT content_html FROM letters WHERE case_id = $1 AND kind = $2 AND status = 'issued' ORDER BY seq DESC LIMIT 1`, [caseId, kind]);
    return String(letter?.content_html ?? '').replace(/<[^>]+>/g, '');
  }

  it('confirms an online application and registers one from the desk, handing over the receipt with its 查询码', async () => {
    t.setToday('2025-10-09');
    const online = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    await signIn(page, base, 'intake');
    await shoot(page, 'journey-intake-home');
    await follow(page.getByRole('link', { name: /网上申请待确认收到/ }));
    await follow(page.getByRole('link', { name: online.body.caseNumber }));
    const [{ id }] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [online.body.caseNumber]);
    await act(id, '确认收到', async () => {}, async (check) => {
      await shoot(check, 'journey-confirm-check');
      expect(await visibleText(check)).toContain('政府信息公开申请接收回执');
    });
    expect(await visibleText(page)).toMatch(/收到申请之日\s*2025年10月9日/);

    await follow(page.getByRole('link', { name: '登记申请' }));
    await page.getByLabel('申请方式').selectOption({ label: '邮寄（挂号信、EMS）' });
    await page.getByLabel('收到申请之日').fill('2025-08-20');
    await page.getByLabel('姓名或名称').fill('周九');
    await page.getByLabel('证件号码').fill('11010519491231002X');
    await page.getByLabel('通信地址').fill('上海市杨浦区示例路9号');
    await page.getByLabel('所需信息的描述').fill('本区2024年度老旧小区加装电梯补贴发放情况');
    await page.getByLabel('获取信息的方式').selectOption({ label: '纸质文本（邮寄）' });
    await press('登记并出具接收回执');
    // Posted without the envelope's number, and received so long ago that the due date has passed: both said beside their fields.
    const errors = await visibleText(page);
    expect(errors).toContain('须填写信封上的邮件号');
    await shoot(page, 'journey-intake-errors');
    await page.getByLabel('邮件号').fill('XA123456789CN');
    await page.getByLabel('姓名或名称').fill('周九');
    await press('登记并出具接收回执');
    expect(await visibleText(page)).toMatch(/答复期限\d{4}年\d{1,2}月\d{1,2}日已过/);
    await page.getByLabel('已知悉，按此收到日期登记').check();
    await press('登记并出具接收回执');
    await page.getByRole('heading', { name: /^已登记：/ }).waitFor();
    const done = await visibleText(page);
    expect(done).toMatch(/查询码：[A-Za-z0-9-]{8,}/);
    expect(done).toContain('政府信息公开申请接收回执');
    await shoot(page, 'journey-intake-receipt');
    const [desk] = await t.dataSource.query(`SELECT c.state, e.payload FROM cases c JOIN case_events e ON e.case_id = c.id AND e.sequence = 1 WHERE c.applicant_name = '周九'`);
    expect(desk.state).toBe('registered');
    expect(desk.payload).toMatchObject({ channel: 'post_signed', postalTrackingNumber: 'XA123456789CN' });
  });

  it('asks another department to assist (协办): its handler answers from the case page, the lead handler reads the answer', async () => {
    t.setToday('2025-11-03');
    await addOfficeHandler(t, 'assistant');
    const { id } = await registered();
    await t.http.post(`/api/cases/${id}/events`).set(await t.as('intake')).send({ type: 'ASSIGN', handler: 'handler' }).expect(200);
    await signIn(page, base, 'handler');
    await act(id, '请求协办', async (form) => {
      await form.getByLabel('协办部门').selectOption({ label: '政府信息公开办公室' });
      await form.getByLabel('请协办的事项').fill('请提供2024年度加装电梯补贴发放台账');
      await form.getByLabel('协办答复期限').fill('2025-11-10');
    });
    // The history says the assistance's own date in words, under its own label.
    expect(await visibleText(page)).toMatch(/协办答复期限\s*2025年11月10日/);
    await signOut(page);

    t.setToday('2025-11-05');
    await signIn(page, base, 'assistant');
    await openCase(id);
    const panel = page.getByRole('region', { name: '协办' });
    expect(await panel.innerText()).toContain('尚未答复');
    // The action offered on the page opens the form with the only open request already chosen, described in words.
    await follow(page.getByRole('link', { name: '答复协办', exact: true }));
    const request = page.getByRole('radio', { name: /住房保障科（李承办）于2025年11月3日请求协办：请提供2024年度加装电梯补贴发放台账，请于2025年11月10日前答复/ });
    expect(await request.isChecked()).toBe(true);
    await shoot(page, 'journey-assistance-answer-form');
    // From the 协办 panel's 答复 beside the request, too.
    await openCase(id);
    await follow(page.getByRole('region', { name: '协办' }).getByRole('link', { name: '答复', exact: true }));
    expect(await page.getByRole('radio', { name: /请提供2024年度加装电梯补贴发放台账/ }).isChecked()).toBe(true);
    await page.getByLabel('协办意见').fill('经查，本办公室台账中无该项补贴的发放记录。');
    await press('继续');
    await recorded('答复协办');
    await signOut(page);

    await signIn(page, base, 'handler');
    await openCase(id);
    const answered = await page.getByRole('region', { name: '协办' }).innerText();
    expect(answered).toContain('答复（2025年11月5日）：经查，本办公室台账中无该项补贴的发放记录。');
    const text = await visibleText(page);
    // The history names the request answered by what it was, never by an id.
    expect(text).toMatch(/协办请求\s*住房保障科于2025年11月3日请求政府信息公开办公室协办：请提供2024年度加装电梯补贴发放台账/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    await shoot(page, 'journey-assistance-answered');
  });

  it('sends the one 补正 notice and records the supplement: the clock restarts from it (Art. 30)', async () => {
    t.setToday('2025-09-29');
    const { id } = await registered();
    await signIn(page, base, 'intake');
    await act(id, '补正告知', async (form) => {
      await form.getByLabel('需要补正的事项').fill('请写明所需信息的名称或文号\n请提供身份证件复印件');
    }, async (check) => {
      const text = await visibleText(check);
      expect(text).toContain('政府信息公开申请补正告知书');
      expect(text).toContain('请写明所需信息的名称或文号');
      // The step's date in the office's words, as everywhere else on the console.
      expect(text).toMatch(/日期\s*2025年9月29日/);
      await shoot(check, 'journey-supplement-check');
    });
    expect(await visibleText(page)).toContain('待补正');
    t.setToday('2025-10-13');
    await act(id, '收到补正');
    const text = await visibleText(page);
    expect(text).toContain('2025年11月10日'); // 20 working days from 13 October 2025
    await shoot(page, 'journey-supplement-received');
  });

  it('records the search, decides 信息不存在 and has legal see the search record beside the draft', async () => {
    t.setToday('2025-10-09');
    const { id, caseNumber } = await registered();
    await t.http.post(`/api/cases/${id}/events`).set(await t.as('intake')).send({ type: 'ASSIGN', handler: 'handler' }).expect(200);
    await signIn(page, base, 'handler');
    // Without a search record the decision is refused, and the page says what is missing.
    await openCase(id);
    await follow(page.getByRole('link', { name: '拟办答复', exact: true }));
    await page.getByLabel('办理结果').selectOption({ label: '经检索没有所申请的信息' });
    await page.getByLabel('理由', { exact: true }).fill('经检索本机关档案，未找到所申请的信息。');
    await press('继续');
    expect(await visibleText(page)).toContain('缺少检索记录');
    await shoot(page, 'journey-decide-refused');
    await act(id, '记录检索', async (form) => {
      await form.getByLabel('检索范围').fill('档案室纸质档案（2015—2025年）；OA公文系统');
      await form.getByLabel('检索词').fill('加装电梯 补贴 2024');
      await form.getByLabel('检索结果').fill('未检索到相关信息');
    });
    await act(id, '拟办答复', async (form) => {
      await form.getByLabel('办理结果').selectOption({ label: '经检索没有所申请的信息' });
      await form.getByLabel('理由', { exact: true }).fill('经检索本机关档案室纸质档案及OA公文系统，未找到所申请的信息。');
    }, async (check) => expect(await visibleText(check)).toContain('第三十六条第（四）项'));
    await signOut(page);
    await signIn(page, base, 'legal');
    await follow(page.getByRole('link', { name: '审核签发' }));
    await follow(page.getByRole('row', { name: caseNumber }).getByRole('link', { name: /审查答复书/ }));
    const review = await visibleText(page);
    expect(review).toContain('答复所依据的办理记录');
    expect(review).toContain('档案室纸质档案（2015—2025年）');
    expect(review).toContain('经检索本机关档案室纸质档案');
    await shoot(page, 'journey-legal-review');
    // Legal shortens the reasons: the risk review warns while typing (nothing saved yet), then after saving asks for an
    // acknowledgement before the approval goes through.
    const reasons = page.getByRole('textbox', { name: '理由', exact: true });
    await reasons.fill('信息不存在。');
    await page.getByText('理由过于简单').first().waitFor();
    await shoot(page, 'journey-legal-live-warning');
    await press('保存修改');
    await page.getByText('已保存答复书的填写部分。').waitFor();
    await press('审核通过');
    expect(await visibleText(page)).toContain('理由过于简单');
    await shoot(page, 'journey-legal-acknowledge-refused');
    await page.goto(`${base}/staff/cases/${id}/reply`);
    await page.getByRole('textbox', { name: '对该风险的审核意见' }).fill('已核实档案室及OA系统检索情况，检索记录完整');
    await press('审核通过');
    await recorded('审核通过');
  });

  it('consults a third party, which objects, then discloses in part with the public-interest reasons (Art. 32, 37)', async () => {
    t.setToday('2025-10-09');
    const { id } = await registered();
    await t.http.post(`/api/cases/${id}/events`).set(await t.as('intake')).send({ type: 'ASSIGN', handler: 'handler' }).expect(200);
    await signIn(page, base, 'handler');
    await act(id, '征求意见', async (form) => {
      await form.getByLabel('第三方（第三十二条）').check();
      await form.getByLabel('第三方或机关名称').fill('上海示例置业有限公司');
    }, async (check) => expect(await visibleText(check)).toContain('第三方意见征询函'));
    t.setToday('2025-10-20');
    await act(id, '收到意见', async (form) => {
      await form.getByLabel('不同意公开').check();
      await form.getByLabel('意见及理由').fill('涉及本公司商业秘密');
    });
    // The third party objected: disclosing its part needs the public-interest reasons, and the page says so.
    await openCase(id);
    await follow(page.getByRole('link', { name: '拟办答复', exact: true }));
    await page.getByLabel('办理结果').selectOption({ label: '部分公开' });
    await page.getByLabel('提供的信息及方式').fill('提供补偿方案全文（含第三方的补偿单价），删去内部讨论记录，以纸质方式送达');
    await page.getByLabel('不予公开的部分').fill('方案形成过程中的内部讨论记录');
    await page.getByLabel('属于四类过程性信息（第十六条第二款）').check();
    await page.getByLabel('理由', { exact: true }).fill('内部讨论记录属于过程性信息');
    await press('继续');
    expect(await visibleText(page)).toContain('第三方不同意公开：须写明不公开可能对公共利益造成重大影响的理由');
    await shoot(page, 'journey-partial-needs-public-interest');
    await page.getByLabel('不公开可能对公共利益造成重大影响的理由').fill('补偿单价关系被征收人的切身利益，不公开将影响征收补偿的公平公正');
    await press('继续');
    await recorded('拟办答复');
    expect(await visibleText(page)).toContain('部分公开');
    await shoot(page, 'journey-partial-decided');
  });

  it('has the head approve the extension the handler asked for: the letter carries the handler’s reason, never the head’s remark', async () => {
    t.setToday('2025-10-09');
    const { id, caseNumber } = await registered();
    await t.http.post(`/api/cases/${id}/events`).set(await t.as('intake')).send({ type: 'ASSIGN', handler: 'handler' }).expect(200);
    await signIn(page, base, 'handler');
    await act(id, '申请延期', async (form) => {
      await form.getByLabel('申请延长的工作日数').fill('15');
      await form.getByLabel('延期理由').fill('所需信息涉及多个科室的档案，需要调阅和汇总');
    });
    await signOut(page);
    await signIn(page, base, 'head');
    await follow(page.getByRole('link', { name: /待审批的延期申请/ }));
    await follow(page.getByRole('link', { name: caseNumber }));
    await follow(page.getByRole('link', { name: '延期审批', exact: true }));
    expect(await page.getByLabel('延长的工作日数').inputValue()).toBe('15');
    expect(await page.getByLabel('延期理由').inputValue()).toBe('所需信息涉及多个科室的档案，需要调阅和汇总');
    await page.getByLabel('审批意见').fill('同意延期');
    await shoot(page, 'journey-extension-form');
    await press('继续');
    const check = await visibleText(page);
    expect(check).toContain('所需信息涉及多个科室的档案');
    expect(check.split('将要发出的文书：').pop()).not.toContain('同意延期');
    await shoot(page, 'journey-extension-check');
    await press('确认并发出');
    await page.getByText('已办理：延期审批').waitFor();
    const letter = await letterText(id, 'extension_notice');
    expect(letter).toContain('所需信息涉及多个科室的档案');
    expect(letter).not.toContain('同意延期');
  });

  it('returns a draft with a comment, the handler re-decides from the returned draft, and the reply is signed, issued, served and published', async () => {
    t.setToday('2025-10-09');
    const { id, caseNumber } = await registered();
    await t.http.post(`/api/cases/${id}/events`).set(await t.as('intake')).send({ type: 'ASSIGN', handler: 'handler' }).expect(200);
    await signIn(page, base, 'handler');
    await act(id, '拟办答复', async (form) => {
      await form.getByLabel('办理结果').selectOption({ label: '予以公开' });
      await form.getByLabel('提供的信息及方式').fill('提供补偿方案');
    }, async (check) => shoot(check, 'journey-decide-check'));
    await signOut(page);

    await signIn(page, base, 'legal');
    await openCase(id);
    await follow(page.getByRole('link', { name: '退回修改', exact: true }));
    await page.getByLabel('退回意见').fill('请写明提供的方式和时间');
    await press('继续');
    await recorded('退回修改');
    await signOut(page);

    await signIn(page, base, 'handler');
    await follow(page.getByRole('link', { name: /退回修改的答复/ }));
    await follow(page.getByRole('link', { name: caseNumber }));
    expect(await visibleText(page)).toContain('请写明提供的方式和时间');
    await follow(page.getByRole('link', { name: '拟办答复', exact: true }));
    expect(await page.getByLabel('提供的信息及方式').inputValue()).toBe('提供补偿方案');
    await page.getByLabel('提供的信息及方式').fill('提供补偿方案全文，于2025年10月15日前以纸质方式邮寄');
    await press('继续');
    await recorded('拟办答复');
    await signOut(page);

    await signIn(page, base, 'legal');
    await page.goto(`${base}/staff/cases/${id}/reply`);
    await shoot(page, 'journey-review-page');
    await press('审核通过');
    await recorded('审核通过');
    await signOut(page);

    await signIn(page, base, 'head');
    await follow(page.getByRole('link', { name: '审核签发' }));
    await follow(page.getByRole('row', { name: caseNumber }).getByRole('link', { name: /审查答复书/ }));
    await shoot(page, 'journey-head-review');
    await press('审核通过');
    await recorded('审核通过');
    await act(id, '出具答复', async () => {}, async (check) => {
      expect(await visibleText(check)).toContain('答复书出具后即编号、定稿');
      await shoot(check, 'journey-issue-check');
    });
    await signOut(page);

    await signIn(page, base, 'intake');
    await act(id, '送达', async (form) => {
      await form.getByLabel('邮寄送达').check();
      await form.getByLabel('邮政挂号信').check();
      await form.getByLabel('邮件号').fill('XA987654321CN');
    });
    await signOut(page);

    await signIn(page, base, 'handler');
    await act(id, '转主动公开决定', async (form) => {
      await form.getByLabel('是', { exact: true }).check();
      await form.getByLabel('理由', { exact: true }).fill('多名申请人申请同一信息，可以公开');
      await form.getByLabel('公开标题').fill('某地块房屋征收补偿方案');
      await form.getByLabel('摘要').fill('某地块国有土地上房屋征收补偿方案全文');
      await form.getByLabel('公开的内容').fill('补偿方案全文……');
    });
    expect(await visibleText(page)).toContain('已办结');
    await shoot(page, 'journey-closed');
    const portal = await browser.newPage();
    await portal.goto(`${base}/proactive`);
    expect(await visibleText(portal)).toContain('某地块房屋征收补偿方案');
    await portal.close();
  });
});
