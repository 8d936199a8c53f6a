import { initialTransition, transition, type SnapshotFrom, type StateValue } from 'xstate';
import type { CaseContext } from './case-context';
import { CASE_MACHINE_VERSION, caseMachine } from './case-machine';
import { CASE_EVENT_TYPES, CREATION_EVENT_TYPES, type CaseEvent, type CaseEventType } from './events';
import {
  assignmentProblems,
  assistanceAnswerProblems,
  consultationStartProblems,
  decisionProblems,
  extensionRequestProblems,
  extensionProblems,
  extensionStateProblems,
  feeLapseProblems,
  feeNoticeEventProblems,
  feeNoticeProblems,
  laterReplyDateProblems,
  laterReplyDateStateProblems,
  reasonsFindingProblems,
  reasonsRequestProblems,
  replyIssueProblems,
  supplementLapseProblems,
  supplementRequestProblems,
} from './prerequisites';
import type { ActorRole } from './vocabulary';

export type CaseSnapshot = SnapshotFrom<typeof caseMachine>;

/** What a case row stores: enough to rehydrate the machine exactly. */
export interface PersistedCaseState {
  machineVersion: number;
  value: StateValue;
  context: CaseContext;
}

export type TransitionResult =
  | { ok: true; snapshot: CaseSnapshot; persisted: PersistedCaseState; state: string }
  | { ok: false; problems: string[] };

/** 'handling.consulting' — the dotted path of the (single) active leaf state. */
export function stateName(snapshot: CaseSnapshot): string {
  const parts: string[] = [];
  let value: StateValue = snapshot.value;
  while (typeof value !== 'string') {
    const [key, child] = Object.entries(value)[0] as [string, StateValue];
    parts.push(key);
    value = child;
  }
  parts.push(value);
  return parts.join('.');
}

export function persist(snapshot: CaseSnapshot): PersistedCaseState {
  return { machineVersion: CASE_MACHINE_VERSION, value: snapshot.value, context: snapshot.context };
}

/** Rehydrate a stored snapshot on the one machine instance we run (a parsed JSON snapshot cannot be passed to transition). */
export function restore(persisted: PersistedCaseState): CaseSnapshot {
  if (persisted.machineVersion !== CASE_MACHINE_VERSION) {
    throw new Error(`case snapshot of machine version ${persisted.machineVersion} needs a data migration to ${CASE_MACHINE_VERSION}`);
  }
  return caseMachine.resolveState({ value: persisted.value, context: persisted.context });
}

/** Event types the active states handle at all, whatever their guards say. */
export function acceptedEventTypes(snapshot: CaseSnapshot): CaseEventType[] {
  const own = new Set(snapshot._nodes.flatMap((node) => node.ownEvents as string[]));
  return CASE_EVENT_TYPES.filter((type) => own.has(type));
}

/** Guards that do not depend on the event's payload: they decide whether an event is offered at all. */
function stateLevelProblems(snapshot: CaseSnapshot, type: CaseEventType): string[] {
  switch (type) {
    case 'REQUEST_SUPPLEMENT':
      return supplementRequestProblems(snapshot.context);
    case 'EXTEND':
      return extensionStateProblems(snapshot.context);
    case 'SEND_FEE_NOTICE':
      return feeNoticeProblems(snapshot.context);
    case 'SET_LATER_REPLY_DATE':
      return laterReplyDateStateProblems(snapshot.context);
    case 'REQUEST_REASONS':
      return reasonsRequestProblems(snapshot.context);
    case 'RECORD_REASONS':
      return reasonsFindingProblems(snapshot.context);
    case 'REQUEST_EXTENSION':
      return extensionRequestProblems(snapshot.context);
    case 'ANSWER_ASSISTANCE':
      return snapshot.context.assistRequests.some((entry) => !entry.answeredAt) ? [] : ['没有待答复的协办请求'];
    default:
      return [];
  }
}

/** What may happen next (the case view's `availableEvents`), before any role filter. */
export function availableEventTypes(snapshot: CaseSnapshot): CaseEventType[] {
  return acceptedEventTypes(snapshot).filter(
    (type) => !CREATION_EVENT_TYPES.includes(type) && stateLevelProblems(snapshot, type).length === 0,
  );
}

/** Why the machine refuses this event now; empty when it accepts it. */
export function refusalProblems(snapshot: CaseSnapshot, event: CaseEvent): string[] {
  if (snapshot.can(event)) return [];
  if (!acceptedEventTypes(snapshot).includes(event.type)) {
    const possible = availableEventTypes(snapshot);
    return [
      `案件当前状态为“${STATE_LABELS[stateName(snapshot)] ?? stateName(snapshot)}”，不能进行 ${event.type}` +
        (possible.length ? `；现在可以进行：${possible.join('、')}` : '；案件已不能再办理'),
    ];
  }
  const context = snapshot.context;
  const problems = (() => {
    switch (event.type) {
      case 'REQUEST_SUPPLEMENT':
        return supplementRequestProblems(context);
      case 'EXTEND':
        return extensionProblems(context, event);
      case 'DECIDE':
        return decisionProblems(context, event);
      case 'SUPPLEMENT_LAPSED':
        return supplementLapseProblems(context, event);
      case 'SEND_FEE_NOTICE':
        return feeNoticeEventProblems(context, event);
      case 'START_CONSULTATION':
        return consultationStartProblems(context, event);
      case 'ISSUE_REPLY':
        return replyIssueProblems(context, event);
      case 'FEE_LAPSED':
        return feeLapseProblems(context, event);
      case 'SET_LATER_REPLY_DATE':
        return laterReplyDateProblems(context, event);
      case 'ASSIGN':
        return assignmentProblems(context, event);
      case 'ANSWER_ASSISTANCE':
        return assistanceAnswerProblems(context, event);
      case 'REQUEST_REASONS':
        return reasonsRequestProblems(context);
      case 'RECORD_REASONS':
        return reasonsFindingProblems(context, event);
      case 'REQUEST_EXTENSION':
        return extensionRequestProblems(context);
      default:
        return [];
    }
  })();
  return problems.length ? problems : [`${event.type} 的前提条件不满足`];
}

