// One declaration per workflow event (CONVENTIONS 13): its words, who may send it, its fields, what must be on record
// before it, what it records on the case and the notices it asks for. The machine reads its guards and actions from the
// declarations, the HTTP edge its validation and OpenAPI body, the console its form.
import { isoDateToChinese } from '@desk/calendar';
import type { CaseContext } from '../case-context';
import type { ActorRole, IsoDate } from '../vocabulary';
import type { Fields, PayloadOf } from './fields';
import type { Intent } from './intents';

/** The event the machine receives: the type, the date it happened, the payload, and what the service adds (`Server`). */
export type MachineEvent<T extends string, F extends Fields, Server extends object = object> = { type: T; at: IsoDate } & Omit<PayloadOf<F>, keyof Server> &
  Server;

/**
 * Where an event comes from: `staff` through POST /api/cases/{id}/events; `intake`, only the intake routes (it creates
 * the case); staff events may also be sent by the system (the clock watcher, the applicant's first download of an
 * electronically served reply) and by the applicant on the portal (补正, withdrawal) where `roles` says so.
 */
export type EventOrigin = 'staff' | 'intake';

/** A logged step as the applicant's page reads it: the date it happened, what was recorded, and who recorded it. */
export interface PublicStepInput {
  at: IsoDate;
  payload: Record<string, unknown>;
  /** The username, or `system` / `applicant`. */
  actor: string;
  /** The clock right after the step (libs/calendar), when the caller has it: the dates the step set. */
  clock?: { dueDate: IsoDate | null; supplementDueDate: IsoDate | null };
}

/** A date of the clock in the applicant's words, or '' when unknown. */
export function onDate(prefix: string, date: IsoDate | null | undefined): string {
  return date ? `${prefix}${isoDateToChinese(date)}` : '';
}

/** One line of the applicant's timeline: what happened in plain words, the detail they need, the article on request. */
export interface PublicStep {
  title: string;
  detail?: string;
  article?: string;
}

export interface EventDeclaration<E extends { type: string; at: IsoDate } = { type: string; at: IsoDate }> {
  type: E['type'];
  /** The office's word for the step: 登记、分办、补正告知、征求意见、延期审批、拟办答复、法制审核、签发、出具答复、送达… */
  label: string;
  /** One line, in the office's words, of what the step does. */
  description: string;
  /** The article(s) behind it, shown beside the form. */
  article?: string;
  origin: EventOrigin;
  /** Who may send it (api.md). `admin` is not implied: the demo admin simply holds every role. */
  roles: readonly ActorRole[];
  /** Where a step belongs to one role in a given state (合法性审查 to legal, 签发 to the head). */
  stepRoles?: Readonly<Record<string, readonly ActorRole[]>>;
  /** The payload's fields: type, required-ness, label, widget and help of each. */
  fields: Fields;
  /**
   * Rules between the payload's own fields (one field excludes another, a choice needs a companion field): problems in
   * words → 400, like a missing field. What must be on record is `refusals`' (409).
   */
  check?(payload: Record<string, unknown>, at: IsoDate): string[];
  /** An irreversible step: the question the console asks before sending it. */
  confirm?: string;
  /**
   * What the form starts with, from what is on record (the head approving an extension sees the handler's requested days
   * and reason; a returned draft reopens the decision as it was). Values as the payload would carry them.
   */
  prefill?(context: CaseContext, log: readonly LoggedStep[]): Record<string, unknown>;
  /**
   * What must hold for the event to be offered at all, whatever its payload: the problems in words (empty: it may be
   * offered). The machine's state decides first; this narrows within a state.
   */
  unavailable?(context: CaseContext): string[];
  /** What must be on record for this payload (rules.md §4 last column, the clocks of §3): problems in words → 409. */
  refusals?(context: CaseContext, event: E): string[];
  /** What the step records on the case (the machine's context). */
  record?(context: CaseContext, event: E, where: StepWhere): Partial<CaseContext>;
  /** What the step asks the service to do in the same transaction: notices to issue, the reply's review, publication. */
  effects?(context: CaseContext, event: E, where: StepWhere): Intent[];
  /**
   * What the applicant reads of the step on the tracking page, in plain words (rules.md §9 spirit: the applicant is told
   * every step that concerns the application). Absent: a step inside the office (assignment, review, search …).
   */
  publicStep?(entry: PublicStepInput): PublicStep;
}

/** A step as the log keeps it, for what a form starts with. */
export interface LoggedStep {
  type: string;
  at: IsoDate;
  payload: Record<string, unknown>;
}

/** Where in the machine a transition takes the event, for the declarations whose effect depends on it. */
export interface StepWhere {
  /** The reply's review: legal's 合法性审查 or the head's 签发. */
  reviewStep?: 'legal' | 'head';
}

/** Declare an event: the type parameter names its machine event, so `refusals`, `record` and `effects` read it typed. */
export function declareEvent<E extends { type: string; at: IsoDate }>(declaration: EventDeclaration<E>): EventDeclaration<E> {
  return declaration;
}
