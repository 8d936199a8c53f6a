// The statutory prerequisites the machine's guards enforce. Each function answers the list of what is missing,
// in words a person can act on, so a refused event can say why (HTTP 409).
import type { CaseContext } from './case-context';
import type {
  AnswerAssistanceEvent,
  AssignEvent,
  DecideEvent,
  ExtendEvent,
  FeeLapsedEvent,
  RecordReasonsEvent,
  SetLaterReplyDateEvent,
  SupplementLapsedEvent,
} from './events';
import { isCorrectionOutcome, Outcome } from './outcomes';

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
  if (outcome === Outcome.UnavailableUnclearAfterSupplement && !(context.supplementRequestedAt && context.supplementReceivedAt)) {
    problems.push('“补正后申请内容仍不明确”须先有补正告知和申请人的补正（第三十条）');
  }
  if (
    outcome === Outcome.WithheldThirdParty &&
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
  if (outcome === Outcome.NotProcessedDuplicate && !event.duplicateOf?.trim()) {
    problems.push('“重复申请”须写明所重复的在先申请的编号（第三十六条第（六）项）');
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
