import { deskApplication } from '../factories/applications';
import { docxText } from '../support/docx-text';
import { binaryParser, eventSender, reviewApprover } from '../support/http';
import { pdfText } from '../support/pdf-text';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('送达: the service certificate, postal service and what the clock makes of it (国办公开办函〔2016〕235号)', () => {
  let t: TestApp;
  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-31');
  });
  afterAll(() => t?.close());

  /** Received 2025-10-09 (due 2025-11-05: 10-1..10-8 off, 9-28 and 10-11 worked), replied on `issuedAt`. */
  async function repliedCase(issuedAt = '2025-11-05'): Promise<{ id: string; number: string }> {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-10-09' })).expect(201);
    const id = created.body.id as string;
    await send('intake', id, { type: 'ASSIGN', at: '2025-10-09', handler: 'handler' });
    await send('handler', id, { type: 'DECIDE', at: '2025-11-03', outcome: 'withheld.internal_affairs', reasons: '所申请信息为本机关人事管理信息' });
    await approve('legal', id, { at: '2025-11-04' });
    await approve('head', id, { at: '2025-11-04' });
    const issued = await send('intake', id, { type: 'ISSUE_REPLY', at: issuedAt });
    return { id, number: issued.events.at(-1).documentNumber };
  }
  const certificate = async (id: string, query: Record<string, string>, username = 'intake') =>
    t.http.get(`/api/cases/${id}/service-certificate`).query(query).set(await t.as(username)).buffer(true).parse(binaryParser);

  it('prints a blank certificate before service, then the recorded one; PDF and Word say the same', async () => {
    const { id, number } = await repliedCase();
    const blank = await certificate(id, { method: 'delegated' });
    expect(blank.status).toBe(200);
    expect(blank.headers['content-type']).toBe('application/pdf');
    const blankText = pdfText(blank.body);
    for (const expected of ['送达回证', `《政府信息公开申请答复书》（${number}）`, '受送达人张三', '上海市杨浦区示例路1号', '□直接送达■委托送达', '（签名或盖章）', '签收日期：年月日', '送达人（签名）', '国办公开办函〔2016〕235号']) {
      expect(blankText).toContain(expected);
    }
    const recorded = await send('intake', id, {
      type: 'RECORD_SERVICE',
      at: '2025-11-05',
      method: 'direct',
      place: '本机关政府信息公开受理窗口',
      recipient: '张三（本人）',
      server: '王登记、李承办',
    });
    // The log names the document served.
    expect(recorded.events.at(-1)).toMatchObject({ type: 'RECORD_SERVICE', document: { title: '政府信息公开申请答复书', number } });
    expect(recorded.clock).toMatchObject({ replyServedAt: '2025-11-05' });
    expect(recorded.clock.warnings.join('')).not.toContain('235号');
    const filled = await certificate(id, { format: 'pdf' });
    const filledText = pdfText(filled.body);
    for (const expected of ['■直接送达□委托送达', '本机关政府信息公开受理窗口', '签收人：张三（本人）', '签收日期：2025年11月5日', '王登记、李承办']) expect(filledText).toContain(expected);
    const word = await certificate(id, { format: 'docx' });
    if (process.env.DOCUMENTS_DIR) require('node:fs').writeFileSync(`${process.env.DOCUMENTS_DIR}/service-certificate.docx`, word.body);
    if (process.env.DOCUMENTS_DIR) require('node:fs').writeFileSync(`${process.env.DOCUMENTS_DIR}/service-certificate.pdf`, filled.body);
    expect(word.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docxText(word.body)).toBe(filledText);
  });

  it('postal service: the postal enterprise only, mailing date and 邮件号; posted after the due date, the clock says the reply was late', async () => {
    const { id } = await repliedCase('2025-11-05');
    const refused = await send('intake', id, { type: 'RECORD_SERVICE', at: '2025-11-10', method: 'post', postalService: 'courier', trackingNumber: 'SF123456789' }, 400);
    expect(refused.message).toBe('邮寄方式 应为以下之一：邮政挂号信、邮政特快专递（EMS）');
    const served = await send('intake', id, { type: 'RECORD_SERVICE', at: '2025-11-10', method: 'post', postalService: 'registered_letter', trackingNumber: 'XA123456789CN' });
    expect(served.clock.replyServedAt).toBe('2025-11-10');
    expect(served.clock.warnings).toContain('答复书于 2025-11-10 交邮，晚于答复期限 2025-11-05（国办公开办函〔2016〕235号第四条：以交邮之日计算）');
    expect(served.clock.explanation).toContainEqual(expect.objectContaining({ date: '2025-11-10', article: '国办公开办函〔2016〕235号第四条', description: expect.stringContaining('以交邮之日') }));
    // A second record (a re-delivery) does not move the date the reply counted as given.
    const again = await send('intake', id, { type: 'RECORD_SERVICE', at: '2025-11-12', method: 'direct', place: '窗口', recipient: '张三', server: '王登记' });
    expect(again.clock.replyServedAt).toBe('2025-11-10');
    // The certificate of a postal case prints the later direct service recorded for it.
    expect(pdfText((await certificate(id, {})).body)).toContain('签收日期：2025年11月12日');
  });

  it('no reply yet: nothing to serve (409); bad query: 400 in words; an unknown case: 404; the system administrator as such: 403', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-12-01' })).expect(201);
    expect((await certificate(created.body.id, {})).status).toBe(409);
    const bad = await t.http.get(`/api/cases/${created.body.id}/service-certificate`).query({ method: 'post' }).set(await t.as('intake')).expect(400);
    expect(bad.body.message).toMatch(/^送达方式 应为以下之一/);
    await t.http.get('/api/cases/00000000-0000-4000-8000-000000000000/service-certificate').set(await t.as('intake')).expect(404);
  });
});
