// The statutory prerequisites the machine's guards enforce. Each function answers the list of what is missing,
// in words a person can act on, so a refused event can say why (HTTP 409).
import type { CaseContext } from './case-context';
import type {
  AnswerAssistanceEvent,
  AssignEvent,
  DecideEvent,
  ExtendEvent,
  FeeLapsedEvent,
  IssueReplyEvent,
  RecordReasonsEvent,
  SendFeeNoticeEvent,
  SetLaterReplyDateEvent,
  StartConsultationEvent,
  SupplementLapsedEvent,
} from './events';
import { isCorrectionOutcome, isWithholdingBasis, Outcome, OUTCOME_INFO, type OutcomeCode } from './outcomes';

export const MAX_EXTENSION_WORKING_DAYS = 20;

/** Art. 30: the 补正 notice is given once, listing everything at one time (一次性告知). */
export function supplementRequestProblems(context: CaseContext): string[] {
  return context.supplementRequestedAt
    ? [`补正告知已于 ${context.supplementRequestedAt} 发出，只能一次性告知（第三十条）`]
    : [];
}

/** Art. 33 ¶2: one extension per reply clock. */
export function extensionStateProblems(context: CaseContext): string[] {
  return context.extendedWorkingDays !== null
    ? [`答复期限已延长 ${context.extendedWorkingDays} 个工作日，延长只能一次（第三十三条第二款）`]
    : [];
}

/** Art. 33 ¶2: at most 20 working days, approved before the original due date. */
export function extensionProblems(context: CaseContext, event: ExtendEvent): string[] {
  const problems = extensionStateProblems(context);
  if (!Number.isInteger(event.workingDays) || event.workingDays < 1 || event.workingDays > MAX_EXTENSION_WORKING_DAYS) {
    problems.push(`延长期限应为 1 至 ${MAX_EXTENSION_WORKING_DAYS} 个工作日（第三十三条第二款）`);
  }
  if (event.at > event.dueDate) {
    problems.push(`延期须在答复期限届满前批准：答复期限为 ${event.dueDate}，批准日期 ${event.at} 已逾期（第三十三条第二款）`);
  }
  if (!event.reason?.trim()) problems.push('延期须写明理由');
  return problems;
}

/**
 * rules.md §3: a period that has run out stays run out. An event that would move the due date (a pause, an Art. 35
 * date) counts only on or before the due date in force; after it, it is refused rather than let an overdue case look
 * on time.
 */
function lateProblems(at: string, dueDate: string | null | undefined, what: string, rule: string): string[] {
  if (!dueDate || at <= dueDate) return [];
  return [`答复期限已于 ${dueDate} 届满，${at} ${what}不能再使期限顺延或暂停：已届满的期限不能事后变更（${rule}）`];
}

/** Art. 33 ¶3: only a consultation sent within the reply period stands the clock still. */
export function consultationStartProblems(_context: CaseContext, event: StartConsultationEvent): string[] {
  return lateProblems(event.at, event.dueDate, event.kind === 'agency' ? '征求其他机关意见' : '征求第三方意见', '第三十三条第三款');
}

/** 国办函〔2020〕109号: one fee notice per application, sent within the reply period. */
export function feeNoticeEventProblems(context: CaseContext, event: SendFeeNoticeEvent): string[] {
  return [...feeNoticeProblems(context), ...lateProblems(event.at, event.dueDate, '发出收费通知', '国办函〔2020〕109号：收费通知应在答复期限内发出')];
}

/**
 * Art. 32: after the 公开决定告知书 the third party has a period to seek relief (法释〔2011〕17号 Art. 11: a court may
 * stop the disclosure) before the information goes to the applicant, so the reply issues only after that period.
 */
export function replyIssueProblems(context: CaseContext, event: IssueReplyEvent): string[] {
  if (!context.thirdPartyNoticeAt) return [];
  if (!event.thirdPartyReliefEnds) return ['尚未确定第三方寻求救济的期限（第三十二条）'];
  if (event.at <= event.thirdPartyReliefEnds) {
    return [
      `已于 ${context.thirdPartyNoticeAt} 向第三方发出公开决定告知书，须待第三方寻求救济的期限（至 ${event.thirdPartyReliefEnds}）届满后，` +
        `方可向申请人出具答复（第三十二条；法释〔2011〕17号第十一条）`,
    ];
  }
  return [];
}

/** Art. 30: deemed abandoned only once the supplement period has run out. */
export function supplementLapseProblems(context: CaseContext, event: SupplementLapsedEvent): string[] {
  if (!context.supplementRequestedAt) return ['尚未发出补正告知'];
  return event.at > event.supplementDueDate ? [] : [`补正期限至 ${event.supplementDueDate} 届满，尚未逾期（第三十条）`];
}

