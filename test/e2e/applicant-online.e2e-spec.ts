import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { NotificationsService } from '../../apps/api/src/notifications/notifications.service';
import { PublicLinks } from '../../apps/api/src/portal/public-links';
import { deskApplication, PERSON_ID, personApplicant } from '../factories/applications';
import { binaryParser, eventSender, reviewApprover } from '../support/http';
import { startTestApp, type TestApp } from '../setup/test-app';
import { PDF, PNG } from '../support/files';

interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** A real SMTP server on a local port: what the service sends is what an applicant's mailbox receives. */
async function startSmtp(received: Mail[]): Promise<SMTPServer> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        const [folded, ...body] = data.split(/\r?\n\r?\n/);
        const head = folded.replace(/\r?\n[ \t]+/g, ' ');
        const subject = /^Subject: (.*)$/im.exec(head)?.[1] ?? '';
        received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','), subject: decodeMime(subject), text: decodeBody(head, body.join('\n\n')) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return smtp;
}

/** =?UTF-8?B?…?= and =?UTF-8?Q?…?= words of a header. */
function decodeMime(text: string): string {
  return text.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_match, kind: string, data: string) =>
    kind.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
  );
}

function decodeBody(head: string, body: string): string {
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) {
    return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
  }
  return body;
}

