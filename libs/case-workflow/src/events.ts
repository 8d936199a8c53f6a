import type { AnyOutcomeCode, DisclosureMode, RequestType } from './outcomes';
import type { Channel, ConsultationKind, IsoDate } from './vocabulary';

// Every event carries `at`: the date the thing happened (the effective date of the event log).

/** An application submitted through the online form; the receipt date is set when the office confirms it (Art. 31(3)). */
export interface SubmitOnlineEvent { type: 'SUBMIT_ONLINE'; at: IsoDate; requestType?: RequestType }
/** An application received at the desk, by post, fax, email or import; `at` is its receipt date (Art. 31). */
export interface RegisterEvent { type: 'REGISTER'; at: IsoDate; channel: Channel; requestType?: RequestType }
/** The office confirms an online application with the applicant: the receipt date (Art. 31(3)). */
export interface ConfirmReceiptEvent { type: 'CONFIRM_RECEIPT'; at: IsoDate }
/** 分办: the lead department's handler (主办); a reassignment names its reason. */
export interface AssignEvent { type: 'ASSIGN'; at: IsoDate; handler: string; reason?: string }
/** 协办: another department is asked for input by a date of its own. `requestId` is assigned by the service. */
export interface RequestAssistanceEvent { type: 'REQUEST_ASSISTANCE'; at: IsoDate; requestId: string; department: string; question: string; dueDate: IsoDate }
export interface AnswerAssistanceEvent { type: 'ANSWER_ASSISTANCE'; at: IsoDate; requestId: string; answer: string }
/** The one-time 补正 notice (Art. 30). */
export interface RequestSupplementEvent {
  type: 'REQUEST_SUPPLEMENT';
  at: IsoDate;
  items: string[];
  periodWorkingDays: number;
  /** The day the applicant received the notice: day 0 of the supplement period (rules.md §3). Defaults to `at`. */
  noticeReceivedAt?: IsoDate;
}
export interface ReceiveSupplementEvent { type: 'RECEIVE_SUPPLEMENT'; at: IsoDate }
/**
 * The supplement period ran out without a supplement (Art. 30: deemed abandoned).
 * `supplementDueDate` is supplied by the service from the clock, never by a client.
 */
export interface SupplementLapsedEvent { type: 'SUPPLEMENT_LAPSED'; at: IsoDate; supplementDueDate: IsoDate }
/** `at` is the day the letter is sent (the pause starts); `partyReceivedAt` is day 0 of the party's 15 working days. */
export interface StartConsultationEvent {
  type: 'START_CONSULTATION';
  at: IsoDate;
  kind: ConsultationKind;
  party: string;
  partyReceivedAt?: IsoDate;
  /** The due date in force before the letter, supplied by the service from the clock: a late letter pauses nothing. */
  dueDate?: IsoDate | null;
}
/** The party's answer: consent, objection (with reasons), or none within its 15 working days. */
export interface EndConsultationEvent { type: 'END_CONSULTATION'; at: IsoDate; answer?: ConsultationAnswer; summary?: string }
export type ConsultationAnswer = 'consent' | 'objection' | 'no_answer';
/** Art. 33 ¶2: the handler asks the head for an extension, with reasons. */
export interface RequestExtensionEvent { type: 'REQUEST_EXTENSION'; at: IsoDate; workingDays: number; reason: string }
/** Art. 33 ¶2: `dueDate` is the due date before the extension, supplied by the service from the clock. */
export interface ExtendEvent { type: 'EXTEND'; at: IsoDate; workingDays: number; reason: string; dueDate: IsoDate }
/** 检索记录: proof of an adequate search (SPC guiding case 101). */
/** 收费通知 (Art. 42, 国办函〔2020〕109号): 20 working days to pay from the day after the applicant receives it. */
export interface SendFeeNoticeEvent {
  type: 'SEND_FEE_NOTICE';
  at: IsoDate;
  amountYuan: number;
  noticeReceivedAt?: IsoDate;
  /** The due date in force, supplied by the service from the clock: the notice goes out within the reply period. */
  dueDate?: IsoDate | null;
}
export interface RecordFeePaymentEvent { type: 'RECORD_FEE_PAYMENT'; at: IsoDate; receiptNumber: string }
/** The payment period ran out: deemed abandoned (other.fee_unpaid). `feeDueDate` is supplied by the service from the clock. */
export interface FeeLapsedEvent { type: 'FEE_LAPSED'; at: IsoDate; feeDueDate: IsoDate }
/** Art. 35: the agency asks an applicant of a large or repeated request for its reasons. */
export interface RequestReasonsEvent { type: 'REQUEST_REASONS'; at: IsoDate; questions: string }
/** Art. 35: the applicant's answer (or none) and the agency's finding. */
export interface RecordReasonsEvent { type: 'RECORD_REASONS'; at: IsoDate; finding: ExcessiveFinding; answer?: string }
export type ExcessiveFinding = 'reasonable' | 'unreasonable' | 'no_answer';
/** Art. 35: the agency finds the reasons for a large or repeated request reasonable and sets a later reply date. */
export interface SetLaterReplyDateEvent {
  type: 'SET_LATER_REPLY_DATE';
  at: IsoDate;
  replyBy: IsoDate;
  reason: string;
  /** The due date in force (Art. 33), supplied by the service from the clock. */
  dueDate?: IsoDate | null;
}
export interface RecordSearchEvent { type: 'RECORD_SEARCH'; at: IsoDate; scope: string; terms: string; result: string }
export interface DecideEvent {
  type: 'DECIDE';
  at: IsoDate;
  outcome: AnyOutcomeCode;
  reasons?: string;
  provided?: string;
  withheld?: string;
  responsibleAgency?: { name: string; contact?: string };
  duplicateOf?: string;
  /** withheld.third_party without a consultation: why none was needed (rules.md §4). */
  consultationNotNeededReason?: string;
  /** Art. 32: disclosing despite the third party's objection, for the public interest; the third party is told in writing. */
  publicInterestOverride?: string;
  /** `disclosed`: Art. 36(1) already public, or 36(2) provided now (the default). */
  disclosureMode?: DisclosureMode;
  /** `partial` (Art. 37): the withheld part's own basis, one of WITHHOLDING_BASES. */
  withheldBasis?: string;
  /** `unavailable.not_responsible` (Art. 36(5)): why the responsible agency cannot be determined, when it cannot. */
  responsibleAgencyUndetermined?: string;
  /** `not_processed.duplicate`: what the service found about the earlier case `duplicateOf` (Art. 36(6)). */
  earlierRequest?: EarlierRequestFacts;
}

