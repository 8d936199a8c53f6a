/**
 * A case's FIRST conclusion, as the annual report counts it (rules.md §8): the first reply issued, withdrawal or lapse,
 * with the outcome decided (the last DECIDE) before it. A later reopening and a second reply do not move it, so a
 * published year's figure never changes.
 *
 * The one place that maps a concluding event to its report row: the service projects it onto the case row when the
 * event is written, the migration backfills the projection from the event log with the same table, and the report
 * reads the projection. Pure: no framework, no database.
 */

/** The events that conclude a case. */
export const CONCLUDING_EVENT_TYPES = ['ISSUE_REPLY', 'WITHDRAW', 'SUPPLEMENT_LAPSED', 'FEE_LAPSED'] as const;
export type ConcludingEventType = (typeof CONCLUDING_EVENT_TYPES)[number];

/**
 * The row of a conclusion that is not a reply; a reply counts the outcome decided before it. Withdrawal is （六）3
 * 其他; the two lapses are （六）1 (Art. 30) and （六）2 (国办函〔2020〕109号).
 */
export const FIXED_CONCLUSION_OUTCOMES = {
  WITHDRAW: 'other.other',
  SUPPLEMENT_LAPSED: 'other.no_supplement',
  FEE_LAPSED: 'other.fee_unpaid',
} as const satisfies Record<Exclude<ConcludingEventType, 'ISSUE_REPLY'>, string>;

export function isConcludingEvent(type: string): type is ConcludingEventType {
  return (CONCLUDING_EVENT_TYPES as readonly string[]).includes(type);
}

/** The outcome a conclusion counts in; null for a reply issued with no decision before it (it then counts nowhere). */
export function conclusionOutcome(type: ConcludingEventType, decidedOutcome: string | null): string | null {
  return type === 'ISSUE_REPLY' ? decidedOutcome : FIXED_CONCLUSION_OUTCOMES[type];
}

/** An event of the log as far as the conclusion needs it. */
export interface LoggedEvent {
  type: string;
  payload: Record<string, unknown>;
}

/** The outcome of the last DECIDE among `earlier` (oldest first), or null. */
export function lastDecidedOutcome(earlier: readonly LoggedEvent[]): string | null {
  for (let index = earlier.length - 1; index >= 0; index--) {
    const event = earlier[index];
    if (event.type === 'DECIDE') return typeof event.payload.outcome === 'string' ? event.payload.outcome : null;
  }
  return null;
}

/**
 * The conclusion an event dated `at` would be, given the events before it (oldest first): null when it concludes
 * nothing. Whether it is the FIRST is for the caller (the projection keeps the earliest one).
 */
export function conclusionOf(
  type: string,
  at: string,
  earlier: readonly LoggedEvent[],
): { at: string; outcome: string | null } | null {
  if (!isConcludingEvent(type)) return null;
  return { at, outcome: conclusionOutcome(type, type === 'ISSUE_REPLY' ? lastDecidedOutcome(earlier) : null) };
}
