import type { CALLBACK_EVENT_TERMS } from '@desk/vocabulary';

export type CallbackEvent = (typeof CALLBACK_EVENT_TERMS)[number]['code'];

/** What a step may change of the case a platform sees (PlatformCaseDto). */
export interface SeenCase {
  state: string;
  concluded: boolean;
  dueDate: string | null;
  dueDateProvisional: boolean;
  letters: readonly { id: string }[];
}

/**
 * The callback events a step caused, from the case as the platform saw it before and after: its applicant's state in
 * words, a letter issued to the applicant, the due date fixed or moved (a conclusion clears it: that is `concluded`).
 * A step the applicant cannot see (a search record, a review round) causes none.
 */
export function callbackEventsBetween(before: SeenCase, after: SeenCase): CallbackEvent[] {
  const events: CallbackEvent[] = [];
  if (before.state !== after.state) events.push('state_changed');
  const known = new Set(before.letters.map((letter) => letter.id));
  if (after.letters.some((letter) => !known.has(letter.id))) events.push('letter_issued');
  if (after.dueDate !== null && (after.dueDate !== before.dueDate || after.dueDateProvisional !== before.dueDateProvisional)) events.push('due_date_changed');
  if (after.concluded && !before.concluded) events.push('concluded');
  return events;
}
