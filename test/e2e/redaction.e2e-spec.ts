import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { documentPdf } from '../../apps/api/src/letters/letter-layout';
import { deskApplication } from '../factories/applications';
import { binaryParser, eventSender, reviewApprover } from '../support/http';
import { pdfText } from '../support/pdf-text';
import { startTestApp, type TestApp } from '../setup/test-app';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Where poppler finds a word on a page: its box from the top-left corner, in points. */
function wordBox(pdf: Buffer, page: number, word: string): { x: number; y: number; width: number; height: number } {
  const directory = mkdtempSync(join(tmpdir(), 'ogi-bbox-'));
  try {
    writeFileSync(join(directory, 'd.pdf'), pdf);
    const html = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', join(directory, 'd.pdf'), '-'], { encoding: 'utf8' });
    const match = new RegExp(`<word xMin="([\\d.]+)" yMin="([\\d.]+)" xMax="([\\d.]+)" yMax="([\\d.]+)">${word}</word>`).exec(html);
    if (!match) throw new Error(`${word} not found on page ${page}`);
    const [xMin, yMin, xMax, yMax] = match.slice(1).map(Number);
    return { x: Math.round(xMin * 100) / 100, y: Math.round(yMin * 100) / 100, width: Math.round((xMax - xMin) * 100) / 100, height: Math.round((yMax - yMin) * 100) / 100 };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The colour of the pixel at a point of a page, as poppler renders it at 72 dpi. */
function pixelAt(pdf: Buffer, page: number, x: number, y: number): [number, number, number] {
  const directory = mkdtempSync(join(tmpdir(), 'ogi-pixel-'));
  try {
    writeFileSync(join(directory, 'd.pdf'), pdf);
    execFileSync('pdftoppm', ['-f', String(page), '-l', String(page), '-r', '72', '-singlefile', join(directory, 'd.pdf'), join(directory, 'p')]);
    const ppm = require('node:fs').readFileSync(join(directory, 'p.ppm')) as Buffer;
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 64).toString('latin1'))!;
    const width = Number(header[1]);
    const offset = header[0].length + (Math.round(y) * width + Math.round(x)) * 3;
    return [ppm[offset], ppm[offset + 1], ppm[offset + 2]];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('区分处理 (Art. 37): regions with their reasons, the copy burned in, the original never public', () => {
  let t: TestApp;
  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);
  let original: Buffer;
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-31');
    // Three pages: a third party's name and number on page 1, an internal opinion on page 2, page 3 untouched.
    const lines = (page: string[]) => page;
    const pdf = await documentPdf(
      '征收补偿方案',
      lines([
        '补偿标准 每平方米 35000 元',
        '联系人 王某某 电话 13900001111',
        '签约期限 自公告之日起 60 日',
      ]),
      '2025-11-01',
    );
    // A multi-page document: the same generator, pages joined by pdf-lib.
    const { PDFDocument } = await import('pdf-lib');
    const merged = await PDFDocument.create();
    const pages = [pdf, await documentPdf('会议纪要', ['讨论情况 内部讨论意见甲 尚待研究', '出席人员 各科室负责人'], '2025-11-01'), await documentPdf('附件', ['附表 安置房源清单', '房源编号 A-101'], '2025-11-01')];
    for (const bytes of pages) {
      const source = await PDFDocument.load(bytes);
      const [page] = await merged.copyPages(source, [0]);
      merged.addPage(page);
    }
    original = Buffer.from(await merged.save());
  });
  afterAll(() => t?.close());

  it('a handler marks two regions with two reasons, produces the copy, decides 部分公开, and the applicant downloads the copy — never the original', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-12-01', deliveryForm: 'online' })).expect(201);
    const { id, caseNumber, queryCode } = created.body as { id: string; caseNumber: string; queryCode: string };
    await send('intake', id, { type: 'ASSIGN', at: '2025-12-01', handler: 'handler' });
    const handler = await t.as('handler');
    const upload = await t.http.post(`/api/cases/${id}/attachments`).set(handler).attach('file', original, { filename: '征收补偿方案.pdf', contentType: 'application/pdf' }).expect(201);
    const attachmentId = upload.body.id as string;
    // Not a PDF: refused in words.
    const text = await t.http.post(`/api/cases/${id}/attachments`).set(handler).attach('file', Buffer.from('纯文本'), { filename: 'a.txt', contentType: 'text/plain' }).expect(201);
    expect((await t.http.post(`/api/cases/${id}/redactions`).set(handler).send({ attachmentId: text.body.id }).expect(400)).body.message).toBe('拟公开的文件 应为可以打开的 PDF 文件（未加密）');

    const document = (await t.http.post(`/api/cases/${id}/redactions`).set(handler).send({ attachmentId }).expect(201)).body;
    expect(document).toMatchObject({ originalAttachmentId: attachmentId, revision: 0, editable: true, regions: [], copy: null, filename: '征收补偿方案.pdf' });
    expect(document.pages).toHaveLength(3);
    expect(document.pages[0]).toMatchObject({ number: 1, width: 595.28, height: 841.89, previewUrl: `/api/redactions/${document.id}/pages/1/preview` });
    const preview = await t.http.get(document.pages[1].previewUrl).set(await t.as('legal')).buffer(true).parse(binaryParser).expect(200);
    expect(preview.headers['content-type']).toBe('image/png');
    expect((preview.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    await t.http.get(`/api/redactions/${document.id}/pages/9/preview`).set(handler).expect(404);

    const name = wordBox(original, 1, '王某某');
    const phone = wordBox(original, 1, '13900001111');
    const opinion = wordBox(original, 2, '内部讨论意见甲');
    const add = (body: Record<string, unknown>, status = 201) => t.http.post(`/api/redactions/${document.id}/regions`).set(handler).send(body).expect(status);
    // Bad regions: outside the page, a reason outside Art. 14–16, not a number — each named in words.
    expect((await add({ page: 1, x: 500, y: 10, width: 200, height: 10, reason: 'withheld.third_party' }, 400)).body.message).toBe('遮盖区域超出了第 1 页（页面宽 595.28、高 841.89 点）');
    expect((await add({ page: 1, ...name, reason: 'withheld.admin_query' }, 400)).body.message).toMatch(/^不予公开的理由 应为以下之一/);
    expect((await add({ page: 4, ...name, reason: 'withheld.third_party' }, 400)).body.message).toBe('页码 文件只有 3 页');
    expect((await add({ page: 1, x: 'left', y: 1, width: 1, height: 1, reason: 'withheld.third_party' }, 400)).body.message).toMatch(/左边距 应为数字/);
    await add({ page: 1, ...name, reason: 'withheld.third_party', note: '第三方自然人的姓名' });
    await add({ page: 1, ...phone, reason: 'withheld.third_party', note: '第三方自然人的电话号码' });
    const mistaken = (await add({ page: 3, x: 60, y: 100, width: 80, height: 20, reason: 'withheld.process_info' })).body;
    const withOpinion = (await add({ page: 2, ...opinion, reason: 'withheld.process_info', note: '内部讨论意见' })).body;
    const mistakenRegion = mistaken.regions.find((region: { page: number }) => region.page === 3);
    const removed = (await t.http.delete(`/api/redactions/${document.id}/regions/${mistakenRegion.id}`).set(handler).expect(200)).body;
    expect(withOpinion.revision).toBe(4);
    expect(removed).toMatchObject({ revision: 5 });
    expect(removed.regions).toHaveLength(3);
    expect(removed.log).toHaveLength(4);
    expect(removed.log.find((region: { id: string }) => region.id === mistakenRegion.id)).toMatchObject({ removedBy: 'handler', removedAt: expect.any(String), createdBy: 'handler' });
    // Only the handling department marks; legal reads.
    await t.http.post(`/api/redactions/${document.id}/regions`).set(await t.as('legal')).send({ page: 1, ...name, reason: 'withheld.third_party' }).expect(403);

    // Deciding before the copy is produced: refused, so the reply never describes a copy that does not exist.
    const early = await send('handler', id, { type: 'DECIDE', at: '2025-12-05', outcome: 'partial', reasons: '部分内容涉及第三方个人信息和内部讨论意见', provided: '提供征收补偿方案（部分公开）', withheldBasis: 'withheld.process_info' }, 409);
    expect(early.message).toMatch(/请先生成部分公开文本/);

    const produced = (await t.http.post(`/api/redactions/${document.id}/copy`).set(handler).expect(201)).body;
    expect(produced.copy).toMatchObject({ revision: 5, current: true, disclosed: false });
    const copy = (await t.http.get(`/api/redactions/${document.id}/copy`).set(handler).buffer(true).parse(binaryParser).expect(200)).body as Buffer;
    expect(sha256(copy)).toBe(produced.copy.sha256);
    if (process.env.DOCUMENTS_DIR) writeFileSync(join(process.env.DOCUMENTS_DIR, 'redacted-copy.pdf'), copy);
    // Nothing of the withheld text can be extracted, by PDF.js or by poppler; what was not marked still reads.
    const extracted = pdfText(copy);
    const popplerText = (() => {
      const directory = mkdtempSync(join(tmpdir(), 'ogi-copy-'));
      try {
        writeFileSync(join(directory, 'c.pdf'), copy);
        return execFileSync('pdftotext', [join(directory, 'c.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    })();
    for (const withheld of ['王某某', '13900001111', '内部讨论意见甲']) {
      expect(extracted).not.toContain(withheld);
      expect(popplerText).not.toContain(withheld);
    }
    expect(extracted).toContain('附表安置房源清单'); // page 3 unmarked: still text
    expect(extracted).toContain('第十五条'); // each box carries its reason
    expect(extracted).toContain('第十六条第二款');
    expect(copy.includes(Buffer.from('王某某'))).toBe(false);
    // The pixels under each box are black.
    expect(pixelAt(copy, 1, name.x + name.width / 2, name.y + 1)).toEqual([0, 0, 0]);
    expect(pixelAt(copy, 2, opinion.x + 1, opinion.y + opinion.height - 1)).toEqual([0, 0, 0]);

    // The decision names a basis the regions use, and the reply lists what was withheld and why.
    const mismatch = await send('handler', id, { type: 'DECIDE', at: '2025-12-05', outcome: 'partial', reasons: 'x', provided: 'y', withheldBasis: 'withheld.state_secret' }, 409);
    expect(mismatch.message).toBe('不予公开部分的依据与遮盖区域标注的理由不一致：请选择遮盖区域所用的理由之一');
    await send('handler', id, { type: 'DECIDE', at: '2025-12-05', outcome: 'partial', reasons: '部分内容涉及第三方个人信息和内部讨论意见', provided: '提供征收补偿方案（部分公开）', withheldBasis: 'withheld.process_info' });
    // Decided: the marks can no longer change.
    expect((await add({ page: 3, x: 1, y: 1, width: 5, height: 5, reason: 'withheld.process_info' }, 409)).body.message).toBe('案件不在办理中，遮盖标记不能再改动');
    await approve('legal', id, { at: '2025-12-08' });
    await approve('head', id, { at: '2025-12-08' });
    await send('intake', id, { type: 'ISSUE_REPLY', at: '2025-12-09' });
    const letters = (await t.http.get(`/api/cases/${id}/letters`).set(handler).expect(200)).body as { id: string; kind: string }[];
    const reply = letters.find((letter) => letter.kind === 'reply')!;
    const replyPdf = (await t.http.get(`/api/letters/${reply.id}`).query({ format: 'pdf' }).set(handler).buffer(true).parse(binaryParser).expect(200)).body as Buffer;
    if (process.env.DOCUMENTS_DIR) writeFileSync(join(process.env.DOCUMENTS_DIR, 'partial-reply.pdf'), replyPdf);
    const replyText = pdfText(replyPdf);
    expect(replyText).toContain(
      '本机关提供的文件中不予公开的内容已作遮盖处理，每处遮盖均注明理由，共3处：《征收补偿方案》第1页（第三方自然人的姓名），保护第三方合法权益（第十五条、第三十二条）；《征收补偿方案》第1页（第三方自然人的电话号码），保护第三方合法权益（第十五条、第三十二条）；《征收补偿方案》第2页（内部讨论意见），属于四类过程性信息（第十六条第二款）。',
    );

    // The case view carries the redaction log; the copy is marked as disclosed with the reply.
    const view = (await t.http.get(`/api/cases/${id}`).set(await t.as('legal')).expect(200)).body;
    expect(view.redactions).toHaveLength(1);
    expect(view.redactions[0]).toMatchObject({ editable: false, copy: { disclosed: true, current: true } });
    expect(view.redactions[0].log).toHaveLength(4);

    // The applicant: the copy, listed and downloadable with the case number and 查询码.
    const listed = await t.http.get(`/api/public/applications/${encodeURIComponent(caseNumber)}/redacted-copies`).query({ queryCode }).expect(200);
    expect(listed.body).toEqual([{ id: produced.copy.id, filename: '征收补偿方案（部分公开）.pdf', sha256: produced.copy.sha256, path: `/api/public/applications/${encodeURIComponent(caseNumber)}/redacted-copies/${produced.copy.id}` }]);
    const downloaded = await t.http.get(listed.body[0].path).query({ queryCode }).buffer(true).parse(binaryParser).expect(200);
    expect(sha256(downloaded.body)).toBe(produced.copy.sha256);
    await t.http.get(listed.body[0].path).query({ queryCode: 'WRONGCODE1' }).expect(404);

    // The original, by any id it has, on every public route: never served.
    const publicPaths = [
      (value: string) => `/api/public/applications/${encodeURIComponent(caseNumber)}/redacted-copies/${value}?queryCode=${queryCode}`,
      (value: string) => `/api/public/applications/${encodeURIComponent(caseNumber)}/letters/${value}?queryCode=${queryCode}&format=pdf`,
      (value: string) => `/api/public/applications/${encodeURIComponent(caseNumber)}/letters/${value}?queryCode=${queryCode}&format=html`,
      (value: string) => `/api/public/verify/${value}`,
      (value: string) => `/verify/${value}`,
      (value: string) => `/api/attachments/${value}`,
      (value: string) => `/api/redactions/${value}/copy`,
      (value: string) => `/api/redactions/${value}/pages/1/preview`,
    ];
    for (const path of publicPaths) {
      for (const value of [attachmentId, document.id]) {
        const response = await t.http.get(path(value)).set('X-Forwarded-For', '198.51.100.7').buffer(true).parse(binaryParser);
        expect({ path: path(value), refused: [401, 404].includes(response.status) }).toEqual({ path: path(value), refused: true });
        expect((response.body as Buffer).includes(original.subarray(0, 200))).toBe(false);
      }
    }
    // The applicant's tracking view and letters say nothing of the original either.
    const tracked = await t.http.get(`/api/public/applications/${encodeURIComponent(caseNumber)}`).query({ queryCode }).expect(200);
    expect(JSON.stringify(tracked.body)).not.toContain(attachmentId);

    // The evidence bundle holds the log and the copy, and not the original.
    const dispute = await t.http.post(`/api/cases/${id}/disputes`).set(await t.as('legal')).send({ kind: 'review', filedAt: '2025-12-20', body: '上海市某区人民政府', reference: '复〔2025〕9号' }).expect(201);
    const bundle = await t.http.get(`/api/disputes/${dispute.body.id}/evidence`).set(await t.as('legal')).buffer(true).parse(binaryParser).expect(200);
    const files = unzipSync(new Uint8Array(bundle.body));
    const names = Object.keys(files);
    const logName = names.find((entry) => entry.includes('区分处理记录'))!;
    expect(logName).toBeDefined();
    const copyName = names.find((entry) => entry.includes('部分公开文本'))!;
    expect(sha256(Buffer.from(files[copyName]))).toBe(produced.copy.sha256);
    expect(Object.values(files).some((content) => Buffer.from(content).equals(original))).toBe(false);
    const logText = pdfText(Buffer.from(files[logName]));
    expect(logText).toContain('保护第三方合法权益（第十五条、第三十二条）');
    expect(logText).toContain('已由handler于');
    expect(logText).toContain('法释〔2011〕17号第六条');
  });
});
