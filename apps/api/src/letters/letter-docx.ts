import { AlignmentType, Paragraph } from 'docx';
import { verificationUrlIn, type LetterBlock } from '@desk/letters';
import { a4Section, BODY_FONT, imageParagraph, packDocx, textParagraph, TITLE_FONT, twip } from '../documents/docx-text';
import { keepTogetherFrom } from './letter-layout';
import { qrPng } from './letter-qr';

/**
 * A letter as a Word document in the 信函 layout of GB/T 9704-2012, from the same blocks as its HTML and PDF: the same
 * text, paragraph for paragraph. The office keeps and edits it in WPS or Word; the PDF stays the version served.
 */
export async function letterDocx(blocks: readonly LetterBlock[], options: { title: string; draft: boolean }): Promise<Buffer> {
  const children: Paragraph[] = [];
  if (options.draft) children.push(textParagraph('草稿', { font: TITLE_FONT, size: 14, color: 'B00000', alignment: AlignmentType.RIGHT }));
  // GB/T 9704-2012 7.3.5: the last paragraph of the body, the signature, seal line and date stay on one page (as in the PDF).
  const together = keepTogetherFrom(blocks);
  const signatureEnd = blocks.findIndex((block) => block.role === 'date');
  blocks.forEach((block, index) => {
    const keepNext = index >= together && index < signatureEnd;
    switch (block.role) {
      case 'title':
        children.push(textParagraph(block.text, { font: TITLE_FONT, size: 22, lineHeight: 34, alignment: AlignmentType.CENTER, spacing: { after: twip(14) } }));
        break;
      case 'doc-number':
        children.push(textParagraph(block.text, { alignment: AlignmentType.CENTER, spacing: { after: twip(14) } }));
        break;
      case 'addressee':
        children.push(textParagraph(block.text));
        break;
      case 'signature':
        // GB/T 9704-2012 7.3.5: the signature stays on the page of the last lines of the body.
        children.push(textParagraph(block.text, { alignment: AlignmentType.RIGHT, indent: { right: twip(32) }, spacing: { before: twip(28) }, keepNext: true }));
        break;
      case 'seal':
        children.push(textParagraph(block.text, { size: 14, color: 'B00000', alignment: AlignmentType.RIGHT, indent: { right: twip(32) }, keepNext: true }));
        break;
      case 'date':
        children.push(textParagraph(block.text, { alignment: AlignmentType.RIGHT, indent: { right: twip(32) }, keepNext: true }));
        break;
      case 'note':
        children.push(textParagraph(block.text, { size: 14, indent: { firstLine: twip(28) }, spacing: { before: twip(8) } }));
        break;
      case 'verification':
        children.push(textParagraph(block.text, { font: BODY_FONT, size: 9, lineHeight: 13 }));
        break;
      default:
        children.push(textParagraph(block.text, { alignment: AlignmentType.JUSTIFIED, indent: { firstLine: twip(32) }, keepNext, keepLines: keepNext }));
    }
  });
  // The QR code goes just above its line, the letter's last (drawn from the address in it).
  const verification = blocks.at(-1)?.role === 'verification' ? blocks.at(-1)! : null;
  const url = verification ? verificationUrlIn(verification.text) : null;
  if (url) children.splice(children.length - 1, 0, imageParagraph(await qrPng(url), 20));
  return packDocx(options.title, [a4Section(children)]);
}
