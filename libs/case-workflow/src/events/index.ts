// The registry of event declarations: one per event type. Anything typed by CaseEventType (roles, enrichers, forms,
// OpenAPI) reads them from here, so a new event is a declaration (and a transition in the machine).
import { isIsoDate } from '@desk/calendar';
import type { IsoDate } from '../vocabulary';
import { answerAssistance, type AnswerAssistanceEvent } from './answer-assistance';
import { approve, type ApproveEvent } from './approve';
import { assign, type AssignEvent } from './assign';
import { confirmReceipt, type ConfirmReceiptEvent } from './confirm-receipt';
import type { EventDeclaration } from './declaration';
import { decide, type DecideEvent } from './decide';
import { decideProactive, type DecideProactiveEvent } from './decide-proactive';
import { endConsultation, type EndConsultationEvent } from './end-consultation';
import { extend, type ExtendEvent } from './extend';
import { feeLapsed, type FeeLapsedEvent } from './fee-lapsed';
import { parseFields, fieldsSchema, type JsonSchema } from './fields';
import { issueReply, type IssueReplyEvent } from './issue-reply';
import { receiveSupplement, type ReceiveSupplementEvent } from './receive-supplement';
import { recordFeePayment, type RecordFeePaymentEvent } from './record-fee-payment';
import { recordReasons, type RecordReasonsEvent } from './record-reasons';
import { recordSearch, type RecordSearchEvent } from './record-search';
import { recordService, type RecordServiceEvent } from './record-service';
import { register, type RegisterEvent } from './register';
import { reopen, type ReopenEvent } from './reopen';
import { requestAssistance, type RequestAssistanceEvent } from './request-assistance';
import { requestExtension, type RequestExtensionEvent } from './request-extension';
import { requestReasons, type RequestReasonsEvent } from './request-reasons';
import { requestSupplement, type RequestSupplementEvent } from './request-supplement';
import { returnDraft, type ReturnEvent } from './return';
import { sendFeeNotice, type SendFeeNoticeEvent } from './send-fee-notice';
import { setLaterReplyDate, type SetLaterReplyDateEvent } from './set-later-reply-date';
import { startConsultation, type StartConsultationEvent } from './start-consultation';
import { submitOnline, type SubmitOnlineEvent } from './submit-online';
import { supplementLapsed, type SupplementLapsedEvent } from './supplement-lapsed';
import { withdraw, type WithdrawEvent } from './withdraw';

export type * from './answer-assistance';
export type * from './approve';
export type * from './assign';
export type * from './confirm-receipt';
export type * from './decide';
export type * from './decide-proactive';
export type * from './end-consultation';
export type * from './extend';
export type * from './fee-lapsed';
export type * from './issue-reply';
export type * from './receive-supplement';
export type * from './record-fee-payment';
export type * from './record-reasons';
export type * from './record-search';
export type * from './record-service';
export type * from './register';
export type * from './reopen';
export type * from './request-assistance';
export type * from './request-extension';
export type * from './request-reasons';
export type * from './request-supplement';
export type * from './return';
export type * from './send-fee-notice';
export type * from './set-later-reply-date';
export type * from './start-consultation';
export type * from './submit-online';
export type * from './supplement-lapsed';
export type * from './withdraw';
export * from './declaration';
export * from './fields';
export * from './forms';
export * from './intents';
export { MAX_EXTENSION_WORKING_DAYS } from './request-extension';

export type CaseEvent =
  | SubmitOnlineEvent
  | RegisterEvent
  | ConfirmReceiptEvent
  | AssignEvent
  | RequestAssistanceEvent
  | AnswerAssistanceEvent
  | RequestSupplementEvent
  | ReceiveSupplementEvent
  | SupplementLapsedEvent
  | StartConsultationEvent
  | EndConsultationEvent
  | RequestExtensionEvent
  | ExtendEvent
  | SendFeeNoticeEvent
  | RecordFeePaymentEvent
  | FeeLapsedEvent
  | RequestReasonsEvent
  | RecordReasonsEvent
  | SetLaterReplyDateEvent
  | RecordSearchEvent
  | DecideEvent
  | ApproveEvent
  | ReturnEvent
  | IssueReplyEvent
  | RecordServiceEvent
  | DecideProactiveEvent
  | WithdrawEvent
  | ReopenEvent;

export type CaseEventType = CaseEvent['type'];
export type EventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;

/** Every event type's declaration; the compiler names any event type without one, or one of the wrong shape. */
export const EVENT_DECLARATIONS = {
  SUBMIT_ONLINE: submitOnline,
  REGISTER: register,
  CONFIRM_RECEIPT: confirmReceipt,
  ASSIGN: assign,
  REQUEST_ASSISTANCE: requestAssistance,
  ANSWER_ASSISTANCE: answerAssistance,
  REQUEST_SUPPLEMENT: requestSupplement,
  RECEIVE_SUPPLEMENT: receiveSupplement,
  SUPPLEMENT_LAPSED: supplementLapsed,
  START_CONSULTATION: startConsultation,
  END_CONSULTATION: endConsultation,
  REQUEST_EXTENSION: requestExtension,
  EXTEND: extend,
  SEND_FEE_NOTICE: sendFeeNotice,
  RECORD_FEE_PAYMENT: recordFeePayment,
  FEE_LAPSED: feeLapsed,
  REQUEST_REASONS: requestReasons,
  RECORD_REASONS: recordReasons,
  SET_LATER_REPLY_DATE: setLaterReplyDate,
  RECORD_SEARCH: recordSearch,
  DECIDE: decide,
  APPROVE: approve,
  RETURN: returnDraft,
  ISSUE_REPLY: issueReply,
  RECORD_SERVICE: recordService,
  DECIDE_PROACTIVE: decideProactive,
  WITHDRAW: withdraw,
  REOPEN: reopen,
} as const satisfies { [T in CaseEventType]: EventDeclaration<EventOf<T>> };

