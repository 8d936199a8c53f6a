// The remedy clause (救济途径告知) of every reply, rules.md §7: since 2024-01-01 a refusal to disclose goes to
// administrative review first (行政复议法 2023 Art. 23 ¶1(4)) and the letter must say so (Art. 23 ¶2).

export const REVIEW_FIRST_SINCE = '2024-01-01';

/** Outcome codes (or prefixes ending in '.') whose replies carry the review-first clause. Configuration for the legal office. */
export const DEFAULT_REVIEW_FIRST_OUTCOMES: readonly string[] = ['withheld.', 'partial'];

export function requiresReviewFirst(outcome: string, issuedOn: string, reviewFirstOutcomes: readonly string[] = DEFAULT_REVIEW_FIRST_OUTCOMES): boolean {
  if (issuedOn < REVIEW_FIRST_SINCE) return false;
  return reviewFirstOutcomes.some((entry) => (entry.endsWith('.') ? outcome.startsWith(entry) : outcome === entry));
}
