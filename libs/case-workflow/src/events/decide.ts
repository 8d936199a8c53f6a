import { CORRECTION_OUTCOME_TERMS, OUTCOME_TERMS } from '@desk/vocabulary';
import { DECIDABLE_OUTCOMES, isCorrectionOutcome, Outcome, type CorrectionOutcomeCode, type OutcomeCode } from '../outcomes';
import { choice, earlierCase, group, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';
import { draftTheReply } from './intents';

/** The outcomes a decision may take: every outcome but the two lapses, which their own events record; and Art. 41's. */
const DECISION_CHOICES = [...OUTCOME_TERMS.filter((term) => (DECIDABLE_OUTCOMES as string[]).includes(term.code)), ...CORRECTION_OUTCOME_TERMS] as {
  code: Exclude<OutcomeCode, 'other.no_supplement' | 'other.fee_unpaid'> | CorrectionOutcomeCode;
  label: string;
}[];

const outcomeIs = (...codes: string[]) => (payload: Record<string, unknown>) => codes.includes(String(payload.outcome));

const fields = {
  outcome: choice({ label: '办理结果', choices: DECISION_CHOICES, help: '一个办理结果、一个法律依据（第三十六条至第三十九条、第四十一条）' }),
  reasons: text({
    label: '理由',
    max: 5000,
    multiline: true,
    optional: true,
    requiredWhen: { when: (payload) => !outcomeIs(Outcome.Disclosed, 'correction.corrected')(payload), because: '除“予以公开”“予以更正”外' },
    help: '不予公开、无法提供、不予处理的，须说明理由（第三十六条、第三十七条）',
  }),
  provided: text({
    label: '提供的信息及方式',
    max: 5000,
    multiline: true,
    optional: true,
    requiredWhen: { when: outcomeIs(Outcome.Disclosed, Outcome.Partial), because: '予以公开或部分公开的' },
    help: '已公开的告知获取途径；提供的写明提供的内容、方式和时间（第三十六条第（一）（二）项）',
  }),
  withheld: text({ label: '不予公开的部分', max: 5000, multiline: true, optional: true, help: '部分公开的，写明不予公开的部分及其理由（第三十七条）' }),
  responsibleAgency: group({
    label: '负责公开（或更正）该信息的机关',
    optional: true,
    requiredWhen: { when: outcomeIs('correction.forwarded'), because: '转送有权更正的机关的' },
    help: '能够确定负责机关的，告知其名称和联系方式（第三十六条第（五）项、第四十一条）',
    fields: {
      name: text({ label: '机关名称', max: 200 }),
      contact: text({ label: '联系方式', max: 200, optional: true }),
    },
  }),
  duplicateOf: earlierCase({
    label: '在先申请的案件编号',
    optional: true,
    requiredWhen: { when: outcomeIs(Outcome.NotProcessedDuplicate), because: '重复申请的' },
    help: '本申请所重复的、已答复的在先申请（第三十六条第（六）项）',
  }),
  consultationNotNeededReason: text({ label: '无需征求第三方意见的理由', max: 2000, multiline: true, optional: true, help: '保护第三方合法权益而未征求第三方意见的，说明理由（第三十二条）' }),
  publicInterestOverride: text({
    label: '不公开可能对公共利益造成重大影响的理由',
    max: 5000,
    multiline: true,
    optional: true,
    help: '第三方不同意公开而决定公开的，写明理由，并书面告知第三方（第三十二条）',
  }),
};

export type DecideEvent = MachineEvent<'DECIDE', typeof fields>;

export const decide = declareEvent<DecideEvent>({
  type: 'DECIDE',
  label: '拟办答复',
  description: '承办人拟定办理结果、理由和答复书，送法制审核',
  article: '第三十六条至第三十九条',
  origin: 'staff',
  roles: ['handler'],
  fields,
  // rules.md §4, last column: what must be on record before each outcome can be decided (409 naming it).
  refusals: (context, event) => {
    const problems: string[] = [];
    const { outcome } = event;
    // Art. 41: a correction request has its own outcomes; an OGI application cannot take them, nor the reverse.
    if (context.requestType === 'correction' && !isCorrectionOutcome(outcome)) return ['更正申请（第四十一条）的办理结果应为予以更正、转送、告知向有权机关提出或不予更正之一'];
    if (context.requestType === 'disclosure' && isCorrectionOutcome(outcome)) return ['更正类办理结果只用于政府信息更正申请（第四十一条）'];
    if (outcome === Outcome.UnavailableNotHeld && context.searchRecordCount === 0) {
      problems.push('缺少检索记录：决定“本机关不掌握相关政府信息”前须记录检索情况（最高人民法院指导案例101号）');
    }
    if (outcome === Outcome.UnavailableUnclearAfterSupplement && !(context.supplementRequestedAt && context.supplementReceivedAt)) {
      problems.push('“补正后申请内容仍不明确”须先有补正告知和申请人的补正（第三十条）');
    }
    if (
      outcome === Outcome.WithheldThirdParty &&
      !context.consultations.some((consultation) => consultation.kind === 'third_party') &&
      !event.consultationNotNeededReason?.trim()
    ) {
      problems.push('“保护第三方合法权益”须先征求第三方意见，或说明无需征求意见的理由（第三十二条）');
    }
    const lastThirdParty = [...context.consultations].reverse().find((consultation) => consultation.kind === 'third_party');
    if ((outcome === Outcome.Disclosed || outcome === Outcome.Partial) && lastThirdParty?.answer === 'objection' && !event.publicInterestOverride?.trim()) {
      problems.push('第三方不同意公开：须写明不公开可能对公共利益造成重大影响的理由，并书面告知第三方（第三十二条）');
    }
    if (outcome === Outcome.NotProcessedExcessive) {
      if (!context.reasonsRequestedAt) problems.push('“无正当理由大量反复申请”须先要求申请人说明理由（第三十五条）');
      else if (context.excessiveFinding !== 'unreasonable' && context.excessiveFinding !== 'no_answer') {
        problems.push('“无正当理由大量反复申请”须先认定申请人未说明理由或理由不合理（第三十五条）');
      }
    }
    return problems;
  },
  record: (_context, event) => ({ outcome: event.outcome, decidedAt: event.at }),
  effects: () => [draftTheReply()],
});
