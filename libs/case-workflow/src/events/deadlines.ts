import type { IsoDate } from '../vocabulary';

/**
 * rules.md §3: a period that has run out stays run out. An event that would move the due date (a pause, an Art. 35
 * date) counts only on or before the due date in force; after it, it is refused rather than let an overdue case look
 * on time. `dueDate` is the due date in force, supplied by the service from the clock.
 */
export function lateProblems(at: IsoDate, dueDate: IsoDate | null | undefined, what: string, rule: string): string[] {
  if (!dueDate || at <= dueDate) return [];
  return [`答复期限已于 ${dueDate} 届满，${at} ${what}不能再使期限顺延或暂停：已届满的期限不能事后变更（${rule}）`];
}
