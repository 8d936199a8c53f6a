import {
  AlignmentType,
  convertMillimetersToTwip,
  Document,
  ImageRun,
  LineRuleType,
  Packer,
  Paragraph,
  TextRun,
  type IParagraphOptions,
  type ISectionOptions,
} from 'docx';

// The Word (.docx) side of the documents the desk produces: WPS and Word open it and the office edits it. GB/T 9704-2012
// names 仿宋_GB2312 for the body and 方正小标宋简体 for titles; those are what a government PC has installed, so the file
// names them (with the Windows 仿宋 and 宋体 families as the second choice Word shows when the first is missing) rather
// than embedding a font: an embedded CJK font would make every letter 10 MB.

/** The body face: 仿宋_GB2312 (GB/T 9704-2012 7.1). */
export const BODY_FONT = { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman', cs: 'Times New Roman' };
/** The title face: 方正小标宋简体 (GB/T 9704-2012 7.3.1). */
export const TITLE_FONT = { eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman', cs: 'Times New Roman' };
/** 黑体 for the headings of a report's sections (一、二、…), as the national report format sets them. */
export const HEADING_FONT = { eastAsia: '黑体', ascii: 'Times New Roman', hAnsi: 'Times New Roman', cs: 'Times New Roman' };

/** Points to the half-points docx counts font sizes in. */
export const pt = (points: number) => points * 2;
/** Points to twips (twentieths of a point). */
export const twip = (points: number) => Math.round(points * 20);

/** A4 with the letters' margins (GB/T 9704-2012 5.2.1: 天头 37 mm, 订口 28 mm; text block 156 × 225 mm). */
export function a4Section(children: ISectionOptions['children'], margins = { top: 37, bottom: 35, left: 28, right: 26 }): ISectionOptions {
  return {
    properties: {
      page: {
        size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
        margin: {
          top: convertMillimetersToTwip(margins.top),
          bottom: convertMillimetersToTwip(margins.bottom),
          left: convertMillimetersToTwip(margins.left),
          right: convertMillimetersToTwip(margins.right),
        },
      },
    },
    children,
  };
}

/** One paragraph of text in one face and size, with the letters' fixed line pitch (28 pt for 三号). */
export function textParagraph(
  text: string,
  options: { font?: typeof BODY_FONT; size?: number; bold?: boolean; color?: string; lineHeight?: number } & Pick<IParagraphOptions, 'alignment' | 'indent' | 'spacing' | 'keepNext' | 'keepLines'> = {},
): Paragraph {
  const size = options.size ?? 16;
  const lines = text.split('\n');
  return new Paragraph({
    alignment: options.alignment,
    indent: options.indent,
    keepNext: options.keepNext,
    keepLines: options.keepLines,
    spacing: { line: twip(options.lineHeight ?? size * 1.75), lineRule: LineRuleType.EXACT, ...options.spacing },
    children: lines.map(
      (line, index) => new TextRun({ text: line, font: options.font ?? BODY_FONT, size: pt(size), bold: options.bold, color: options.color, break: index > 0 ? 1 : undefined }),
    ),
  });
}

/** A PNG (a QR code) inline, `millimetres` square. */
export function imageParagraph(png: Buffer, millimetres: number, alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT): Paragraph {
  const pixels = Math.round((millimetres / 25.4) * 96);
  return new Paragraph({ alignment, children: [new ImageRun({ type: 'png', data: png, transformation: { width: pixels, height: pixels }, altText: { name: '核验二维码', description: '核验二维码', title: '核验二维码' } })] });
}

/** The file's bytes. Its properties carry the title and the desk as creator, nothing about the person who printed it. */
export function packDocx(title: string, sections: ISectionOptions[]): Promise<Buffer> {
  const document = new Document({
    title,
    creator: '依申请公开 Desk',
    lastModifiedBy: '依申请公开 Desk',
    styles: { default: { document: { run: { font: BODY_FONT, size: pt(16) } } } },
    sections,
  });
  return Packer.toBuffer(document);
}