/** The facts of an earlier case that Art. 36(6) asks about, supplied by the service from the database. */
export interface EarlierRequestFacts {
  caseNumber: string;
  /** The same applicant (the identity number's blind index). */
  sameApplicant: boolean;
  /** The day the earlier case was answered with a reply, or null while it is unanswered (or reopened). */
  answeredAt: IsoDate | null;
}
export interface ApproveEvent { type: 'APPROVE'; at: IsoDate; acknowledgedRisks?: { code: string; comment: string }[] }
export interface ReturnEvent { type: 'RETURN'; at: IsoDate; comment: string }
/** `documentNumber` (文号) comes from the agency's sequence, assigned by the service. */
export interface IssueReplyEvent {
  type: 'ISSUE_REPLY';
  at: IsoDate;
  documentNumber?: string;
  /** Art. 32: the last day of the third party's relief period, supplied by the service from the clock. */
  thirdPartyReliefEnds?: IsoDate | null;
}
/** 送达 (国办公开办函〔2016〕235号): how and when the reply reached the applicant. */
export interface RecordServiceEvent {
  type: 'RECORD_SERVICE';
  at: IsoDate;
  method: ServiceMethod;
  trackingNumber?: string;
  recipient?: string;
}
export type ServiceMethod = 'direct' | 'delegated' | 'post' | 'electronic';
/** Art. 44: publish proactively or not, with the reason. */
export interface DecideProactiveEvent { type: 'DECIDE_PROACTIVE'; at: IsoDate; publish: boolean; reason: string }
export interface WithdrawEvent { type: 'WITHDRAW'; at: IsoDate; reason?: string }
/** A review decision or judgment ordered a new reply: a new reply clock from `at`. */
export interface ReopenEvent { type: 'REOPEN'; at: IsoDate; reason: string; reference?: string }

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

export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
  'SUBMIT_ONLINE',
  'REGISTER',
  'CONFIRM_RECEIPT',
  'ASSIGN',
  'REQUEST_ASSISTANCE',
  'ANSWER_ASSISTANCE',
  'REQUEST_SUPPLEMENT',
  'RECEIVE_SUPPLEMENT',
  'SUPPLEMENT_LAPSED',
  'START_CONSULTATION',
  'END_CONSULTATION',
  'REQUEST_EXTENSION',
  'EXTEND',
  'SEND_FEE_NOTICE',
  'RECORD_FEE_PAYMENT',
  'FEE_LAPSED',
  'REQUEST_REASONS',
  'RECORD_REASONS',
  'SET_LATER_REPLY_DATE',
  'RECORD_SEARCH',
  'DECIDE',
  'APPROVE',
  'RETURN',
  'ISSUE_REPLY',
  'RECORD_SERVICE',
  'DECIDE_PROACTIVE',
  'WITHDRAW',
  'REOPEN',
];

/** Events that create a case; they are sent by the intake routes, never through POST /api/cases/{id}/events. */
export const CREATION_EVENT_TYPES: readonly CaseEventType[] = ['SUBMIT_ONLINE', 'REGISTER'];
