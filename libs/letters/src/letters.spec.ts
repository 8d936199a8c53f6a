import { join } from 'node:path';
import { checkLetter } from './legal-checker';
import type { LetterData } from './letter-data';
import { LETTER_KIND_INFO, type LetterKind } from './letter-kinds';
import { LetterTemplates, parseLetterMarkup } from './letter-renderer';
import { requiresReviewFirst } from './remedy';

const templates = new LetterTemplates(join(__dirname, '../../../templates'));

function letter(kind: LetterKind, overrides: Partial<LetterData> = {}): LetterData {
  return {
    kind,
    title: LETTER_KIND_INFO[kind].title,
    number: '信息公开答复〔2025〕第00012号',
    date: '2025-10-23',
    agency: {
      name: '上海市某区住房保障和房屋管理局',
      address: '上海市某区某路100号',
      phone: '021-00000000',
      reviewBody: '上海市某区人民政府',
      court: '上海市某区人民法院',
      sealText: '印章',
    },
    addressee: '张三',
    case: {
      caseNumber: '沪某房依申〔2025〕第00007号',
      receivedAt: '2025-09-26',
      description: '某地块国有土地上房屋征收补偿方案',
      supplementReceivedAt: null,
      deliveryForm: '纸质文本（邮寄）',
    },
    facts: {},
    decision: null,
    fillIns: { reasons: '', provided: '', withheld: '', contactPerson: '李承办', contactPhone: '021-11111111' },
    ...overrides,
  };
}

function reply(outcome: string, fillIns: Partial<LetterData['fillIns']>, legalBasis: string, reviewFirst: boolean, facts: Record<string, unknown> = {}): LetterData {
  const base = letter('reply');
  return {
    ...base,
    facts: { responsibleAgency: null, duplicateOf: null, publicInterestOverride: null, ...facts },
    decision: { outcome, outcomeLabel: '属于四类过程性信息', legalBasis, reviewFirst },
    fillIns: { ...base.fillIns, ...fillIns },
  };
}

// Realistic data for every template: the snapshots are the golden files of the letters' wording.
const SAMPLES: Record<string, LetterData> = {
  receipt: letter('receipt', { number: '信息公开收〔2025〕第00007号', date: '2025-09-26' }),
  'supplement-notice': letter('supplement_notice', { facts: { items: ['所需信息的名称或文号', '所涉地块的具体位置'], periodWorkingDays: 15 } }),
  'extension-notice': letter('extension_notice', { facts: { reason: '需调取2015年以来的档案', workingDays: 20, originalDueDate: '2025-10-30', newDueDate: '2025-11-27' } }),
  'delay-notice': letter('delay_notice', { facts: { replyBy: '2025-12-31', reason: '申请数量大，理由合理' } }),
  'reasons-request': letter('reasons_request', { facts: { questions: '请说明本月提出60件申请的理由' } }),
  'third-party-consultation': letter('third_party_consultation', { addressee: '上海示例置业有限公司', facts: { party: '上海示例置业有限公司' } }),
  'consultation-notice': letter('consultation_notice', { facts: { party: '上海示例置业有限公司' } }),
  'agency-consultation': letter('agency_consultation', { addressee: '上海市某区规划和自然资源局', facts: { party: '上海市某区规划和自然资源局' } }),
  'disclosure-decision-notice': letter('disclosure_decision_notice', {
    addressee: '上海示例置业有限公司',
    facts: { publicInterestOverride: '补偿标准关系众多被征收人切身利益' },
    fillIns: { reasons: '', provided: '补偿标准部分', withheld: '', contactPerson: '', contactPhone: '' },
  }),
  'fee-notice': letter('fee_notice', {
    facts: {
      basis: '《中华人民共和国政府信息公开条例》第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）',
      standard: '按量计收：30页（含）以内免费；31—100页每页10元；101—200页每页20元；200页以上每页40元',
      explanation: '共250页：合计4700元',
      amountYuan: 4700,
      paymentInstructions: '请到窗口缴纳',
    },
  }),
  'reply-disclosed': reply('disclosed', { provided: '提供复印件12页，邮寄送达' }, '第三十六条第（一）项、第（二）项', false),
  'reply-partial': reply('partial', { provided: '补偿标准部分', withheld: '企业财务数据', reasons: '涉及商业秘密' }, '第三十七条', true),
  'reply-withheld': reply('withheld.process_info', { reasons: '所申请信息为内部讨论记录' }, '第十六条第二款', true),
  'reply-unavailable': reply('unavailable.not_held', { reasons: '经检索，本机关未制作或获取该信息。' }, '第三十六条第（四）项、第（五）项', false, {
    responsibleAgency: { name: '某区房屋征收事务所', contact: '021-22222222' },
  }),
  'reply-not-processed': reply('not_processed.duplicate', { reasons: '您的申请与此前申请内容相同。' }, '第三十六条第（六）项', false, { duplicateOf: '沪某房依申〔2025〕第00001号' }),
  'reply-other': reply('other.other', { reasons: '您的申请不属于政府信息公开申请。' }, '', false),
  'correction-reply': { ...reply('correction.forwarded', { reasons: '该记录由登记机构制作' }, '第四十一条', false, { responsibleAgency: { name: '某区不动产登记中心' } }), kind: 'correction_reply', title: LETTER_KIND_INFO.correction_reply.title },
};

