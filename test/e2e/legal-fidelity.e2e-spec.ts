// Issue 14 (and issue 13 item 5): the defects a court would find, each over HTTP on real dates of the official
// calendar, with the letters read back from their PDFs.
import { deskApplication, onlineApplication, personApplicant } from '../factories/applications';
import { binaryParser, eventSender, reviewApprover } from '../support/http';
import { pdfText } from '../support/pdf-text';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('legal fidelity: one ground per reply, periods that stay run out, the third party’s notice, the risk review', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  // The review view judges a draft as of today (would the reply be late if it went out now?): most cases here are
  // reviewed in November 2025.
  beforeEach(() => t.setToday('2025-11-11'));
  afterAll(() => t.close());

  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);
  async function handlingCase(receivedAt: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt, ...overrides })).expect(201);
    await send('intake', created.body.id, { type: 'ASSIGN', at: receivedAt, handler: 'handler' });
    return created.body.id;
  }
  async function letters(id: string) {
    return (await t.http.get(`/api/cases/${id}/letters`).set(await t.as('legal')).expect(200)).body as { id: string; kind: string; status: string; number: string | null; issuedAt: string | null }[];
  }
  async function letterText(letterId: string): Promise<string> {
    return pdfText((await t.http.get(`/api/letters/${letterId}`).query({ format: 'pdf' }).set(await t.as('legal')).buffer(true).parse(binaryParser).expect(200)).body);
  }
  async function review(id: string) {
    const reply = (await letters(id)).find((letter) => letter.kind === 'reply')!;
    return { reply, view: (await t.http.get(`/api/letters/${reply.id}/review`).set(await t.as('legal')).expect(200)).body };
  }
  async function issue(id: string, at: string) {
    await approve('legal', id, { at });
    await approve('head', id, { at });
    await send('intake', id, { type: 'ISSUE_REPLY', at });
    return (await letters(id)).find((letter) => letter.kind === 'reply')!;
  }

  it('issue 13 item 5: an online request quoting "应当先向…" and "不存在或者不属于" does not block a disclosed reply', async () => {
    t.setToday('2025-11-03');
    const submitted = await t.http
      .post('/api/public/applications')
      .send(onlineApplication({ applicant: personApplicant({ email: 'zhang@example.com' }), description: '请说明为何本人应当先向区政府申请行政复议，以及该信息是否不存在或者不属于贵局负责公开。' }))
      .expect(201);
    const [{ id }] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [submitted.body.caseNumber]);
    await send('intake', id, { type: 'CONFIRM_RECEIPT', at: '2025-11-03' });
    await send('intake', id, { type: 'ASSIGN', at: '2025-11-03', handler: 'handler' });
    t.setToday('2025-11-11');
    await send('handler', id, { type: 'DECIDE', at: '2025-11-10', outcome: 'disclosed', provided: '向您提供本局关于行政复议管辖的说明1页，电子邮件发送' });
    const { view } = await review(id);
    expect(view.findings).toEqual([]);
    expect(view.risks).toEqual([]);
    const reply = await issue(id, '2025-11-11');
    const text = await letterText(reply.id);
    // The applicant's words are printed, as a quotation, and the agency's own text offers review or litigation.
    expect(text).toContain('“请说明为何本人应当先向区政府申请行政复议，以及该信息是否不存在或者不属于贵局负责公开。”');
    expect(text).toContain('或者在六个月内向上海市某区人民法院提起行政诉讼');
  });

  it('Art. 36(5): the reply names the responsible agency and cites 36(5) alone; two grounds in one reply block signing', async () => {
    const id = await handlingCase('2025-11-03');
    await send('handler', id, {
      type: 'DECIDE',
      at: '2025-11-10',
      outcome: 'unavailable.not_responsible',
      reasons: '补偿方案由区房屋征收事务所制作并负责公开，本机关未制作、未获取该信息',
      responsibleAgency: { name: '某区房屋征收事务所', contact: '021-22222222' },
    });
    const reply = await issue(id, '2025-11-11');
    const text = await letterText(reply.id);
    expect(text).toContain('根据《中华人民共和国政府信息公开条例》第三十六条第（五）项的规定，现告知您：您申请公开的政府信息不属于本机关负责公开。负责公开该政府信息的行政机关为某区房屋征收事务所，联系方式：021-22222222');
    expect(text).not.toMatch(/第三十六条第（四）项|不存在/);

    // A not-held reply whose reasons add the other ground: the risk review blocks the head's signature.
    const mixed = await handlingCase('2025-11-03');
    await send('handler', mixed, { type: 'RECORD_SEARCH', at: '2025-11-04', scope: '档案室纸质档案；OA公文系统2019—2025年', terms: '征收 补偿方案', result: '未检索到' });
    await send('handler', mixed, { type: 'DECIDE', at: '2025-11-10', outcome: 'unavailable.not_held', reasons: '经检索，该信息不存在或者不属于本机关负责公开' });
    const { view } = await review(mixed);
    expect(view.findings.map((finding: { rule: string }) => finding.rule)).toEqual(['mixed_grounds']);
    expect(view.risks).toEqual([expect.objectContaining({ code: 'mixed_grounds', severity: 'blocking', authority: expect.stringContaining('第三十六条'), cure: expect.stringContaining('只保留') })]);
    await approve('legal', mixed, { at: '2025-11-11' });
    const refused = await send('head', mixed, { type: 'APPROVE', at: '2025-11-11' }, 409);
    expect(refused.message).toMatch(/不能签发：答复援引了相互排斥的理由/);
  });

  it('Art. 36(1) or 36(2): a disclosed reply cites the one that applies; Art. 37 names the withheld part’s own basis', async () => {
    const published = await handlingCase('2025-11-03');
    await send('handler', published, { type: 'DECIDE', at: '2025-11-10', outcome: 'disclosed', disclosureMode: 'already_public', provided: '该方案已在本机关门户网站“征收补偿”栏目公开' });
    const publishedText = await letterText((await issue(published, '2025-11-11')).id);
    expect(publishedText).toContain('本机关已经主动公开。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项的规定，现告知您获取该政府信息的方式、途径：该方案已在本机关门户网站“征收补偿”栏目公开。');
    expect(publishedText).not.toContain('第三十六条第（二）项');

    const partial = await handlingCase('2025-11-03');
    const bare = await send('handler', partial, { type: 'DECIDE', at: '2025-11-10', outcome: 'partial', provided: '会议纪要中的决定事项', reasons: '其余部分记录了讨论过程中的不同意见，尚未形成决定' }, 400);
    expect(bare.message).toBe('部分公开的，须填写不予公开部分的依据');
    await send('handler', partial, { type: 'DECIDE', at: '2025-11-10', outcome: 'partial', withheldBasis: 'withheld.process_info', provided: '会议纪要中的决定事项', withheld: '讨论过程记录', reasons: '其余部分记录了讨论过程中的不同意见，尚未形成决定' });
    const partialText = await letterText((await issue(partial, '2025-11-11')).id);
    expect(partialText).toContain('第三十七条的规定，本机关对可以公开的部分予以公开：会议纪要中的决定事项。');
    expect(partialText).toContain('不予公开的部分为讨论过程记录，属于行政机关在履行行政管理职能过程中形成的过程性信息，根据《中华人民共和国政府信息公开条例》第十六条第二款的规定，不予公开。');
  });

  it('a deadline that has run out cannot be moved: late consultation, fee notice and Art. 35 date are refused (409), the case stays overdue', async () => {
    t.setToday('2025-11-03');
    // Received Fri 2025-09-26: due Thu 2025-10-30 (National Day and Mid-Autumn 10-1..10-8 off; 9-28, 10-11 worked).
    const id = await handlingCase('2025-09-26');
    await send('handler', id, { type: 'REQUEST_REASONS', at: '2025-10-09', questions: '请说明本月提出多件申请的理由' });
    await send('handler', id, { type: 'RECORD_REASONS', at: '2025-10-15', finding: 'reasonable', answer: '诉讼取证需要' });
    const earlier = await send('head', id, { type: 'SET_LATER_REPLY_DATE', at: '2025-10-20', replyBy: '2025-10-28', reason: '理由合理' }, 409);
    expect(earlier.message).toContain('延迟答复的期限（2025-10-28）应晚于依第三十三条计算的答复期限（2025-10-30）（第三十五条）');
    const consultation = await send('handler', id, { type: 'START_CONSULTATION', at: '2025-10-31', kind: 'third_party', party: '某公司' }, 409);
    expect(consultation.message).toContain('答复期限已于 2025-10-30 届满，2025-10-31 征求第三方意见不能再使期限顺延或暂停');
    const fee = await send('handler', id, { type: 'SEND_FEE_NOTICE', at: '2025-10-31', method: 'per_page', pages: 250 }, 409);
    expect(fee.message).toMatch(/国办函〔2020〕109号：收费通知应在答复期限内发出/);
    const later = await send('head', id, { type: 'SET_LATER_REPLY_DATE', at: '2025-10-31', replyBy: '2025-12-31', reason: '理由合理' }, 409);
    expect(later.message).toMatch(/延迟答复的期限应在答复期限内确定/);
    const view = (await t.http.get(`/api/cases/${id}`).set(await t.as('handler')).expect(200)).body;
    // (10-30, 11-03] = 10-31, 11-03: two working days overdue, whatever was attempted.
    expect(view.clock).toMatchObject({ dueDate: '2025-10-30', remainingWorkingDays: -2, overdue: true, pausedWorkingDays: 0 });
    expect(view.events.map((event: { type: string }) => event.type)).not.toContain('START_CONSULTATION');
  });

  it('Art. 32: the head’s signature sends the 公开决定告知书 (content, reasons, remedies); the reply waits 15 working days', async () => {
    // Received Mon 2025-11-03; consultation (11-05, 11-14] pauses 7 working days: due 2025-12-10.
    t.setToday('2025-11-18');
    const id = await handlingCase('2025-11-03');
    await send('handler', id, { type: 'START_CONSULTATION', at: '2025-11-05', kind: 'third_party', party: '上海示例置业有限公司', partyReceivedAt: '2025-11-06' });
    await send('handler', id, { type: 'END_CONSULTATION', at: '2025-11-14', answer: 'objection', summary: '涉及商业秘密' });
    await send('handler', id, {
      type: 'DECIDE',
      at: '2025-11-17',
      outcome: 'disclosed',
      provided: '补偿方案中的补偿标准部分，复印件3页，邮寄送达',
      publicInterestOverride: '补偿标准关系众多被征收人的切身利益',
    });
    await approve('legal', id, { at: '2025-11-17' });
    const signed = await approve('head', id, { at: '2025-11-18' });
    // From Tue 11-18: 11-19..21 = 1..3, 11-24..28 = 4..8, 12-1..5 = 9..13, 12-8 = 14, 12-9 = 15.
    expect(signed.clock).toMatchObject({ dueDate: '2025-12-10', thirdPartyReliefEnds: '2025-12-09' });
    expect(signed.clock.explanation).toEqual(expect.arrayContaining([expect.objectContaining({ date: '2025-11-18', article: '第三十二条；法释〔2011〕17号第十一条' })]));
    const notice = (await letters(id)).find((letter) => letter.kind === 'disclosure_decision_notice')!;
    expect(notice).toMatchObject({ status: 'issued', issuedAt: '2025-11-18' });
    const text = await letterText(notice.id);
    for (const part of [
      '上海示例置业有限公司：',
      '理由如下：补偿标准关系众多被征收人的切身利益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，本机关决定予以公开。',
      '决定公开的政府信息内容为：补偿方案中的补偿标准部分，复印件3页，邮寄送达。',
      '本机关将在本告知书发出之日起15个工作日届满后，即自2025年12月10日起，向申请人公开上述信息。',
      '可以在收到本告知书之日起六十日内向上海市某区人民政府申请行政复议，或者在六个月内向上海市某区人民法院提起行政诉讼',
    ]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain('公开的内容为：。');
    // Not the same day, nor before the period has run.
    const sameDay = await send('intake', id, { type: 'ISSUE_REPLY', at: '2025-11-18' }, 409);
    expect(sameDay.message).toContain('须待第三方寻求救济的期限（至2025年12月9日）届满后，方可向申请人出具答复');
    t.setToday('2025-12-09');
    await send('intake', id, { type: 'ISSUE_REPLY', at: '2025-12-09' }, 409);
    t.setToday('2025-12-10');
    const issued = await send('intake', id, { type: 'ISSUE_REPLY', at: '2025-12-10' });
    expect(issued).toMatchObject({ state: 'replied', concludedAt: '2025-12-10' });
  });

  it('a provisional date is never stated as certain: the extension notice into unpublished 2027 says so', async () => {
    t.setToday('2026-12-28');
    // Received Tue 2026-12-01: due 2026-12-29. +20 working days: 12-30, 12-31, then 2027 (unpublished, 元旦 fixed): 1-4 … 1-27.
    const id = await handlingCase('2026-12-01');
    const extended = await send('head', id, { type: 'EXTEND', at: '2026-12-28', workingDays: 20, reason: '需调取历年档案' });
    expect(extended.clock).toMatchObject({ dueDate: '2027-01-27', provisional: true });
    const notice = (await letters(id)).find((letter) => letter.kind === 'extension_notice')!;
    expect(await letterText(notice.id)).toContain(
      '答复期限延长20个工作日，至2027年1月27日（该日期系按尚未公布的节假日安排推算，如国务院办公厅公布的节假日安排与此不同，以按工作日实际计算的日期为准）。',
    );
  });

  it('the 补正告知书 names a contact person like every letter, and its 文号 reads 机关代字〔2025〕N号', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-11-03' })).expect(201);
    await send('intake', created.body.id, { type: 'REQUEST_SUPPLEMENT', at: '2025-11-04', items: ['所需信息的文号'] });
    const notice = (await letters(created.body.id)).find((letter) => letter.kind === 'supplement_notice')!;
    expect(notice.number).toMatch(/^信息公开补正〔2025〕[1-9]\d*号$/);
    const text = await letterText(notice.id);
    expect(text).toContain('（联系人：王登记联系电话：021-00000000地址：上海市某区某路100号）');
  });

  describe('the litigation-risk review on every draft reply', () => {
    it('warnings are shown with authority and cure, must be acknowledged by legal, and are kept in the round', async () => {
      // Posted reply without an address, a thin search, and reasons that state no facts.
      const id = await handlingCase('2025-11-03', { deliveryForm: 'paper_post', applicant: personApplicant({ address: undefined }) });
      await send('handler', id, { type: 'RECORD_SEARCH', at: '2025-11-04', scope: '查了', terms: '方案', result: '无' });
      await send('handler', id, { type: 'DECIDE', at: '2025-11-10', outcome: 'unavailable.not_held', reasons: '没有该信息' });
      const { reply, view } = await review(id);
      expect(view.risks.map((risk: { code: string; severity: string }) => `${risk.code}:${risk.severity}`)).toEqual([
        'search_inadequate:warning',
        'weak_reasons:warning',
        'service_unprovable:warning',
      ]);
      expect(view.risks[0]).toMatchObject({ authority: expect.stringContaining('指导案例101号'), cure: expect.stringContaining('检索'), acknowledgement: null });
      const bare = await send('legal', id, { type: 'APPROVE', at: '2025-11-11' }, 409);
      expect(bare.message).toMatch(/败诉风险提示须逐项确认.*检索记录不足以证明已尽检索义务.*理由过于简单.*送达难以证明/);
      const partly = await send('legal', id, { type: 'APPROVE', at: '2025-11-11', acknowledgedRisks: [{ code: 'search_inadequate', comment: '检索登记表另附' }] }, 409);
      expect(partly.message).not.toMatch(/检索记录不足以证明已尽检索义务/);
      await send('legal', id, { type: 'APPROVE', at: '2025-11-11', acknowledgedRisks: [{ code: 'search_inadequate', comment: '  ' }] }, 400);
      const acknowledgedRisks = [
        { code: 'search_inadequate', comment: '检索登记表另附，已补充' },
        { code: 'weak_reasons', comment: '理由已核对' },
        { code: 'service_unprovable', comment: '申请人当面领取' },
      ];
      await send('legal', id, { type: 'APPROVE', at: '2025-11-11', comment: '同意', acknowledgedRisks });
      const after = (await t.http.get(`/api/letters/${reply.id}/review`).set(await t.as('legal')).expect(200)).body;
      expect(after.rounds[0]).toMatchObject({ step: 'legal', decision: 'approve', acknowledgedRisks, risks: expect.arrayContaining([expect.objectContaining({ code: 'weak_reasons' })]) });
      expect(after.risks.find((risk: { code: string }) => risk.code === 'weak_reasons').acknowledgement).toBe('理由已核对');
      // The head signs what legal acknowledged; the reply is not late.
      t.setToday('2025-11-12');
      await send('head', id, { type: 'APPROVE', at: '2025-11-12' });
    });

    it('a reply after the due date is a warning the head must acknowledge when it appears only at signing', async () => {
      // Received 2025-09-26: due 2025-10-30.
      t.setToday('2025-10-31');
      const id = await handlingCase('2025-09-26');
      await send('handler', id, { type: 'DECIDE', at: '2025-10-29', outcome: 'withheld.internal_affairs', reasons: '所申请的考核记录属于本机关人事管理中的内部事务信息' });
      await send('legal', id, { type: 'APPROVE', at: '2025-10-30' });
      const late = await send('head', id, { type: 'APPROVE', at: '2025-10-31' }, 409);
      expect(late.message).toMatch(/逾期答复：答复期限 2025-10-30 已届满，本答复将于 2025-10-31 作出/);
      await send('head', id, { type: 'APPROVE', at: '2025-10-31', acknowledgedRisks: [{ code: 'reply_late', comment: '已查明逾期原因并记录' }] });
      const issued = await send('intake', id, { type: 'ISSUE_REPLY', at: '2025-10-31' });
      expect(issued.state).toBe('closed');
    });
  });
});
