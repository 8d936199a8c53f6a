import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import PDFDocument from 'pdfkit';
import { escapeHtml } from '../common/text';
import type { LetterBlock } from '@desk/letters';

/** The CJK font ships in an npm package (Noto Sans Hans, OFL): nothing is downloaded at run time. */
function fontPath(file: string): string {
  return join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', file);
}
export const REGULAR_FONT = fontPath('NotoSansHans-Regular.otf');
export const BOLD_FONT = fontPath('NotoSansHans-Bold.otf');

/** `templates/` at the repository root, found from here whether running from source or from dist/. */
export function templatesDirectory(): string {
  let directory = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(directory, 'templates', 'letters'))) return join(directory, 'templates');
    directory = resolve(directory, '..');
  }
  throw new Error('templates/letters not found');
}


/** A4 page in the manner of GB/T 9704: 仿宋-style body in 三号 (16pt), title in 二号 (22pt), margins 37/35/28/26 mm. */
export function letterHtmlPage(title: string, markup: string, options: { draft: boolean }): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@font-face { font-family: "Desk Sans"; src: url("/assets/fonts/desk-sans.otf") format("opentype"); }
body { margin: 0; background: #f4f4f4; font-family: "FangSong", "仿宋", "STFangsong", "Noto Serif SC", "Noto Sans SC", "Desk Sans", serif; }
article.letter { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 12px auto; padding: 37mm 26mm 35mm 28mm; background: #fff; font-size: 16pt; line-height: 28pt; color: #000; position: relative; }
h1.title { font-family: "方正小标宋简体", "SimHei", "Noto Sans SC", sans-serif; font-size: 22pt; line-height: 34pt; text-align: center; font-weight: bold; margin: 0 0 14pt; white-space: pre-line; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.doc-number { text-align: center; text-indent: 0; margin-bottom: 14pt; }
p.addressee { text-indent: 0; }
p.item { text-indent: 2em; }
p.note { text-indent: 0; font-size: 14pt; margin-top: 8pt; }
p.signature, p.date, p.seal { text-align: right; text-indent: 0; padding-right: 2em; }
p.signature { margin-top: 28pt; }
p.seal { color: #b00; }
.draft-mark { position: absolute; top: 12mm; right: 12mm; color: #b00; border: 2px solid #b00; padding: 2px 8px; font-size: 14pt; }
@media print { body { background: #fff; } article.letter { margin: 0; padding: 0; width: auto; min-height: 0; } .draft-mark { display: none; } }
</style></head>
<body><article class="letter">${options.draft ? '<div class="draft-mark">草稿</div>' : ''}
${markup}
</article></body></html>`;
}

const MM = 72 / 25.4;

/** The document's bytes once it ends, with the CJK fonts registered as 'body' and 'title'. */
function startPdf(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  doc.registerFont('body', REGULAR_FONT);
  doc.registerFont('title', BOLD_FONT);
  return new Promise<Buffer>((resolvePdf, reject) => {
    doc.on('end', () => resolvePdf(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** The same blocks laid out in a PDF for service and download. */
export function letterPdf(blocks: readonly LetterBlock[], options: { title: string; date: string; draft: boolean }): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM },
    info: { Title: options.title, Creator: '依申请公开 Desk', CreationDate: new Date(`${options.date}T00:00:00+08:00`) },
    bufferPages: true,
  });
  const done = startPdf(doc);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  for (const block of blocks) {
    switch (block.role) {
      case 'title':
        doc.font('title').fontSize(22);
        for (const line of block.text.split('\n')) doc.text(line, { align: 'center', width });
        doc.moveDown(0.6);
        break;
      case 'doc-number':
        doc.font('body').fontSize(16).text(block.text, { align: 'center', width }).moveDown(0.6);
        break;
      case 'addressee':
        doc.font('body').fontSize(16).text(block.text, { width, lineGap: 8 });
        break;
      case 'signature':
        doc.moveDown(1.5).font('body').fontSize(16).text(block.text, { align: 'right', width: width - 32 });
        break;
      case 'seal':
        doc.font('body').fontSize(14).fillColor('#b00000').text(block.text, { align: 'right', width: width - 32 }).fillColor('#000000');
        break;
      case 'date':
        doc.font('body').fontSize(16).text(block.text, { align: 'right', width: width - 32 });
        break;
      case 'note':
        doc.moveDown(0.3).font('body').fontSize(14).text(block.text, { width, lineGap: 6 });
        break;
      default:
        doc.font('body').fontSize(16).text(block.text, { width, indent: 32, lineGap: 8, align: 'justify' });
    }
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
