import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import PDFKit from 'pdfkit';
import { LETTER_BODY_FONT } from '../letters/letter-layout';
import { png } from '../documents/png';

const run = promisify(execFile);

/** A page as displayed (its rotation applied), in PDF points. */
export interface PageSize {
  width: number;
  height: number;
}

/** A region to withhold: its page (from 1), a rectangle from the page's top-left corner in points, and its label. */
export interface RedactionBox {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  shortLabel: string;
}

/** The resolution marked pages are rasterised at: a printed page stays legible, a page stays a few hundred KB. */
export const REDACTION_DPI = 150;

async function withDirectory<T>(work: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), 'ogi-redact-'));
  try {
    return await work(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** The pages of a PDF as poppler's pdfinfo reports them (the crop box, rotated as displayed); a file it cannot read is null. */
export async function pdfPageSizes(pdf: Buffer): Promise<PageSize[] | null> {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return null;
  return withDirectory(async (directory) => {
    const file = join(directory, 'original.pdf');
    await writeFile(file, pdf);
    let stdout: string;
    try {
      ({ stdout } = await run('pdfinfo', ['-f', '1', '-l', '100000', file], { maxBuffer: 16 * 1024 * 1024 }));
    } catch {
      return null;
    }
    const pages: PageSize[] = [];
    for (const match of stdout.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/gm)) pages[Number(match[1]) - 1] = { width: Number(match[2]), height: Number(match[3]) };
    for (const match of stdout.matchAll(/^Page\s+(\d+) rot:\s+(\d+)/gm)) {
      const page = pages[Number(match[1]) - 1];
      if (page && Number(match[2]) % 180 === 90) pages[Number(match[1]) - 1] = { width: page.height, height: page.width };
    }
    return pages.length && !pages.includes(undefined as unknown as PageSize) ? pages.map((page) => ({ width: Math.round(page.width * 100) / 100, height: Math.round(page.height * 100) / 100 })) : null;
  });
}

/** One page as a PNG, for the handler's screen (the original's pages: staff only). */
export async function pagePreviewPng(pdf: Buffer, page: number, dpi = 72): Promise<Buffer> {
  return withDirectory(async (directory) => {
    const file = join(directory, 'original.pdf');
    await writeFile(file, pdf);
    await run('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), '-png', '-singlefile', file, join(directory, 'page')]);
    return readFile(join(directory, 'page.png'));
  });
}

/** A page rendered by poppler as raw RGB (PPM, P6). */
async function rasterise(file: string, page: number, directory: string): Promise<{ width: number; height: number; rgb: Buffer }> {
  const out = join(directory, `page-${page}`);
  await run('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(REDACTION_DPI), '-singlefile', file, out]);
  const ppm = await readFile(`${out}.ppm`);
  // Header: P6, width, height, maxval 255, each followed by one white-space byte; comments do not occur in poppler's output.
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm gave no P6 image');
  return { width: Number(header[1]), height: Number(header[2]), rgb: ppm.subarray(header[0].length) };
}

/**
 * The copy to disclose (Art. 37 区分处理): every page with a region is rendered to pixels by poppler, the regions are
 * painted black in the pixels themselves, and the page is rebuilt from that image alone — no text, image or object of
 * the original page survives under the box, so nothing can be lifted from it or uncovered. Each box carries its legal
 * reason in white. Pages without a region are copied as they are; nothing of the original document's metadata,
 * outline, attachments or forms is carried over (a new document is built).
 */
export async function redactedPdf(original: Buffer, pages: readonly PageSize[], boxes: readonly RedactionBox[]): Promise<Buffer> {
  return withDirectory(async (directory) => {
    const file = join(directory, 'original.pdf');
    await writeFile(file, original);
    // The marked pages are drawn anew by PDFKit (image and labels; it subsets the CJK font the letters use), then the
    // document is assembled with pdf-lib from those pages and the original's unmarked ones.
    const marked = [...new Set(boxes.map((box) => box.page))].sort((a, b) => a - b);
    const redrawn = new PDFKit({ autoFirstPage: false, info: { Title: '部分公开文本', Creator: '依申请公开 Desk' } });
    const chunks: Buffer[] = [];
    redrawn.on('data', (chunk: Buffer) => chunks.push(chunk));
    const finished = new Promise<Buffer>((resolve, reject) => {
      redrawn.on('end', () => resolve(Buffer.concat(chunks)));
      redrawn.on('error', reject);
    });
    redrawn.registerFont('label', LETTER_BODY_FONT);
    for (const number of marked) {
      const size = pages[number - 1];
      const raster = await rasterise(file, number, directory);
      const scaleX = raster.width / size.width;
      const scaleY = raster.height / size.height;
      const onPage = boxes.filter((box) => box.page === number);
      for (const box of onPage) {
        // One pixel more on every side: no anti-aliased edge of a glyph is left outside the box.
        const left = Math.max(0, Math.floor(box.x * scaleX) - 1);
        const top = Math.max(0, Math.floor(box.y * scaleY) - 1);
        const right = Math.min(raster.width, Math.ceil((box.x + box.width) * scaleX) + 1);
        const bottom = Math.min(raster.height, Math.ceil((box.y + box.height) * scaleY) + 1);
        for (let row = top; row < bottom; row++) raster.rgb.fill(0, (row * raster.width + left) * 3, (row * raster.width + right) * 3);
      }
      redrawn.addPage({ size: [size.width, size.height], margin: 0 });
      redrawn.image(png(raster.width, raster.height, raster.rgb), 0, 0, { width: size.width, height: size.height });
      redrawn.font('label').fillColor('#ffffff');
      for (const box of onPage) {
        // The reason, as large as the box allows; the article alone where the full words do not fit.
        const fit = (text: string) => Math.min(10, box.height * 0.75, (box.width - 3) / Math.max(1, redrawn.fontSize(1).widthOfString(text)));
        const text = fit(box.label) >= 4 ? box.label : box.shortLabel;
        const fontSize = Math.max(2.5, fit(text));
        redrawn.fontSize(fontSize).text(text, box.x + 1.5, box.y + (box.height - fontSize * 1.2) / 2, { lineBreak: false, width: box.width - 3, height: box.height });
      }
    }
    redrawn.end();
    const drawn = await PDFDocument.load(await finished);
    const source = await PDFDocument.load(original, { updateMetadata: false });
    const output = await PDFDocument.create({ updateMetadata: false });
    output.setTitle('部分公开文本');
    output.setCreator('依申请公开 Desk');
    output.setProducer('依申请公开 Desk');
    for (let index = 0; index < pages.length; index++) {
      const at = marked.indexOf(index + 1);
      const [page] = at === -1 ? await output.copyPages(source, [index]) : await output.copyPages(drawn, [at]);
      output.addPage(page);
    }
    return Buffer.from(await output.save());
  });
}
