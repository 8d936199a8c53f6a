import { createHash } from 'node:crypto';
import { deskApplication, personApplicant } from '../factories/applications';
import { binaryParser, eventSender } from '../support/http';
import { startTestApp, type TestApp } from '../setup/test-app';
import { pdfText } from '../support/pdf-text';

describe('letters: drafted, checked, reviewed, numbered, frozen, downloaded', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-31');
  });
  afterAll(() => t.close());

  const send = eventSender(() => t);
  async function letters(id: string) {
    return (await t.http.get(`/api/cases/${id}/letters`).set(await t.as('legal')).expect(200)).body as {
      id: string; kind: string; number: string | null; status: string; issuedAt: string | null; sha256: string | null;
    }[];
  }
  async function pdf(letterId: string, username = 'legal'): Promise<Buffer> {
    const response = await t.http.get(`/api/letters/${letterId}`).query({ format: 'pdf' }).set(await t.as(username)).buffer(true).parse(binaryParser).expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    return response.body as Buffer;
  }

  it('a withheld.process_info reply: review-first remedy, Art. 16 ¶2, reasons, 文号, frozen bytes, the applicant’s download', async () => {
    const created = await t.http
      .post('/api/applications')
      .set(await t.as('intake'))
      .send(deskApplication({ receivedAt: '2025-09-26', applicant: personApplicant({ name: '<script>alert("x")</script>赵六' }) }))
      .expect(201);
    const id = created.body.id;
    const [receipt] = await letters(id);
    expect(receipt).toMatchObject({ kind: 'receipt', status: 'issued', issuedAt: '2025-09-26', number: expect.stringMatching(/^信息公开收〔2025〕[1-9]\d*号$/) });

    await send('intake', id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
    await send('handler', id, { type: 'DECIDE', at: '2025-10-20', outcome: 'withheld.process_info', reasons: '所申请的会议纪要为内部讨论记录，属于过程性信息' });
    let reply = (await letters(id)).find((letter) => letter.kind === 'reply')!;
    expect(reply).toMatchObject({ status: 'in_review', number: null, sha256: null });
    const review = await t.http.get(`/api/letters/${reply.id}/review`).set(await t.as('legal')).expect(200);
    expect(review.body).toMatchObject({ status: 'in_review', findings: [], editableFields: ['reasons', 'provided', 'withheld', 'contactPerson', 'contactPhone'] });

    // The draft is readable as HTML and PDF, marked 草稿, with the applicant's name escaped.
    const draftHtml = await t.http.get(`/api/letters/${reply.id}`).query({ format: 'html' }).set(await t.as('legal')).expect(200);
    expect(draftHtml.text).toContain('草稿');
    expect(draftHtml.text).not.toContain('<script>alert');
    expect(draftHtml.text).toContain('&lt;script&gt;');

    await send('legal', id, { type: 'APPROVE', at: '2025-10-21', comment: '依据正确' });
    await send('head', id, { type: 'APPROVE', at: '2025-10-22' });
    await t.http.patch(`/api/letters/${reply.id}`).set(await t.as('handler')).send({ reasons: '改' }).expect(409);
    const issued = await send('intake', id, { type: 'ISSUE_REPLY', at: '2025-10-23' });
    const documentNumber = issued.events.at(-1).documentNumber;
    reply = (await letters(id)).find((letter) => letter.kind === 'reply')!;
    expect(reply).toMatchObject({ status: 'issued', number: documentNumber, issuedAt: '2025-10-23', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const bytes = await pdf(reply.id);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(reply.sha256);
    const text = pdfText(bytes);
    for (const element of [
      '上海市某区住房保障和房屋管理局',
      '政府信息公开申请答复书',
      documentNumber,
      '<script>alert("x")</script>赵六：',
      '2025年9月26日收到您提出的政府信息公开申请',
      '某地块国有土地上房屋征收补偿方案及其征求意见情况',
      '属于行政机关在履行行政管理职能过程中形成的过程性信息',
      '所申请的会议纪要为内部讨论记录，属于过程性信息',
      '《中华人民共和国政府信息公开条例》第十六条第二款',
      '应当先向上海市某区人民政府申请行政复议',
      '（印章）',
      '2025年10月23日',
    ]) {
      expect(text).toContain(element.replace(/\s+/g, ''));
    }
    expect(text).not.toContain('或者在六个月内');

    // Frozen: the same bytes later, even after the agency's settings change; the database refuses an edit.
    await t.dataSource.query(`UPDATE agencies SET settings = settings || '{"reviewBody": "另一个复议机关"}'::jsonb`);
    expect((await pdf(reply.id)).equals(bytes)).toBe(true);
    await expect(t.dataSource.query(`UPDATE letters SET number = 'x' WHERE id = $1`, [reply.id])).rejects.toThrow(/frozen/);
    await t.dataSource.query(`UPDATE agencies SET settings = settings || '{"reviewBody": "上海市某区人民政府"}'::jsonb`);

    // The applicant downloads the same bytes with the case number and query code, and sees no one else's letters.
    const tracked = await t.http.get(`/api/public/applications/${encodeURIComponent(created.body.caseNumber)}`).query({ queryCode: created.body.queryCode }).expect(200);
    expect(tracked.body.letters.map((letter: { kind: string }) => letter.kind)).toEqual(['receipt', 'reply']);
    const download = await t.http
      .get(`/api/public/applications/${encodeURIComponent(created.body.caseNumber)}/letters/${reply.id}`)
      .query({ queryCode: created.body.queryCode, format: 'pdf' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect((download.body as Buffer).equals(bytes)).toBe(true);
    expect(download.headers['x-content-sha256']).toBe(reply.sha256);
    await t.http.get(`/api/public/applications/${encodeURIComponent(created.body.caseNumber)}/letters/${reply.id}`).query({ queryCode: 'WRONGCODE22' }).expect(404);
    const publicHtml = await t.http
      .get(`/api/public/applications/${encodeURIComponent(created.body.caseNumber)}/letters/${receipt.id}`)
      .query({ queryCode: created.body.queryCode, format: 'html' })
      .expect(200);
    expect(publicHtml.text).toContain('&lt;script&gt;');
    expect(publicHtml.text).not.toContain('<script>alert');
  });

  it('a disclosed reply offers review or litigation and says what is provided', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-11-03' })).expect(201);
    const id = created.body.id;
    await send('intake', id, { type: 'ASSIGN', at: '2025-11-04', handler: 'handler' });
    await send('handler', id, { type: 'DECIDE', at: '2025-11-20', outcome: 'disclosed', provided: '向您提供补偿方案复印件12页，邮寄送达' });
    await send('legal', id, { type: 'APPROVE', at: '2025-11-21' });
    await send('head', id, { type: 'APPROVE', at: '2025-11-21' });
    await send('intake', id, { type: 'ISSUE_REPLY', at: '2025-11-24' });
    const reply = (await letters(id)).find((letter) => letter.kind === 'reply')!;
    const text = pdfText(await pdf(reply.id));
    expect(text).toContain('予以公开：向您提供补偿方案复印件12页，邮寄送达。');
    // Provided now: Art. 36(2) alone (36(1) is for information already published).
    expect(text).toContain('第三十六条第（二）项的规定');
    expect(text).not.toContain('第三十六条第（一）项');
    expect(text).toContain('或者在六个月内向上海市某区人民法院提起行政诉讼');
    expect(text).not.toContain('应当先向');
  });

  it('the checker’s findings block signing until the draft is mended; every review round is kept', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-11-03' })).expect(201);
    const id = created.body.id;
    await send('intake', id, { type: 'ASSIGN', at: '2025-11-04', handler: 'handler' });
    // The agency's review body is missing from its settings when the reply is drafted.
    await t.dataSource.query(`UPDATE agencies SET settings = settings || '{"reviewBody": ""}'::jsonb`);
    await send('handler', id, { type: 'DECIDE', at: '2025-11-20', outcome: 'withheld.internal_affairs', reasons: '所申请的考核记录属于本机关内部人事管理信息' });
    const reply = (await letters(id)).find((letter) => letter.kind === 'reply')!;
    const emptied = await t.http.patch(`/api/letters/${reply.id}`).set(await t.as('handler')).send({ reasons: '   ' }).expect(400);
    expect(emptied.body.message).toBe('理由 不能为空');
    await t.http.patch(`/api/letters/${reply.id}`).set(await t.as('handler')).send({ number: 'x' }).expect(400);
    const review = await t.http.get(`/api/letters/${reply.id}/review`).set(await t.as('legal')).expect(200);
    expect(review.body.findings.map((finding: { rule: string }) => finding.rule)).toEqual(['remedy']);
    await send('legal', id, { type: 'APPROVE', at: '2025-11-21', comment: '请补充复议机关' });
    const blocked = await send('head', id, { type: 'APPROVE', at: '2025-11-21' }, 409);
    expect(blocked.message).toMatch(/行政复议机关/);
    await send('head', id, { type: 'RETURN', at: '2025-11-21', comment: '复议机关未写明' });
    // Settings mended; the handler decides again and the draft is rebuilt from them.
    await t.dataSource.query(`UPDATE agencies SET settings = settings || '{"reviewBody": "上海市某区人民政府"}'::jsonb`);
    await send('handler', id, { type: 'DECIDE', at: '2025-11-24', outcome: 'withheld.internal_affairs', reasons: '所申请的考核记录属于本机关内部人事管理信息' });
    const mended = await t.http.patch(`/api/letters/${reply.id}`).set(await t.as('handler')).send({ contactPerson: '李承办', contactPhone: '021-12345678' }).expect(200);
    expect(mended.body.fillIns).toMatchObject({ contactPhone: '021-12345678', reasons: '所申请的考核记录属于本机关内部人事管理信息' });
    await send('legal', id, { type: 'APPROVE', at: '2025-11-24' });
    await send('head', id, { type: 'APPROVE', at: '2025-11-24' });
    const rounds = (await t.http.get(`/api/letters/${reply.id}/review`).set(await t.as('legal')).expect(200)).body.rounds;
    expect(rounds.map((round: { step: string; decision: string; round: number }) => `${round.step}:${round.decision}:${round.round}`)).toEqual([
      'legal:approve:1',
      'head:return:1',
      'legal:approve:2',
      'head:approve:2',
    ]);
    expect(rounds[1]).toMatchObject({ comment: '复议机关未写明', reviewer: 'head' });
  });

  it('notices go out with their steps: 补正, consultation, extension, fee', async () => {
    t.setToday('2025-12-31');
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-11-03' })).expect(201);
    const id = created.body.id;
    await send('intake', id, { type: 'REQUEST_SUPPLEMENT', at: '2025-11-04', items: ['所需信息的文号', '地块位置'] });
    await send('intake', id, { type: 'RECEIVE_SUPPLEMENT', at: '2025-11-06' });
    await send('intake', id, { type: 'ASSIGN', at: '2025-11-06', handler: 'handler' });
    await send('handler', id, { type: 'START_CONSULTATION', at: '2025-11-07', kind: 'third_party', party: '上海示例置业有限公司' });
    await send('handler', id, { type: 'END_CONSULTATION', at: '2025-11-14', answer: 'consent' });
    await send('head', id, { type: 'EXTEND', at: '2025-11-20', workingDays: 10, reason: '需调取档案' });
    await send('handler', id, { type: 'SEND_FEE_NOTICE', at: '2025-11-21', method: 'per_page', pages: 250 });
    const all = await letters(id);
    expect(all.map((letter) => `${letter.kind}:${letter.status}`)).toEqual([
      'receipt:issued',
      'supplement_notice:issued',
      'third_party_consultation:issued',
      'consultation_notice:issued',
      'extension_notice:issued',
      'fee_notice:issued',
    ]);
    const supplement = pdfText(await pdf(all[1].id));
    expect(supplement).toContain('1.所需信息的文号');
    expect(supplement).toContain('2.地块位置');
    expect(supplement).toContain('第三十条');
    const fee = pdfText(await pdf(all[5].id));
    expect(fee).toContain('人民币4700元');
    const tracked = await t.http.get(`/api/public/applications/${encodeURIComponent(created.body.caseNumber)}`).query({ queryCode: created.body.queryCode }).expect(200);
    // The third party's letter is not the applicant's.
    expect(tracked.body.letters.map((letter: { kind: string }) => letter.kind)).toEqual(['receipt', 'supplement_notice', 'consultation_notice', 'extension_notice', 'fee_notice']);
    // Nor can the applicant download it with the case number and query code.
    const publicLetter = (letterId: string) =>
      t.http.get(`/api/public/applications/${encodeURIComponent(created.body.caseNumber)}/letters/${letterId}`).query({ queryCode: created.body.queryCode, format: 'html' });
    expect((await publicLetter(all[2].id).expect(404)).body.message).toBe('没有这份文书');
    await publicLetter(all[3].id).expect(200);
  });

  it('refuses a bad format and unknown letters', async () => {
    await t.http.get('/api/letters/00000000-0000-4000-8000-000000000000').set(await t.as('legal')).expect(404);
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
    const [receipt] = await letters(created.body.id);
    // Word (docx) is a format staff may download (documents.e2e-spec.ts); anything else is refused in words.
    const refused = await t.http.get(`/api/letters/${receipt.id}`).query({ format: 'doc' }).set(await t.as('legal')).expect(400);
    expect(refused.body.message).toBe('文书格式应为网页（html）、PDF（pdf）或 Word（docx）');
    // The applicant's download stays the page or the PDF.
    await t.http
      .get(`/api/public/applications/${encodeURIComponent(created.body.caseNumber)}/letters/${receipt.id}`)
      .query({ queryCode: created.body.queryCode, format: 'docx' })
      .expect(400, /文书格式应为网页（html）或 PDF（pdf）/);
    await t.http.patch(`/api/letters/${receipt.id}`).set(await t.as('handler')).send({ reasons: 'x' }).expect(404);
    await t.http.patch(`/api/letters/${receipt.id}`).set(await t.as('intake')).send({ reasons: 'x' }).expect(403);
  });
});
