import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The text of a PDF, as PDF.js reads it, without line breaks (a paragraph may wrap anywhere). */
export function pdfText(pdf: Buffer): string {
  const directory = mkdtempSync(join(tmpdir(), 'ogi-pdf-'));
  try {
    const file = join(directory, 'letter.pdf');
    writeFileSync(file, pdf);
    return execFileSync(process.execPath, [join(__dirname, 'extract-pdf-text.mjs'), file], { encoding: 'utf8' }).replace(/\s+/g, '');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
