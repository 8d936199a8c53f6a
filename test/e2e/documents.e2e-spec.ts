import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { deskApplication } from '../factories/applications';
import { apiOf, seedAgencyHistory } from '../support/agency-history';
import { selfSignedP12 } from '../support/certificate';
import { docxParagraphs, docxText } from '../support/docx-text';
import { binaryParser, eventSender, reviewApprover } from '../support/http';
import { pdfText } from '../support/pdf-text';
import { startTestApp, type TestApp } from '../setup/test-app';

interface LetterSummary {
  id: string;
  kind: string;
  title: string;
  number: string | null;
  status: string;
  sha256: string | null;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('letters as Word documents, verifiable, signed where the agency has a certificate', () => {
  let t: TestApp;
  let caseIds: string[];
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_BASE_URL: 'https://ogi.example.gov.cn' });
    t.setToday('2025-12-31');
    ({ caseIds } = await seedAgencyHistory(apiOf(t.http)));
    // A whole year of letters, each rendered and frozen: minutes on a busy machine.
  }, 300_000);
  afterAll(() => t?.close());

  const download = async (letterId: string, format: 'pdf' | 'docx', username = 'legal') =>
    (await t.http.get(`/api/letters/${letterId}`).query({ format }).set(await t.as(username)).buffer(true).parse(binaryParser).expect(200)) as unknown as {
      body: Buffer;
      headers: Record<string, string>;
    };
  const lettersOf = async (caseId: string) => (await t.http.get(`/api/cases/${caseId}/letters`).set(await t.as('legal')).expect(200)).body as LetterSummary[];

  it('every issued letter of a year — notices and replies — reads the same in its .docx as in its frozen PDF', async () => {
    const issued = (await Promise.all(caseIds.map(lettersOf))).flat().filter((letter) => letter.status === 'issued');
    const kinds = new Set(issued.map((letter) => letter.kind));
    // The scripted year issues every kind of the workflow's letters but the lapse notices.
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(['receipt', 'supplement_notice', 'extension_notice', 'fee_notice', 'third_party_consultation', 'agency_consultation', 'reply', 'correction_reply', 'disclosure_decision_notice']),
    );
    for (const letter of issued) {
      const pdf = await download(letter.id, 'pdf');
      const docx = await download(letter.id, 'docx');
      expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(docx.headers['content-disposition']).toContain(encodeURIComponent(`${letter.number}.docx`));
      // The fingerprint is the PDF's, the letter's; both files say the same, word for word.
      expect(docx.headers['x-content-sha256']).toBe(letter.sha256);
      expect({ number: letter.number, text: docxText(docx.body) }).toEqual({ number: letter.number, text: pdfText(pdf.body) });
      expect(docxText(docx.body)).toContain(letter.number!.replace(/\s+/g, ''));
    }
    // Some thirty letters, each downloaded twice and read back by two readers in their own processes.
  }, 600_000);

  it('a reply’s .docx is laid out as the letter: title lines, 文号, addressee, body, signature, date, 附注, verification', async () => {
    const reply = (await lettersOf(caseIds[2])).find((letter) => letter.kind === 'reply')!;
    const word = (await download(reply.id, 'docx')).body;
    if (process.env.DOCUMENTS_DIR) writeFileSync(join(process.env.DOCUMENTS_DIR, 'reply.docx'), word);
    const paragraphs = docxParagraphs(word);
    expect(paragraphs[0]).toBe('上海市某区住房保障和房屋管理局\n政府信息公开申请答复书');
    expect(paragraphs[1]).toBe(reply.number);
    expect(paragraphs[2]).toMatch(/^李四：$/);
    expect(paragraphs).toEqual(expect.arrayContaining(['上海市某区住房保障和房屋管理局', '（印章）', '2025年12月2日']));
    expect(paragraphs.at(-1)).toMatch(/^验证码：[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}　扫描二维码或访问 https:\/\/ogi\.example\.gov\.cn\/verify\/[0-9A-Z]{12} /);
    // The QR code is in the package as an image.
    expect(Object.keys(unzipSync(new Uint8Array((await download(reply.id, 'docx')).body)))).toEqual(expect.arrayContaining([expect.stringMatching(/^word\/media\/.+\.png$/)]));
  });

  it('an issued letter’s .docx comes from the frozen letter, not from today’s settings; a draft’s from its data, marked 草稿', async () => {
    const reply = (await lettersOf(caseIds[0])).find((letter) => letter.kind === 'reply')!;
    const before = docxText((await download(reply.id, 'docx')).body);
    await t.dataSource.query(`UPDATE agencies SET name = '改名后的机关', settings = settings || '{"reviewBody": "另一个复议机关", "address": "新地址"}'::jsonb`);
    try {
      const after = docxText((await download(reply.id, 'docx')).body);
      expect(after).toBe(before);
      expect(after).not.toContain('另一个复议机关');
      expect(after).not.toContain('改名后的机关');
    } finally {
      await t.dataSource.query(`UPDATE agencies SET name = '上海市某区住房保障和房屋管理局', settings = settings || '{"reviewBody": "上海市某区人民政府", "address": "上海市某区某路100号"}'::jsonb`);
    }
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-12-01' })).expect(201);
    const send = eventSender(() => t);
    await send('intake', created.body.id, { type: 'ASSIGN', at: '2025-12-01', handler: 'handler' });
    await send('handler', created.body.id, { type: 'DECIDE', at: '2025-12-02', outcome: 'withheld.internal_affairs', reasons: '所申请信息为本机关人事管理信息' });
    const draft = (await lettersOf(created.body.id)).find((letter) => letter.kind === 'reply')!;
    const draftDocx = await download(draft.id, 'docx');
    expect(docxParagraphs(draftDocx.body)[0]).toBe('草稿');
    // The PDF marks every page 草稿 in its corner, the Word file once at the top: the text is the same apart from the marks.
    const unmarked = (text: string) => text.replace(/草稿/g, '');
    expect(unmarked(docxText(draftDocx.body))).toBe(unmarked(pdfText((await download(draft.id, 'pdf')).body)));
    expect(docxText(draftDocx.body)).not.toContain('验证码');
    await t.http.get(`/api/letters/${draft.id}`).query({ format: 'doc' }).set(await t.as('legal')).expect(400, /Word（docx）/);
  });

  it('/verify shows the agency, 文号, date, addressee category and the PDF’s SHA-256 — no personal data — for the code printed on the letter', async () => {
    const reply = (await lettersOf(caseIds[2])).find((letter) => letter.kind === 'reply')!;
    const pdf = (await download(reply.id, 'pdf')).body;
    const text = pdfText(pdf);
    const code = /验证码：([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(text)![1];
    expect(text).toContain(`https://ogi.example.gov.cn/verify/${code.replace(/-/g, '')}`);
    const answer = await t.http.get(`/api/public/verify/${code.toLowerCase()}`).expect(200);
    expect(answer.body).toEqual({
      agency: '上海市某区住房保障和房屋管理局',
      title: '政府信息公开申请答复书',
      number: reply.number,
      issuedAt: '2025-12-02',
      addresseeCategory: '申请人',
      sha256: sha256(pdf),
      signed: false,
    });
    const page = await t.http.get(`/verify/${code.replace(/-/g, '')}`).expect(200);
    expect(page.text).toContain(reply.number!);
    expect(page.text).toContain(sha256(pdf));
    expect(page.text).not.toContain('李四');
    expect(page.text).not.toContain('E12345678');
    const form = await t.http.get('/verify').query({ code }).expect(200);
    expect(form.text).toContain(reply.number!);
    // The third party's letter verifies as addressed to a third party, without its name.
    const notice = (await Promise.all(caseIds.map(lettersOf))).flat().find((letter) => letter.kind === 'disclosure_decision_notice')!;
    const noticeCode = /验证码：([0-9A-Z-]{14})/.exec(pdfText((await download(notice.id, 'pdf')).body))![1];
    const noticeAnswer = await t.http.get(`/api/public/verify/${noticeCode}`).expect(200);
    expect(noticeAnswer.body).toMatchObject({ addresseeCategory: '第三方', number: notice.number });
    expect(JSON.stringify(noticeAnswer.body)).not.toContain('置业');
  });

  it('/verify throttles unknown codes per address as public tracking does', async () => {
    const from = (address: string) => ({ 'X-Forwarded-For': address });
    for (let i = 0; i < 10; i++) await t.http.get('/api/public/verify/ZZZZZZZZZZZZ').set(from('203.0.113.40')).expect(404);
    await t.http.get('/api/public/verify/ZZZZZZZZZZZZ').set(from('203.0.113.40')).expect(429);
    const page = await t.http.get('/verify/ZZZZZZZZZZZZ').set(from('203.0.113.40')).expect(429);
    expect(page.text).toContain('核验失败次数过多');
    await t.http.get('/api/public/verify/not-a-code').set(from('203.0.113.41')).expect(404, /验证码/);
  });
});

