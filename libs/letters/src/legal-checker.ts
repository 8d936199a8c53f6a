import { isoDateToChinese } from '@desk/calendar';
import { PROVISIONAL_DATE_NOTE } from './grounds';
import type { LetterData } from './letter-data';
import { LETTER_KIND_INFO } from './letter-kinds';
import type { LetterBlock } from './letter-renderer';

export type CheckRule =
  | 'receipt_and_request'
  | 'legal_basis'
  | 'mixed_grounds'
  | 'withheld_basis'
  | 'reasons'
  | 'remedy'
  | 'responsible_agency'
  | 'provisional_date'
  | 'punctuation'
  | 'document_number';

export interface Finding {
  rule: CheckRule;
  message: string;
}

/**
 * Blocks that carry someone else's words: the applicant's quoted request and the addressee's name. The checker reads
 * the agency's own text (the statutory wording and the fill-ins), never these: an application that happens to contain
 * "应当先向" must not make a reply impossible to sign.
 */
const FOREIGN_ROLES: ReadonlySet<LetterBlock['role']> = new Set(['request', 'addressee']);

const flatten = (value: string) => value.replace(/\s+/g, '');

/** The agency's own text of a letter, as one string without white space. */
export function agencyText(blocks: readonly LetterBlock[]): string {
  return flatten(blocks.filter((block) => !FOREIGN_ROLES.has(block.role)).map((block) => block.text).join('\n'));
}

/**
 * Alternative grounds that must not appear together (rules.md §4: one outcome, one ground): a court cannot tell which
 * was applied. For each outcome, the wording of the grounds it excludes.
 */
const EXCLUDED_GROUNDS: Readonly<Record<string, readonly string[]>> = {
  disclosed: [],
  'unavailable.not_held': ['第三十六条第（五）项', '不属于本机关负责公开'],
  'unavailable.not_responsible': ['第三十六条第（四）项', '该政府信息不存在'],
};

/** Wording that names two grounds at once, whatever the outcome. */
const ALTERNATIVE_GROUNDS = ['不存在或者不属于', '不存在或不属于'];

/**
 * The legal checker (合法性审查的机器部分): reads the agency's text of a rendered letter against its data. Any finding
 * blocks signing and issuing. `phase: 'issue'` also requires the 文号.
 */
export function checkLetter(data: LetterData, blocks: readonly LetterBlock[], phase: 'draft' | 'issue'): Finding[] {
  const findings: Finding[] = [];
  const own = agencyText(blocks);
  const contains = (value: string) => own.includes(flatten(value));
  const toApplicant = LETTER_KIND_INFO[data.kind].addressee === 'applicant';
  const request = flatten(blocks.filter((block) => block.role === 'request').map((block) => block.text).join(''));

  // SPC 法释〔2011〕17号 Art. 5: the agency proves its procedure — the letter states when it received what.
  if (toApplicant) {
    if (!data.case.receivedAt || !contains(isoDateToChinese(data.case.receivedAt))) {
      findings.push({ rule: 'receipt_and_request', message: '未载明收到申请的日期（第三十一条）' });
    }
    if (!data.case.description.trim() || !request.includes(flatten(data.case.description))) {
      findings.push({ rule: 'receipt_and_request', message: '未载明申请的内容' });
    }
  }
  if (data.decision) {
    const { outcome, legalBasis } = data.decision;
    const missing = legalBasis.split('、').filter((article) => article && !contains(article));
    if (missing.length) {
      findings.push({ rule: 'legal_basis', message: `办理结果应引用${legalBasis}，未引用${missing.join('、')}` });
    }
    const alternatives = [...(EXCLUDED_GROUNDS[outcome] ?? []), ...ALTERNATIVE_GROUNDS].filter(contains);
    if (outcome === 'disclosed' && contains('第三十六条第（一）项') && contains('第三十六条第（二）项')) alternatives.push('第三十六条第（一）项、第（二）项');
    if (alternatives.length) {
      findings.push({ rule: 'mixed_grounds', message: `答复援引了相互排斥的理由（${alternatives.join('、')}）：一个答复只能有一个理由（第三十六条）` });
    }
    if (outcome === 'partial' && !data.decision.withheldBasis) {
      findings.push({ rule: 'withheld_basis', message: '部分公开未写明不予公开部分的依据（第十四条、第十五条或第十六条）（第三十七条）' });
    }
    const needsReasons = !['disclosed', 'correction.corrected', 'other.no_supplement', 'other.fee_unpaid'].includes(outcome);
    if (needsReasons && (!data.fillIns.reasons.trim() || !contains(data.fillIns.reasons))) {
      findings.push({ rule: 'reasons', message: '未说明理由（第三十六条、第三十七条；法释〔2011〕17号第十二条）' });
    }
    const body = data.agency.reviewBody.trim();
    if (!body || !contains(body)) {
      findings.push({ rule: 'remedy', message: '救济途径未写明行政复议机关（机关设置 reviewBody）' });
    } else if (data.decision.reviewFirst) {
      if (!contains(`应当先向${body}申请行政复议`)) {
        findings.push({ rule: 'remedy', message: '不予公开类答复应告知先申请行政复议（行政复议法第二十三条）' });
      }
    } else if (!contains('申请行政复议') || !contains('提起行政诉讼') || contains('应当先向')) {
      findings.push({ rule: 'remedy', message: '应告知可以申请行政复议或者提起行政诉讼' });
    }
    const responsible = data.facts.responsibleAgency as { name?: string } | null | undefined;
    if (outcome === 'unavailable.not_responsible') {
      if (responsible?.name ? !contains(responsible.name) : !String(data.facts.responsibleAgencyUndetermined ?? '').trim()) {
        findings.push({
          rule: 'responsible_agency',
          message: responsible?.name
            ? `未告知负责公开该信息的机关“${responsible.name}”（第三十六条第（五）项）`
            : '未告知负责公开该信息的机关，也未说明无法确定的理由（第三十六条第（五）项）',
        });
      }
    }
  }
  // rules.md §3: a date counted through an unpublished year is never stated as certain.
  if (data.facts.provisional === true && !contains(PROVISIONAL_DATE_NOTE)) {
    findings.push({ rule: 'provisional_date', message: '文书所载日期系按国务院办公厅尚未公布的节假日安排推算，须注明' });
  }
  const everything = flatten(blocks.map((block) => block.text).join('\n'));
  if (/[。！？][”’][。，；]/u.test(everything)) {
    findings.push({ rule: 'punctuation', message: '引号后重复使用句末标点（如“。”。”）（GB/T 15834）' });
  }
  if (phase === 'issue' && (!data.number || !contains(data.number))) {
    findings.push({ rule: 'document_number', message: '未编文号' });
  }
  return findings;
}
