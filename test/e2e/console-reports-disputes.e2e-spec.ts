// The annual report, disputes, help and the console's 404 (issue 16 items 8 and 10) through HTTP as a browser uses them.
import ExcelJS from 'exceljs';
import { deskApplication, personApplicant } from '../factories/applications';
import { consoleGet, consolePost, consoleSession, errorSummary, fieldError, heading, pageText, type ConsoleSession } from '../support/console-http';
import { binaryParser, eventSender, reviewApprover } from '../support/http';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('console: annual report, disputes, help', () => {
  let t: TestApp;
  const sessions: Record<string, ConsoleSession> = {};
  let concluded: { id: string; caseNumber: string };
  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);

  beforeAll(async () => {
    t = await startTestApp();
    for (const username of ['intake', 'handler', 'legal', 'head', 'admin']) sessions[username] = await consoleSession(t, username);
    // A 2025 case answered 予以公开 (the report's cell 予以公开 × 自然人), and one still open at the end of 2025.
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-03-03', applicant: personApplicant() })).expect(201);
    concluded = { id: created.body.id, caseNumber: created.body.caseNumber };
    await send('intake', concluded.id, { type: 'ASSIGN', at: '2025-03-03', handler: 'handler' });
    await send('handler', concluded.id, { type: 'DECIDE', at: '2025-03-10', outcome: 'disclosed', provided: '提供复印件', reasons: '依法公开' });
    await approve('legal', concluded.id, { at: '2025-03-11' });
    await approve('head', concluded.id, { at: '2025-03-11' });
    await send('intake', concluded.id, { type: 'ISSUE_REPLY', at: '2025-03-12' });
    await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-12-29', applicant: personApplicant({ name: '李四', idType: 'passport', idNumber: 'E12345678' }) })).expect(201);
  });
  afterAll(() => t?.close());

  describe('disputes', () => {
    let disputeId: string;

    it('records a dispute from the case page: every field, a check page with the agency’s deadline, then the record', async () => {
      const casePage = await consoleGet(t, sessions.legal, `/staff/cases/${concluded.id}`).expect(200);
      expect(casePage.text).toContain(`/staff/cases/${concluded.id}/disputes/new`);
      const handlerCase = await consoleGet(t, sessions.handler, `/staff/cases/${concluded.id}`).expect(200);
      expect(handlerCase.text).not.toContain('/disputes/new');
      const form = await consoleGet(t, sessions.legal, `/staff/cases/${concluded.id}/disputes/new`).expect(200);
      for (const name of ['kind', 'afterReview', 'instance', 'parentId', 'filedAt', 'servedAt', 'simplified', 'body', 'reference']) expect(form.text).toContain(`name="${name}"`);
      const fields = { kind: 'review', instance: 'first', filedAt: '2025-04-01', servedAt: '2025-04-07', simplified: 'no', body: '上海市某区人民政府', reference: '沪某府复〔2025〕12号' };
      const check = await consolePost(t, sessions.legal, `/staff/cases/${concluded.id}/disputes`, { ...fields, stage: 'check' }).expect(200);
      // 10 working days from 2025-04-07 (4-4..4-6 清明 before it): 4-8..4-11, 4-14..4-18, 4-21 → 2025-04-21.
      expect(pageText(check)).toContain('本机关书面答复期限2025年4月21日（行政复议法第四十八条（10个工作日））');
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM disputes`)).toEqual([{ n: 0 }]);
      const recorded = await consolePost(t, sessions.legal, `/staff/cases/${concluded.id}/disputes`, { ...fields, stage: 'commit' }).expect(303);
      disputeId = /\/staff\/disputes\/([0-9a-f-]{36})\?done=dispute_recorded$/.exec(recorded.headers.location)![1];
      const [row] = await t.dataSource.query(`SELECT kind, to_char(answer_due_date, 'YYYY-MM-DD') AS due, reference, simplified FROM disputes WHERE id = $1`, [disputeId]);
      expect(row).toEqual({ kind: 'review', due: '2025-04-21', reference: '沪某府复〔2025〕12号', simplified: false });
    });

    it('refuses a dispute form with problems beside their fields (400), and an impossible combination named by its label', async () => {
      const missing = await consolePost(t, sessions.legal, `/staff/cases/${concluded.id}/disputes`, { kind: 'litigation', instance: 'first', body: '', stage: 'check' }).expect(400);
      expect(errorSummary(missing)).toEqual(
        expect.arrayContaining([
          { href: '#field-filedAt', message: '申请或起诉日期 不能为空' },
          { href: '#field-body', message: '复议机关或人民法院 不能为空' },
          { href: '#field-afterReview', message: '复议后起诉 请选择“是”或“否”' },
        ]),
      );
      const impossible = await consolePost(t, sessions.legal, `/staff/cases/${concluded.id}/disputes`, { kind: 'litigation', afterReview: 'no', instance: 'first', simplified: 'yes', filedAt: '2025-05-01', body: '某区人民法院', stage: 'check' }).expect(400);
      expect(errorSummary(impossible)).toEqual([{ href: '#field-simplified', message: '简易程序只用于行政复议' }]);
      expect(fieldError(impossible, 'simplified')).toBe('简易程序只用于行政复议');
      const early = await consolePost(t, sessions.legal, `/staff/cases/${concluded.id}/disputes`, { kind: 'review', instance: 'first', filedAt: '2025-01-01', body: '区政府', stage: 'commit' }).expect(400);
      expect(errorSummary(early)).toEqual([{ href: '#field-filedAt', message: '申请或起诉日期（2025-01-01）不能早于收到申请之日（2025-03-03）' }]);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM disputes`)).toEqual([{ n: 1 }]);
    });

    it('lists open disputes with the agency’s deadline and shows every field of one, with the evidence bundle', async () => {
      const list = await consoleGet(t, sessions.head, '/staff/disputes').expect(200);
      const text = pageText(list);
      expect(text).toContain(concluded.caseNumber);
      expect(text).toContain('2025年4月21日');
      expect(text).toMatch(/逾期 \d+ 个工作日/);
      const detail = await consoleGet(t, sessions.head, `/staff/disputes/${disputeId}`).expect(200);
      const words = pageText(detail);
      for (const part of ['行政复议', '上海市某区人民政府', '沪某府复〔2025〕12号', '2025年4月1日', '2025年4月7日', '简易程序', '行政复议法第四十八条']) expect(words).toContain(part);
      // The head reads; only legal staff record results.
      expect(detail.text).not.toContain(`/staff/disputes/${disputeId}/result`);
      const bundle = await consoleGet(t, sessions.head, `/staff/disputes/${disputeId}/evidence`).buffer(true).parse(binaryParser).expect(200);
      expect(bundle.headers['content-type']).toBe('application/zip');
      expect((bundle.body as Buffer).subarray(0, 2).toString()).toBe('PK');
      await consoleGet(t, sessions.handler, '/staff/disputes').expect(403);
      await consoleGet(t, sessions.legal, '/staff/disputes/00000000-0000-4000-8000-000000000000').expect(404);
    });

    it('records the result after a check page; a correction ordering a new reply reopens the case; a second result is refused', async () => {
      await consolePost(t, sessions.head, `/staff/disputes/${disputeId}/result`, { result: 'corrected', decidedAt: '2025-06-01', ordersNewReply: 'yes', stage: 'commit' }).expect(403);
      const bad = await consolePost(t, sessions.legal, `/staff/disputes/${disputeId}/result`, { result: 'upheld', decidedAt: '2025-06-01', ordersNewReply: 'yes', stage: 'check' }).expect(400);
      expect(errorSummary(bad)).toEqual([{ href: '#field-ordersNewReply', message: '只有“结果纠正”才会责令重新答复' }]);
      const empty = await consolePost(t, sessions.legal, `/staff/disputes/${disputeId}/result`, { stage: 'check' }).expect(400);
      expect(errorSummary(empty).map((entry) => entry.href)).toEqual(['#field-result', '#field-decidedAt', '#field-ordersNewReply']);
      const fields = { result: 'corrected', decidedAt: '2025-06-03', ordersNewReply: 'yes', reference: '沪某府复决〔2025〕3号' };
      const check = await consolePost(t, sessions.legal, `/staff/disputes/${disputeId}/result`, { ...fields, stage: 'check' }).expect(200);
      expect(pageText(check)).toContain(`案件 ${concluded.caseNumber} 将重新办理`);
      expect((await t.dataSource.query(`SELECT result FROM disputes WHERE id = $1`, [disputeId]))[0].result).toBeNull();
      await consolePost(t, sessions.legal, `/staff/disputes/${disputeId}/result`, { ...fields, stage: 'commit' }).expect(303).expect('Location', `/staff/disputes/${disputeId}?done=dispute_decided`);
      const [row] = await t.dataSource.query(`SELECT result, orders_new_reply, result_reference FROM disputes WHERE id = $1`, [disputeId]);
      expect(row).toEqual({ result: 'corrected', orders_new_reply: true, result_reference: '沪某府复决〔2025〕3号' });
      const view = await t.http.get(`/api/cases/${concluded.id}`).set(await t.as('legal')).expect(200);
      expect(view.body.events.at(-1).type).toBe('REOPEN');
      const again = await consolePost(t, sessions.legal, `/staff/disputes/${disputeId}/result`, { ...fields, stage: 'commit' }).expect(409);
      expect(errorSummary(again)).toEqual([{ href: null, message: '该争议已于 2025-06-03 记录结果' }]);
      const decided = await consoleGet(t, sessions.legal, '/staff/disputes?status=decided').expect(200);
      expect(pageText(decided)).toContain('结果纠正');
    });

    it('a missing or forged CSRF token → 403, nothing recorded', async () => {
      const fields = { kind: 'review', instance: 'first', filedAt: '2025-04-01', body: '区政府', stage: 'commit' };
      await consolePost(t, sessions.legal, `/staff/cases/${concluded.id}/disputes`, fields, { csrf: null }).expect(403);
      await consolePost(t, sessions.legal, `/staff/cases/${concluded.id}/disputes`, fields, { csrf: sessions.head.csrf }).expect(403);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM disputes`)).toEqual([{ n: 1 }]);
    });
  });

  describe('the annual report', () => {
    it('shows the national tables with their official labels; every figure links to its cases', async () => {
      const page = await consoleGet(t, sessions.legal, '/staff/reports?year=2025').expect(200);
      const text = pageText(page);
      for (const label of ['三、收到和处理政府信息公开申请情况', '一、本年新收政府信息公开申请数量', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '6.属于四类过程性信息', '四、结转下年度继续办理', '四、政府信息公开行政复议、行政诉讼情况', '未经复议直接起诉', '法律服务机构']) {
        expect(text).toContain(label);
      }
      // (Handlebars writes = in an attribute as &#x3D;, which the browser reads back as =.)
      expect(page.text).toContain(`href="/staff/reports/2025/cases?cell&#x3D;${encodeURIComponent('disclosed|natural_person')}" aria-label="（一）予以公开，自然人：1 件">1</a>`);
      expect(page.text).toContain('aria-label="一、本年新收政府信息公开申请数量，总计：2 件">2</a>');
      const cell = await consoleGet(t, sessions.legal, `/staff/reports/2025/cases?cell=${encodeURIComponent('disclosed|natural_person')}`).expect(200);
      expect(heading(cell)).toBe('2025年 （一）予以公开：自然人');
      expect(pageText(cell)).toContain(concluded.caseNumber);
      expect(pageText(cell)).toContain('予以公开');
      const bad = await consoleGet(t, sessions.legal, '/staff/reports/2025/cases?cell=nonsense').expect(400);
      expect(heading(bad)).toBe('填写的内容有误');
      await consoleGet(t, sessions.legal, '/staff/reports?year=20x5').expect(400);
    });

    it('exports the tables as XLSX and as a page to print', async () => {
      const xlsx = await consoleGet(t, sessions.head, '/staff/reports/2025/export?format=xlsx').buffer(true).parse(binaryParser).expect(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      const workbook = new ExcelJS.Workbook();
      const body = xlsx.body as Buffer;
      await workbook.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
      expect(workbook.getWorksheet('三、依申请公开情况')!.getCell('A1').value).toBe('2025年 三、收到和处理政府信息公开申请情况');
      const html = await consoleGet(t, sessions.head, '/staff/reports/2025/export?format=html').expect(200);
      expect(html.text).toContain('2025年政府信息公开工作年度报告');
      await consoleGet(t, sessions.head, '/staff/reports/2025/export?format=doc').expect(400);
    });

    it('locks a year after a check page; the year not yet ended is refused (409), legal staff may not lock (403)', async () => {
      await consolePost(t, sessions.legal, '/staff/reports/2025/lock', {}).expect(403);
      const page = await consoleGet(t, sessions.legal, '/staff/reports?year=2025').expect(200);
      expect(page.text).not.toContain('/staff/reports/2025/lock');
      const thisYear = new Date().getFullYear();
      const early = await consolePost(t, sessions.head, `/staff/reports/${thisYear}/lock`, {}).expect(409);
      expect(errorSummary(early)).toEqual([{ href: null, message: '本年度尚未结束，不能锁定' }]);
      const check = await consoleGet(t, sessions.head, '/staff/reports/2025/lock').expect(200);
      expect(pageText(check)).toContain('锁定后不能解除');
      await consolePost(t, sessions.head, '/staff/reports/2025/lock', {}, { csrf: null }).expect(403);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM report_locks`)).toEqual([{ n: 0 }]);
      await consolePost(t, sessions.head, '/staff/reports/2025/lock', {}).expect(303).expect('Location', '/staff/reports?year=2025&done=report_locked');
      const locked = await consoleGet(t, sessions.head, '/staff/reports?year=2025&done=report_locked').expect(200);
      expect(pageText(locked)).toMatch(/已锁定：陈主任于2026?\d*年/);
    });

    it('shows the rates per year and department', async () => {
      const rates = await consoleGet(t, sessions.admin, '/staff/reports/rates?from=2025&to=2025').expect(200);
      const text = pageText(rates);
      expect(text).toContain('2025年');
      expect(text).toContain('住房保障科');
      // The one review, decided 2025 as 结果纠正: a correction rate of 100%.
      expect(text).toMatch(/全机关\s*0\s*0\s*—\s*—\s*1\s*100\.0%/);
      await consoleGet(t, sessions.intake, '/staff/reports').expect(403);
    });
  });

  describe('help and unknown addresses', () => {
    it('shows help for the user’s own roles first', async () => {
      const help = await consoleGet(t, sessions.legal, '/staff/help').expect(200);
      const text = pageText(help);
      expect(text.indexOf('法制审核')).toBeLessThan(text.indexOf('其他角色'));
      expect(text).toContain('行政复议法第四十八条');
    });

    it('answers an unknown console address with a console page (404), after sign-in', async () => {
      const missing = await consoleGet(t, sessions.intake, '/staff/no-such-screen').expect(404);
      expect(missing.type).toBe('text/html');
      expect(heading(missing)).toBe('找不到该页面');
      await consoleGet(t, null, '/staff/no-such-screen').expect(303).expect('Location', `/staff/sign-in?next=${encodeURIComponent('/staff/no-such-screen')}`);
      await consolePost(t, sessions.intake, '/staff/no-such-screen', {}).expect(404);
    });
  });
});