describe('PAdES: the agency configured a PKCS#12 certificate', () => {
  let t: TestApp;
  const directory = mkdtempSync(join(tmpdir(), 'ogi-p12-'));
  beforeAll(async () => {
    writeFileSync(join(directory, 'agency.p12'), selfSignedP12('上海市某区住房保障和房屋管理局', 'p12-password'));
    t = await startTestApp({ LETTER_SIGNING_P12_FILE: join(directory, 'agency.p12'), LETTER_SIGNING_P12_PASSWORD: 'p12-password' });
    t.setToday('2025-12-31');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('issued letters are signed; poppler’s pdfsig verifies the signature; /verify says so and shows the signed file’s SHA-256', async () => {
    const send = eventSender(() => t);
    const approve = reviewApprover(() => t);
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-12-01' })).expect(201);
    const id = created.body.id;
    await send('intake', id, { type: 'ASSIGN', at: '2025-12-01', handler: 'handler' });
    await send('handler', id, { type: 'DECIDE', at: '2025-12-02', outcome: 'withheld.internal_affairs', reasons: '所申请信息为本机关人事管理信息' });
    await approve('legal', id, { at: '2025-12-03' });
    await approve('head', id, { at: '2025-12-03' });
    await send('intake', id, { type: 'ISSUE_REPLY', at: '2025-12-04' });
    const letters = (await t.http.get(`/api/cases/${id}/letters`).set(await t.as('legal')).expect(200)).body as LetterSummary[];
    for (const letter of letters) {
      const pdf = (await t.http.get(`/api/letters/${letter.id}`).query({ format: 'pdf' }).set(await t.as('legal')).buffer(true).parse(binaryParser).expect(200)).body as Buffer;
      expect(sha256(pdf)).toBe(letter.sha256);
      const file = join(directory, `${letter.id}.pdf`);
      writeFileSync(file, pdf);
      const report = execFileSync('pdfsig', [file], { encoding: 'utf8' });
      expect(report).toMatch(/Signature Type: ETSI\.CAdES\.detached/);
      expect(report).toMatch(/Signature Validation: Signature is Valid\./);
      expect(report).toMatch(/Signer Certificate Common Name: 上海市某区住房保障和房屋管理局/);
      expect(report).toMatch(/Total document signed/);
      const code = /验证码：([0-9A-Z-]{14})/.exec(pdfText(pdf))![1];
      const verified = await t.http.get(`/api/public/verify/${code}`).expect(200);
      expect(verified.body).toMatchObject({ signed: true, sha256: letter.sha256, number: letter.number });
    }
    expect(letters.map((letter) => letter.kind).sort()).toEqual(['receipt', 'reply']);
  });
});
