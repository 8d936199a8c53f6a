import { isoDateToChinese } from '@desk/calendar';
import type { LetterData } from './letter-data';
import { LETTER_KIND_INFO } from './letter-kinds';

export type CheckRule = 'receipt_and_request' | 'legal_basis' | 'reasons' | 'remedy' | 'responsible_agency' | 'document_number';

export interface Finding {
  rule: CheckRule;
  message: string;
}

const REPLY_KINDS = new Set(['reply', 'correction_reply']);

/**
 * The legal checker (合法性审查的机器部分): reads the rendered text of a letter against its data. Any finding blocks
 * issuing. `phase: 'issue'` also requires the 文号.
 */
export function checkLetter(data: LetterData, text: string, phase: 'draft' | 'issue'): Finding[] {
  const findings: Finding[] = [];
  const flat = text.replace(/\s+/g, '');
  const contains = (value: string) => flat.includes(value.replace(/\s+/g, ''));
  const toApplicant = LETTER_KIND_INFO[data.kind].addressee === 'applicant';

  // SPC 法释〔2011〕17号 Art. 5: the agency proves its procedure — the letter states when it received what.
  if (toApplicant) {
    if (!data.case.receivedAt || !contains(isoDateToChinese(data.case.receivedAt))) {
      findings.push({ rule: 'receipt_and_request', message: '未载明收到申请的日期（第三十一条）' });
    }
    if (!data.case.description.trim() || !contains(data.case.description)) {
      findings.push({ rule: 'receipt_and_request', message: '未载明申请的内容' });
    }
  }
  if (REPLY_KINDS.has(data.kind) && data.decision) {
    const { outcome, legalBasis } = data.decision;
    if (legalBasis && !contains(legalBasis)) {
      findings.push({ rule: 'legal_basis', message: `办理结果 ${outcome} 应引用${legalBasis}（rules.md §4）` });
    }
    if (outcome !== 'disclosed' && outcome !== 'correction.corrected' && (!data.fillIns.reasons.trim() || !contains(data.fillIns.reasons))) {
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
    const responsible = data.facts.responsibleAgency as { name?: string } | undefined;
    if (outcome === 'unavailable.not_held' && responsible?.name && !contains(responsible.name)) {
      findings.push({ rule: 'responsible_agency', message: `未告知负责公开该信息的机关“${responsible.name}”（第三十六条第（五）项）` });
    }
  }
  if (phase === 'issue' && (!data.number || !contains(data.number))) {
    findings.push({ rule: 'document_number', message: '未编文号' });
  }
  return findings;
}
