import PDFDocument from 'pdfkit';
import { AlignmentType, BorderStyle, Paragraph, Table, TableCell, TableRow, VerticalAlign, WidthType } from 'docx';
import { a4Section, BODY_FONT, HEADING_FONT, packDocx, textParagraph, TITLE_FONT, twip } from './docx-text';
import { LETTER_BODY_FONT, LETTER_TITLE_FONT, REGULAR_FONT } from '../letters/letter-layout';

/** A cell of a ruled table; spans as in HTML. */
export interface GridCell {
  text: string;
  colSpan?: number;
  rowSpan?: number;
  /** Left-aligned (row labels); otherwise centred. */
  left?: boolean;
}

/** A document of titled sections: what the PDF and the Word file are both drawn from. */
export type ReportBlock =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; widths: number[]; rows: GridCell[][] };

const MM = 72 / 25.4;

/** Where each cell sits in the grid: its first row and column, given the spans above it. */
function placeCells(rows: GridCell[][], columns: number): { cell: GridCell; row: number; column: number }[] {
  const taken: boolean[][] = rows.map(() => new Array(columns).fill(false));
  const placed: { cell: GridCell; row: number; column: number }[] = [];
  rows.forEach((cells, row) => {
    let column = 0;
    for (const cell of cells) {
      while (taken[row][column]) column++;
      placed.push({ cell, row, column });
      for (let r = row; r < row + (cell.rowSpan ?? 1); r++) for (let c = column; c < column + (cell.colSpan ?? 1); c++) taken[r][c] = true;
      column += cell.colSpan ?? 1;
    }
  });
  return placed;
}

export function reportPdf(blocks: readonly ReportBlock[], options: { title: string; date: string }): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 25 * MM, bottom: 22 * MM, left: 20 * MM, right: 20 * MM },
    info: { Title: options.title, Creator: '依申请公开 Desk', CreationDate: new Date(`${options.date}T00:00:00+08:00`) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', LETTER_BODY_FONT);
  doc.registerFont('title', LETTER_TITLE_FONT);
  doc.registerFont('heading', REGULAR_FONT);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  for (const block of blocks) {
    if (block.kind === 'title') {
      doc.font('title').fontSize(18).text(block.text, left, doc.y, { align: 'center', width }).moveDown(0.8);
    } else if (block.kind === 'heading') {
      // A heading stays with what follows it: with room for a few lines (or a table's first rows) under it.
      if (doc.y > bottom() - 120) doc.addPage();
      doc.font('heading').fontSize(13).text(block.text, left, doc.y, { width }).moveDown(0.4);
    } else if (block.kind === 'paragraph') {
      doc.font('body').fontSize(12).text(block.text, left, doc.y, { width, indent: 24, lineGap: 5, align: 'justify' }).moveDown(0.5);
    } else {
      drawTable(doc, block, left, width, bottom);
      doc.moveDown(0.8);
    }
  }
  doc.end();
  return done;
}

/** A ruled table; numbers and labels start on the same line (a label's first line), so a row reads across. */
function drawTable(doc: PDFKit.PDFDocument, table: Extract<ReportBlock, { kind: 'table' }>, left: number, width: number, bottom: () => number): void {
  const total = table.widths.reduce((sum, value) => sum + value, 0);
  const widths = table.widths.map((value) => (value / total) * width);
  const xs = widths.reduce<number[]>((positions, value, index) => [...positions, positions[index] + value], [left]);
  const placed = placeCells(table.rows, widths.length);
  const pad = 3;
  doc.font('body').fontSize(9);
  const cellWidth = (entry: (typeof placed)[number]) => xs[entry.column + (entry.cell.colSpan ?? 1)] - xs[entry.column] - 2 * pad;
  // Row heights from the cells of one row; a cell spanning rows gets the sum (its own text fits: headers are short).
  const heights = table.rows.map((_, row) =>
    Math.max(14, ...placed.filter((entry) => entry.row === row && (entry.cell.rowSpan ?? 1) === 1).map((entry) => doc.heightOfString(entry.cell.text || ' ', { width: cellWidth(entry) }) + 2 * pad)),
  );
  // The heading rows and the first rows of figures start on one page (a header is never left alone at a page's foot).
  let y = doc.y;
  if (y + heights.slice(0, 5).reduce((sum, value) => sum + value, 0) > bottom()) {
    doc.addPage();
    y = doc.page.margins.top;
  }
  table.rows.forEach((_, row) => {
    const starting = placed.filter((entry) => entry.row === row);
    const spanned = starting.map((entry) => heights.slice(row, row + (entry.cell.rowSpan ?? 1)).reduce((sum, value) => sum + value, 0));
    if (y + Math.max(heights[row], ...spanned) > bottom()) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    // Each row is drawn as it is placed, on the page it falls on.
    starting.forEach((entry, index) => {
      const x = xs[entry.column];
      const w = xs[entry.column + (entry.cell.colSpan ?? 1)] - x;
      doc.lineWidth(0.6).rect(x, y, w, spanned[index]).stroke();
      doc.text(entry.cell.text, x + pad, y + pad, { width: w - 2 * pad, align: entry.cell.left ? 'left' : 'center' });
    });
    y += heights[row];
  });
  doc.x = left;
  doc.y = y;
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };

export function reportDocx(blocks: readonly ReportBlock[], options: { title: string }): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [];
  for (const block of blocks) {
    if (block.kind === 'title') children.push(textParagraph(block.text, { font: TITLE_FONT, size: 22, lineHeight: 32, alignment: AlignmentType.CENTER, spacing: { after: twip(16) } }));
    else if (block.kind === 'heading') children.push(textParagraph(block.text, { font: HEADING_FONT, size: 16, lineHeight: 28, spacing: { before: twip(8) }, keepNext: true }));
    else if (block.kind === 'paragraph') children.push(textParagraph(block.text, { font: BODY_FONT, size: 16, lineHeight: 28, alignment: AlignmentType.JUSTIFIED, indent: { firstLine: twip(32) } }));
    else {
      const total = block.widths.reduce((sum, value) => sum + value, 0);
      const placed = placeCells(block.rows, block.widths.length);
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          columnWidths: block.widths.map((value) => Math.round((value / total) * 9000)),
          rows: block.rows.map(
            (cells, row) =>
              new TableRow({
                cantSplit: true,
                children: cells.map((cell) => {
                  const column = placed.find((entry) => entry.row === row && entry.cell === cell)!.column;
                  const span = block.widths.slice(column, column + (cell.colSpan ?? 1)).reduce((sum, value) => sum + value, 0);
                  return new TableCell({
                    columnSpan: cell.colSpan,
                    rowSpan: cell.rowSpan,
                    width: { size: Math.round((span / total) * 100), type: WidthType.PERCENTAGE },
                    borders: BORDERS,
                    verticalAlign: VerticalAlign.CENTER,
                    children: [textParagraph(cell.text, { size: 9, lineHeight: 13, alignment: cell.left ? AlignmentType.LEFT : AlignmentType.CENTER })],
                  });
                }),
              }),
          ),
        }),
      );
      children.push(new Paragraph({ children: [] }));
    }
  }
  return packDocx(options.title, [a4Section(children, { top: 25, bottom: 22, left: 20, right: 20 })]);
}
