import type { ConsultationAnswer, ExcessiveFinding } from './vocabulary';
import type { AnyOutcomeCode, RequestType } from './outcomes';
import type { Channel, ConsultationKind, IsoDate } from './vocabulary';

/** What the guards need to know; everything else lives in the event log. JSON values only. */
export interface CaseContext {
  requestType: RequestType;
  channel: Channel | null;
  receivedAt: IsoDate | null;
  handler: string | null;
  supplementRequestedAt: IsoDate | null;
  supplementReceivedAt: IsoDate | null;
  openConsultation: { kind: ConsultationKind; party: string; startedAt: IsoDate } | null;
  consultations: { kind: ConsultationKind; party: string; startedAt: IsoDate; endedAt: IsoDate; answer: ConsultationAnswer | null }[];
  /** 协办 requests to other departments and whether they were answered. */
  assistRequests: { requestId: string; department: string; answeredAt: IsoDate | null }[];
  /** Art. 35: when reasons were asked for, and the agency's finding. */
  reasonsRequestedAt: IsoDate | null;
  excessiveFinding: ExcessiveFinding | null;
  extensionRequestedAt: IsoDate | null;
  searchRecordCount: number;
  feeNoticeAt: IsoDate | null;
  feePaidAt: IsoDate | null;
  /** Art. 35: the later reply date the agency set, or null. */
  laterReplyDate: IsoDate | null;
  /** Working days granted by the one extension of the current reply clock (Art. 33 ¶2), or null. */
  extendedWorkingDays: number | null;
  outcome: AnyOutcomeCode | null;
  decidedAt: IsoDate | null;
  /** Art. 32: the decision discloses over a third party's objection (publicInterestOverride); absent in older snapshots. */
  disclosureOverObjection?: boolean;
  /** Art. 32: the day the 公开决定告知书 went to the third party (the head's signature); absent in older snapshots. */
  thirdPartyNoticeAt?: IsoDate | null;
  returnCount: number;
  concludedAt: IsoDate | null;
  replyServedAt: IsoDate | null;
  reopenCount: number;
}

export const INITIAL_CONTEXT: CaseContext = {
  requestType: 'disclosure',
  channel: null,
  receivedAt: null,
  handler: null,
  supplementRequestedAt: null,
  supplementReceivedAt: null,
  openConsultation: null,
  consultations: [],
  assistRequests: [],
  reasonsRequestedAt: null,
  excessiveFinding: null,
  extensionRequestedAt: null,
  searchRecordCount: 0,
  feeNoticeAt: null,
  feePaidAt: null,
  laterReplyDate: null,
  extendedWorkingDays: null,
  outcome: null,
  decidedAt: null,
  disclosureOverObjection: false,
  thirdPartyNoticeAt: null,
  returnCount: 0,
  concludedAt: null,
  replyServedAt: null,
  reopenCount: 0,
};
