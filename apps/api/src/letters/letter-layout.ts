import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import PDFDocument from 'pdfkit';
import { escapeHtml } from '../common/text';
import { SIGNATURE_ROLES, verificationUrlIn, type LetterBlock } from '@desk/letters';
import { qrPng } from './letter-qr';

/** The pages' sans-serif CJK font ships in an npm package (Noto Sans Hans, OFL): nothing is downloaded at run time. */
function fontPath(file: string): string {
  return join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', file);
}
export const REGULAR_FONT = fontPath('NotoSansHans-Regular.otf');
export const BOLD_FONT = fontPath('NotoSansHans-Bold.otf');

/**
 * The letters' faces (GB/T 9704-2012 7.1: body in 仿宋, title in 小标宋): no open 仿宋 or 小标宋 ships as a whole font
 * file on the npm registry, so the letters use Noto Serif SC (SIL Open Font License 1.1, embedding allowed; every
 * GB 2312 character covered), Regular for the body and Bold for the title, from @expo-google-fonts/noto-serif-sc.
 * The HTML prefers a 仿宋 / 小标宋 installed on the reader's machine and falls back to these.
 */
function serifPath(weight: '400Regular' | '700Bold'): string {
  return join(dirname(require.resolve('@expo-google-fonts/noto-serif-sc/package.json')), weight, `NotoSerifSC_${weight}.ttf`);
}
export const LETTER_BODY_FONT = serifPath('400Regular');
export const LETTER_TITLE_FONT = serifPath('700Bold');
/** Read once: each PDF embeds the subset it uses. */
let letterFonts: { body: Buffer; title: Buffer } | null = null;
function letterFontBytes(): { body: Buffer; title: Buffer } {
  letterFonts ??= { body: readFileSync(LETTER_BODY_FONT), title: readFileSync(LETTER_TITLE_FONT) };
  return letterFonts;
}

/** `templates/` at the repository root, found from here whether running from source or from dist/. */
export function templatesDirectory(): string {
  let directory = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(directory, 'templates', 'letters'))) return join(directory, 'templates');
    directory = resolve(directory, '..');
  }
  throw new Error('templates/letters not found');
}


/**
 * A4 page in the manner of GB/T 9704: 仿宋 body in 三号 (16pt), 小标宋 title in 二号 (22pt), margins 37/35/28/26 mm. An
 * issued letter's 验证码 line (`verification`) closes it, with its QR code as an inline image.
 */
