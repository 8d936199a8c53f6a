import { strFromU8, unzipSync } from 'fflate';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (entity) => ENTITIES[entity]);

/** The XML of the document body (word/document.xml) of a .docx, read as Word reads the package. */
export function docxDocumentXml(docx: Buffer): string {
  const files = unzipSync(new Uint8Array(docx));
  const xml = files['word/document.xml'];
  if (!xml) throw new Error('not a Word document: word/document.xml missing');
  return strFromU8(xml);
}

/** The paragraphs of a .docx in order, each the text of its runs (w:t), a line break as a new line. */
export function docxParagraphs(docx: Buffer): string[] {
  const xml = docxDocumentXml(docx);
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((paragraph) =>
    [...paragraph[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)].map((match) => (match[1] !== undefined ? decode(match[1]) : '\n')).join(''),
  );
}

/** The whole text without white space, as test/support/pdf-text.ts gives a PDF's. */
export function docxText(docx: Buffer): string {
  return docxParagraphs(docx).join('').replace(/\s+/g, '');
}

/** The rows of every table, each row its cells' text (w:tc), in order. */
export function docxTables(docx: Buffer): string[][][] {
  const xml = docxDocumentXml(docx);
  return [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((table) =>
    [...table[0].matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((row) =>
      [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((cell) => [...cell[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => decode(match[1])).join('')),
    ),
  );
}
