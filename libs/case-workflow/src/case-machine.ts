import { assign, setup } from 'xstate';
import { INITIAL_CONTEXT, type CaseContext } from './case-context';
import { declarationOf, type CaseEvent, type Intent, type StepWhere } from './events';
import { needsProactiveDecision } from './outcomes';

/** Bump when a state is renamed or removed; stored snapshots then need a data migration. */
export const CASE_MACHINE_VERSION = 1;

/** Why the event's declaration refuses it in this context (empty: it may happen). */
export function declaredRefusals(context: CaseContext, event: CaseEvent): string[] {
  return declarationOf(event.type).refusals?.(context, event) ?? [];
}

const allowed = ({ context, event }: { context: CaseContext; event: CaseEvent }) => declaredRefusals(context, event).length === 0;

/**
 * Every transition that handles an event asks for the event's effects (its declaration's intents), computed on the
 * context before the step, then records what the declaration records. The effects come back unexecuted from the pure
 * transition; the service carries them out in the event's transaction.
 */
function step(where: StepWhere = {}) {
  return [
    {
      type: 'emit',
      params: ({ context, event }: { context: CaseContext; event: CaseEvent }) => ({ intents: declarationOf(event.type).effects?.(context, event, where) ?? [] }),
    },
    { type: 'record', params: where },
  ] as const;
}
const STEP = step();
/** The two steps of the reply's review: 合法性审查 by legal, 签发 by the head (the declarations of APPROVE and RETURN read it). */
const LEGAL_REVIEW = step({ reviewStep: 'legal' });
const SIGNATURE = step({ reviewStep: 'head' });

/**
 * The life of one 依申请公开 case: receive → register → handle → reply → proactive decision → closed.
 * Pure: no delays, no side effects. Deadlines are derived from the event log by the clock and sent in as events.
 * Each event's rules (guards), what it records (the `record` action) and its effects come from its declaration in
 * events/; the guard names say which statutory prerequisite a transition waits for.
 */
