import { createHash, randomBytes } from 'node:crypto';
import { unzipSync } from 'fflate';
import { deskApplication } from '../factories/applications';
import { binaryParser, eventSender } from '../support/http';
import { startTestApp, type TestApp } from '../setup/test-app';
import { pdfText } from '../support/pdf-text';

describe('the evidence bundle of a dispute (法释〔2011〕17号 Art. 5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-31');
  });
  afterAll(() => t.close());

  const send = eventSender(() => t);

  it('one ZIP: the index first, then application, 补正, search evidence, extension, the reply with its service, the log', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-09-26' })).expect(201);
    const id = created.body.id;
    await send('intake', id, { type: 'REQUEST_SUPPLEMENT', at: '2025-09-29', items: ['文号'] });
    await send('intake', id, { type: 'RECEIVE_SUPPLEMENT', at: '2025-10-09' });
    await send('intake', id, { type: 'ASSIGN', at: '2025-10-09', handler: 'handler' });
    const upload = await t.http.post(`/api/cases/${id}/attachments`).set(await t.as('handler')).attach('file', Buffer.from('检索登记表'), '检索登记表.txt').expect(201);
    await send('handler', id, { type: 'RECORD_SEARCH', at: '2025-10-10', scope: '档案室；OA', terms: '补偿方案', result: '未检索到', attachmentIds: [upload.body.id] });
    await send('head', id, { type: 'EXTEND', at: '2025-11-05', workingDays: 10, reason: '需调档' });
    await send('handler', id, { type: 'DECIDE', at: '2025-11-10', outcome: 'unavailable.not_held', reasons: '经检索，本机关未制作或获取该信息。' });
    await send('legal', id, { type: 'APPROVE', at: '2025-11-11' });
    await send('head', id, { type: 'APPROVE', at: '2025-11-11' });
    await send('intake', id, { type: 'ISSUE_REPLY', at: '2025-11-12' });
    await send('intake', id, { type: 'RECORD_SERVICE', at: '2025-11-12', method: 'post', postalService: 'ems', trackingNumber: 'EMS9876543210CN' });
    const dispute = await t.http.post(`/api/cases/${id}/disputes`).set(await t.as('legal')).send({ kind: 'litigation', filedAt: '2025-12-01', body: '上海市某区人民法院', reference: '（2025）沪0110行初1号', servedAt: '2025-12-03' }).expect(201);

    await t.http.get(`/api/disputes/${dispute.body.id}/evidence`).set(await t.as('handler')).expect(403);
    const response = await t.http.get(`/api/disputes/${dispute.body.id}/evidence`).set(await t.as('legal')).buffer(true).parse(binaryParser).expect(200);
    expect(response.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(response.body as Buffer));
    const names = Object.keys(files).sort();
    expect(names.map((name) => name.replace(/_信息公开.*|_沪某房.*/, ''))).toEqual([
      '00-证据目录.pdf',
      '01-申请登记表.pdf',
      '02-政府信息公开申请接收回执',
      '03-政府信息公开申请补正告知书',
      '04-检索登记表.txt',
      '05-政府信息公开申请延期答复告知书',
      '06-政府信息公开申请答复书',
      '07-办理过程记录.pdf',
    ]);
    const index = pdfText(Buffer.from(files['00-证据目录.pdf']));
    expect(index).toContain('（2025）沪0110行初1号');
    // In words: no code word on the index.
    expect(index).toContain('送达：邮寄送达，邮政特快专递（EMS）2025-11-12邮件号EMS9876543210CN');
    expect(index).toContain('最高人民法院指导案例101号');
    const letters = (await t.http.get(`/api/cases/${id}/letters`).set(await t.as('legal')).expect(200)).body as { kind: string; sha256: string }[];
    const replyFile = names.find((name) => name.startsWith('06-'))!;
    expect(createHash('sha256').update(files[replyFile]).digest('hex')).toBe(letters.find((letter) => letter.kind === 'reply')!.sha256);
    const log = pdfText(Buffer.from(files[names[7]]));
    expect(log).toContain('2025-09-26REGISTER');
    expect(log).toContain('2025-11-12ISSUE_REPLY');
    expect(Buffer.from(files[names[4]]).toString()).toBe('检索登记表');
  });

  it('a bundle of many megabytes is streamed: other requests are answered while it downloads', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-09-26' })).expect(201);
    const id = created.body.id;
    // Scans as a court gets them: incompressible, several megabytes each (stored directly: uploading 24 MB through
    // multipart would only slow the test down).
    const scans = Array.from({ length: 4 }, () => randomBytes(6 * 1024 * 1024));
    for (const [index, scan] of scans.entries()) {
      await t.dataSource.query(
        `INSERT INTO attachments (case_id, filename, mime_type, size_bytes, sha256, content) VALUES ($1, $2, 'application/octet-stream', $3, $4, $5)`,
        [id, `扫描件${index + 1}.bin`, scan.length, createHash('sha256').update(scan).digest('hex'), scan],
      );
    }
    const dispute = await t.http.post(`/api/cases/${id}/disputes`).set(await t.as('legal')).send({ kind: 'review', filedAt: '2025-12-01', body: '上海市某区人民政府' }).expect(201);
    const legal = await t.as('legal');

    let done = false;
    const startedAt = Date.now();
    const download = t.http
      .get(`/api/disputes/${dispute.body.id}/evidence`)
      .set(legal)
      .buffer(true)
      .parse(binaryParser)
      .then((response) => {
        done = true;
        return response;
      });
    // While it is built and sent, a request of someone else's is answered promptly, again and again.
    const latencies: number[] = [];
    await new Promise((resolve) => setTimeout(resolve, 50));
    while (!done) {
      const started = Date.now();
      await t.http.get('/health/live').expect(200);
      latencies.push(Date.now() - started);
    }
    const response = await download;
    const took = Date.now() - startedAt;
    expect(response.status).toBe(200);
    // Measured against the download itself, not the clock, so a loaded machine slows both sides alike: building the
    // 24 MB ZIP in one piece answered one or two requests, the first held up for nearly the whole download.
    expect(latencies.length).toBeGreaterThan(3);
    expect(Math.max(...latencies)).toBeLessThan(took / 2);
    const files = unzipSync(new Uint8Array(response.body as Buffer));
    const names = Object.keys(files);
    expect(names[0]).toBe('00-证据目录.pdf');
    for (const [index, scan] of scans.entries()) {
      const name = names.find((entry) => entry.endsWith(`扫描件${index + 1}.bin`))!;
      expect(Buffer.from(files[name]).equals(scan)).toBe(true);
    }
  });
});