export const CASE_EVENT_TYPES = Object.keys(EVENT_DECLARATIONS) as CaseEventType[];

/** Events that create a case; they are sent by the intake routes, never through POST /api/cases/{id}/events. */
export const CREATION_EVENT_TYPES: readonly CaseEventType[] = CASE_EVENT_TYPES.filter((type) => EVENT_DECLARATIONS[type].origin === 'intake');

/** Events sent through POST /api/cases/{id}/events. */
export const STAFF_EVENT_TYPES: readonly CaseEventType[] = CASE_EVENT_TYPES.filter((type) => EVENT_DECLARATIONS[type].origin === 'staff');

export function isCaseEventType(type: unknown): type is CaseEventType {
  return typeof type === 'string' && Object.hasOwn(EVENT_DECLARATIONS, type);
}

/** The declaration of a type, read without the type parameter (for code that walks every event). */
export function declarationOf(type: CaseEventType): EventDeclaration<CaseEvent> {
  return EVENT_DECLARATIONS[type] as unknown as EventDeclaration<CaseEvent>;
}

export function eventLabel(type: string): string {
  return isCaseEventType(type) ? EVENT_DECLARATIONS[type].label : '未知事项';
}

/** The body of POST /api/cases/{id}/events as the HTTP edge reads it: type, the date it happened, the version read. */
export interface EventBody {
  type: CaseEventType;
  at?: IsoDate;
  version?: number;
  payload: Record<string, unknown>;
}

/** Fields every event body may carry besides its own (api.md). */
const COMMON_FIELDS = {
  at: { label: '日期', help: '事情发生的日期；默认今天，不得晚于今天，不得早于本案上一事项' },
  version: { label: '版本号', help: '读取案件时的版本号；与当前版本不一致时提示刷新（409）' },
} as const;

/**
 * Read a raw event body: an unknown type, a creation event, unknown fields, bad values and fields that contradict each
 * other are problems in words that name each field by its label (the HTTP edge answers them with 400). `today` is the
 * date an event without `at` happened on.
 */
export function parseEventBody(body: unknown, today: IsoDate): { ok: true; value: EventBody } | { ok: false; problems: string[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, problems: ['请求内容应为 JSON 对象'] };
  const { type, at, version, ...payload } = body as Record<string, unknown>;
  if (type === undefined || type === null || type === '') return { ok: false, problems: ['缺少办理事项的类型（type）'] };
  if (!isCaseEventType(type)) {
    return { ok: false, problems: [`不认识的办理事项类型；可以办理的事项：${STAFF_EVENT_TYPES.map((known) => EVENT_DECLARATIONS[known].label).join('、')}`] };
  }
  if (EVENT_DECLARATIONS[type].origin !== 'staff') {
    return { ok: false, problems: [`“${EVENT_DECLARATIONS[type].label}”不能通过办理事项接口记录：请使用申请登记或网上申请`] };
  }
  const problems: string[] = [];
  if (at !== undefined && !isIsoDate(at)) {
    problems.push(`${COMMON_FIELDS.at.label} 应为有效日期（年-月-日，如 2025-09-26）`);
  }
  if (version !== undefined && !(typeof version === 'number' && Number.isInteger(version) && version >= 1)) problems.push(`${COMMON_FIELDS.version.label} 应为正整数`);
  const declaration = EVENT_DECLARATIONS[type] as EventDeclaration;
  const parsed = parseFields(declaration.fields, payload);
  problems.push(...parsed.problems);
  if (!parsed.problems.length && !problems.length) problems.push(...(declaration.check?.(parsed.value, (at as IsoDate | undefined) ?? today) ?? []));
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { type, ...(at !== undefined ? { at: at as IsoDate } : {}), ...(version !== undefined ? { version: version as number } : {}), payload: parsed.value } };
}

/** The OpenAPI schema of one event's body: its type, the common fields, and its own. */
export function eventBodySchema(type: CaseEventType): JsonSchema {
  const declaration = EVENT_DECLARATIONS[type];
  const own = fieldsSchema(declaration.fields);
  return {
    ...own,
    title: declaration.label,
    description: `${declaration.description}${declaration.article ? `（${declaration.article}）` : ''}`,
    required: ['type', ...((own.required as string[] | undefined) ?? [])],
    properties: {
      type: { type: 'string', enum: [type], description: declaration.label },
      at: { type: 'string', format: 'date', title: COMMON_FIELDS.at.label, description: COMMON_FIELDS.at.help },
      version: { type: 'integer', minimum: 1, title: COMMON_FIELDS.version.label, description: COMMON_FIELDS.version.help },
      ...(own.properties as Record<string, JsonSchema>),
    },
  };
}