/** rules.md §4, last column: what must be on record before each outcome can be decided. */
export function decisionProblems(context: CaseContext, event: DecideEvent): string[] {
  const problems: string[] = [];
  const { outcome } = event;
  // Art. 41: a correction request has its own outcomes; an OGI application cannot take them, nor the reverse.
  if (context.requestType === 'correction' && !isCorrectionOutcome(outcome)) {
    problems.push('更正申请（第四十一条）的办理结果应为 correction.* 之一');
    return problems;
  }
  if (context.requestType === 'disclosure' && isCorrectionOutcome(outcome)) {
    problems.push('correction.* 只用于更正申请（第四十一条）');
    return problems;
  }
  if (isCorrectionOutcome(outcome)) {
    if (outcome !== 'correction.corrected' && !event.reasons?.trim()) problems.push('须写明理由（第四十一条）');
    if (outcome === 'correction.forwarded' && !event.responsibleAgency?.name?.trim()) problems.push('转送的，须写明有权更正的机关（第四十一条）');
    return problems;
  }
  if (outcome === Outcome.OtherNoSupplement) {
    problems.push('“逾期不补正”由补正期限届满（SUPPLEMENT_LAPSED）记录，不能作为答复决定');
  }
  if (outcome === Outcome.OtherFeeUnpaid) {
    problems.push('“逾期未缴费”由缴费期限届满记录，不能作为答复决定');
  }
  if (outcome !== Outcome.Disclosed && !event.reasons?.trim()) {
    problems.push('除“予以公开”外，答复决定须写明理由（第三十六条、第三十七条）');
  }
  if ((outcome === Outcome.Disclosed || outcome === Outcome.Partial) && !event.provided?.trim()) {
    problems.push('须写明提供的信息及提供方式，或已公开信息的获取途径（第三十六条第（一）（二）项）');
  }
  if (outcome === Outcome.UnavailableNotHeld && context.searchRecordCount === 0) {
    problems.push('缺少检索记录：决定“本机关不掌握相关政府信息”前须记录检索情况（RECORD_SEARCH；最高人民法院指导案例101号）');
  }
  // One outcome, one ground (rules.md §4): "not held" (36(4)) and "not ours" (36(5)) are different decisions.
  if (outcome === Outcome.UnavailableNotHeld && event.responsibleAgency?.name?.trim()) {
    problems.push(
      '“经检索没有所申请公开信息”（第三十六条第（四）项）与“不属于本机关负责公开”（第三十六条第（五）项）是不同的答复，不能同时援引：' +
        '信息由其他机关负责公开的，办理结果应为 unavailable.not_responsible（不属于本机关负责公开）',
    );
  }
  if (outcome === Outcome.UnavailableNotResponsible && !event.responsibleAgency?.name?.trim() && !event.responsibleAgencyUndetermined?.trim()) {
    problems.push('“不属于本机关负责公开”须告知负责公开该信息的行政机关的名称、联系方式，或者说明无法确定的理由（第三十六条第（五）项）');
  }
  if (outcome === Outcome.Partial) {
    if (!event.withheldBasis) {
      problems.push('部分公开须写明不予公开部分的依据（不予公开的类别：第十四条、第十五条或第十六条）（第三十七条）');
    } else if (!isWithholdingBasis(event.withheldBasis)) {
      problems.push(`不予公开部分的依据应为第十四条、第十五条或第十六条规定的情形之一，不能是“${OUTCOME_INFO[event.withheldBasis as OutcomeCode]?.reportRow ?? event.withheldBasis}”（第三十七条）`);
    }
  } else if (event.withheldBasis) {
    problems.push('不予公开部分的依据只适用于部分公开（第三十七条）');
  }
  if (outcome === Outcome.UnavailableUnclearAfterSupplement && !(context.supplementRequestedAt && context.supplementReceivedAt)) {
    problems.push('“补正后申请内容仍不明确”须先有补正告知和申请人的补正（第三十条）');
  }
  if (
    (outcome === Outcome.WithheldThirdParty || (outcome === Outcome.Partial && event.withheldBasis === Outcome.WithheldThirdParty)) &&
    !context.consultations.some((consultation) => consultation.kind === 'third_party') &&
    !event.consultationNotNeededReason?.trim()
  ) {
    problems.push('“保护第三方合法权益”须先征求第三方意见（START_CONSULTATION / END_CONSULTATION），或说明无需征求意见的理由（第三十二条）');
  }
  const lastThirdParty = [...context.consultations].reverse().find((consultation) => consultation.kind === 'third_party');
  if ((outcome === Outcome.Disclosed || outcome === Outcome.Partial) && lastThirdParty?.answer === 'objection' && !event.publicInterestOverride?.trim()) {
    problems.push('第三方不同意公开：须写明不公开可能对公共利益造成重大影响的理由（publicInterestOverride），并书面告知第三方（第三十二条）');
  }
  if (outcome === Outcome.NotProcessedExcessive) {
    if (!context.reasonsRequestedAt) problems.push('“无正当理由大量反复申请”须先要求申请人说明理由（REQUEST_REASONS，第三十五条）');
    else if (context.excessiveFinding !== 'unreasonable' && context.excessiveFinding !== 'no_answer') {
      problems.push('“无正当理由大量反复申请”须先认定申请人未说明理由或理由不合理（RECORD_REASONS，第三十五条）');
    }
  }
  if (outcome === Outcome.NotProcessedDuplicate) {
    if (!event.duplicateOf?.trim()) problems.push('“重复申请”须写明所重复的在先申请的编号（第三十六条第（六）项）');
    problems.push(...duplicateProblems(event));
  }
  return problems;
}