/** Start a case with its creation event (SUBMIT_ONLINE or REGISTER). */
export function startCase(event: CaseEvent): TransitionResult {
  const [initial] = initialTransition(caseMachine);
  return applyEvent(initial, event);
}

/** The pure step: refuse with reasons, or give the next snapshot. Actions are assignments only; nothing to execute. */
export function applyEvent(snapshot: CaseSnapshot, event: CaseEvent): TransitionResult {
  const problems = refusalProblems(snapshot, event);
  if (problems.length) return { ok: false, problems };
  const [next] = transition(caseMachine, snapshot, event);
  return { ok: true, snapshot: next, persisted: persist(next), state: stateName(next) };
}

// Who may send each event (api.md). `admin` is not implied: the demo admin simply holds every role.
const EVENT_ROLES: Record<CaseEventType, readonly ActorRole[]> = {
  SUBMIT_ONLINE: [],
  REGISTER: ['intake'],
  CONFIRM_RECEIPT: ['intake'],
  ASSIGN: ['intake', 'handler', 'head'],
  REQUEST_ASSISTANCE: ['handler'],
  ANSWER_ASSISTANCE: ['handler'], // the assisting department's handler; the service checks the department
  REQUEST_SUPPLEMENT: ['intake', 'handler'],
  RECEIVE_SUPPLEMENT: ['intake', 'handler'],
  SUPPLEMENT_LAPSED: ['intake', 'system'],
  START_CONSULTATION: ['handler'],
  END_CONSULTATION: ['handler'],
  REQUEST_EXTENSION: ['handler'],
  EXTEND: ['head'], // Art. 33 ¶2: approved by the head of the disclosure office
  SEND_FEE_NOTICE: ['handler'],
  RECORD_FEE_PAYMENT: ['intake', 'handler'],
  FEE_LAPSED: ['intake', 'system'],
  REQUEST_REASONS: ['handler'],
  RECORD_REASONS: ['handler', 'head'],
  SET_LATER_REPLY_DATE: ['head'], // Art. 35: the agency's finding, by the head of the office
  RECORD_SEARCH: ['handler'],
  DECIDE: ['handler'],
  APPROVE: ['legal', 'head'],
  RETURN: ['legal', 'head'],
  ISSUE_REPLY: ['intake', 'handler', 'head'],
  RECORD_SERVICE: ['intake', 'handler'],
  DECIDE_PROACTIVE: ['handler', 'head'],
  WITHDRAW: ['intake', 'handler'],
  REOPEN: ['legal', 'head'],
};

// The review steps belong to one role each: 合法性审查 to legal, 签发 to the head.
const STEP_ROLES: Record<string, Partial<Record<CaseEventType, readonly ActorRole[]>>> = {
  'decided.legalReview': { APPROVE: ['legal'], RETURN: ['legal'] },
  'decided.headApproval': { APPROVE: ['head'], RETURN: ['head'] },
};

/** The roles that may send `type` while the case is in `state`. */
export function rolesFor(state: string, type: CaseEventType): readonly ActorRole[] {
  return STEP_ROLES[state]?.[type] ?? EVENT_ROLES[type];
}

export function mayActorSend(roles: readonly ActorRole[], state: string, type: CaseEventType): boolean {
  const allowed = rolesFor(state, type);
  return roles.some((role) => allowed.includes(role));
}

/** Staff-facing labels of each state. */
export const STATE_LABELS: Record<string, string> = {
  new: '新建',
  received: '已提交，待确认收到',
  registered: '已登记',
  awaitingSupplement: '待补正',
  'handling.active': '办理中',
  'handling.consulting': '征求意见中（答复期限暂停）',
  'handling.awaitingFee': '待申请人缴费',
  'decided.legalReview': '待法制审核',
  'decided.headApproval': '待负责人签发',
  'decided.signed': '已签发，待出具答复',
  replied: '已答复，待作出转主动公开决定',
  closed: '已办结',
  withdrawn: '已撤回',
  abandoned: '视为放弃申请',
  reopened: '重新办理（待分办）',
};

/** What an applicant sees (public tracking): plain words, no internal steps. */
export function publicStateLabel(state: string): string {
  if (state === 'received') return '已提交，等待政府信息公开工作机构确认收到';
  if (state === 'registered' || state === 'reopened') return '已受理，正在办理';
  if (state === 'awaitingSupplement') return '需要补正申请内容，请按补正告知书办理';
  if (state === 'handling.consulting') return '正在办理（征求意见期间，答复期限暂停计算）';
  if (state === 'handling.awaitingFee') return '请按收费通知书缴纳信息处理费';
  if (state.startsWith('handling') || state.startsWith('decided')) return '正在办理';
  if (state === 'replied' || state === 'closed') return '已答复';
  if (state === 'withdrawn') return '申请已撤回';
  if (state === 'abandoned') return '逾期未补正或未缴费，视为放弃申请';
  return '正在办理';
}

/** The states in which the case is concluded (for queues and the annual report's carry-forward). */
export function isConcluded(state: string): boolean {
  return ['replied', 'closed', 'withdrawn', 'abandoned'].includes(state);
}
