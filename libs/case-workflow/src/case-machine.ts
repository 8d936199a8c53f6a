import { assign, setup } from 'xstate';
import { INITIAL_CONTEXT, type CaseContext } from './case-context';
import type { CaseEvent } from './events';
import { needsProactiveDecision, Outcome } from './outcomes';
import {
  assignmentProblems,
  assistanceAnswerProblems,
  consultationStartProblems,
  decisionProblems,
  extensionRequestProblems,
  extensionProblems,
  feeLapseProblems,
  feeNoticeEventProblems,
  laterReplyDateProblems,
  reasonsFindingProblems,
  reasonsRequestProblems,
  replyIssueProblems,
  supplementLapseProblems,
  supplementRequestProblems,
} from './prerequisites';

/** Bump when a state is renamed or removed; stored snapshots then need a data migration. */
export const CASE_MACHINE_VERSION = 1;

/**
 * The life of one 依申请公开 case: receive → register → handle → reply → proactive decision → closed.
 * Pure: no delays, no side effects. Deadlines are derived from the event log by the clock and sent in as events.
 */
export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
  },
  guards: {
    supplementMayBeRequested: ({ context }) => supplementRequestProblems(context).length === 0,
    supplementPeriodLapsed: ({ context, event }) =>
      event.type === 'SUPPLEMENT_LAPSED' && supplementLapseProblems(context, event).length === 0,
    extensionAllowed: ({ context, event }) => event.type === 'EXTEND' && extensionProblems(context, event).length === 0,
    decisionPrerequisitesMet: ({ context, event }) =>
      event.type === 'DECIDE' && decisionProblems(context, event).length === 0,
    feeNoticeMayBeSent: ({ context, event }) => event.type === 'SEND_FEE_NOTICE' && feeNoticeEventProblems(context, event).length === 0,
    consultationMayStart: ({ context, event }) =>
      event.type === 'START_CONSULTATION' && consultationStartProblems(context, event).length === 0,
    // Art. 32: after a 公开决定告知书, only once the third party's relief period has run.
    thirdPartyReliefPeriodOver: ({ context, event }) => event.type === 'ISSUE_REPLY' && replyIssueProblems(context, event).length === 0,
    feePeriodLapsed: ({ context, event }) => event.type === 'FEE_LAPSED' && feeLapseProblems(context, event).length === 0,
    laterReplyDateAllowed: ({ context, event }) =>
      event.type === 'SET_LATER_REPLY_DATE' && laterReplyDateProblems(context, event).length === 0,
    hasHandler: ({ context }) => context.handler !== null,
    assignmentAllowed: ({ context, event }) => event.type === 'ASSIGN' && assignmentProblems(context, event).length === 0,
    assistanceAnswerAllowed: ({ context, event }) =>
      event.type === 'ANSWER_ASSISTANCE' && assistanceAnswerProblems(context, event).length === 0,
    reasonsMayBeRequested: ({ context }) => reasonsRequestProblems(context).length === 0,
    reasonsFindingAllowed: ({ context }) => reasonsFindingProblems(context).length === 0,
    extensionMayBeRequested: ({ context }) => extensionRequestProblems(context).length === 0,
    needsNoProactiveDecision: ({ context }) => !needsProactiveDecision(context.outcome),
  },
  actions: {
    recordRegistration: assign(({ event }) =>
      event.type === 'REGISTER' ? { channel: event.channel, receivedAt: event.at, requestType: event.requestType ?? 'disclosure' } : {},
    ),
    recordOnlineSubmission: assign(({ event }) => ({
      channel: 'online' as const,
      requestType: event.type === 'SUBMIT_ONLINE' ? (event.requestType ?? 'disclosure') : 'disclosure',
    })),
    recordAssistanceRequest: assign(({ context, event }) =>
      event.type === 'REQUEST_ASSISTANCE'
        ? { assistRequests: [...context.assistRequests, { requestId: event.requestId, department: event.department, answeredAt: null }] }
        : {},
    ),
    recordAssistanceAnswer: assign(({ context, event }) =>
      event.type === 'ANSWER_ASSISTANCE'
        ? {
            assistRequests: context.assistRequests.map((entry) =>
              entry.requestId === event.requestId ? { ...entry, answeredAt: event.at } : entry,
            ),
          }
        : {},
    ),
    recordReasonsRequest: assign(({ event }) => ({ reasonsRequestedAt: event.at })),
    recordReasonsFinding: assign(({ event }) => (event.type === 'RECORD_REASONS' ? { excessiveFinding: event.finding } : {})),
    // 送达: the date the reply reached the applicant (or was handed to the post).
    recordService: assign(({ event }) => ({ replyServedAt: event.at })),
    recordExtensionRequest: assign(({ event }) => ({ extensionRequestedAt: event.at })),
    // Art. 31(3): for online applications the receipt date is the day both sides confirm.
    recordReceiptConfirmation: assign(({ event }) => ({ receivedAt: event.at })),
    recordHandler: assign(({ event }) => (event.type === 'ASSIGN' ? { handler: event.handler } : {})),
    recordSupplementRequest: assign(({ event }) => ({ supplementRequestedAt: event.at })),
    // Art. 30: the reply clock restarts from the supplement's receipt date (the clock reads it from the log).
    recordSupplementReceipt: assign(({ event }) => ({ supplementReceivedAt: event.at })),
    recordConsultationStart: assign(({ event }) =>
      event.type === 'START_CONSULTATION'
        ? { openConsultation: { kind: event.kind, party: event.party, startedAt: event.at } }
        : {},
    ),
    recordConsultationEnd: assign(({ context, event }) =>
      context.openConsultation
        ? {
            consultations: [
              ...context.consultations,
              { ...context.openConsultation, endedAt: event.at, answer: event.type === 'END_CONSULTATION' ? (event.answer ?? null) : null },
            ],
            openConsultation: null,
          }
        : {},
    ),
    recordExtension: assign(({ event }) => (event.type === 'EXTEND' ? { extendedWorkingDays: event.workingDays, extensionRequestedAt: null } : {})),
    recordFeeNotice: assign(({ event }) => ({ feeNoticeAt: event.at })),
    recordFeePayment: assign(({ event }) => ({ feePaidAt: event.at })),
    recordFeeLapse: assign(({ event }) => ({ outcome: Outcome.OtherFeeUnpaid, concludedAt: event.at })),
    recordLaterReplyDate: assign(({ event }) => (event.type === 'SET_LATER_REPLY_DATE' ? { laterReplyDate: event.replyBy } : {})),
    recordSearch: assign(({ context }) => ({ searchRecordCount: context.searchRecordCount + 1 })),
    recordDecision: assign(({ event }) =>
      event.type === 'DECIDE'
        ? {
            outcome: event.outcome,
            decidedAt: event.at,
            disclosureOverObjection: (event.outcome === Outcome.Disclosed || event.outcome === Outcome.Partial) && Boolean(event.publicInterestOverride?.trim()),
          }
        : {},
    ),
    clearDecision: assign(({ context }) => ({ outcome: null, decidedAt: null, disclosureOverObjection: false, returnCount: context.returnCount + 1 })),
    // Art. 32: the head's signature sends the 公开决定告知书 to the objecting third party.
    recordSignature: assign(({ context, event }) => (context.disclosureOverObjection ? { thirdPartyNoticeAt: event.at } : {})),
    // The case concludes on the day the reply is issued (rules.md §8: the result counts in that year).
    recordConclusion: assign(({ event }) => ({ concludedAt: event.at })),
    recordWithdrawal: assign(({ event }) => ({ outcome: Outcome.OtherOther, concludedAt: event.at, openConsultation: null })),
    recordAbandonment: assign(({ event }) => ({ outcome: Outcome.OtherNoSupplement, concludedAt: event.at })),
    // A corrected review or judgment orders a new reply: a new reply clock, a new extension allowance.
    recordReopening: assign(({ context }) => ({
      outcome: null,
      decidedAt: null,
      concludedAt: null,
      extendedWorkingDays: null,
      extensionRequestedAt: null,
      laterReplyDate: null,
      openConsultation: null,
      disclosureOverObjection: false,
      thirdPartyNoticeAt: null,
      reopenCount: context.reopenCount + 1,
    })),
  },
}).createMachine({
  id: 'case',
  initial: 'new',
  context: INITIAL_CONTEXT,
  states: {
    /** Before the first event; never persisted. */
    new: {
      on: {
        SUBMIT_ONLINE: { target: 'received', actions: 'recordOnlineSubmission' },
        REGISTER: { target: 'registered', actions: 'recordRegistration' },
      },
    },
    /** 已提交: an online application awaiting the office's confirmation of receipt. */
    received: {
      on: {
        CONFIRM_RECEIPT: { target: 'registered', actions: 'recordReceiptConfirmation' },
        WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
      },
    },
    /** 已登记: receipt date fixed, the reply clock runs. */
    registered: {
      on: {
        ASSIGN: { guard: 'assignmentAllowed', target: 'handling', actions: 'recordHandler' },
        REQUEST_SUPPLEMENT: { guard: 'supplementMayBeRequested', target: 'awaitingSupplement', actions: 'recordSupplementRequest' },
        WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
      },
    },
    /** 待补正 (Art. 30): the reply clock waits for the supplement. */
    awaitingSupplement: {
      on: {
        RECEIVE_SUPPLEMENT: [
          { guard: 'hasHandler', target: 'handling', actions: 'recordSupplementReceipt' },
          { target: 'registered', actions: 'recordSupplementReceipt' },
        ],
        SUPPLEMENT_LAPSED: { guard: 'supplementPeriodLapsed', target: 'abandoned', actions: 'recordAbandonment' },
        WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
      },
    },
    /** 办理中. */
    handling: {
      initial: 'active',
      on: {
        ASSIGN: { guard: 'assignmentAllowed', actions: 'recordHandler' },
        REQUEST_ASSISTANCE: { actions: 'recordAssistanceRequest' },
        ANSWER_ASSISTANCE: { guard: 'assistanceAnswerAllowed', actions: 'recordAssistanceAnswer' },
        RECORD_SEARCH: { actions: 'recordSearch' },
        REQUEST_EXTENSION: { guard: 'extensionMayBeRequested', actions: 'recordExtensionRequest' },
        EXTEND: { guard: 'extensionAllowed', actions: 'recordExtension' },
        REQUEST_REASONS: { guard: 'reasonsMayBeRequested', actions: 'recordReasonsRequest' },
        RECORD_REASONS: { guard: 'reasonsFindingAllowed', actions: 'recordReasonsFinding' },
        SET_LATER_REPLY_DATE: { guard: 'laterReplyDateAllowed', actions: 'recordLaterReplyDate' },
        WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
      },
      states: {
        active: {
          on: {
            REQUEST_SUPPLEMENT: {
              guard: 'supplementMayBeRequested',
              target: '#case.awaitingSupplement',
              actions: 'recordSupplementRequest',
            },
            START_CONSULTATION: { guard: 'consultationMayStart', target: 'consulting', actions: 'recordConsultationStart' },
            SEND_FEE_NOTICE: { guard: 'feeNoticeMayBeSent', target: 'awaitingFee', actions: 'recordFeeNotice' },
            DECIDE: { guard: 'decisionPrerequisitesMet', target: '#case.decided', actions: 'recordDecision' },
          },
        },
        /** 征求意见中 (Art. 32, 34): the reply clock is paused (Art. 33 ¶3). */
        consulting: {
          on: {
            END_CONSULTATION: { target: 'active', actions: 'recordConsultationEnd' },
          },
        },
        /** 待缴费: the applicant has 20 working days to pay; the reply clock pauses where the agency's setting says so. */
        awaitingFee: {
          on: {
            RECORD_FEE_PAYMENT: { target: 'active', actions: 'recordFeePayment' },
            FEE_LAPSED: { guard: 'feePeriodLapsed', target: '#case.abandoned', actions: 'recordFeeLapse' },
          },
        },
      },
    },
    /** The draft reply: 合法性审查 by legal, then 签发 by the head. Nothing is issued unreviewed. */
    decided: {
      initial: 'legalReview',
      on: {
        ANSWER_ASSISTANCE: { guard: 'assistanceAnswerAllowed', actions: 'recordAssistanceAnswer' },
        EXTEND: { guard: 'extensionAllowed', actions: 'recordExtension' },
        WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
      },
      states: {
        legalReview: {
          on: {
            APPROVE: { target: 'headApproval' },
            RETURN: { target: '#case.handling.active', actions: 'clearDecision' },
          },
        },
        headApproval: {
          on: {
            APPROVE: { target: 'signed', actions: 'recordSignature' },
            RETURN: { target: '#case.handling.active', actions: 'clearDecision' },
          },
        },
        /** 已签发: a disclosure over a third party's objection waits here for the third party's relief period (Art. 32). */
        signed: {
          on: {
            ISSUE_REPLY: { guard: 'thirdPartyReliefPeriodOver', target: '#case.replied', actions: 'recordConclusion' },
          },
        },
      },
    },
    /** 已答复: disclosed or partial replies wait here for the proactive-disclosure decision (Art. 44). */
    replied: {
      always: { guard: 'needsNoProactiveDecision', target: 'closed' },
      on: {
        RECORD_SERVICE: { actions: 'recordService' },
        DECIDE_PROACTIVE: { target: 'closed' },
        REOPEN: { target: 'reopened', actions: 'recordReopening' },
      },
    },
    /** 已办结. */
    closed: {
      on: {
        RECORD_SERVICE: { actions: 'recordService' },
        REOPEN: { target: 'reopened', actions: 'recordReopening' },
      },
    },
    /** 已撤回: the applicant withdrew (outcome other.other). */
    withdrawn: {},
    /** 视为放弃: no supplement within the period (Art. 30), or the fee not paid in time (国办函〔2020〕109号). */
    abandoned: {
      on: {
        REOPEN: { target: 'reopened', actions: 'recordReopening' },
      },
    },
    /** 重新办理: a review body or court ordered a new reply; it goes back to a handler with a new reply clock. */
    reopened: {
      on: {
        ASSIGN: { guard: 'assignmentAllowed', target: 'handling', actions: 'recordHandler' },
        WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
      },
    },
  },
});

export type CaseMachine = typeof caseMachine;
