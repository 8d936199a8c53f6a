import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { documentPdf } from '../../apps/api/src/letters/letter-layout';
import { withholdingLabel } from '../../apps/api/src/redaction/redaction.repository';
import { deskApplication } from '../factories/applications';
import { codeWordsIn, launchChromium, listen, SCREENSHOTS, seriousViolations, shoot, signIn, visibleText } from '../support/console-browser';
import { binaryParser, eventSender, reviewApprover } from '../support/http';
import { pdfText } from '../support/pdf-text';
import { startTestApp, type TestApp } from '../setup/test-app';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where poppler finds a word on a page of the original: its box from the top-left corner, in points. */
function wordBox(pdf: Buffer, page: number, word: string): Box {
  const directory = mkdtempSync(join(tmpdir(), 'ogi-journey-bbox-'));
  try {
    writeFileSync(join(directory, 'd.pdf'), pdf);
    const html = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', join(directory, 'd.pdf'), '-'], { encoding: 'utf8' });
    const match = new RegExp(`<word xMin="([\\d.]+)" yMin="([\\d.]+)" xMax="([\\d.]+)" yMax="([\\d.]+)">${word}</word>`).exec(html);
    if (!match) throw new Error(`${word} not found on page ${page}`);
    const [xMin, yMin, xMax, yMax] = match.slice(1).map(Number);
    return { x: xMin, y: yMin, width: xMax - xMin, height: yMax - yMin };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Everything poppler extracts from a PDF, whitespace removed (the second independent reader beside PDF.js). */
function popplerText(pdf: Buffer): string {
  const directory = mkdtempSync(join(tmpdir(), 'ogi-journey-text-'));
  try {
    writeFileSync(join(directory, 'c.pdf'), pdf);
    return execFileSync('pdftotext', [join(directory, 'c.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const A4 = { width: 595.28, height: 841.89 };

/**
 * Issue 18 item 5, as people do it: a handler uploads the PDF to disclose in the console, drags two rectangles over the
 * withheld words on the page images with the mouse, gives each its own reason (Art. 15, Art. 16), marks and removes a
 * third by the keyboard form, and produces the copy; the case goes on to a 部分公开 reply, issued; the applicant, on the
 * portal with the case number and 查询码, downloads the redacted copy by its signed link. Neither PDF reader finds the
 * withheld words in it, and the original is refused on every public route.
 */
describe('区分处理 in the browser: marked with the mouse, issued with a 部分公开 reply, downloaded by the applicant', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let original: Buffer;
  const send = eventSender(() => t);
  const approve = reviewApprover(() => t);
  const WITHHELD = ['王某某', '13900001111', '拟暂缓签约'];

  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-31');
    base = await listen(t);
    browser = await launchChromium();
    const { PDFDocument } = await import('pdf-lib');
    const merged = await PDFDocument.create();
    const pages = [
      await documentPdf('征收补偿方案', ['补偿标准 每平方米 35000 元', '联系人 王某某 电话 13900001111', '签约期限 自公告之日起 60 日'], '2025-11-01'),
      await documentPdf('会议纪要', ['讨论情况 内部意见 拟暂缓签约 尚待研究', '出席人员 各科室负责人'], '2025-11-01'),
    ];
    for (const bytes of pages) {
      const [page] = await merged.copyPages(await PDFDocument.load(bytes), [0]);
      merged.addPage(page);
    }
    original = Buffer.from(await merged.save());
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A real drag with the mouse over a box of the original (in points), a few points of margin around it. */
  async function drag(page: Page, pageNumber: number, box: Box) {
    const image = page.getByRole('img', { name: `第 ${pageNumber} 页的预览图` });
    await image.scrollIntoViewIfNeeded();
    let shown = (await image.boundingBox())!;
    // The word near the top of the window, so both corners of the drag are on screen.
    await page.evaluate(`window.scrollBy(0, ${Math.round(shown.y + (box.y / A4.height) * shown.height - 200)})`);
    shown = (await image.boundingBox())!;
    const scale = shown.width / A4.width;
    const from = { x: shown.x + (box.x - 3) * scale, y: shown.y + (box.y - 3) * scale };
    const to = { x: shown.x + (box.x + box.width + 3) * scale, y: shown.y + (box.y + box.height + 3) * scale };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
  }

  async function noCodeWordsNorSeriousViolations(page: Page) {
    expect(codeWordsIn(await visibleText(page))).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  }

  it('a handler redacts two regions with two reasons, the reply is issued, and the applicant downloads only the copy', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2025-12-01', deliveryForm: 'online' })).expect(201);
    const { id, caseNumber, queryCode } = created.body as { id: string; caseNumber: string; queryCode: string };
    await send('intake', id, { type: 'ASSIGN', at: '2025-12-01', handler: 'handler' });

    // ---- The handler, in the console ----
    const staff = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await staff.newPage();
    await signIn(page, base, 'handler');
    await page.goto(`${base}/staff/cases/${id}`);
    await page.getByRole('link', { name: '对拟公开的 PDF 文件作区分处理' }).click();
    await page.getByRole('heading', { name: '区分处理（部分公开）' }).waitFor();
    await noCodeWordsNorSeriousViolations(page);
    await shoot(page, 'redaction-1-start');
    await page.getByLabel('拟公开的文件（PDF）').setInputFiles({ name: '征收补偿方案.pdf', mimeType: 'application/pdf', buffer: original });
    await page.getByRole('button', { name: '上传并开始标记' }).click();
    await page.getByRole('heading', { name: '区分处理：征收补偿方案.pdf' }).waitFor();
    await page.getByRole('img', { name: '第 2 页的预览图' }).waitFor();
    await page.waitForLoadState('load');
    await noCodeWordsNorSeriousViolations(page);
    await shoot(page, 'redaction-2-pages');

    // Region 1: the third party's name and number on page 1 (Art. 15), one drag over both.
    const name = wordBox(original, 1, '王某某');
    const phone = wordBox(original, 1, '13900001111');
    await drag(page, 1, { x: name.x, y: Math.min(name.y, phone.y), width: phone.x + phone.width - name.x, height: Math.max(name.y + name.height, phone.y + phone.height) - Math.min(name.y, phone.y) });
    // The drag filled the form's page and position; the reason is the handler's choice.
    expect(await page.getByLabel('页码').inputValue()).toBe('1');
    expect(Number(await page.getByLabel('左（%）').inputValue())).toBeGreaterThan(0);
    expect(Number(await page.getByLabel('宽（%）').inputValue())).toBeGreaterThan(5);
    await page.getByLabel('不予公开的理由').selectOption({ label: withholdingLabel('withheld.third_party') });
    await page.getByLabel('说明（选填）').fill('第三方自然人的姓名和电话号码');
    await shoot(page, 'redaction-3-drawn');
    await page.getByRole('button', { name: '标记这个区域' }).click();
    await page.getByText('已标记一个区域。').waitFor();

    // Region 2: an internal opinion on page 2 (Art. 16(2)).
    await drag(page, 2, wordBox(original, 2, '拟暂缓签约'));
    expect(await page.getByLabel('页码').inputValue()).toBe('2');
    await page.getByLabel('不予公开的理由').selectOption({ label: withholdingLabel('withheld.process_info') });
    await page.getByLabel('说明（选填）').fill('内部讨论意见');
    await page.getByRole('button', { name: '标记这个区域' }).click();
    await page.getByText('已标记一个区域。').waitFor();

    // A third, by the keyboard form: first a position off the page (refused beside the field), then marked and removed.
    await page.getByLabel('页码').selectOption({ label: '第 2 页' });
    await page.getByLabel('左（%）').fill('150');
    await page.getByLabel('上（%）').fill('80');
    await page.getByLabel('宽（%）').fill('20');
    await page.getByLabel('高（%）').fill('5');
    await page.getByLabel('不予公开的理由').selectOption({ label: withholdingLabel('withheld.process_info') });
    await page.getByRole('button', { name: '标记这个区域' }).click();
    await page.getByRole('heading', { name: '请修改以下内容' }).waitFor();
    await page.getByRole('link', { name: '左 应为 0 到 100 之间的数字（页面宽度的百分比）' }).waitFor();
    await shoot(page, 'redaction-4-refused');
    await page.getByLabel('左（%）').fill('10');
    await page.getByRole('button', { name: '标记这个区域' }).click();
    await page.getByText('已标记一个区域。').waitFor();
    await page.getByRole('heading', { name: '遮盖区域（3 处）' }).waitFor();
    await page.getByRole('button', { name: '撤销第 3 处遮盖' }).click();
    await page.getByText('已撤销这个区域（处理记录保留）。').waitFor();
    await page.getByRole('heading', { name: '遮盖区域（2 处）' }).waitFor();

    // The list: page, reason, who, when; the log keeps the removed one.
    const regions = page.locator('table.regions tbody tr');
    expect(await regions.count()).toBe(2);
    expect(await regions.nth(0).textContent()).toContain('第 1 页');
    expect(await regions.nth(0).textContent()).toContain(withholdingLabel('withheld.third_party'));
    expect(await regions.nth(1).textContent()).toContain('第 2 页');
    expect(await regions.nth(1).textContent()).toContain(withholdingLabel('withheld.process_info'));
    expect(await page.locator('.redaction-log li').count()).toBe(3);
    expect(await page.locator('.redaction-log li').nth(2).textContent()).toContain('撤销');

    await page.getByRole('button', { name: '生成部分公开文本' }).click();
    await page.getByText('部分公开文本已生成。').waitFor();
    await page.waitForLoadState('load');
    await noCodeWordsNorSeriousViolations(page);
    await shoot(page, 'redaction-5-produced');
    const staffDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: '下载部分公开文本（PDF）' }).click();
    const staffCopy = readFileSync((await (await staffDownload).path())!);

    // The regions are where the drags put them, in points, covering the words.
    const [document] = await t.dataSource.query(`SELECT id, original_attachment_id FROM redaction_documents WHERE case_id = $1`, [id]);
    const marked: { page: number; x: string; y: string; width: string; height: string; reason: string }[] = await t.dataSource.query(
      `SELECT page, x, y, width, height, reason FROM redaction_regions WHERE document_id = $1 AND removed_at IS NULL ORDER BY page`,
      [document.id],
    );
    const covers = (region: (typeof marked)[number], word: Box) =>
      Number(region.x) <= word.x && Number(region.y) <= word.y && Number(region.x) + Number(region.width) >= word.x + word.width && Number(region.y) + Number(region.height) >= word.y + word.height;
    expect(marked.map((region) => [region.page, region.reason])).toEqual([
      [1, 'withheld.third_party'],
      [2, 'withheld.process_info'],
    ]);
    expect(covers(marked[0], name) && covers(marked[0], phone)).toBe(true);
    expect(covers(marked[1], wordBox(original, 2, '拟暂缓签约'))).toBe(true);

    // The case page: the log and the copy.
    await page.goto(`${base}/staff/cases/${id}#redactions`);
    const section = page.locator('#redactions');
    await section.getByRole('link', { name: '征收补偿方案.pdf' }).waitFor();
    await section.getByRole('link', { name: '部分公开文本（PDF）' }).waitFor();
    await section.getByText('处理记录（3 条）').click();
    expect(await section.locator('.redaction-log li').count()).toBe(3);
    await section.scrollIntoViewIfNeeded();
    await shoot(page, 'redaction-6-case-page');

    // ---- The decision and the reply (the office's steps through the API) ----
    // The original may not be named as a file given to the applicant.
    await send('handler', id, { type: 'DECIDE', at: '2025-12-05', outcome: 'partial', reasons: '部分内容涉及第三方个人信息和内部讨论意见', provided: '提供征收补偿方案（部分公开）', withheldBasis: 'withheld.process_info', disclosedFileIds: [document.original_attachment_id] }, 400);
    await send('handler', id, { type: 'DECIDE', at: '2025-12-05', outcome: 'partial', reasons: '部分内容涉及第三方个人信息和内部讨论意见', provided: '提供征收补偿方案（部分公开）', withheldBasis: 'withheld.process_info' });
    await approve('legal', id, { at: '2025-12-08' });
    await approve('head', id, { at: '2025-12-08' });
    await send('intake', id, { type: 'ISSUE_REPLY', at: '2025-12-09' });
    // Decided and issued: the marks are closed, the copy is marked as given with the reply.
    await page.goto(`${base}/staff/cases/${id}`);
    await page.locator('#redactions').getByText('已随答复书提供').waitFor();
    expect(await page.getByRole('link', { name: '对拟公开的 PDF 文件作区分处理' }).count()).toBe(0);
    await page.locator('#redactions').getByRole('link', { name: '征收补偿方案.pdf' }).click();
    await page.getByText('案件已作出决定，遮盖标记不能再改动。').waitFor();
    expect(await page.getByRole('button', { name: '标记这个区域' }).count()).toBe(0);
    await noCodeWordsNorSeriousViolations(page);
    await shoot(page, 'redaction-7-decided');
    await staff.close();

    // ---- The applicant, on the portal ----
    const applicant = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', acceptDownloads: true, javaScriptEnabled: false });
    const urls: string[] = [];
    applicant.on('request', (request) => urls.push(request.url()));
    const portal = await applicant.newPage();
    await portal.goto(`${base}/track`);
    await portal.getByLabel('案件编号', { exact: true }).fill(caseNumber);
    await portal.getByLabel('查询码', { exact: true }).fill(queryCode);
    await portal.getByRole('button', { name: '查询', exact: true }).click();
    await portal.getByRole('heading', { name: '本机关提供的政府信息' }).waitFor();
    await shoot(portal, 'redaction-8-portal');
    const link = portal.getByRole('link', { name: '征收补偿方案（部分公开）.pdf' });
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^\/track\/document\?token=/);
    const download = portal.waitForEvent('download');
    await link.click();
    const copy = readFileSync((await (await download).path())!);
    // The copy the handler produced, and no word of what was marked, by either reader; the reasons are on it.
    expect(sha256(copy)).toBe(sha256(staffCopy));
    const [{ sha256: producedSha }] = await t.dataSource.query(`SELECT sha256 FROM redaction_copies WHERE document_id = $1 ORDER BY produced_at DESC LIMIT 1`, [document.id]);
    expect(sha256(copy)).toBe(producedSha);
    const extracted = pdfText(copy);
    const poppler = popplerText(copy);
    for (const word of WITHHELD) {
      expect(extracted).not.toContain(word);
      expect(poppler).not.toContain(word);
      expect(copy.includes(Buffer.from(word))).toBe(false);
    }
    // Kept beside the screenshots, page by page as poppler renders them, to be looked at.
    const directory = mkdtempSync(join(tmpdir(), 'ogi-journey-copy-'));
    try {
      writeFileSync(join(directory, 'copy.pdf'), copy);
      execFileSync('pdftoppm', ['-r', '60', '-png', join(directory, 'copy.pdf'), join(SCREENSHOTS, 'redaction-9-copy-page')]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    expect(extracted).toContain('第十五条');
    expect(extracted).toContain('第十六条第二款');
    // The original still reads as it was (the test would prove nothing if the words were never there).
    expect(pdfText(original)).toContain('王某某');
    // The 查询码 was never in an address the browser asked for.
    expect(urls.filter((url) => url.toUpperCase().includes(queryCode.toUpperCase()))).toEqual([]);
    const tracked = await portal.content();
    expect(tracked).not.toContain(document.original_attachment_id);
    expect(tracked).not.toContain(document.id);

    // The original, by any id it has, on every public route: never served. The signed link itself cannot be bent to it.
    const [body, signature] = new URL(href, base).searchParams.get('token')!.split('.');
    const claims = Buffer.from(body, 'base64url').toString('utf8');
    const bent = `${Buffer.from(claims.replace(/\.[0-9a-f-]{36}\./, `.${document.original_attachment_id}.`)).toString('base64url')}.${signature}`;
    const publicPaths = [
      (value: string) => `/api/public/applications/${encodeURIComponent(caseNumber)}/redacted-copies/${value}?queryCode=${queryCode}`,
      (value: string) => `/api/public/applications/${encodeURIComponent(caseNumber)}/letters/${value}?queryCode=${queryCode}&format=pdf`,
      (value: string) => `/api/public/verify/${value}`,
      (value: string) => `/verify/${value}`,
      (value: string) => `/api/attachments/${value}`,
      (value: string) => `/api/redactions/${value}/copy`,
      (value: string) => `/api/redactions/${value}/pages/1/preview`,
      (value: string) => `/staff/attachments/${value}`,
      (value: string) => `/staff/redactions/${value}/copy.pdf`,
      (value: string) => `/staff/redactions/${value}/pages/1/preview`,
    ];
    const attempts = [...publicPaths.flatMap((path) => [path(document.original_attachment_id), path(document.id)]), `/track/document?token=${encodeURIComponent(bent)}`];
    for (const path of attempts) {
      const response = await t.http.get(path).redirects(0).set('X-Forwarded-For', '198.51.100.9').buffer(true).parse(binaryParser);
      expect({ path, refused: [303, 400, 401, 404].includes(response.status) }).toEqual({ path, refused: true });
      expect((response.body as Buffer).includes(original.subarray(0, 200))).toBe(false);
    }
    await applicant.close();
  }, 180_000);
});
