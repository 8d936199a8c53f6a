import { CORRECTION_OUTCOME_TERMS, DISCLOSURE_MODE_TERMS, OUTCOME_TERMS } from '@desk/vocabulary';
import { DECIDABLE_OUTCOMES, isCorrectionOutcome, Outcome, OUTCOME_INFO, WITHHOLDING_BASES, type CorrectionOutcomeCode, type OutcomeCode } from '../outcomes';
import type { IsoDate } from '../vocabulary';
import { choice, earlierCase, files, group, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';
import { draftTheReply } from './intents';

/** The outcomes a decision may take: every outcome but the two lapses, which their own events record; and Art. 41's. */
const DECISION_CHOICES = [...OUTCOME_TERMS.filter((term) => (DECIDABLE_OUTCOMES as string[]).includes(term.code)), ...CORRECTION_OUTCOME_TERMS] as {
  code: Exclude<OutcomeCode, 'other.no_supplement' | 'other.fee_unpaid'> | CorrectionOutcomeCode;
  label: string;
}[];

/** Art. 37: the withheld part's basis, one of the refusals of Art. 14, 15 or 16, named with its article. */
const WITHHOLDING_BASIS_CHOICES = WITHHOLDING_BASES.map((code) => ({
  code,
  label: `${OUTCOME_TERMS.find((term) => term.code === code)!.label.replace(/^不予公开：/, '')}（${OUTCOME_INFO[code].legalBasis}）`,
}));

const outcomeIs = (...codes: string[]) => (payload: Record<string, unknown>) => codes.includes(String(payload.outcome));
/** For the form: a field of these outcomes only, shown while no outcome is chosen yet. */
const onlyFor =
  (...codes: string[]) =>
  (payload: Record<string, unknown>) =>
    payload.outcome ? outcomeIs(...codes)(payload) : undefined;

const fields = {
  outcome: choice({ label: '办理结果', choices: DECISION_CHOICES, help: '一个办理结果、一个法律依据（第三十六条至第三十九条、第四十一条）' }),
  disclosureMode: choice({
    label: '公开方式',
    choices: DISCLOSURE_MODE_TERMS,
    optional: true,
    relevantWhen: onlyFor(Outcome.Disclosed),
    help: '予以公开的：已主动公开的告知获取途径（第三十六条第（一）项），否则向申请人提供（第（二）项，默认）',
  }),
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
    relevantWhen: onlyFor(Outcome.Disclosed, Outcome.Partial),
    help: '已公开的告知获取途径；提供的写明提供的内容、方式和时间（第三十六条第（一）（二）项）',
  }),
  withheld: text({ label: '不予公开的部分', max: 5000, multiline: true, optional: true, relevantWhen: onlyFor(Outcome.Partial), help: '部分公开的，写明不予公开的部分及其理由（第三十七条）' }),
  withheldBasis: choice({
    label: '不予公开部分的依据',
    choices: WITHHOLDING_BASIS_CHOICES,
    optional: true,
    requiredWhen: { when: outcomeIs(Outcome.Partial), because: '部分公开的' },
    relevantWhen: onlyFor(Outcome.Partial),
    help: '第十四条、第十五条或第十六条规定的情形之一（第三十七条）',
  }),
  responsibleAgency: group({
    label: '负责公开（或更正）该信息的机关',
    optional: true,
    requiredWhen: {
      when: (payload) => outcomeIs('correction.forwarded')(payload) || (outcomeIs(Outcome.UnavailableNotResponsible)(payload) && !payload.responsibleAgencyUndetermined),
      because: (payload) => (outcomeIs('correction.forwarded')(payload) ? '转送有权更正的机关的' : '不属于本机关负责公开、又未说明无法确定负责机关的理由的'),
    },
    relevantWhen: onlyFor(Outcome.UnavailableNotResponsible, 'correction.forwarded'),
    help: '能够确定负责机关的，告知其名称和联系方式（第三十六条第（五）项、第四十一条）',
    fields: {
      name: text({ label: '机关名称', max: 200 }),
      contact: text({ label: '联系方式', max: 200, optional: true }),
    },
  }),
  responsibleAgencyUndetermined: text({
    label: '无法确定负责机关的理由',
    max: 2000,
    multiline: true,
    optional: true,
    relevantWhen: onlyFor(Outcome.UnavailableNotResponsible),
    help: '不属于本机关负责公开、且无法确定负责公开的机关的，说明理由（第三十六条第（五）项）',
  }),
  duplicateOf: earlierCase({
    label: '在先申请的案件编号',
    optional: true,
    requiredWhen: { when: outcomeIs(Outcome.NotProcessedDuplicate), because: '重复申请的' },
    relevantWhen: onlyFor(Outcome.NotProcessedDuplicate),
    help: '本申请所重复的、已答复的同一申请人的在先申请（第三十六条第（六）项）',
  }),
  disclosedFileIds: files({
    label: '提供的政府信息（文件）',
    maxItems: 20,
    optional: true,
    relevantWhen: onlyFor(Outcome.Disclosed, Outcome.Partial),
    help: '予以公开或部分公开、向申请人提供的文件：先上传为本案附件；答复书逐一列明，申请人可凭案件编号和查询码在网上下载（第四十条）',
  }),
  consultationNotNeededReason: text({
    label: '无需征求第三方意见的理由',
    max: 2000,
    multiline: true,
    optional: true,
    relevantWhen: onlyFor(Outcome.WithheldThirdParty, Outcome.Partial),
    help: '保护第三方合法权益而未征求第三方意见的，说明理由（第三十二条）' }),
  publicInterestOverride: text({
    label: '不公开可能对公共利益造成重大影响的理由',
    max: 5000,
    multiline: true,
    optional: true,
    relevantWhen: onlyFor(Outcome.Disclosed, Outcome.Partial),
    help: '第三方不同意公开而决定公开的，写明理由，并书面告知第三方（第三十二条）',
  }),
};

