import { join } from 'node:path';
import { formatDocumentNumber, numberPatternProblems, DEFAULT_CASE_NUMBER_PATTERN, DEFAULT_LETTER_NUMBER_PATTERN } from './document-number';
import { PROVISIONAL_DATE_NOTE } from './grounds';
import { agencyText, checkLetter } from './legal-checker';
import { disclosedFileEntries, type LetterData } from './letter-data';
import { LETTER_KIND_INFO, type LetterKind } from './letter-kinds';
import { asSentence, LetterTemplates, parseLetterMarkup } from './letter-renderer';
import { reviewLitigationRisks, unacknowledgedWarnings, type RiskFacts } from './litigation-risk';
import { requiresReviewFirst } from './remedy';
import { letterDecision } from './reply-decision';

const templates = new LetterTemplates(join(__dirname, '../../../templates'));

function letter(kind: LetterKind, overrides: Partial<LetterData> = {}): LetterData {
  return {
    kind,
    title: LETTER_KIND_INFO[kind].title,
    number: '信息公开答复〔2025〕12号',
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

function reply(
  outcome: string,
  fillIns: Partial<LetterData['fillIns']>,
  details: Parameters<typeof letterDecision>[1] = {},
  facts: Record<string, unknown> = {},
  kind: LetterKind = 'reply',
): LetterData {
  const base = letter(kind);
  return {
    ...base,
    facts: { responsibleAgency: null, responsibleAgencyUndetermined: null, duplicateOf: null, publicInterestOverride: null, ...facts },
    decision: letterDecision(outcome, details, base.date),
    fillIns: { ...base.fillIns, ...fillIns },
  };
}

// Realistic data for every template: the snapshots are the golden files of the letters' wording.
const SAMPLES: Record<string, LetterData> = {
  receipt: letter('receipt', { number: '信息公开收〔2025〕7号', date: '2025-09-26' }),
  'supplement-notice': letter('supplement_notice', { facts: { items: ['所需信息的名称或文号', '所涉地块的具体位置'], periodWorkingDays: 15 } }),
  'supplement-lapse-notice': {
    ...reply('other.no_supplement', {}, {}, { noticeSentAt: '2025-09-29', periodWorkingDays: 15, periodEnded: '2025-10-22' }, 'supplement_lapse_notice'),
    title: LETTER_KIND_INFO.supplement_lapse_notice.title,
  },
  'fee-lapse-notice': {
    ...reply('other.fee_unpaid', {}, {}, { noticeSentAt: '2025-09-29', periodEnded: '2025-10-22' }, 'fee_lapse_notice'),
    title: LETTER_KIND_INFO.fee_lapse_notice.title,
  },
  'extension-notice': letter('extension_notice', { facts: { reason: '需调取2015年以来的档案', workingDays: 20, originalDueDate: '2025-10-30', newDueDate: '2025-11-27', provisional: false } }),
  'delay-notice': letter('delay_notice', { facts: { replyBy: '2025-12-31', reason: '申请数量大，理由合理' } }),
  'reasons-request': letter('reasons_request', { facts: { questions: '请说明本月提出60件申请的理由' } }),
  'third-party-consultation': letter('third_party_consultation', { addressee: '上海示例置业有限公司', facts: { party: '上海示例置业有限公司' } }),
  'consultation-notice': letter('consultation_notice', { facts: { party: '上海示例置业有限公司' } }),
  'agency-consultation': letter('agency_consultation', { addressee: '上海市某区规划和自然资源局', facts: { party: '上海市某区规划和自然资源局' } }),
  'disclosure-decision-notice': letter('disclosure_decision_notice', {
    addressee: '上海示例置业有限公司',
    facts: {
      publicInterestOverride: '补偿标准关系众多被征收人切身利益',
      provided: '补偿方案中的补偿标准部分',
      reliefWorkingDays: 15,
      disclosureFrom: '2025-11-13',
      provisional: false,
    },
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
  'reply-disclosed': reply('disclosed', { provided: '提供复印件12页，邮寄送达' }, { disclosureMode: 'provided' }),
  'reply-partial': reply('partial', { provided: '补偿标准部分', withheld: '各户补偿金额明细', reasons: '明细载有被征收人的家庭成员、身份证号码和银行账户，属于个人隐私' }, {
    withheldBasis: 'withheld.third_party',
  }),
  'reply-withheld': reply('withheld.process_info', { reasons: '所申请信息为征收方案制定过程中的内部讨论记录' }),
  'reply-unavailable': reply('unavailable.not_responsible', { reasons: '补偿方案由区房屋征收事务所制作并负责公开。' }, {}, {
    responsibleAgency: { name: '某区房屋征收事务所', contact: '021-22222222' },
  }),
  'reply-not-processed': reply('not_processed.duplicate', { reasons: '您的申请与此前申请的内容相同。' }, {}, { duplicateOf: '沪某房依申〔2025〕第00001号' }),
  'reply-other': reply('other.other', { reasons: '您已于2025年10月10日书面撤回申请' }),
  'correction-reply': {
    ...reply('correction.forwarded', { reasons: '该记录由登记机构制作' }, {}, { responsibleAgency: { name: '某区不动产登记中心' } }, 'correction_reply'),
    title: LETTER_KIND_INFO.correction_reply.title,
  },
};

/** Every other variant of the per-outcome templates, each read by the checker and kept as a golden text too. */
const VARIANTS: Record<string, LetterData> = {
  'disclosed already public (Art. 36(1))': reply('disclosed', { provided: '该方案已在本机关门户网站“征收补偿”栏目公开（2025年3月1日）' }, { disclosureMode: 'already_public' }),
  'not held after a search (Art. 36(4))': reply('unavailable.not_held', { reasons: '本机关于2025年10月14日检索了档案室纸质档案和OA公文系统，未找到该方案' }),
  'not responsible, agency unknown (Art. 36(5))': reply('unavailable.not_responsible', { reasons: '该事项不属于本机关职责范围' }, {}, {
    responsibleAgencyUndetermined: '该地块的征收主体尚未确定',
  }),
  'needs creation (Art. 38)': reply('unavailable.needs_creation', { reasons: '您要求的统计表需对多年档案汇总分析后另行制作' }),
  'unclear after supplement (Art. 30)': reply('unavailable.unclear_after_supplement', { reasons: '补正后仍未写明所需信息的名称、文号或其他特征' }),
  'referral (Art. 36(7))': reply('withheld.admin_query', { reasons: '您申请查询的不动产登记资料，《不动产登记资料查询暂行办法》对查询有特别规定' }),
  'petition (Art. 39 ¶1)': reply('not_processed.petition', { reasons: '您的申请系对征收补偿的投诉，可通过12345热线或信访渠道提出' }),
  'publication (Art. 39 ¶2)': reply('not_processed.publication', { reasons: '您申请的《某区年鉴2024》为公开出版物，可在区图书馆借阅或在新华书店购买' }),
  'excessive (Art. 35)': reply('not_processed.excessive', { reasons: '您本月提出60件申请，经要求说明理由，您未说明理由' }),
  'withheld state secret (Art. 14)': reply('withheld.state_secret', { reasons: '该文件经保密审查定为秘密级，保密期限十年' }),
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
      expect(rendered.blocks.map((block) => block.role)).toEqual(expect.arrayContaining(['doc-number', 'addressee', 'request', 'signature', 'seal', 'date', 'note']));
      expect(rendered.blocks.find((block) => block.role === 'date')?.text).toBe(name === 'receipt' ? '2025年9月26日' : '2025年10月23日');
      // GB/T 9704 7.3.6: the 附注 (contact person and phone) under the date, on every letter, the 补正告知书 included.
      expect(rendered.blocks.at(-1)).toEqual({ role: 'note', text: expect.stringMatching(/^（联系人：李承办　联系电话：021-11111111　地址：/) });
      expect(checkLetter(data, rendered.blocks, 'issue')).toEqual([]);
      expect(rendered.text).toMatchSnapshot();
    });
  }

  for (const [name, data] of Object.entries(VARIANTS)) {
    it(`${name}: one ground, its article, passes the checker`, () => {
      const rendered = templates.render(data);
      expect(checkLetter(data, rendered.blocks, 'issue')).toEqual([]);
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
    expect(parseLetterMarkup('<h1 class="title">机关\n答复书</h1><p class="date">2025年1月1日</p><p>正文 &amp; 更多</p><p class="request">“申请”</p>')).toEqual([
      { role: 'title', text: '机关\n答复书' },
      { role: 'date', text: '2025年1月1日' },
      { role: 'paragraph', text: '正文 & 更多' },
      { role: 'request', text: '“申请”' },
    ]);
  });

  it('the quoted request is a block of its own, and no quotation ends in a doubled stop (。”。)', () => {
    const data = { ...SAMPLES['reply-withheld'], case: { ...SAMPLES['reply-withheld'].case, description: '请公开2025年征收补偿方案。' } };
    const rendered = templates.render(data);
    expect(rendered.blocks.filter((block) => block.role === 'request')).toEqual([{ role: 'request', text: '“请公开2025年征收补偿方案。”' }]);
    expect(rendered.text).not.toMatch(/[。！？]”[。，]/);
    expect(checkLetter(data, rendered.blocks, 'issue')).toEqual([]);
    for (const sample of [...Object.values(SAMPLES), ...Object.values(VARIANTS)]) {
      expect(templates.render({ ...sample, case: { ...sample.case, description: '申请公开某某文件。' } }).text).not.toMatch(/[。！？]”[。，；]/);
    }
  });

  it('a fill-in ends its sentence once: a stop is added where it lacks one, never doubled', () => {
    expect(asSentence('提供复印件12页')).toBe('提供复印件12页。');
    expect(asSentence('提供复印件12页。')).toBe('提供复印件12页。');
    expect(asSentence('见附件（共3页）')).toBe('见附件（共3页）。');
    expect(asSentence('已在“征收补偿”栏目公开')).toBe('已在“征收补偿”栏目公开。');
    expect(asSentence('其答复为“不同意。”')).toBe('其答复为“不同意。”');
    expect(templates.render(SAMPLES['reply-unavailable']).text).toContain('负责公开。\n');
  });
});

describe('Art. 36: one outcome, one article, one sentence', () => {
  const text = (data: LetterData) => templates.render(data).text;

  it('not held (36(4)) says the information does not exist, citing 36(4) alone', () => {
    const letterText = text(VARIANTS['not held after a search (Art. 36(4))']);
    expect(letterText).toContain('第三十六条第（四）项的规定，本机关经检索没有您申请公开的政府信息，现告知您该政府信息不存在');
    expect(letterText).not.toMatch(/第（五）项|不属于本机关负责公开|或者不属于/);
  });

  it('not responsible (36(5)) names the agency and its contact, citing 36(5) alone', () => {
    const letterText = text(SAMPLES['reply-unavailable']);
    expect(letterText).toContain('第三十六条第（五）项的规定，现告知您：您申请公开的政府信息不属于本机关负责公开。负责公开该政府信息的行政机关为某区房屋征收事务所，联系方式：021-22222222');
    expect(letterText).not.toMatch(/第（四）项|不存在/);
    expect(text(VARIANTS['not responsible, agency unknown (Art. 36(5))'])).toContain('本机关无法确定负责公开该政府信息的行政机关，理由是：该地块的征收主体尚未确定。');
  });

  it('disclosed cites 36(1) when already public (where) or 36(2) when provided (how), never both', () => {
    const provided = text(SAMPLES['reply-disclosed']);
    expect(provided).toContain('第三十六条第（二）项的规定，本机关予以公开：提供复印件12页，邮寄送达。');
    expect(provided).not.toContain('第（一）项');
    const published = text(VARIANTS['disclosed already public (Art. 36(1))']);
    expect(published).toContain('本机关已经主动公开。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项的规定，现告知您获取该政府信息的方式、途径：');
    expect(published).not.toContain('第（二）项');
    // A decision recorded before disclosureMode existed is a provision (36(2)).
    expect(letterDecision('disclosed', {}, '2025-10-23').legalBasis).toBe('第三十六条第（二）项');
  });

  it('Art. 40: the files given with the reply are listed in it one by one, and pass the checker', () => {
    const files = disclosedFileEntries([
      { id: 'f1', filename: '旧住房综合改造项目清单.pdf', sizeBytes: 250_880, sha256: 'ab'.repeat(32) },
      { id: 'f2', filename: '补偿标准.xlsx', sizeBytes: 3_500_000, sha256: 'cd'.repeat(32) },
    ]);
    const data = { ...SAMPLES['reply-disclosed'], facts: { ...SAMPLES['reply-disclosed'].facts, disclosedFiles: files } };
    const { blocks } = templates.render(data);
    expect(blocks.filter((block) => block.role === 'item').map((block) => block.text)).toEqual([
      '1. 旧住房综合改造项目清单.pdf（245 KB，SHA-256校验码前16位：abababababababab）',
      '2. 补偿标准.xlsx（3.3 MB，SHA-256校验码前16位：cdcdcdcdcdcdcdcd）',
    ]);
    expect(templates.render(data).text).toContain('随本答复书向您提供以下政府信息，共2件');
    expect(checkLetter(data, blocks, 'draft')).toEqual([]);
    // Without files, nothing is added (the golden samples above stay as they were).
    expect(templates.render(SAMPLES['reply-disclosed']).text).not.toContain('随本答复书向您提供');
  });

  it('Art. 37: the withheld part names its own ground and article', () => {
    const letterText = text(SAMPLES['reply-partial']);
    expect(letterText).toContain('根据《中华人民共和国政府信息公开条例》第三十七条的规定，本机关对可以公开的部分予以公开：补偿标准部分。');
    expect(letterText).toContain('不予公开的部分为各户补偿金额明细，涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，根据《中华人民共和国政府信息公开条例》第十五条、第三十二条的规定，不予公开。');
    expect(SAMPLES['reply-partial'].decision!.legalBasis).toBe('第三十七条、第十五条、第三十二条');
  });

  it('Art. 39 ¶1 is "不作为政府信息公开申请处理", Art. 36(6) "不予重复处理", Art. 36(7) a referral', () => {
    expect(text(VARIANTS['petition (Art. 39 ¶1)'])).toContain('第三十九条第一款的规定，您的申请不作为政府信息公开申请处理。');
    expect(text(SAMPLES['reply-not-processed'])).toContain('第三十六条第（六）项的规定，对您的重复申请不予重复处理。');
    const referral = text(VARIANTS['referral (Art. 36(7))']);
    expect(referral).toContain('第三十六条第（七）项的规定，请您依照有关法律、行政法规的规定办理。');
    expect(referral).not.toContain('不予公开');
  });

  it('a lapse is told to the applicant: not processed further, with the remedy (Art. 30; 109号)', () => {
    const supplement = text(SAMPLES['supplement-lapse-notice']);
    expect(supplement).toContain('补正期限已于2025年10月22日届满，本机关未收到您的补正，您也未说明逾期的正当理由。');
    expect(supplement).toContain('第三十条的规定，您的申请视为放弃，本机关不再处理该政府信息公开申请。');
    expect(supplement).toContain('如对本告知书不服，可以在收到本告知书之日起六十日内向上海市某区人民政府申请行政复议');
    expect(text(SAMPLES['fee-lapse-notice'])).toContain('根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，您的申请视为放弃');
  });

  it('Art. 32: the 公开决定告知书 states the content, the reasons, the wait before disclosure and the remedies', () => {
    const letterText = text(SAMPLES['disclosure-decision-notice']);
    expect(letterText).toContain('理由如下：补偿标准关系众多被征收人切身利益。');
    expect(letterText).toContain('决定公开的政府信息内容为：补偿方案中的补偿标准部分。');
    expect(letterText).toContain('本机关将在本告知书发出之日起15个工作日届满后，即自2025年11月13日起，向申请人公开上述信息。');
    expect(letterText).toContain('可以在收到本告知书之日起六十日内向上海市某区人民政府申请行政复议，或者在六个月内向上海市某区人民法院提起行政诉讼');
    expect(letterText).not.toContain('公开的内容为：。');
  });

  it('the review-first clause sends the applicant to a court "依法", not to the agency’s own court', () => {
    expect(text(SAMPLES['reply-withheld'])).toContain('对行政复议决定不服的，可以依法向人民法院提起行政诉讼。');
    expect(text(SAMPLES['reply-withheld'])).not.toContain('上海市某区人民法院');
  });
});

describe('a provisional date is never stated as certain (rules.md §3)', () => {
  it('the extension notice marks a date counted into an unpublished year, and the checker insists', () => {
    const data = letter('extension_notice', { facts: { reason: '需调取档案', workingDays: 20, originalDueDate: '2026-12-10', newDueDate: '2027-01-11', provisional: true } });
    const rendered = templates.render(data);
    expect(rendered.text).toContain(`答复期限延长20个工作日，至2027年1月11日（${PROVISIONAL_DATE_NOTE}）。`);
    expect(checkLetter(data, rendered.blocks, 'issue')).toEqual([]);
    const certain = templates.render({ ...data, facts: { ...data.facts, provisional: false } });
    expect(checkLetter(data, certain.blocks, 'issue').map((finding) => finding.rule)).toEqual(['provisional_date']);
  });
});

describe('the legal checker: one failing case per rule', () => {
  const check = (data: LetterData, phase: 'draft' | 'issue' = 'issue') => checkLetter(data, templates.render(data).blocks, phase).map((finding) => finding.rule);
  const withheld = SAMPLES['reply-withheld'];

  it('the receipt date and the request must be stated', () => {
    expect(check({ ...withheld, case: { ...withheld.case, receivedAt: null } })).toContain('receipt_and_request');
  });

  it('the article cited must match the outcome (rules.md §4)', () => {
    // A withheld.process_info reply printing Art. 14 instead of Art. 16 ¶2.
    const data = { ...withheld, decision: { ...withheld.decision!, legalBasis: '第十四条' } };
    expect(checkLetter({ ...withheld }, templates.render(data).blocks, 'issue').map((finding) => finding.rule)).toEqual(['legal_basis']);
  });

  it('two alternative grounds in one reply are a defect (mixed grounds)', () => {
    const notHeld = VARIANTS['not held after a search (Art. 36(4))'];
    const mixed = { ...notHeld, fillIns: { ...notHeld.fillIns, reasons: '该信息不存在或者不属于本机关负责公开' } };
    expect(check(mixed)).toEqual(['mixed_grounds']);
  });

  it('a partial disclosure without the withheld part’s basis is a defect', () => {
    const data = SAMPLES['reply-partial'];
    expect(check({ ...data, decision: { ...data.decision!, withheldBasis: null, legalBasis: '第三十七条' } })).toEqual(expect.arrayContaining(['withheld_basis']));
  });

  it('reasons are required for a refusal', () => {
    expect(check({ ...withheld, fillIns: { ...withheld.fillIns, reasons: '' } })).toEqual(['reasons']);
  });

  it('the remedy clause fits the outcome and names the review body', () => {
    expect(check({ ...withheld, decision: { ...withheld.decision!, reviewFirst: false } }, 'issue')).toEqual([]);
    const reviewFirstBlocks = templates.render(withheld).blocks;
    expect(checkLetter({ ...withheld, decision: { ...withheld.decision!, reviewFirst: false } }, reviewFirstBlocks, 'issue').map((finding) => finding.rule)).toEqual(['remedy']);
    expect(check({ ...withheld, agency: { ...withheld.agency, reviewBody: '' } })).toContain('remedy');
  });

  it('Art. 36(5): the responsible agency must be named, or why it cannot be', () => {
    const data = SAMPLES['reply-unavailable'];
    const blocks = templates.render({ ...data, facts: { ...data.facts, responsibleAgency: null, responsibleAgencyUndetermined: '不详' } }).blocks;
    expect(checkLetter(data, blocks, 'issue').map((finding) => finding.rule)).toEqual(['responsible_agency']);
    expect(check({ ...data, facts: { ...data.facts, responsibleAgency: null } })).toEqual(['responsible_agency']);
  });

  it('the 文号 must be assigned at issue, not for a draft', () => {
    expect(check({ ...withheld, number: null }, 'issue')).toEqual(['document_number']);
    expect(check({ ...withheld, number: null }, 'draft')).toEqual([]);
  });

  it('a doubled stop after a quotation is a finding', () => {
    const blocks = [...templates.render(withheld).blocks, { role: 'paragraph' as const, text: '申请获取“某方案。”。' }];
    expect(checkLetter(withheld, blocks, 'issue').map((finding) => finding.rule)).toEqual(['punctuation']);
  });

  it('never reads the applicant’s quoted request as the agency’s text (issue 13 item 5)', () => {
    // An online application whose description contains the review-first wording and a second ground.
    const disclosed = SAMPLES['reply-disclosed'];
    const data = { ...disclosed, case: { ...disclosed.case, description: '请说明为何本人应当先向区政府申请行政复议，以及该信息是否不存在或者不属于贵局负责公开' } };
    const rendered = templates.render(data);
    expect(rendered.text).toContain('应当先向区政府申请行政复议');
    expect(agencyText(rendered.blocks)).not.toContain('应当先向');
    expect(checkLetter(data, rendered.blocks, 'issue')).toEqual([]);
    // The same words in the agency's own text are still caught.
    const ownWords = { ...disclosed, fillIns: { ...disclosed.fillIns, provided: '您应当先向区政府申请行政复议' } };
    expect(check(ownWords)).toEqual(['remedy']);
  });
});

describe('the litigation-risk review (败诉风险)', () => {
  const FACTS: RiskFacts = {
    asOf: '2025-10-23',
    dueDate: '2025-10-30',
    searches: [{ at: '2025-10-14', scope: '档案室纸质档案；OA公文系统2018—2025年', terms: '征收 补偿方案 某地块', result: '未检索到', by: '李承办' }],
    reopenedAt: null,
    thirdParty: { consulted: false, objected: false, notified: false, notNeededReason: null },
    applicant: { deliveryForm: 'paper_post', address: '上海市某区某路1号', email: null },
    supplementNotice: null,
  };
  const risks = (data: LetterData, facts: Partial<RiskFacts> = {}, phase: 'draft' | 'sign' | 'issue' = 'draft') =>
    reviewLitigationRisks(data, templates.render(data).blocks, { ...FACTS, ...facts }, phase);
  const codes = (...args: Parameters<typeof risks>) => risks(...args).map((risk) => `${risk.code}:${risk.severity}`);
  const notHeld = VARIANTS['not held after a search (Art. 36(4))'];

  it('a clean reply carries no risk; every risk names its authority and its cure', () => {
    expect(risks(notHeld)).toEqual([]);
    for (const risk of risks({ ...notHeld, fillIns: { ...notHeld.fillIns, reasons: '不存在' } }, { asOf: '2025-11-03', searches: [] })) {
      expect(risk).toEqual({ code: expect.any(String), severity: expect.stringMatching(/^(blocking|warning)$/), risk: expect.any(String), authority: expect.any(String), cure: expect.any(String) });
    }
  });

  it('search_inadequate: a 信息不存在 whose search names no system, terms or searcher (指导案例101号)', () => {
    const thin = codes(notHeld, { searches: [{ at: '2025-10-14', scope: '查了', terms: '无', result: '无', by: '' }] });
    expect(thin).toEqual(['search_inadequate:warning']);
    expect(risks(notHeld, { searches: [] })[0].authority).toContain('指导案例101号');
  });

  it('search_before_reopening: a new not-held reply after a court or review order relies on the old search', () => {
    expect(codes(notHeld, { reopenedAt: '2025-10-20' })).toEqual(['search_before_reopening:warning']);
  });

  it('reply_late: a reply issued after the due date', () => {
    expect(codes(notHeld, { asOf: '2025-10-31' })).toEqual(['reply_late:warning']);
    expect(codes(notHeld, { asOf: '2025-10-30' })).toEqual([]);
  });

  it('third_party_not_notified: a disclosure over an objection without the 公开决定告知书 blocks the issue', () => {
    const disclosed = SAMPLES['reply-disclosed'];
    const objected = { thirdParty: { consulted: true, objected: true, notified: false, notNeededReason: null } };
    expect(codes(disclosed, objected, 'issue')).toEqual(['third_party_not_notified:blocking']);
    expect(codes(disclosed, { thirdParty: { ...objected.thirdParty, notified: true } }, 'issue')).toEqual([]);
  });

  it('third_party_not_consulted: withheld for a third party without asking it', () => {
    const data = reply('withheld.third_party', { reasons: '所申请的合同载有企业的报价和成本构成，属于商业秘密' });
    expect(codes(data, { thirdParty: { consulted: false, objected: false, notified: false, notNeededReason: '显然涉及商业秘密' } })).toEqual(['third_party_not_consulted:warning']);
    expect(codes(data, { thirdParty: { consulted: true, objected: true, notified: false, notNeededReason: null } })).toEqual([]);
  });

  it('mixed_grounds (and every checker finding) is a blocking risk with its authority and cure', () => {
    const mixed = risks({ ...notHeld, fillIns: { ...notHeld.fillIns, reasons: '该信息不存在或者不属于本机关负责公开的范围' } });
    expect(mixed).toEqual([expect.objectContaining({ code: 'mixed_grounds', severity: 'blocking', cure: expect.stringContaining('只保留') })]);
    expect(codes({ ...notHeld, fillIns: { ...notHeld.fillIns, reasons: '' } })).toEqual(['reasons:blocking']);
  });

  it('weak_reasons: a refusal whose reasons state no facts', () => {
    expect(codes(reply('withheld.process_info', { reasons: '属于过程性信息' }))).toEqual(['weak_reasons:warning']);
  });

  it('remedy (blocking) when the clause is wrong; review_body_is_agency (warning) when the review body is the agency itself', () => {
    const withheld = SAMPLES['reply-withheld'];
    expect(codes({ ...withheld, agency: { ...withheld.agency, reviewBody: '' } })).toEqual(['remedy:blocking']);
    expect(codes({ ...withheld, agency: { ...withheld.agency, reviewBody: withheld.agency.name } })).toEqual(['review_body_is_agency:warning']);
  });

  it('responsible_agency_contact: Art. 36(5) names the agency but not how to reach it', () => {
    const data = SAMPLES['reply-unavailable'];
    expect(codes({ ...data, facts: { ...data.facts, responsibleAgency: { name: '某区房屋征收事务所' } } })).toEqual(['responsible_agency_contact:warning']);
  });

  it('service_unprovable: no address for a posted reply, no email for an emailed one, an unproved 补正 notice', () => {
    expect(codes(notHeld, { applicant: { deliveryForm: 'paper_post', address: null, email: null } })).toEqual(['service_unprovable:warning']);
    expect(codes(notHeld, { applicant: { deliveryForm: 'email', address: null, email: ' ' } })).toEqual(['service_unprovable:warning']);
    const unclear = VARIANTS['unclear after supplement (Art. 30)'];
    expect(codes(unclear, { supplementNotice: { sentAt: '2025-09-29', receiptRecorded: false } })).toEqual(['service_unprovable:warning']);
    expect(codes(unclear, { supplementNotice: { sentAt: '2025-09-29', receiptRecorded: true } })).toEqual([]);
  });

  it('provisional_date and document_number come through as blocking risks too', () => {
    expect(codes({ ...notHeld, number: null }, {}, 'issue')).toEqual(['document_number:blocking']);
  });

  it('warnings are acknowledged by code with a comment; a bare code acknowledges nothing', () => {
    const found = risks(notHeld, { asOf: '2025-10-31', searches: [] });
    expect(unacknowledgedWarnings(found, []).map((risk) => risk.code)).toEqual(['search_inadequate', 'reply_late']);
    expect(unacknowledgedWarnings(found, [{ code: 'reply_late', comment: '因档案调取延误，已记录' }, { code: 'search_inadequate', comment: ' ' }]).map((risk) => risk.code)).toEqual(['search_inadequate']);
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

describe('document numbers (GB/T 9704-2012 7.2.4)', () => {
  it('letters read 机关代字〔2025〕1号 by default: no 第, no padded zeros', () => {
    expect(formatDocumentNumber(DEFAULT_LETTER_NUMBER_PATTERN, '沪某房信复', 2025, 1)).toBe('沪某房信复〔2025〕1号');
    expect(formatDocumentNumber(DEFAULT_LETTER_NUMBER_PATTERN, '沪某房信复', 2025, 123456)).toBe('沪某房信复〔2025〕123456号');
  });

  it('case numbers keep their register form; the pattern is the agency’s to set', () => {
    expect(formatDocumentNumber(DEFAULT_CASE_NUMBER_PATTERN, '沪某房依申', 2026, 123)).toBe('沪某房依申〔2026〕第00123号');
    expect(formatDocumentNumber('{prefix}字〔{year}〕第{n}号', '某政信', 2025, 7)).toBe('某政信字〔2025〕第7号');
  });

  it('refuses a pattern without the sequence or the year, or with an unknown placeholder', () => {
    expect(numberPatternProblems('{prefix}〔{year}〕号')).toEqual(['编号格式须包含顺序号 {n}']);
    expect(numberPatternProblems('{prefix}{n}')).toEqual(['编号格式须包含年份 {year}']);
    expect(numberPatternProblems('{prefix}〔{year}〕{seq}号')).toEqual(['编号格式须包含顺序号 {n}', '编号格式中有不认识的占位符：{seq}（可用 {prefix}、{year}、{n}、{n:5}）']);
    expect(() => formatDocumentNumber('{year}', 'x', 2025, 1)).toThrow(RangeError);
  });
});
