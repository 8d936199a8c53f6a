import { companyApplicant, deskApplication, personApplicant } from '../factories/applications';
import { eventSender, reviewApprover } from '../support/http';
import { addOfficeHandler } from '../support/users';
import { startTestApp, type TestApp } from '../setup/test-app';
import { copiesOfCase } from '../factories/case-copies';

describe('from handling to reply: one case per outcome family, and the refusals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-31');
    await addOfficeHandler(t);
  });
  afterAll(() => t.close());

  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);
  async function handlingCase(overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-11-03', ...overrides })).expect(201);
    await send('intake', created.body.id, { type: 'ASSIGN', at: created.body.receivedAt > '2025-11-04' ? created.body.receivedAt : '2025-11-04', handler: 'handler' });
    return created.body.id;
  }
  async function reviewAndIssue(id: string, at = '2025-11-20') {
    await approve('legal', id, { at, comment: '同意' });
    await approve('head', id, { at });
    return send('intake', id, { type: 'ISSUE_REPLY', at });
  }

  it('disclosed: reviewed, signed, issued with its 文号, served by post, then the proactive decision', async () => {
    const id = await handlingCase();
    await send('handler', id, { type: 'DECIDE', at: '2025-11-18', outcome: 'disclosed', provided: '提供复印件 12 页，邮寄送达' });
    let view = await reviewAndIssue(id);
    expect(view).toMatchObject({ state: 'replied', concludedAt: '2025-11-20' });
    expect(view.events.at(-1)).toMatchObject({ type: 'ISSUE_REPLY', documentNumber: expect.stringMatching(/^信息公开答复〔2025〕[1-9]\d*号$/) });
    view = await send('intake', id, { type: 'RECORD_SERVICE', at: '2025-11-21', method: 'post', postalService: 'ems', trackingNumber: 'EMS1234567890CN', recipient: '张三' });
    expect(view.state).toBe('replied');
    await send('head', id, { type: 'DECIDE_PROACTIVE', at: '2025-11-24', publish: true, reason: '多人申请' }, 400);
    view = await send('head', id, {
      type: 'DECIDE_PROACTIVE',
      at: '2025-11-24',
      publish: true,
      reason: '多人申请，属于主动公开范围',
      title: '某地块国有土地上房屋征收补偿方案',
      summary: '依申请公开后转为主动公开',
      link: 'https://www.example.gov.cn/zfxxgk/12345.html',
    });
    expect(view.state).toBe('closed');
    expect(view.events.at(-1).indexNumber).toMatch(/^default-依申请转主动〔2025〕第\d{5}号$/);
    const published = await t.http.get('/api/public/proactive').expect(200);
    expect(published.body[0]).toEqual({
      id: expect.any(String),
      indexNumber: view.events.at(-1).indexNumber,
      title: '某地块国有土地上房屋征收补偿方案',
      summary: '依申请公开后转为主动公开',
      content: null,
      link: 'https://www.example.gov.cn/zfxxgk/12345.html',
      publishedAt: '2025-11-24',
      agency: '上海市某区住房保障和房屋管理局',
    });
    expect(JSON.stringify(published.body)).not.toContain('张三');
  });

  it('reply numbers are consecutive and never reused', async () => {
    const first = await handlingCase();
    const second = await handlingCase();
    for (const id of [first, second]) {
      await send('handler', id, { type: 'DECIDE', at: '2025-11-18', outcome: 'withheld.process_info', reasons: '内部讨论记录' });
    }
    const a = (await reviewAndIssue(first)).events.at(-1).documentNumber as string;
    const b = (await reviewAndIssue(second)).events.at(-1).documentNumber as string;
    // GB/T 9704: 机关代字〔2025〕1号 — no 第, no padded zeros.
    const number = (value: string) => Number(/^信息公开答复〔2025〕([1-9]\d*)号$/.exec(value)![1]);
    expect(number(b)).toBe(number(a) + 1);
  });

  it('partial over a third party’s objection: withholding its part honours the objection; disclosing it needs the public-interest reasons (Art. 32)', async () => {
    const objected = async () => {
      const id = await handlingCase();
      await send('handler', id, { type: 'START_CONSULTATION', at: '2025-11-05', kind: 'third_party', party: '某某置业有限公司', partyReceivedAt: '2025-11-06' });
      await send('handler', id, { type: 'END_CONSULTATION', at: '2025-11-14', answer: 'objection', summary: '涉及商业秘密' });
      return id;
    };
    // The third party's part is withheld on its basis: the objection is honoured, no override, no notice to it.
    const honoured = await send('handler', await objected(), {
      type: 'DECIDE',
      at: '2025-11-18',
      outcome: 'partial',
      reasons: '企业财务数据涉及商业秘密，第三方不同意公开',
      provided: '补偿标准部分',
      withheld: '企业财务数据',
      withheldBasis: 'withheld.third_party',
    });
    expect(honoured).toMatchObject({ state: 'decided.legalReview', outcome: 'partial' });
    // Withheld on another basis, the third party's information is disclosed: only for the public interest (409 until said).
    const id = await objected();
    const partial = { type: 'DECIDE', at: '2025-11-18', outcome: 'partial', reasons: '会议记录属于过程性信息', provided: '补偿标准部分', withheld: '会议记录', withheldBasis: 'withheld.process_info' };
    const refused = await send('handler', id, partial, 409);
    expect(refused.message).toBe('第三方不同意公开：须写明不公开可能对公共利益造成重大影响的理由，并书面告知第三方（第三十二条）');
    const view = await send('handler', id, { ...partial, publicInterestOverride: '补偿标准关系被征收人重大利益，不公开将对公共利益造成重大影响' });
    expect(view).toMatchObject({ state: 'decided.legalReview', outcome: 'partial' });
  });

  it('withheld.third_party after the consultation, with its answer kept', async () => {
    const id = await handlingCase();
    await send('handler', id, { type: 'START_CONSULTATION', at: '2025-11-05', kind: 'third_party', party: '李四' });
    const ended = await send('handler', id, { type: 'END_CONSULTATION', at: '2025-11-12', answer: 'objection', summary: '涉及个人隐私' });
    expect(ended.events.at(-1)).toMatchObject({ answer: 'objection', summary: '涉及个人隐私' });
    const view = await send('handler', id, { type: 'DECIDE', at: '2025-11-13', outcome: 'withheld.third_party', reasons: '第三方不同意公开且理由合理' });
    expect(view.outcome).toBe('withheld.third_party');
  });

  it('unavailable.not_held: the search record with its attachment; a responsible agency is another outcome (Art. 36(4), 36(5))', async () => {
    const id = await handlingCase();
    const upload = await t.http
      .post(`/api/cases/${id}/attachments`)
      .set(await t.as('handler'))
      .attach('file', Buffer.from('档案检索登记表：2019—2025 年公文系统，无相关文件'), { filename: '检索登记表.txt', contentType: 'text/plain' })
      .expect(201);
    expect(upload.body).toMatchObject({ filename: '检索登记表.txt', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const unknown = await send('handler', id, { type: 'RECORD_SEARCH', at: '2025-11-10', scope: 'OA', terms: '补偿', result: '无', attachmentIds: ['00000000-0000-4000-8000-000000000000'] }, 400);
    expect(unknown.message).toBe('附件 本案没有这个附件，请先上传');
    await send('handler', id, {
      type: 'RECORD_SEARCH',
      at: '2025-11-10',
      scope: '档案室纸质档案；OA 公文系统（2019—2025）；询问房屋管理科',
      terms: '旧区改造 补偿方案',
      result: '未检索到',
      attachmentIds: [upload.body.id],
    });
    // One outcome, one ground: "not held" (36(4)) does not name another agency; "not ours" (36(5)) does.
    const mixed = await send('handler', id, {
      type: 'DECIDE',
      at: '2025-11-11',
      outcome: 'unavailable.not_held',
      reasons: '该信息由区房屋征收事务所制作和保存',
      responsibleAgency: { name: '某区房屋征收事务所', contact: '021-00000000' },
    }, 400);
    expect(mixed.message).toMatch(/不能同时援引：信息由其他机关负责公开的，办理结果应选“不属于本机关负责公开”$/);
    const unnamed = await send('handler', id, { type: 'DECIDE', at: '2025-11-11', outcome: 'unavailable.not_responsible', reasons: '该信息由区房屋征收事务所制作和保存' }, 400);
    expect(unnamed.message).toBe('不属于本机关负责公开、又未说明无法确定负责机关的理由的，须填写负责公开（或更正）该信息的机关');
    const view = await send('handler', id, {
      type: 'DECIDE',
      at: '2025-11-11',
      outcome: 'unavailable.not_responsible',
      reasons: '该信息由区房屋征收事务所制作和保存',
      responsibleAgency: { name: '某区房屋征收事务所', contact: '021-00000000' },
    });
    expect(view.events.at(-1)).toMatchObject({ outcome: 'unavailable.not_responsible', responsibleAgency: { name: '某区房屋征收事务所', contact: '021-00000000' } });
    const issued = await reviewAndIssue(id, '2025-11-12');
    // Row （四）1 of the annual report counts it with not_held (api.md): the case row keeps the precise code.
    expect(issued).toMatchObject({ state: 'closed', outcome: 'unavailable.not_responsible' });
    const file = await t.http.get(`/api/attachments/${upload.body.id}`).set(await t.as('legal')).expect(200);
    expect(file.text ?? file.body.toString()).toContain('档案检索登记表');
  });

  it('not_processed.duplicate (Art. 36(6)): only the same applicant’s earlier request, and only once it was answered', async () => {
    const applicant = companyApplicant();
    const earlier = await handlingCase({ applicant, description: '申请公开某地块房屋征收补偿方案' });
    const id = await handlingCase({ applicant, description: '请公开某地块房屋征收补偿方案' });
    const view = await t.http.get(`/api/cases/${id}`).set(await t.as('handler')).expect(200);
    const [earlierRow] = await t.dataSource.query(`SELECT case_number FROM cases WHERE id = $1`, [earlier]);
    expect(view.body.applicantHistory.likelyDuplicates[0]).toMatchObject({ id: earlier, caseNumber: earlierRow.case_number });
    expect(view.body.applicantHistory.sameMonth).toBeGreaterThanOrEqual(1);
    const duplicate = { type: 'DECIDE', at: '2025-11-12', outcome: 'not_processed.duplicate', reasons: '您的申请与本机关已答复的在先申请内容相同', duplicateOf: earlierRow.case_number };
    const unknown = await send('handler', id, { ...duplicate, duplicateOf: '无此编号' }, 400);
    expect(unknown.message).toBe('在先申请的案件编号 本机关没有编号为“无此编号”的在先申请');
    // The earlier request is still open: nothing has been answered, so nothing is repeated.
    const unanswered = await send('handler', id, duplicate, 409);
    expect(unanswered.message).toContain(`本机关尚未对在先申请 ${earlierRow.case_number} 作出答复，不属于重复申请（第三十六条第（六）项`);
    // Another applicant's answered request is no ground either.
    const someoneElse = await handlingCase({ applicant: personApplicant({ name: '赵六', idType: 'passport', idNumber: 'G12345678' }) });
    await send('handler', someoneElse, { type: 'DECIDE', at: '2025-11-05', outcome: 'disclosed', provided: '提供复印件' });
    await reviewAndIssue(someoneElse, '2025-11-06');
    const [otherRow] = await t.dataSource.query(`SELECT case_number FROM cases WHERE id = $1`, [someoneElse]);
    const foreign = await send('handler', id, { ...duplicate, duplicateOf: otherRow.case_number }, 409);
    expect(foreign.message).toMatch(/不是同一申请人提出的/);
    // Once the same applicant's earlier request is answered, the repeat is not processed again.
    await send('handler', earlier, { type: 'DECIDE', at: '2025-11-05', outcome: 'disclosed', provided: '提供复印件' });
    await reviewAndIssue(earlier, '2025-11-06');
    const decided = await send('handler', id, duplicate);
    expect(decided.events.at(-1)).toMatchObject({ earlierRequest: { caseNumber: earlierRow.case_number, sameApplicant: true, answeredAt: '2025-11-06' } });
  });

  it('Art. 35: reasons asked for, found unreasonable → not_processed.excessive; found reasonable → a later reply date', async () => {
    const refused = await handlingCase();
    const early = await send('handler', refused, { type: 'DECIDE', at: '2025-11-20', outcome: 'not_processed.excessive', reasons: '大量反复申请' }, 409);
    expect(early.message).toBe('“无正当理由大量反复申请”须先要求申请人说明理由（第三十五条）');
    await send('handler', refused, { type: 'REQUEST_REASONS', at: '2025-11-05', questions: '请说明本月申请 60 件的理由' });
    await send('handler', refused, { type: 'RECORD_REASONS', at: '2025-11-12', finding: 'no_answer' });
    await send('handler', refused, { type: 'DECIDE', at: '2025-11-20', outcome: 'not_processed.excessive', reasons: '申请人未说明理由' });

    const later = await handlingCase();
    await send('head', later, { type: 'SET_LATER_REPLY_DATE', at: '2025-11-20', replyBy: '2026-01-30', reason: '理由合理' }, 409);
    await send('handler', later, { type: 'REQUEST_REASONS', at: '2025-11-05', questions: '请说明理由' });
    await send('handler', later, { type: 'RECORD_REASONS', at: '2025-11-12', finding: 'reasonable', answer: '系诉讼取证需要' });
    await send('handler', later, { type: 'SET_LATER_REPLY_DATE', at: '2025-11-20', replyBy: '2026-01-30', reason: '理由合理' }, 403);
    const view = await send('head', later, { type: 'SET_LATER_REPLY_DATE', at: '2025-11-20', replyBy: '2026-01-30', reason: '理由合理，数量大' });
    expect(view.clock).toMatchObject({ dueDate: '2026-01-30', laterReplyDate: '2026-01-30' });
  });

  it('协办: another department is asked, sees the case, answers for itself; reassignment needs a reason', async () => {
    const id = await handlingCase();
    const badDepartment = await send('handler', id, { type: 'REQUEST_ASSISTANCE', at: '2025-11-05', department: '不存在的科', question: '？', dueDate: '2025-11-12' }, 400);
    expect(badDepartment.message).toMatch(/没有名为“不存在的科”的部门/);
    await send('handler', id, { type: 'REQUEST_ASSISTANCE', at: '2025-11-05', department: '住房保障科', question: '？', dueDate: '2025-11-12' }, 400);
    await send('intake', id, { type: 'REQUEST_ASSISTANCE', at: '2025-11-05', department: '政府信息公开办公室', question: '？', dueDate: '2025-11-12' }, 403);
    const asked = await send('handler', id, { type: 'REQUEST_ASSISTANCE', at: '2025-11-05', department: '政府信息公开办公室', question: '请提供2019年台账', dueDate: '2025-11-12' });
    const requestId = asked.events.at(-1).requestId;
    const queue = await t.http.get('/api/assistance-requests').set(await t.as('handler2')).expect(200);
    expect(queue.body).toEqual([expect.objectContaining({ caseId: id, requestId, dueDate: '2025-11-12', question: '请提供2019年台账' })]);
    await t.http.get(`/api/cases/${id}`).set(await t.as('handler2')).expect(200);
    await send('handler', id, { type: 'ANSWER_ASSISTANCE', at: '2025-11-10', requestId, answer: '自己答' }, 403);
    const answered = await send('handler2', id, { type: 'ANSWER_ASSISTANCE', at: '2025-11-10', requestId, answer: '台账中无此记录' });
    expect(answered.events.at(-1)).toMatchObject({ type: 'ANSWER_ASSISTANCE', by: 'handler2', answer: '台账中无此记录' });
    expect((await t.http.get('/api/assistance-requests').set(await t.as('handler2'))).body).toEqual([]);

    const bare = await send('intake', id, { type: 'ASSIGN', at: '2025-11-11', handler: 'handler2' }, 409);
    expect(bare.message).toMatch(/改派须写明理由/);
    const moved = await send('intake', id, { type: 'ASSIGN', at: '2025-11-11', handler: 'handler2', reason: '职能调整，改由办公室承办' });
    expect(moved).toMatchObject({ handler: { username: 'handler2' }, department: { name: '政府信息公开办公室' } });
  });

  it('Art. 33 ¶2: the handler requests an extension, the head approves it before the due date', async () => {
    const id = await handlingCase();
    await send('handler', id, { type: 'REQUEST_EXTENSION', at: '2025-11-20', workingDays: 15, reason: '需调取历年档案' });
    await send('handler', id, { type: 'REQUEST_EXTENSION', at: '2025-11-21', workingDays: 15, reason: '再次申请' }, 409);
    // Received 2025-11-03: due 2025-12-01; + 15 working days = 2025-12-22.
    const view = await send('head', id, { type: 'EXTEND', at: '2025-11-25', workingDays: 15, reason: '同意延期' });
    expect(view.clock).toMatchObject({ dueDate: '2025-12-22', extendedWorkingDays: 15 });
  });

  it('Art. 35: the applicant’s other requests are counted whole, not only the 200 the case lists', async () => {
    const applicant = personApplicant({ name: '赵六', idType: 'passport', idNumber: 'E11223344' });
    const earlier = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ applicant, receivedAt: '2025-11-03' })).expect(201);
    // 250 more requests of the same applicant received that day: copies of the first, each with a number of its own.
    await copiesOfCase(t.dataSource, earlier.body.id, 250);
    const id = await handlingCase({ applicant, receivedAt: '2025-11-14' });
    const view = (await t.http.get(`/api/cases/${id}`).set(await t.as('intake')).expect(200)).body;
    expect(view.applicantHistory).toMatchObject({ total: 251, sameMonth: 251, last12Months: 251, notShown: 0 });
    expect(view.applicantHistory.recent).toHaveLength(20);
    // The handler's department handles none of them: counted, not listed — in the step's answer too.
    const answered = await send('handler', id, { type: 'RECORD_SEARCH', at: '2025-11-17', scope: '档案室', terms: '补偿方案', result: '未检索到' });
    expect(answered.applicantHistory).toMatchObject({ total: 251, sameMonth: 251, notShown: 251, recent: [] });
  });

  it('fees: per item counts the applicant’s applications of the calendar month; a free quote is refused', async () => {
    const applicant = personApplicant({ name: '王五', idType: 'passport', idNumber: 'E99887766' });
    // One application on 10-31 (another month) and ten in November before this one.
    await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ applicant, receivedAt: '2025-10-31' })).expect(201);
    for (let day = 3; day < 13; day++) {
      await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ applicant, receivedAt: `2025-11-${String(day).padStart(2, '0')}` })).expect(201);
    }
    const id = await handlingCase({ applicant, receivedAt: '2025-11-14' });
    const view = await send('handler', id, { type: 'SEND_FEE_NOTICE', at: '2025-11-17', method: 'per_item', items: 3 });
    // Items 11, 12, 13 of November at 100 元 each.
    expect(view.state).toBe('handling.awaitingFee');
    expect(view.events.at(-1)).toMatchObject({ method: 'per_item', itemsBeforeThisMonth: 10, items: 3, amountYuan: 300 });
    expect(view.events.at(-1).basis).toContain('第四十二条');
    expect(view.applicantHistory.sameMonth).toBe(10);
    // The applicant's other requests, read with the case: the same in the step's answer and the case view; counted for
    // the handler, whose department handles none of them, and listed newest first for the desk, which sees them all.
    expect(view.applicantHistory).toMatchObject({ total: 11, notShown: 11, recent: [] });
    const shown = await t.http.get(`/api/cases/${id}`).set(await t.as('handler')).expect(200);
    expect(shown.body.applicantHistory).toEqual(view.applicantHistory);
    const desk = await t.http.get(`/api/cases/${id}`).set(await t.as('intake')).expect(200);
    const newestFirst = [12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((day) => `2025-11-${String(day).padStart(2, '0')}`).concat('2025-10-31');
    expect(desk.body.applicantHistory.recent.map((other: { receivedAt: string }) => other.receivedAt)).toEqual(newestFirst);
    const paid = await send('intake', id, { type: 'RECORD_FEE_PAYMENT', at: '2025-11-19', receiptNumber: 'No.0012345' });
    expect(paid.state).toBe('handling.active');

    const free = await handlingCase();
    const refused = await send('handler', free, { type: 'SEND_FEE_NOTICE', at: '2025-11-17', method: 'per_page', pages: 20 }, 409);
    expect(refused.message).toMatch(/不应收费/);
    await send('handler', free, { type: 'SEND_FEE_NOTICE', at: '2025-11-17', method: 'per_page' }, 400);
    await send('handler', free, { type: 'SEND_FEE_NOTICE', at: '2025-11-17', method: 'both', pages: 300 }, 400);
  });

  it('Art. 41: a correction request is decided with a correction outcome', async () => {
    const id = await handlingCase({ requestType: 'correction', description: '本人房屋登记信息中的面积记载有误，请予更正' });
    const wrong = await send('handler', id, { type: 'DECIDE', at: '2025-11-12', outcome: 'disclosed', provided: 'x' }, 409);
    expect(wrong.message).toMatch(/^更正申请（第四十一条）的办理结果应为/);
    const view = await send('handler', id, { type: 'DECIDE', at: '2025-11-12', outcome: 'correction.corrected' });
    expect(view).toMatchObject({ requestType: 'correction', outcome: 'correction.corrected' });
  });

  it('withdrawal concludes with other.other; a corrected review reopens a closed case with a new clock', async () => {
    const withdrawn = await handlingCase();
    expect(await send('handler', withdrawn, { type: 'WITHDRAW', at: '2025-11-10', reason: '申请人书面撤回' })).toMatchObject({ outcome: 'other.other' });

    const id = await handlingCase();
    await send('handler', id, { type: 'DECIDE', at: '2025-11-18', outcome: 'withheld.internal_affairs', reasons: '属于内部管理信息' });
    await reviewAndIssue(id);
    await send('handler', id, { type: 'REOPEN', at: '2025-12-15', reason: '复议决定撤销并责令重新答复' }, 403);
    const reopened = await send('legal', id, { type: 'REOPEN', at: '2025-12-15', reason: '复议决定撤销并责令重新答复', reference: '某府复〔2025〕第1号' });
    // From 2025-12-15: 12-16..19 = 1..4, 12-22..26 = 5..9, 12-29..31 = 10..12; 2026-01-01..03 元旦 off, 1-4 (Sunday) worked = 13,
    // 1-5..9 = 14..18, 1-12 = 19, 1-13 = 20.
    expect(reopened).toMatchObject({ state: 'reopened', outcome: null, concludedAt: null, clock: { dueDate: '2026-01-13' } });
    expect(reopened.events.filter((event: { type: string }) => event.type === 'ISSUE_REPLY')).toHaveLength(1);
    await send('intake', id, { type: 'ASSIGN', at: '2025-12-16', handler: 'handler' });
  });

  describe('refusals', () => {
    it.each([
      ['intake', { type: 'DECIDE', at: '2025-11-10', outcome: 'disclosed', provided: 'x' }],
      ['intake', { type: 'RECORD_SEARCH', at: '2025-11-10', scope: 'a', terms: 'b', result: 'c' }],
      ['handler', { type: 'EXTEND', at: '2025-11-10', workingDays: 5, reason: 'x' }],
      ['legal', { type: 'START_CONSULTATION', at: '2025-11-10', kind: 'agency', party: 'x' }],
      ['head', { type: 'SEND_FEE_NOTICE', at: '2025-11-10', method: 'per_page', pages: 300 }],
      ['legal', { type: 'WITHDRAW', at: '2025-11-10' }],
    ])('403 when %s sends %j', async (username, body) => {
      const id = await handlingCase();
      const response = await send(username, id, body, 403);
      expect(response.message).toMatch(/^“[^”]+”须由(登记|承办|法制审核|负责人)(、(登记|承办|法制审核|负责人))*办理$/);
    });

    it.each([
      [{ type: 'DECIDE', at: '2025-11-10', outcome: 'unavailable.not_held', reasons: 'x' }, /检索记录/],
      [{ type: 'DECIDE', at: '2025-11-10', outcome: 'unavailable.unclear_after_supplement', reasons: 'x' }, /补正/],
      [{ type: 'DECIDE', at: '2025-11-10', outcome: 'withheld.third_party', reasons: 'x' }, /征求第三方意见/],
      [{ type: 'RECORD_REASONS', at: '2025-11-10', finding: 'reasonable' }, /尚未要求申请人说明理由（第三十五条）/],
      [{ type: 'ANSWER_ASSISTANCE', at: '2025-11-10', requestId: '00000000-0000-4000-8000-000000000000', answer: 'x' }, /协办请求/],
      [{ type: 'RECORD_FEE_PAYMENT', at: '2025-11-10', receiptNumber: 'x' }, /当前状态为“办理中”，不能登记缴费；现在可以办理：/],
    ])('409 naming what is missing for %j', async (body, message) => {
      const id = await handlingCase();
      const username = body.type === 'ANSWER_ASSISTANCE' ? 'handler' : 'admin';
      const response = await send(username, id, body, 409);
      expect(response.message).toMatch(message);
    });

    it.each([
      [{ type: 'RECORD_SERVICE', at: '2025-11-10', method: 'post', postalService: 'ems' }, /^邮寄送达的，须填写邮件号$/],
      [{ type: 'RECORD_SERVICE', at: '2025-11-10', method: 'post', trackingNumber: 'SF1234567890' }, /^邮寄送达的，须填写邮寄方式$/],
      // 235号第二条: the postal enterprise only, never another courier.
      [{ type: 'RECORD_SERVICE', at: '2025-11-10', method: 'post', postalService: 'sf_express', trackingNumber: 'SF1234567890' }, /^邮寄方式 应为以下之一：邮政挂号信、邮政特快专递（EMS）$/],
      [{ type: 'RECORD_SERVICE', at: '2025-11-10', method: 'direct', recipient: '张三', server: '王登记' }, /^直接送达或委托送达的，须填写送达地点$/],
      [{ type: 'RECORD_SERVICE', at: '2025-11-10', method: 'delegated', place: '某街道办事处', recipient: '张三', server: '王登记' }, /^委托送达的，须填写受委托机关$/],
      [{ type: 'RECORD_SERVICE', at: '2025-11-10', method: 'direct', place: '本机关', recipient: '张三', server: '王登记', trackingNumber: 'EMS1' }, /^邮寄方式和邮件号只适用于邮寄送达$/],
      [{ type: 'REQUEST_ASSISTANCE', at: '2025-11-10', department: '政府信息公开办公室', question: 'x', dueDate: '2025-11-07' }, /不能早于/],
      [{ type: 'REQUEST_EXTENSION', at: '2025-11-10', workingDays: 30, reason: 'x' }, /20 个工作日/],
      [{ type: 'RECORD_REASONS', at: '2025-11-10', finding: 'maybe' }, /^本机关的认定 应为以下之一：理由合理、理由不合理、未说明理由$/],
      [{ type: 'DECIDE', at: '2025-11-10', outcome: 'partial', reasons: 'x', provided: 'y', withheldBasis: 'withheld.process_info', publicInterestOverride: 3 }, /^不公开可能对公共利益造成重大影响的理由 应为文字$/],
    ])('400 for an invalid payload %j', async (body, message) => {
      const id = await handlingCase();
      const response = await send('admin', id, body, 400);
      expect(response.message).toMatch(message);
    });

    it('413 for an attachment over 10 MB', async () => {
      const id = await handlingCase();
      await t.http
        .post(`/api/cases/${id}/attachments`)
        .set(await t.as('handler'))
        .attach('file', Buffer.alloc(10 * 1024 * 1024 + 1), 'big.bin')
        .expect(413);
    });
  });
});
