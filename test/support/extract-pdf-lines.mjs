// The lines of a PDF as PDF.js places its text: items on one baseline of one page, left to right. Tables read back
// row by row this way (each cell's text is its own item). Printed as JSON: [[page, [text, …]], …].
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const lines = [];
for (let page = 1; page <= pdf.numPages; page++) {
  const content = await (await pdf.getPage(page)).getTextContent();
  const rows = new Map();
  for (const item of content.items) {
    if (!('str' in item) || !item.str.trim()) continue;
    const y = Math.round(item.transform[5]);
    if (!rows.has(y)) rows.set(y, []);
    rows.get(y).push({ x: item.transform[4], text: item.str.trim() });
  }
  for (const y of [...rows.keys()].sort((a, b) => b - a)) lines.push([page, rows.get(y).sort((a, b) => a.x - b.x).map((entry) => entry.text)]);
}
process.stdout.write(JSON.stringify(lines));