/** The facts of an earlier case that Art. 36(6) asks about, supplied by the service from the database. */
export interface EarlierRequestFacts {
  caseNumber: string;
  /** The same applicant (the identity number's blind index). */
  sameApplicant: boolean;
  /** The day the earlier case was answered with a reply, or null while it is unanswered (or reopened). */
  answeredAt: IsoDate | null;
}

/** A file given to the applicant with the reply, as the service found it among the case's attachments. */
export interface DisclosedFile {
  id: string;
  filename: string;
  sizeBytes: number;
  sha256: string;
}

export type DecideEvent = MachineEvent<'DECIDE', typeof fields, { earlierRequest?: EarlierRequestFacts; disclosedFiles?: DisclosedFile[] }>;

export const decide = declareEvent<DecideEvent>({
  type: 'DECIDE',
  label: '拟办答复',
  description: '承办人拟定办理结果、理由和答复书，送法制审核',
  article: '第三十六条至第三十九条',
  origin: 'staff',
  roles: ['handler'],
  fields,
  // A returned draft reopens the decision as it was sent to review (the reviewer's comment is on the case page beside it).
  prefill: (_context, log) => {
    const last = [...log].reverse().find((step) => step.type === 'DECIDE');
    if (!last) return {};
    const { earlierRequest: _facts, ...sent } = last.payload;
    return Object.fromEntries(Object.entries(sent).filter(([name]) => Object.hasOwn(fields, name)));
  },
  // One outcome, one ground (rules.md §4): fields that belong to another outcome are refused with the payload (400).
  check: (payload) => {
    const problems: string[] = [];
    if (outcomeIs(Outcome.UnavailableNotHeld)(payload) && payload.responsibleAgency) {
      problems.push(
        '“经检索没有所申请的信息”（第三十六条第（四）项）与“不属于本机关负责公开”（第三十六条第（五）项）是不同的答复，不能同时援引：信息由其他机关负责公开的，办理结果应选“不属于本机关负责公开”',
      );
    }
    if (payload.withheldBasis && !outcomeIs(Outcome.Partial)(payload)) problems.push('不予公开部分的依据只适用于部分公开（第三十七条）');
    if (payload.disclosureMode && !outcomeIs(Outcome.Disclosed)(payload)) problems.push('公开方式只适用于予以公开（第三十六条第（一）（二）项）');
    if ((payload.disclosedFileIds as string[] | undefined)?.length && !outcomeIs(Outcome.Disclosed, Outcome.Partial)(payload)) {
      problems.push('提供的政府信息（文件）只适用于予以公开或部分公开');
    }
    return problems;
  },
  // rules.md §4, last column: what must be on record before each outcome can be decided (409 naming it).
  refusals: (context, event) => {
    const problems: string[] = [];
    const { outcome } = event;
    // Art. 41: a correction request has its own outcomes; an OGI application cannot take them, nor the reverse.
    if (context.requestType === 'correction' && !isCorrectionOutcome(outcome)) return ['更正申请（第四十一条）的办理结果应为予以更正、转送、告知向有权机关提出或不予更正之一'];
    if (context.requestType === 'disclosure' && isCorrectionOutcome(outcome)) return ['更正类办理结果只用于政府信息更正申请（第四十一条）'];
    if (outcome === Outcome.UnavailableNotHeld && context.searchRecordCount === 0) {
      problems.push('缺少检索记录：决定“经检索没有所申请的信息”前须记录检索情况（最高人民法院指导案例101号）');
    }
    if (outcome === Outcome.UnavailableUnclearAfterSupplement && !(context.supplementRequestedAt && context.supplementReceivedAt)) {
      problems.push('“补正后申请内容仍不明确”须先有补正告知和申请人的补正（第三十条）');
    }
    const protectsThirdParty = outcome === Outcome.WithheldThirdParty || (outcome === Outcome.Partial && event.withheldBasis === Outcome.WithheldThirdParty);
    if (protectsThirdParty && !context.consultations.some((consultation) => consultation.kind === 'third_party') && !event.consultationNotNeededReason?.trim()) {
      problems.push('“保护第三方合法权益”须先征求第三方意见，或说明无需征求意见的理由（第三十二条）');
    }
    // Art. 32: over the third party's objection, information concerning it is disclosed only for the public interest. A
    // partial disclosure that withholds the third party's part (its basis withheld.third_party) honours the objection.
    const lastThirdParty = [...context.consultations].reverse().find((consultation) => consultation.kind === 'third_party');
    const disclosesOverObjection = outcome === Outcome.Disclosed || (outcome === Outcome.Partial && event.withheldBasis !== Outcome.WithheldThirdParty);
    if (disclosesOverObjection && lastThirdParty?.answer === 'objection' && !event.publicInterestOverride?.trim()) {
      problems.push('第三方不同意公开：须写明不公开可能对公共利益造成重大影响的理由，并书面告知第三方（第三十二条）');
    }
    if (outcome === Outcome.NotProcessedExcessive) {
      if (!context.reasonsRequestedAt) problems.push('“无正当理由大量反复申请”须先要求申请人说明理由（第三十五条）');
      else if (context.excessiveFinding !== 'unreasonable' && context.excessiveFinding !== 'no_answer') {
        problems.push('“无正当理由大量反复申请”须先认定申请人未说明理由或理由不合理（第三十五条）');
      }
    }
    // Art. 36(6): 不予重复处理 only when the agency "已就申请人提出的政府信息公开申请作出答复" — the same applicant's earlier
    // request, already answered with a reply. An unanswered one, or another applicant's, is no ground.
    const earlier = event.earlierRequest;
    if (outcome === Outcome.NotProcessedDuplicate && earlier) {
      if (!earlier.sameApplicant) problems.push(`在先申请 ${earlier.caseNumber} 不是同一申请人提出的，不属于重复申请（第三十六条第（六）项）`);
      if (!earlier.answeredAt || earlier.answeredAt > event.at) {
        problems.push(`本机关尚未对在先申请 ${earlier.caseNumber} 作出答复，不属于重复申请（第三十六条第（六）项：已就申请作出答复的，不予重复处理）`);
      }
    }
    return problems;
  },
  record: (_context, event) => ({
    outcome: event.outcome,
    decidedAt: event.at,
    // Art. 32: disclosing over a third party's objection: the head's signature sends the 公开决定告知书.
    disclosureOverObjection: (event.outcome === Outcome.Disclosed || event.outcome === Outcome.Partial) && Boolean(event.publicInterestOverride?.trim()),
  }),
  effects: () => [draftTheReply()],
});
