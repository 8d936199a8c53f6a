import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LETTER_KIND_INFO, letterDecision, LetterTemplates, type LetterData } from '@desk/letters';
import { keepTogetherFrom, letterPdf, templatesDirectory } from './letter-layout';

const templates = new LetterTemplates(templatesDirectory());

/** The text of each page, as poppler's pdftotext reads it, without white space. */
function pageTexts(pdf: Buffer): string[] {
  const directory = mkdtempSync(join(tmpdir(), 'ogi-layout-'));
  try {
    const file = join(directory, 'letter.pdf');
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    return Array.from({ length: pages }, (_, index) =>
      execFileSync('pdftotext', ['-f', String(index + 1), '-l', String(index + 1), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ''),
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function withheldReply(reasons: string): LetterData {
  return {
    kind: 'reply',
    title: LETTER_KIND_INFO.reply.title,
    number: '信息公开答复〔2025〕12号',
    date: '2025-10-23',
    agency: { name: '上海市某区住房保障和房屋管理局', address: '上海市某区某路100号', phone: '021-00000000', reviewBody: '上海市某区人民政府', court: '上海市某区人民法院', sealText: '印章' },
    addressee: '张三',
    case: { caseNumber: '沪某房依申〔2025〕第00007号', receivedAt: '2025-09-26', description: '某地块国有土地上房屋征收补偿方案', supplementReceivedAt: null, deliveryForm: '纸质文本（邮寄）' },
    facts: {},
    decision: letterDecision('withheld.process_info', {}, '2025-10-23'),
    fillIns: { reasons, provided: '', withheld: '', contactPerson: '李承办', contactPhone: '021-11111111' },
  };
}

describe('letter PDF layout (GB/T 9704-2012 信函格式)', () => {
  it('the signature block and the last paragraph form the group kept together', () => {
    const { blocks } = templates.render(withheldReply('所申请信息为内部讨论记录。'));
    const from = keepTogetherFrom(blocks);
    expect(blocks.slice(from).map((block) => block.role)).toEqual(['paragraph', 'signature', 'seal', 'date', 'note']);
    expect(blocks[from].text).toMatch(/^如对本答复不服/);
  });

  it('never leaves the signature, seal line or date alone on a page, whatever the length of the reasons', async () => {
    let twoPages = 0;
    // From one line of reasons to about a page: somewhere in between the signature block used to fall alone on page 2.
    for (let sentences = 1; sentences <= 24; sentences++) {
      const reasons = '该会议纪要记录了征收补偿方案制定过程中各部门的讨论意见，尚未形成最终决定。'.repeat(sentences);
      const pdf = await letterPdf(templates.render(withheldReply(reasons)).blocks, { title: '答复书', date: '2025-10-23', draft: false });
      const pages = pageTexts(pdf);
      if (pages.length > 1) twoPages++;
      const last = pages.at(-1)!;
      // The page with the date holds the signature and the last lines of the body (the remedy clause) too.
      expect([sentences, last.includes('2025年10月23日')]).toEqual([sentences, true]);
      expect([sentences, last.includes('上海市某区住房保障和房屋管理局（印章）')]).toEqual([sentences, true]);
      expect([sentences, last.includes('对行政复议决定不服的，可以依法向人民法院提起行政诉讼。')]).toEqual([sentences, true]);
      expect([sentences, last.includes('（联系人：李承办')]).toEqual([sentences, true]);
    }
    expect(twoPages).toBeGreaterThan(3);
  });

  it('embeds the serif faces (Noto Serif SC) for body and title', async () => {
    const pdf = await letterPdf(templates.render(withheldReply('所申请信息为内部讨论记录。')).blocks, { title: '答复书', date: '2025-10-23', draft: false });
    const directory = mkdtempSync(join(tmpdir(), 'ogi-fonts-'));
    try {
      writeFileSync(join(directory, 'letter.pdf'), pdf);
      const fonts = execFileSync('pdffonts', [join(directory, 'letter.pdf')], { encoding: 'utf8' });
      expect(fonts).toMatch(/NotoSerifSC-Regular/);
      expect(fonts).toMatch(/NotoSerifSC-Bold/);
      expect(fonts).not.toMatch(/Sans/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
