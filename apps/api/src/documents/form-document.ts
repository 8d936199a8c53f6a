import PDFDocument from 'pdfkit';
import { AlignmentType, BorderStyle, Paragraph, Table, TableCell, TableRow, VerticalAlign, WidthType } from 'docx';
import { a4Section, BODY_FONT, packDocx, textParagraph, TITLE_FONT, twip } from './docx-text';
import { LETTER_BODY_FONT, LETTER_TITLE_FONT } from '../letters/letter-layout';

/**
 * A printed form (a 送达回证): a title, rows of label and value in a ruled table, and lines under it. The PDF and the
 * Word file are drawn from the same model, so they say the same.
 */
export interface FormDocument {
  title: string;
  rows: { label: string; value: string; /** Writing room, in lines, for what is signed or filled in by hand. */ lines?: number }[];
  after: string[];
}

const MM = 72 / 25.4;

export function formPdf(form: FormDocument, date: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 30 * MM, bottom: 25 * MM, left: 26 * MM, right: 26 * MM }, info: { Title: form.title.replace(/\n/g, ''), Creator: '依申请公开 Desk', CreationDate: new Date(`${date}T00:00:00+08:00`) } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', LETTER_BODY_FONT);
  doc.registerFont('title', LETTER_TITLE_FONT);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  doc.font('title').fontSize(20);
  for (const line of form.title.split('\n')) doc.text(line, { align: 'center', width });
  doc.moveDown(0.8);
  const labelWidth = 42 * MM;
  const left = doc.page.margins.left;
  doc.font('body').fontSize(12);
  for (const row of form.rows) {
    const top = doc.y;
    const textHeight = Math.max(doc.heightOfString(row.label, { width: labelWidth - 12 }), doc.heightOfString(row.value || ' ', { width: width - labelWidth - 12 }));
    const height = Math.max(textHeight, (row.lines ?? 1) * 18) + 14;
    doc.rect(left, top, labelWidth, height).rect(left + labelWidth, top, width - labelWidth, height).lineWidth(0.8).stroke();
    doc.text(row.label, left + 6, top + 7, { width: labelWidth - 12 });
    doc.text(row.value, left + labelWidth + 6, top + 7, { width: width - labelWidth - 12 });
    doc.x = left;
    doc.y = top + height;
  }
  doc.moveDown(1);
  doc.fontSize(11);
  for (const line of form.after) doc.text(line, left, doc.y, { width, lineGap: 4 });
  doc.end();
  return done;
}

const BORDER = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };

export function formDocx(form: FormDocument): Promise<Buffer> {
  const cell = (text: string, widthPercent: number, lines = 1) =>
    new TableCell({
      width: { size: widthPercent, type: WidthType.PERCENTAGE },
      borders: BORDERS,
      verticalAlign: VerticalAlign.CENTER,
      // Writing room below the printed lines, as in the PDF: blank lines for what is signed or written by hand.
      children: [textParagraph(text, { size: 12, lineHeight: 20, spacing: { after: twip(Math.max(0, lines - text.split('\n').length) * 18 + 4) } })],
    });
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: form.rows.map((row) => new TableRow({ children: [cell(row.label, 28), cell(row.value, 72, row.lines ?? 1)] })),
  });
  const children: (Paragraph | Table)[] = [
    textParagraph(form.title, { font: TITLE_FONT, size: 20, lineHeight: 30, alignment: AlignmentType.CENTER, spacing: { after: twip(16) } }),
    table,
    ...form.after.map((line) => textParagraph(line, { font: BODY_FONT, size: 11, lineHeight: 20, spacing: { before: twip(6) } })),
  ];
  return packDocx(form.title.replace(/\n/g, ''), [a4Section(children, { top: 30, bottom: 25, left: 26, right: 26 })]);
}