export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
  },
  guards: {
    supplementMayBeRequested: allowed,
    supplementPeriodLapsed: allowed,
    extensionAllowed: allowed,
    decisionPrerequisitesMet: allowed,
    feeNoticeMayBeSent: allowed,
    consultationMayStart: allowed,
    // Art. 32: after a 公开决定告知书, only once the third party's relief period has run.
    thirdPartyReliefPeriodOver: allowed,
    feePeriodLapsed: allowed,
    laterReplyDateAllowed: allowed,
    assignmentAllowed: allowed,
    assistanceAnswerAllowed: allowed,
    reasonsMayBeRequested: allowed,
    reasonsFindingAllowed: allowed,
    extensionMayBeRequested: allowed,
    hasHandler: ({ context }) => context.handler !== null,
    needsNoProactiveDecision: ({ context }) => !needsProactiveDecision(context.outcome),
  },
  actions: {
    record: assign(({ context, event }, where: StepWhere) => declarationOf(event.type).record?.(context, event, where) ?? {}),
    // Carried out by the service: `transition()` returns it with its params, unexecuted.
    emit: (_: unknown, _params: { intents: Intent[] }) => undefined,
  },
}).createMachine({
  id: 'case',
  initial: 'new',
  context: INITIAL_CONTEXT,
  states: {
    /** Before the first event; never persisted. */
    new: {
      on: {
        SUBMIT_ONLINE: { target: 'received', actions: STEP },
        REGISTER: { target: 'registered', actions: STEP },
      },
    },
    /** 已提交: an online application awaiting the office's confirmation of receipt. */
    received: {
      on: {
        CONFIRM_RECEIPT: { target: 'registered', actions: STEP },
        WITHDRAW: { target: 'withdrawn', actions: STEP },
      },
    },
    /** 已登记: receipt date fixed, the reply clock runs. */
    registered: {
      on: {
        ASSIGN: { guard: 'assignmentAllowed', target: 'handling', actions: STEP },
        REQUEST_SUPPLEMENT: { guard: 'supplementMayBeRequested', target: 'awaitingSupplement', actions: STEP },
        WITHDRAW: { target: 'withdrawn', actions: STEP },
      },
    },
    /** 待补正 (Art. 30): the reply clock waits for the supplement. */
    awaitingSupplement: {
      on: {
        RECEIVE_SUPPLEMENT: [
          { guard: 'hasHandler', target: 'handling', actions: STEP },
          { target: 'registered', actions: STEP },
        ],
        SUPPLEMENT_LAPSED: { guard: 'supplementPeriodLapsed', target: 'abandoned', actions: STEP },
        WITHDRAW: { target: 'withdrawn', actions: STEP },
      },
    },
    /** 办理中. */
    handling: {
      initial: 'active',
      on: {
        ASSIGN: { guard: 'assignmentAllowed', actions: STEP },
        REQUEST_ASSISTANCE: { actions: STEP },
        ANSWER_ASSISTANCE: { guard: 'assistanceAnswerAllowed', actions: STEP },
        RECORD_SEARCH: { actions: STEP },
        REQUEST_EXTENSION: { guard: 'extensionMayBeRequested', actions: STEP },
        EXTEND: { guard: 'extensionAllowed', actions: STEP },
        REQUEST_REASONS: { guard: 'reasonsMayBeRequested', actions: STEP },
        RECORD_REASONS: { guard: 'reasonsFindingAllowed', actions: STEP },
        SET_LATER_REPLY_DATE: { guard: 'laterReplyDateAllowed', actions: STEP },
        WITHDRAW: { target: 'withdrawn', actions: STEP },
      },
      states: {
        active: {
          on: {
            REQUEST_SUPPLEMENT: {
              guard: 'supplementMayBeRequested',
              target: '#case.awaitingSupplement',
              actions: STEP,
            },
            START_CONSULTATION: { guard: 'consultationMayStart', target: 'consulting', actions: STEP },
            SEND_FEE_NOTICE: { guard: 'feeNoticeMayBeSent', target: 'awaitingFee', actions: STEP },
            DECIDE: { guard: 'decisionPrerequisitesMet', target: '#case.decided', actions: STEP },
          },
        },
        /** 征求意见中 (Art. 32, 34): the reply clock is paused (Art. 33 ¶3). */
        consulting: {
          on: {
            END_CONSULTATION: { target: 'active', actions: STEP },
          },
        },
        /** 待缴费: the applicant has 20 working days to pay; the reply clock pauses where the agency's setting says so. */
        awaitingFee: {
          on: {
            RECORD_FEE_PAYMENT: { target: 'active', actions: STEP },
            FEE_LAPSED: { guard: 'feePeriodLapsed', target: '#case.abandoned', actions: STEP },
          },
        },
      },
    },
    /** The draft reply: 合法性审查 by legal, then 签发 by the head. Nothing is issued unreviewed. */
    decided: {
      initial: 'legalReview',
      on: {
        ANSWER_ASSISTANCE: { guard: 'assistanceAnswerAllowed', actions: STEP },
        EXTEND: { guard: 'extensionAllowed', actions: STEP },
        WITHDRAW: { target: 'withdrawn', actions: STEP },
      },
      states: {
        legalReview: {
          on: {
            APPROVE: { target: 'headApproval', actions: LEGAL_REVIEW },
            RETURN: { target: '#case.handling.active', actions: LEGAL_REVIEW },
          },
        },
        headApproval: {
          on: {
            APPROVE: { target: 'signed', actions: SIGNATURE },
            RETURN: { target: '#case.handling.active', actions: SIGNATURE },
          },
        },
        /** 已签发: a disclosure over a third party's objection waits here for the third party's relief period (Art. 32). */
        signed: {
          on: {
            ISSUE_REPLY: { guard: 'thirdPartyReliefPeriodOver', target: '#case.replied', actions: STEP },
          },
        },
      },
    },
    /** 已答复: disclosed or partial replies wait here for the proactive-disclosure decision (Art. 44). */
    replied: {
      always: { guard: 'needsNoProactiveDecision', target: 'closed' },
      on: {
        RECORD_SERVICE: { actions: STEP },
        DECIDE_PROACTIVE: { target: 'closed', actions: STEP },
        REOPEN: { target: 'reopened', actions: STEP },
      },
    },
    /** 已办结. */
    closed: {
      on: {
        RECORD_SERVICE: { actions: STEP },
        REOPEN: { target: 'reopened', actions: STEP },
      },
    },
    /** 已撤回: the applicant withdrew (outcome other.other). */
    withdrawn: {},
    /** 视为放弃: no supplement within the period (Art. 30), or the fee not paid in time (国办函〔2020〕109号). */
    abandoned: {
      on: {
        REOPEN: { target: 'reopened', actions: STEP },
      },
    },
    /** 重新办理: a review body or court ordered a new reply; it goes back to a handler with a new reply clock. */
    reopened: {
      on: {
        ASSIGN: { guard: 'assignmentAllowed', target: 'handling', actions: STEP },
        WITHDRAW: { target: 'withdrawn', actions: STEP },
      },
    },
  },
});

export type CaseMachine = typeof caseMachine;