/** A local SMS gateway: records each POST it accepts; while `failing.next` is above 0 it answers 503 instead. */
async function startSmsGateway(received: { to: string; text: string; reference: string; authorization: string | undefined }[], failing: { next: number }): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (failing.next > 0) {
        failing.next--;
        response.writeHead(503).end('busy');
        return;
      }
      received.push({ ...JSON.parse(body), authorization: request.headers.authorization });
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const linkOf = (html: string, text: string) => new RegExp(`<a href="([^"]+)">${text}`).exec(html)?.[1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)![1].replace(/&#x3D;/g, '=');

describe('the applicant online: apply, be told, answer a 补正 notice, receive the reply and the information, withdraw', () => {
  let t: TestApp;
  let smtp: SMTPServer;
  let sms: Server;
  const mails: Mail[] = [];
  const texts: { to: string; text: string; reference: string; authorization: string | undefined }[] = [];
  const failing = { next: 0 };
  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);

  beforeAll(async () => {
    smtp = await startSmtp(mails);
    sms = await startSmsGateway(texts, failing);
    t = await startTestApp({
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      SMS_GATEWAY_URL: `http://127.0.0.1:${(sms.address() as AddressInfo).port}/send`,
      SMS_GATEWAY_TOKEN: 'gateway-secret',
      SMS_QUIET_HOURS: '21:00-08:00',
      PUBLIC_BASE_URL: 'https://xxgk.example.gov.cn/',
    });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => smtp.close(resolve));
    await new Promise<void>((resolve) => sms.close(() => resolve()));
  });

  const notifications = () => t.app.get(NotificationsService);
  /** Delivery as the job runner does it, at a time of day outside the quiet hours. */
  const deliver = async (at = '2025-10-13T10:00:00+08:00') => {
    jest.spyOn(notifications(), 'now').mockReturnValue(new Date(at));
    return notifications().deliverPending();
  };

  it('walks the whole case online, each notice arriving once, none carrying the 查询码', async () => {
    t.setToday('2025-09-25');
    const applied = await t.http
      .post('/apply')
      .field({
        requestType: 'disclosure',
        category: 'natural_person',
        name: '孙八',
        idType: 'id_card',
        idNumber: PERSON_ID,
        phone: '13912345678',
        email: 'sunba@example.com',
        description: '2025年本区旧住房综合改造项目清单',
        deliveryForm: 'online',
        notifyByEmail: 'yes',
        notifyBySms: 'yes',
      })
      .attach('identityCopies', PNG, { filename: '身份证.png', contentType: 'image/png' })
      .expect(201);
    const caseNumber = /id="case-number">([^<]+)</.exec(applied.text)![1];
    const queryCode = /id="query-code">([A-Z2-9]{10})</.exec(applied.text)![1];
    const [{ id }] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [caseNumber]);

    // The office confirms (Art. 31(3)): the applicant is told by email and SMS.
    t.setToday('2025-09-26');
    await send('intake', id, { type: 'CONFIRM_RECEIPT' });
    await send('intake', id, { type: 'ASSIGN', handler: 'handler' });
    t.setToday('2025-09-29');
    await send('handler', id, { type: 'REQUEST_SUPPLEMENT', items: ['所需项目清单的文号或发布时间', '所涉街道'] });

    // The applicant finds the case (the number typed another way) and reads what to supplement and by when.
    t.setToday('2025-10-13');
    const [, year, serial] = /〔(\d{4})〕第(\d{5})号/.exec(caseNumber)!;
    const page = await t.http.post('/track').type('form').send({ caseNumber: `[${year}]第${Number(serial)}号`, queryCode }).expect(200);
    expect(page.text).toContain('需要补正申请内容');
    expect(page.text).toContain('请在 2025年10月27日 前补正申请');
    expect(page.text).toContain('<li>所需项目清单的文号或发布时间</li>');
    expect(page.text).toContain('政府信息公开申请补正告知书');

    // Answered online: text and a file, received today; the reply clock restarts (Art. 30): 20 working days from 10-13.
    const answered = await t.http
      .post('/track/supplement')
      .field({ token: tokenOf(page.text), content: '项目清单为区旧改办2025年3月印发的文件，涉及殷行街道' })
      .attach('files', PDF, { filename: '补正说明.pdf', contentType: 'application/pdf' })
      .expect(200);
    expect(answered.text).toContain('本机关已收到您的补正');
    expect(answered.text).toContain('本机关收到您在网上提交的补正');
    expect(answered.text).toContain('<dt>答复期限</dt><dd>2025年11月10日');
    expect(answered.text).not.toContain('网上补正</h2>');
    const afterSupplement = (await t.http.get(`/api/cases/${id}`).set(await t.as('handler')).expect(200)).body;
    expect(afterSupplement.state).toBe('handling.active');
    expect(afterSupplement.clock.dueDate).toBe('2025-11-10');
    const supplement = afterSupplement.events.find((event: { type: string }) => event.type === 'RECEIVE_SUPPLEMENT');
    expect(supplement).toMatchObject({ at: '2025-10-13', by: 'applicant', content: '项目清单为区旧改办2025年3月印发的文件，涉及殷行街道', attachmentIds: [expect.any(String)] });
    const files = (await t.http.get(`/api/cases/${id}/attachments`).set(await t.as('handler')).expect(200)).body;
    expect(files.map((file: { filename: string; kindLabel: string }) => `${file.kindLabel}:${file.filename}`)).toEqual(['身份证明材料:身份证.png', '补正材料:补正说明.pdf']);
    const staffNotices = (await t.http.get('/api/notifications').set(await t.as('handler')).expect(200)).body.items;
    expect(staffNotices.map((notice: { kind: string; subject: string }) => notice.subject)).toContain(`申请人已在网上补正：${caseNumber}`);

    // The head extends; the handler decides with the file the applicant will receive; legal, head; issued.
    t.setToday('2025-11-05');
    await send('head', id, { type: 'EXTEND', workingDays: 10, reason: '需要调取归档文件', comment: '同意' });
    const upload = await t.http.post(`/api/cases/${id}/attachments`).set(await t.as('handler')).attach('file', PDF, { filename: '旧住房综合改造项目清单.pdf', contentType: 'application/pdf' }).expect(201);
    await send('handler', id, { type: 'DECIDE', outcome: 'disclosed', provided: '提供项目清单电子文件，可在网上下载', disclosedFileIds: [upload.body.id] });
    await approve('legal', id);
    await approve('head', id);
    t.setToday('2025-11-06');
    await send('intake', id, { type: 'ISSUE_REPLY' });

    // The reply lists the file; the applicant downloads both with the letters.
    const replied = await t.http.post('/track').type('form').send({ caseNumber, queryCode }).expect(200);
    expect(replied.text).toContain('本机关已作出答复');
    const replyLink = linkOf(replied.text, '政府信息公开申请答复书')!;
    const fileLink = linkOf(replied.text, '旧住房综合改造项目清单.pdf')!;
    expect(replyLink).toMatch(/^\/track\/document\?token=/);
    const file = await t.http.get(fileLink).buffer(true).parse(binaryParser).expect(200);
    expect(file.body.equals(PDF)).toBe(true);
    expect(file.headers['content-disposition']).toContain(encodeURIComponent('旧住房综合改造项目清单.pdf'));
    // Downloading the information is not the reply's service; the reply itself is.
    expect((await t.http.get(`/api/cases/${id}`).set(await t.as('intake'))).body.events.some((event: { type: string }) => event.type === 'RECORD_SERVICE')).toBe(false);
    const letters = (await t.http.get(`/api/cases/${id}/letters`).set(await t.as('intake')).expect(200)).body;
    const reply = letters.find((letter: { kind: string }) => letter.kind === 'reply');
    const [{ data }] = await t.dataSource.query(`SELECT data FROM letters WHERE id = $1`, [reply.id]);
    expect(data.facts.disclosedFiles).toEqual([expect.objectContaining({ id: upload.body.id, filename: '旧住房综合改造项目清单.pdf' })]);

    // The applicant chose 网上获取: the first download of the reply is its electronic service, with date and time.
    const downloads = await Promise.all([1, 2].map(() => t.http.get(replyLink).buffer(true).parse(binaryParser).expect(200)));
    for (const download of downloads) expect(download.body.subarray(0, 5).toString()).toBe('%PDF-');
    await t.http.get(replyLink).expect(200);
    const served = await waitFor(async () => {
      const view = (await t.http.get(`/api/cases/${id}`).set(await t.as('intake'))).body;
      return view.events.filter((event: { type: string }) => event.type === 'RECORD_SERVICE').length ? view : null;
    });
    const services = served.events.filter((event: { type: string }) => event.type === 'RECORD_SERVICE');
    expect(services).toHaveLength(1);
    expect(services[0]).toMatchObject({
      by: 'system',
      at: '2025-11-06',
      method: 'electronic',
      recipient: '申请人（网上下载）',
      electronicService: { letterId: reply.id, documentNumber: reply.number, title: '政府信息公开申请答复书', downloadedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
    });
    expect(services[0].electronicService.how).toMatch(/^申请人凭案件编号和查询码在网上查询后，于\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}首次下载政府信息公开申请答复书（/);
    const tracked = await t.http.post('/track').type('form').send({ caseNumber, queryCode }).expect(200);
    expect(tracked.text).toContain('您在网上下载了答复书（电子送达）');
    // The extension and its new date, in the timeline (the clock after the step: libs/calendar).
    expect(tracked.text).toContain('答复期限延长 10 个工作日，至 2025年11月24日');

    // Each notice, once, at a real SMTP server and the SMS gateway; even two deliveries at once send nothing twice.
    await Promise.all([deliver(), deliver()]);
    await deliver();
    expect(mails.map((mail) => mail.subject)).toEqual([
      `您的政府信息公开申请已确认收到（${caseNumber}）`,
      `您的政府信息公开申请需要补正（${caseNumber}）`,
      `您的政府信息公开申请答复期限已延长（${caseNumber}）`,
      `本机关已答复您的政府信息公开申请（${caseNumber}）`,
    ]);
    for (const mail of mails) {
      expect(mail.to).toBe('sunba@example.com');
      expect(mail.text).toContain(caseNumber);
      expect(mail.text).toContain(`https://xxgk.example.gov.cn/track?caseNumber=${encodeURIComponent(caseNumber)}`);
    }
    expect(mails[0].text).toContain('本机关将在2025年10月30日前答复您');
    expect(mails[1].text).toContain('1. 所需项目清单的文号或发布时间');
    expect(mails[1].text).toContain('请在2025年10月27日前补正');
    expect(mails[2].text).toContain('延长10个工作日，本机关将在2025年11月24日前答复您');
    expect(texts.map((message) => message.to)).toEqual(['13912345678', '13912345678', '13912345678', '13912345678']);
    expect(texts.every((message) => message.authorization === 'Bearer gateway-secret' && message.text.includes(caseNumber))).toBe(true);
    expect(new Set(texts.map((message) => message.reference)).size).toBe(4);
    // The 查询码 is in no email, no SMS, no log line, no URL the portal made.
    const everything = JSON.stringify({ mails, texts, log: t.logLines, links: [replyLink, fileLink] });
    expect(everything).not.toContain(queryCode);
    expect(everything).not.toContain(queryCode.toLowerCase());
  });

  it('holds SMS in the quiet hours and sends them after; email is not held', async () => {
    t.setToday('2025-10-13');
    const applied = await t.http.post('/apply').type('form').send({ category: 'natural_person', name: '周九', idType: 'passport', idNumber: 'E7654321', phone: '13700000000', email: 'zhou@example.com', description: '某小区加装电梯审批文件', deliveryForm: 'email', notifyByEmail: 'yes', notifyBySms: 'yes' }).expect(201);
    const caseNumber = /id="case-number">([^<]+)</.exec(applied.text)![1];
    const [{ id }] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [caseNumber]);
    await send('intake', id, { type: 'CONFIRM_RECEIPT' });
    const [mailsBefore, textsBefore] = [mails.length, texts.length];
    await deliver('2025-10-13T22:30:00+08:00');
    expect(mails.length).toBe(mailsBefore + 1);
    expect(texts.length).toBe(textsBefore);
    await deliver('2025-10-14T07:59:00+08:00');
    expect(texts.length).toBe(textsBefore);
    // The gateway refuses once: the notice stays in the outbox with the error, and goes at the next poll, once.
    failing.next = 1;
    expect(await deliver('2025-10-14T08:00:00+08:00')).toEqual({ sent: 0, failed: 1 });
    const [pending] = await t.dataSource.query(`SELECT sent_at, delivery_attempts, last_error FROM notifications WHERE case_id = $1 AND channel = 'sms'`, [id]);
    expect(pending).toMatchObject({ sent_at: null, delivery_attempts: 1, last_error: 'SMS gateway answered 503' });
    expect(await deliver('2025-10-14T08:01:00+08:00')).toEqual({ sent: 1, failed: 0 });
    expect(texts.slice(textsBefore).map((message) => message.to)).toEqual(['13700000000']);
    expect(t.logLines.some((line) => line.includes('13700000000'))).toBe(false);
  });

  it('tells nothing to an applicant who did not ask, and nothing of a desk application', async () => {
    t.setToday('2025-10-13');
    const applied = await t.http.post('/apply').type('form').send({ category: 'natural_person', name: '吴十', idType: 'passport', idNumber: 'E1234567', email: 'wu@example.com', description: '某路段道路改造批复', deliveryForm: 'email' }).expect(201);
    const [{ id }] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [/id="case-number">([^<]+)</.exec(applied.text)![1]]);
    await send('intake', id, { type: 'CONFIRM_RECEIPT' });
    const desk = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-10-13', applicant: personApplicant({ email: 'desk@example.com' }) })).expect(201);
    await send('intake', desk.body.id, { type: 'REQUEST_SUPPLEMENT', items: ['文号'] });
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM notifications WHERE case_id = ANY($1) AND recipient_id IS NULL`, [[id, desk.body.id]]);
    expect(count).toBe(0);
  });

  it('withdraws after a confirmation; the office is told; a second withdrawal changes nothing', async () => {
    t.setToday('2025-10-13');
    const applied = await t.http.post('/apply').type('form').send({ category: 'natural_person', name: '郑十一', idType: 'passport', idNumber: 'E2345678', phone: '13600000000', description: '某学校改扩建项目环评文件', deliveryForm: 'online' }).expect(201);
    const caseNumber = /id="case-number">([^<]+)</.exec(applied.text)![1];
    const queryCode = /id="query-code">([A-Z2-9]{10})</.exec(applied.text)![1];
    const [{ id }] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [caseNumber]);
    await send('intake', id, { type: 'CONFIRM_RECEIPT' });
    const page = await t.http.post('/track').type('form').send({ caseNumber, queryCode }).expect(200);
    const confirm = await t.http.post('/track/withdraw').type('form').send({ token: tokenOf(page.text) }).expect(200);
    expect(confirm.text).toContain('确认撤回申请');
    expect(confirm.text).toContain('撤回不能恢复');
    const unconfirmed = await t.http.post('/track/withdraw/confirm').type('form').send({ token: tokenOf(confirm.text), reason: '已从其他途径获得' }).expect(400);
    expect(unconfirmed.text).toContain('<a href="#confirmed">请勾选“我确认撤回本申请”，或选择不撤回</a>');
    expect((await t.http.get(`/api/cases/${id}`).set(await t.as('intake'))).body.state).toBe('registered');
    const token = tokenOf(confirm.text);
    const [first, second] = await Promise.all([
      t.http.post('/track/withdraw/confirm').type('form').send({ token, reason: '已从其他途径获得', confirmed: 'yes' }),
      t.http.post('/track/withdraw/confirm').type('form').send({ token, reason: '已从其他途径获得', confirmed: 'yes' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const done = first.status === 200 ? first : second;
    expect(done.text).toContain('您的申请已撤回，本机关不再办理');
    expect(done.text).toContain('您在网上撤回了申请');
    expect((first.status === 409 ? first : second).text).toContain('本申请现在的办理状态不能进行这项操作');
    const view = (await t.http.get(`/api/cases/${id}`).set(await t.as('intake')).expect(200)).body;
    expect(view).toMatchObject({ state: 'withdrawn', outcome: 'other.other', concludedAt: '2025-10-13' });
    expect(view.events.filter((event: { type: string }) => event.type === 'WITHDRAW')).toEqual([expect.objectContaining({ by: 'applicant', reason: '已从其他途径获得' })]);
    const notices = (await t.http.get('/api/notifications').set(await t.as('intake')).expect(200)).body.items;
    expect(notices.map((notice: { subject: string }) => notice.subject)).toContain(`申请人已在网上撤回申请：${caseNumber}`);
  });

  it('two supplements sent at once: one is received, the other is told the case moved on', async () => {
    t.setToday('2025-10-13');
    const applied = await t.http.post('/apply').type('form').send({ category: 'natural_person', name: '王十二', idType: 'passport', idNumber: 'E3456789', phone: '13500000000', description: '某地块控制性详细规划', deliveryForm: 'online' }).expect(201);
    const caseNumber = /id="case-number">([^<]+)</.exec(applied.text)![1];
    const queryCode = /id="query-code">([A-Z2-9]{10})</.exec(applied.text)![1];
    const [{ id }] = await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [caseNumber]);
    await send('intake', id, { type: 'CONFIRM_RECEIPT' });
    await send('intake', id, { type: 'REQUEST_SUPPLEMENT', items: ['地块编号'] });
    const token = tokenOf((await t.http.post('/track').type('form').send({ caseNumber, queryCode }).expect(200)).text);
    const answers = await Promise.all([1, 2].map((n) => t.http.post('/track/supplement').type('form').send({ token, content: `地块编号 ${n}` })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const view = (await t.http.get(`/api/cases/${id}`).set(await t.as('intake')).expect(200)).body;
    expect(view.events.filter((event: { type: string }) => event.type === 'RECEIVE_SUPPLEMENT')).toHaveLength(1);
    // Nothing half-written: the refused one left no file, no event, no notice of its own.
    const notices = await t.dataSource.query(`SELECT count(*)::int AS count FROM notifications WHERE case_id = $1 AND kind = 'applicant_supplemented'`, [id]);
    expect(notices[0].count).toBeGreaterThan(0);
    expect(new Set((await t.dataSource.query(`SELECT dedupe_key FROM notifications WHERE case_id = $1 AND kind = 'applicant_supplemented'`, [id])).map((row: { dedupe_key: string }) => row.dedupe_key.split(':').slice(0, 3).join(':'))).size).toBe(1);
    const late = await t.http.post('/track/supplement').type('form').send({ token, content: '再补充一点' }).expect(409);
    expect(late.text).toContain('本申请现在的办理状态不能进行这项操作');
  });

  it('links expire, cannot be forged, and end when the office renews the 查询码', async () => {
    t.setToday('2025-10-13');
    const applied = await t.http.post('/apply').type('form').send({ category: 'natural_person', name: '冯十三', idType: 'passport', idNumber: 'E4567890', phone: '13400000000', description: '某公园改造方案', deliveryForm: 'online' }).expect(201);
    const caseNumber = /id="case-number">([^<]+)</.exec(applied.text)![1];
    const queryCode = /id="query-code">([A-Z2-9]{10})</.exec(applied.text)![1];
    const [{ id, query_code_hash: hash }] = await t.dataSource.query(`SELECT id, query_code_hash FROM cases WHERE case_number = $1`, [caseNumber]);
    await send('intake', id, { type: 'CONFIRM_RECEIPT' });
    const page = await t.http.post('/track').type('form').send({ caseNumber, queryCode }).expect(200);
    const receipt = linkOf(page.text, '政府信息公开申请接收回执')!;
    await t.http.get(receipt).expect(200);

    const links = t.app.get(PublicLinks);
    const [letter] = await t.dataSource.query(`SELECT id FROM letters WHERE case_id = $1`, [id]);
    const stale = links.sign({ purpose: 'letter', caseId: id, documentId: letter.id }, hash, Date.now() - 31 * 60_000);
    const expired = await t.http.get('/track/document').query({ token: stale }).expect(404);
    expect(expired.headers['content-type']).toMatch(/text\/html/);
    expect(expired.text).toContain('页面已过期或链接无效');
    const forged = receipt.replace(/token=([^.]+)\.(.)/, (_match, body: string, first: string) => `token=${body}.${first === 'A' ? 'B' : 'A'}`);
    await t.http.get(forged).expect(404);
    // A case token does not open a letter, nor a letter token a page.
    await t.http.get('/track/document').query({ token: tokenOf(page.text) }).expect(404);
    await t.http.post('/track').type('form').send({ token: decodeURIComponent(receipt.split('token=')[1]) }).expect(400);

    await t.dataSource.query(`UPDATE cases SET query_code_hash = 'sha256:renewed:00' WHERE id = $1`, [id]);
    await t.http.get(receipt).expect(404);
    const back = await t.http.post('/track').type('form').send({ token: tokenOf(page.text) }).expect(400);
    expect(back.text).toContain('页面已过期');
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