export function letterHtmlPage(title: string, markup: string, options: { draft: boolean; verification?: { line: string; qrDataUrl: string } }): string {
  const verification = options.verification
    ? `\n<div class="verification"><img src="${options.verification.qrDataUrl}" alt="核验二维码" width="76" height="76"><p class="verification">${escapeHtml(options.verification.line)}</p></div>`
    : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@font-face { font-family: "Desk Serif"; src: url("/assets/fonts/desk-serif.ttf") format("truetype"); font-weight: 400; }
@font-face { font-family: "Desk Serif Title"; src: url("/assets/fonts/desk-serif-bold.ttf") format("truetype"); font-weight: 700; }
body { margin: 0; background: #f4f4f4; font-family: "仿宋_GB2312", "FangSong_GB2312", "FangSong", "仿宋", "STFangsong", "Desk Serif", serif; }
article.letter { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 12px auto; padding: 37mm 26mm 35mm 28mm; background: #fff; font-size: 16pt; line-height: 28pt; color: #000; position: relative; }
h1.title { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "小标宋", "Desk Serif Title", serif; font-size: 22pt; line-height: 34pt; text-align: center; font-weight: bold; margin: 0 0 14pt; white-space: pre-line; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.doc-number { text-align: center; text-indent: 0; margin-bottom: 14pt; }
p.addressee { text-indent: 0; }
p.item { text-indent: 2em; }
p.request { text-indent: 2em; }
p.note { text-indent: 2em; font-size: 14pt; margin-top: 8pt; }
/* GB/T 9704 7.3.5: the signature block stays with the last lines of the body on printed pages. */
p.signature, p.seal, p.date, p.note { break-inside: avoid; break-before: avoid; }
p.signature, p.date, p.seal { text-align: right; text-indent: 0; padding-right: 2em; }
p.signature { margin-top: 28pt; }
p.seal { color: #b00; }
div.verification { display: flex; gap: 8pt; align-items: center; margin-top: 14pt; }
p.verification { text-indent: 0; font-size: 9pt; line-height: 13pt; text-align: left; }
.draft-mark { position: absolute; top: 12mm; right: 12mm; color: #b00; border: 2px solid #b00; padding: 2px 8px; font-size: 14pt; }
@media print { body { background: #fff; } article.letter { margin: 0; padding: 0; width: auto; min-height: 0; } .draft-mark { display: none; } }
</style></head>
<body><article class="letter">${options.draft ? '<div class="draft-mark">草稿</div>' : ''}
${markup}${verification}
</article></body></html>`;
}

export const MM = 72 / 25.4;

/** The document's bytes once it ends, with the CJK fonts registered as 'body' and 'title'. */
export function startPdf(doc: PDFKit.PDFDocument, fonts: { body: string | Buffer; title: string | Buffer } = { body: REGULAR_FONT, title: BOLD_FONT }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  doc.registerFont('body', fonts.body);
  doc.registerFont('title', fonts.title);
  return new Promise<Buffer>((resolvePdf, reject) => {
    doc.on('end', () => resolvePdf(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** How one block is set: font, size, alignment, spacing. The layout and the keep-together measure use the same. */
function blockStyle(block: LetterBlock, width: number): { font: 'body' | 'title'; size: number; before: number; options: PDFKit.Mixins.TextOptions; color?: string } {
  switch (block.role) {
    case 'title':
      return { font: 'title', size: 22, before: 0, options: { align: 'center', width } };
    case 'doc-number':
      return { font: 'body', size: 16, before: 0, options: { align: 'center', width } };
    case 'addressee':
      return { font: 'body', size: 16, before: 0, options: { width, lineGap: 8 } };
    case 'signature':
      return { font: 'body', size: 16, before: 1.5, options: { align: 'right', width: width - 32 } };
    case 'seal':
      return { font: 'body', size: 14, before: 0, options: { align: 'right', width: width - 32 }, color: '#b00000' };
    case 'date':
      return { font: 'body', size: 16, before: 0, options: { align: 'right', width: width - 32 } };
    case 'note':
      return { font: 'body', size: 14, before: 0.3, options: { width, indent: 28, lineGap: 6 } };
    default:
      return { font: 'body', size: 16, before: 0, options: { width, indent: 32, lineGap: 8, align: 'justify' } };
  }
}

/**
 * The blocks that must share a page (GB/T 9704-2012 7.3.5: the signature and date are never left alone on a page): the
 * signature block with the 附注 under it, and the last body paragraph before it.
 */
export function keepTogetherFrom(blocks: readonly LetterBlock[]): number {
  const signature = blocks.findIndex((block) => SIGNATURE_ROLES.has(block.role));
  if (signature <= 0) return blocks.length;
  const body = ['paragraph', 'item', 'request'];
  return body.includes(blocks[signature - 1].role) ? signature - 1 : signature;
}

/**
 * The same blocks laid out in a PDF for service and download. The 验证码 line of an issued letter is set at the foot of
 * its last page, under the text block, with its QR code: it never moves the body's page breaks.
 */
export async function letterPdf(allBlocks: readonly LetterBlock[], options: { title: string; date: string; draft: boolean }): Promise<Buffer> {
  const verification = allBlocks.find((block) => block.role === 'verification');
  const blocks = allBlocks.filter((block) => block.role !== 'verification');
  const verificationUrl = verification ? verificationUrlIn(verification.text) : null;
  const qr = verificationUrl ? await qrPng(verificationUrl) : null;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM },
    info: { Title: options.title, Creator: '依申请公开 Desk', CreationDate: new Date(`${options.date}T00:00:00+08:00`) },
    bufferPages: true,
  });
  const done = startPdf(doc, letterFontBytes());
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const height = (block: LetterBlock) => {
    const style = blockStyle(block, width);
    doc.font(style.font).fontSize(style.size);
    const lines = block.role === 'title' ? block.text.split('\n') : [block.text];
    return style.before * doc.currentLineHeight(true) + lines.reduce((sum, line) => sum + doc.heightOfString(line, style.options), 0) + (['title', 'doc-number'].includes(block.role) ? 0.6 * doc.currentLineHeight(true) : 0);
  };
  const together = keepTogetherFrom(blocks);
  blocks.forEach((block, index) => {
    if (index === together) {
      // Move the last paragraph with the signature block to a new page rather than leave the signature alone on one.
      const needed = blocks.slice(together).reduce((sum, entry) => sum + height(entry), 0);
      if (doc.y + needed > bottom() && needed <= bottom() - doc.page.margins.top) doc.addPage();
    }
    const style = blockStyle(block, width);
    if (style.before) doc.moveDown(style.before);
    doc.font(style.font).fontSize(style.size);
    if (style.color) doc.fillColor(style.color);
    for (const line of block.role === 'title' ? block.text.split('\n') : [block.text]) doc.text(line, style.options);
    if (style.color) doc.fillColor('#000000');
    if (block.role === 'title' || block.role === 'doc-number') doc.moveDown(0.6);
  });
  if (verification) {
    // In the bottom margin of the last page (35 mm): a 20 mm QR code and the line beside it.
    const range = doc.bufferedPageRange();
    doc.switchToPage(range.start + range.count - 1);
    const top = doc.page.height - doc.page.margins.bottom + 6 * MM;
    const left = doc.page.margins.left;
    const bottomMargin = doc.page.margins.bottom;
    // Text below the bottom margin would make PDFKit start a new page: the margin is lifted while the line is set.
    doc.page.margins.bottom = 0;
    if (qr) doc.image(qr, left, top, { width: 20 * MM, height: 20 * MM });
    doc.font('body').fontSize(9).fillColor('#000000').text(verification.text, left + 23 * MM, top + 3 * MM, { width: width - 23 * MM, lineGap: 2 });
    doc.page.margins.bottom = bottomMargin;
  }
  if (options.draft) {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      doc.font('title').fontSize(14).fillColor('#b00000').text('草稿', doc.page.width - 30 * MM, 15 * MM, { lineBreak: false }).fillColor('#000000');
    }
  }
  doc.end();
  return done;
}

/** A plain document (an index, a register, a log) in the letters' font: a title and lines. */
export function documentPdf(title: string, lines: readonly string[], date: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 25 * MM, bottom: 25 * MM, left: 25 * MM, right: 25 * MM }, info: { Title: title, Creator: '依申请公开 Desk', CreationDate: new Date(`${date}T00:00:00+08:00`) } });
  const done = startPdf(doc);
  doc.font('title').fontSize(18).text(title, { align: 'center' }).moveDown(0.8);
  doc.font('body').fontSize(11);
  for (const line of lines) doc.text(line, { lineGap: 4 });
  doc.end();
  return done;
}
