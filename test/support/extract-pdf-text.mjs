// Extracts the text of a PDF with pdfjs-dist (Mozilla's PDF.js), as an independent reader of what we produced.
// Run as its own process: PDF.js is an ES module loaded dynamically, which Jest's module VM does not allow.
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
let text = '';
for (let page = 1; page <= pdf.numPages; page++) {
  const content = await (await pdf.getPage(page)).getTextContent();
  text += content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('') + '\n';
}
process.stdout.write(text);
