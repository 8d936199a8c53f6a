import { getNextTransitions, initialTransition, transition, type SnapshotFrom, type StateValue } from 'xstate';
import { asRecord, labelOf, PUBLIC_STATE_TERMS, STATE_TERMS } from '@desk/vocabulary';
import type { CaseContext } from './case-context';
import { CASE_MACHINE_VERSION, caseMachine, declaredRefusals } from './case-machine';
import { CASE_EVENT_TYPES, CREATION_EVENT_TYPES, declarationOf, eventLabel, type CaseEvent, type CaseEventType, type Intent } from './events';
import type { ActorRole } from './vocabulary';

export type CaseSnapshot = SnapshotFrom<typeof caseMachine>;

/** What a case row stores: enough to rehydrate the machine exactly. */
export interface PersistedCaseState {
  machineVersion: number;
  value: StateValue;
  context: CaseContext;
}

export type TransitionResult =
  | { ok: true; snapshot: CaseSnapshot; persisted: PersistedCaseState; state: string; intents: Intent[] }
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

/** Event types the active states handle at all, whatever their guards say (XState's own list of next transitions). */
export function acceptedEventTypes(snapshot: CaseSnapshot): CaseEventType[] {
  const handled = new Set(getNextTransitions(snapshot).map((candidate) => candidate.eventType));
  return CASE_EVENT_TYPES.filter((type) => handled.has(type));
}

/** Why an accepted event is not offered now, whatever its payload (its declaration's `unavailable`). */
function unavailableProblems(snapshot: CaseSnapshot, type: CaseEventType): string[] {
  return declarationOf(type).unavailable?.(snapshot.context) ?? [];
}

/** What may happen next (the case view's `availableEvents`), before any role filter. */
export function availableEventTypes(snapshot: CaseSnapshot): CaseEventType[] {
  return acceptedEventTypes(snapshot).filter((type) => !CREATION_EVENT_TYPES.includes(type) && unavailableProblems(snapshot, type).length === 0);
}

/** Why the machine refuses this event now, in words; empty when it accepts it. */
export function refusalProblems(snapshot: CaseSnapshot, event: CaseEvent): string[] {
  const state = stateName(snapshot);
  if (!acceptedEventTypes(snapshot).includes(event.type)) {
    const possible = availableEventTypes(snapshot);
    return [
      `案件当前状态为“${labelOf(STATE_TERMS, state)}”，不能${eventLabel(event.type)}` +
        (possible.length ? `；现在可以办理：${possible.map(eventLabel).join('、')}` : '；案件已不能再办理'),
    ];
  }
  // The declaration's rules first: they hold whether or not the transition names a guard.
  const declared = [...unavailableProblems(snapshot, event.type), ...declaredRefusals(snapshot.context, event)];
  if (declared.length) return [...new Set(declared)];
  if (snapshot.can(event)) return [];
  return [`现在不能${eventLabel(event.type)}：前提条件不满足`];
}

/** Start a case with its creation event (SUBMIT_ONLINE or REGISTER). */
export function startCase(event: CaseEvent): TransitionResult {
  const [initial] = initialTransition(caseMachine);
  return applyEvent(initial, event);
}

/**
 * The pure step: refuse with reasons, or give the next snapshot and the step's intents (its declaration's effects, which
 * the machine's transition returns unexecuted as the `emit` action's params).
 */
export function applyEvent(snapshot: CaseSnapshot, event: CaseEvent): TransitionResult {
  const problems = refusalProblems(snapshot, event);
  if (problems.length) return { ok: false, problems };
  const [next, actions] = transition(caseMachine, snapshot, event);
  const intents = actions.flatMap((action) => (action.type === 'emit' ? (action.params as { intents: Intent[] }).intents : []));
  return { ok: true, snapshot: next, persisted: persist(next), state: stateName(next), intents };
}

/** The roles that may send `type` while the case is in `state` (a review step belongs to one role). */
export function rolesFor(state: string, type: CaseEventType): readonly ActorRole[] {
  const declaration = declarationOf(type);
  return declaration.stepRoles?.[state] ?? declaration.roles;
}

export function mayActorSend(roles: readonly ActorRole[], state: string, type: CaseEventType): boolean {
  const allowed = rolesFor(state, type);
  return roles.some((role) => allowed.includes(role));
}

/** Staff-facing labels of each state (from the vocabulary). */
export const STATE_LABELS: Record<string, string> = asRecord(STATE_TERMS);

/** What an applicant sees (public tracking): plain words, no internal steps (from the vocabulary). */
export function publicStateLabel(state: string): string {
  return PUBLIC_STATE_TERMS.find((term) => term.code === state)?.label ?? '正在办理';
}

/** The states in which the case is concluded (for queues and the annual report's carry-forward). */
export function isConcluded(state: string): boolean {
  return ['replied', 'closed', 'withdrawn', 'abandoned'].includes(state);
}
