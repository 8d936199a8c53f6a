import type { APPLICANT_NOTICE_TERMS, LETTER_KIND_TERMS } from '@desk/vocabulary';

// What a step asks the service to do, in the same transaction as the event (CONVENTIONS 16): data, never side effects.
// The machine returns them from the pure transition; the service carries each out (letters, the proactive entry).

/**
 * The notices a step issues at once (rules.md §9): every letter kind but the replies, which go through review, and the
 * 公开决定告知书, which the head's signature sends (its own intent).
 */
export type NoticeKind = Exclude<(typeof LETTER_KIND_TERMS)[number]['code'], 'reply' | 'correction_reply' | 'disclosure_decision_notice'>;

export type Intent =
  /**
   * Render, number and freeze a notice; `facts` are the step's own, the clock's due date is added by the service; a
   * notice that tells the applicant a decision (a lapse: not processed further) names its outcome for the remedy clause.
   */
  | { type: 'issue_notice'; kind: NoticeKind; facts: Record<string, unknown> } & NoticeOptions
  /** The reply's draft, from the decision, goes to legal review (合法性审查). */
  | { type: 'draft_reply' }
  /** A review round of the draft reply, at legal's 合法性审查 or the head's 签发. */
  | { type: 'review_reply'; decision: 'approve' | 'return'; step: 'legal' | 'head' }
  /** Issue the signed reply with its 文号. */
  | { type: 'issue_reply' }
  /** Art. 32: the 公开决定告知书 to the objecting third party, when the head signs a disclosure over its objection. */
  | { type: 'issue_disclosure_decision_notice' }
  /** Art. 44: publish the information on the 依申请公开转主动公开 list. */
  | { type: 'publish_proactively' }
  /** Facts the step adds to its own entry in the event log (the clock and the reports read the log). */
  | { type: 'note_in_log'; facts: Record<string, unknown> }
  /**
   * Tell the applicant (email, SMS: the outbox) that this happened, if the applicant asked for it on the form: with the
   * case number and a link to the tracking page, never the 查询码.
   */
  | { type: 'tell_applicant'; about: ApplicantNoticeKind };

/** What an applicant may be told when it happens (the vocabulary's APPLICANT_NOTICE_TERMS). */
export type ApplicantNoticeKind = (typeof APPLICANT_NOTICE_TERMS)[number]['code'];

export interface NoticeOptions {
  /** To whom, when not the applicant (a third party, another agency). */
  addressee?: string;
  /** The decision a notice tells (a lapse: not processed further), for its remedy clause. */
  decisionOutcome?: string;
  /** The notice states the reply's due date after the step (`newDueDate`), and whether it is provisional (rules.md §3). */
  statesDueDate?: boolean;
}

export function issueNotice(kind: NoticeKind, facts: Record<string, unknown> = {}, options: NoticeOptions = {}): Intent {
  return { type: 'issue_notice', kind, facts, ...options };
}

export const draftTheReply = (): Intent => ({ type: 'draft_reply' });
export const reviewTheReply = (decision: 'approve' | 'return', step: 'legal' | 'head'): Intent => ({ type: 'review_reply', decision, step });
export const issueTheReply = (): Intent => ({ type: 'issue_reply' });
export const noteInLog = (facts: Record<string, unknown>): Intent => ({ type: 'note_in_log', facts });
export const noticeToTheThirdParty = (): Intent => ({ type: 'issue_disclosure_decision_notice' });
export const publishTheInformation = (): Intent => ({ type: 'publish_proactively' });
export const tellTheApplicant = (about: ApplicantNoticeKind): Intent => ({ type: 'tell_applicant', about });