/**
 * Art. 36(6): 不予重复处理 only when the agency "已就申请人提出的政府信息公开申请作出答复" — the same applicant's earlier
 * request, already answered with a reply. An unanswered one, or another applicant's, is no ground.
 */
export function duplicateProblems(event: DecideEvent): string[] {
  const earlier = event.earlierRequest;
  if (!event.duplicateOf?.trim() || !earlier) return [];
  const problems: string[] = [];
  if (!earlier.sameApplicant) problems.push(`在先申请 ${earlier.caseNumber} 不是同一申请人提出的，不属于重复申请（第三十六条第（六）项）`);
  if (!earlier.answeredAt || earlier.answeredAt > event.at) {
    problems.push(`本机关尚未对在先申请 ${earlier.caseNumber} 作出答复，不属于重复申请（第三十六条第（六）项：已就申请作出答复的，不予重复处理）`);
  }
  return problems;
}

/** 国办函〔2020〕109号: one fee notice per application. */
export function feeNoticeProblems(context: CaseContext): string[] {
  return context.feeNoticeAt ? [`收费通知已于 ${context.feeNoticeAt} 发出，同一申请只能收费一次`] : [];
}

/** Deemed abandoned only once the 20-working-day payment period has run out. */
export function feeLapseProblems(context: CaseContext, event: FeeLapsedEvent): string[] {
  if (!context.feeNoticeAt) return ['尚未发出收费通知'];
  return event.at > event.feeDueDate ? [] : [`缴费期限至 ${event.feeDueDate} 届满，尚未逾期（国办函〔2020〕109号）`];
}

/** Art. 35: one later reply date, after the day it is set, once the reasons were found reasonable. */
export function laterReplyDateStateProblems(context: CaseContext): string[] {
  if (context.laterReplyDate) return [`已确定延迟答复的期限 ${context.laterReplyDate}（第三十五条）`];
  if (context.excessiveFinding !== 'reasonable') return ['延迟答复须先要求申请人说明理由并认定理由合理（REQUEST_REASONS、RECORD_REASONS，第三十五条）'];
  return [];
}

export function laterReplyDateProblems(context: CaseContext, event: SetLaterReplyDateEvent): string[] {
  const problems = laterReplyDateStateProblems(context);
  if (!(event.replyBy > event.at)) problems.push(`延迟答复的期限（${event.replyBy}）应晚于作出决定之日（${event.at}）（第三十五条）`);
  // Art. 35: a later date is for a reply that cannot be given within the Art. 33 period: decided within it, and later.
  problems.push(...lateProblems(event.at, event.dueDate, '确定延迟答复期限', '第三十五条：延迟答复的期限应在答复期限内确定'));
  if (event.dueDate && event.replyBy <= event.dueDate) {
    problems.push(`延迟答复的期限（${event.replyBy}）应晚于依第三十三条计算的答复期限（${event.dueDate}）（第三十五条）`);
  }
  if (!event.reason?.trim()) problems.push('须写明申请人说明的理由及本机关的认定（第三十五条）');
  return problems;
}

/** A reassignment (改派) names its reason. */
export function assignmentProblems(context: CaseContext, event: AssignEvent): string[] {
  if (context.handler && context.handler !== event.handler && !event.reason?.trim()) {
    return [`案件已由 ${context.handler} 承办，改派须写明理由`];
  }
  return [];
}

/** Only an open 协办 request can be answered, once. */
export function assistanceAnswerProblems(context: CaseContext, event: AnswerAssistanceEvent): string[] {
  const request = context.assistRequests.find((entry) => entry.requestId === event.requestId);
  if (!request) return [`没有编号为 ${event.requestId} 的协办请求`];
  if (request.answeredAt) return [`协办请求 ${event.requestId} 已于 ${request.answeredAt} 答复`];
  return [];
}

/** Art. 35: the finding follows the request for reasons. */
export function reasonsFindingProblems(context: CaseContext, _event?: RecordReasonsEvent): string[] {
  if (!context.reasonsRequestedAt) return ['尚未要求申请人说明理由（REQUEST_REASONS，第三十五条）'];
  if (context.excessiveFinding) return [`已认定（${context.excessiveFinding}）`];
  return [];
}

/** Art. 35 asks once. */
export function reasonsRequestProblems(context: CaseContext): string[] {
  return context.reasonsRequestedAt ? [`已于 ${context.reasonsRequestedAt} 要求申请人说明理由`] : [];
}

/** Art. 33 ¶2: a request for the one extension, while none has been granted. */
export function extensionRequestProblems(context: CaseContext): string[] {
  const problems = extensionStateProblems(context);
  if (context.extensionRequestedAt) problems.push(`已于 ${context.extensionRequestedAt} 申请延期，待负责人批准`);
  return problems;
}
