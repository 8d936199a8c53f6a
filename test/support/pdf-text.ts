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

/** The lines of a PDF, each the texts on one baseline from left to right (a table row's cells), page by page. */
export function pdfLines(pdf: Buffer): string[][] {
  const directory = mkdtempSync(join(tmpdir(), 'ogi-pdf-'));
  try {
    const file = join(directory, 'document.pdf');
    writeFileSync(file, pdf);
    const lines = JSON.parse(execFileSync(process.execPath, [join(__dirname, 'extract-pdf-lines.mjs'), file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as [number, string[]][];
    return lines.map(([, texts]) => texts);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