describe('letter templates', () => {
  it('every template file has a sample', () => {
    expect(templates.names()).toEqual(Object.keys(SAMPLES).sort());
  });

  for (const [name, data] of Object.entries(SAMPLES)) {
    it(`${name} renders the official-document layout and passes the checker`, () => {
      expect(templates.templateFor(data)).toBe(name);
      const rendered = templates.render(data);
      expect(rendered.blocks[0]).toEqual({ role: 'title', text: `${data.agency.name}\n${data.title}` });
      expect(rendered.blocks.map((block) => block.role)).toEqual(expect.arrayContaining(['doc-number', 'addressee', 'signature', 'seal', 'date']));
      expect(rendered.blocks.find((block) => block.role === 'date')?.text).toBe(name === 'receipt' ? '2025年9月26日' : '2025年10月23日');
      expect(checkLetter(data, rendered.text, 'issue')).toEqual([]);
      expect(rendered.text).toMatchSnapshot();
    });
  }

  it('a missing variable is an error, not an empty gap (strict)', () => {
    const broken = { ...SAMPLES['extension-notice'], facts: { reason: 'x' } };
    expect(() => templates.render(broken)).toThrow(/workingDays/);
  });

  it('escapes every applicant-provided value', () => {
    const hostile = letter('receipt', { addressee: '<script>alert(1)</script>', case: { ...SAMPLES.receipt.case, description: '"><img src=x onerror=alert(1)>' } });
    const { markup, blocks } = templates.render(hostile);
    expect(markup).not.toContain('<script>');
    expect(markup).not.toContain('<img');
    expect(markup).toContain('&lt;script&gt;');
    // The blocks (for the PDF) carry the literal text back.
    expect(blocks.find((block) => block.role === 'addressee')?.text).toBe('<script>alert(1)</script>：');
  });

  it('parses the constrained markup into blocks', () => {
    expect(parseLetterMarkup('<h1 class="title">机关\n答复书</h1><p class="date">2025年1月1日</p><p>正文 &amp; 更多</p>')).toEqual([
      { role: 'title', text: '机关\n答复书' },
      { role: 'date', text: '2025年1月1日' },
      { role: 'paragraph', text: '正文 & 更多' },
    ]);
  });
});

describe('the legal checker: one failing case per rule', () => {
  const check = (data: LetterData, phase: 'draft' | 'issue' = 'issue') => checkLetter(data, templates.render(data).text, phase).map((finding) => finding.rule);
  const withheld = SAMPLES['reply-withheld'];

  it('the receipt date and the request must be stated', () => {
    expect(check({ ...withheld, case: { ...withheld.case, receivedAt: null } })).toContain('receipt_and_request');
  });

  it('the article cited must match the outcome (rules.md §4)', () => {
    // A withheld.process_info reply printing Art. 14 instead of Art. 16 ¶2.
    const data = { ...withheld, decision: { ...withheld.decision!, legalBasis: '第十四条' } };
    expect(checkLetter({ ...withheld }, templates.render(data).text, 'issue').map((finding) => finding.rule)).toEqual(['legal_basis']);
  });

  it('reasons are required for a refusal', () => {
    expect(check({ ...withheld, fillIns: { ...withheld.fillIns, reasons: '' } })).toEqual(['reasons']);
  });

  it('the remedy clause fits the outcome and names the review body', () => {
    expect(check({ ...withheld, decision: { ...withheld.decision!, reviewFirst: false } }, 'issue')).toEqual([]);
    const reviewFirstText = templates.render(withheld).text;
    expect(checkLetter({ ...withheld, decision: { ...withheld.decision!, reviewFirst: false } }, reviewFirstText, 'issue').map((finding) => finding.rule)).toEqual(['remedy']);
    expect(check({ ...withheld, agency: { ...withheld.agency, reviewBody: '' } })).toContain('remedy');
  });

  it('Art. 36(5): the responsible agency must be named', () => {
    const data = SAMPLES['reply-unavailable'];
    const text = templates.render({ ...data, facts: { ...data.facts, responsibleAgency: null } }).text;
    expect(checkLetter(data, text, 'issue').map((finding) => finding.rule)).toEqual(['responsible_agency']);
  });

  it('the 文号 must be assigned at issue, not for a draft', () => {
    expect(check({ ...withheld, number: null }, 'issue')).toEqual(['document_number']);
    expect(check({ ...withheld, number: null }, 'draft')).toEqual([]);
  });
});

describe('the remedy clause (rules.md §7)', () => {
  it('review first for withheld.* and partial since 2024-01-01', () => {
    expect(requiresReviewFirst('withheld.process_info', '2024-01-01')).toBe(true);
    expect(requiresReviewFirst('partial', '2025-10-23')).toBe(true);
    expect(requiresReviewFirst('withheld.process_info', '2023-12-29')).toBe(false);
    expect(requiresReviewFirst('unavailable.not_held', '2025-10-23')).toBe(false);
    expect(requiresReviewFirst('unavailable.not_held', '2025-10-23', ['unavailable.'])).toBe(true);
  });

  it('the templates print the clause with the review body and the court', () => {
    expect(templates.render(SAMPLES['reply-withheld']).text).toContain('应当先向上海市某区人民政府申请行政复议');
    expect(templates.render(SAMPLES['reply-disclosed']).text).toContain('或者在六个月内向上海市某区人民法院提起行政诉讼');
  });
});
