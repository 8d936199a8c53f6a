// The remedy clause (救济途径告知) of every reply, rules.md §7: since 2024-01-01 a refusal to disclose goes to
// administrative review first (行政复议法 2023 Art. 23 ¶1(4)) and the letter must say so (Art. 23 ¶2).

export const REVIEW_FIRST_SINCE = '2024-01-01';

/** Outcome codes (or prefixes ending in '.') whose replies carry the review-first clause. Configuration for the legal office. */
export const DEFAULT_REVIEW_FIRST_OUTCOMES: readonly string[] = ['withheld.', 'partial'];

export function requiresReviewFirst(outcome: string, issuedOn: string, reviewFirstOutcomes: readonly string[] = DEFAULT_REVIEW_FIRST_OUTCOMES): boolean {
  if (issuedOn < REVIEW_FIRST_SINCE) return false;
  return reviewFirstOutcomes.some((entry) => (entry.endsWith('.') ? outcome.startsWith(entry) : outcome === entry));
}

export interface RemedyClause {
  reviewFirst: boolean;
  text: string;
}

/** 行政复议 within 60 days (行政复议法 Art. 20); 行政诉讼 within 6 months (行政诉讼法 Art. 46). */
export function remedyClause(options: { reviewFirst: boolean; reviewBody: string; court: string }): RemedyClause {
  const { reviewFirst, reviewBody, court } = options;
  const text = reviewFirst
    ? `如对本答复不服，根据《中华人民共和国行政复议法》第二十三条的规定，应当先向${reviewBody}申请行政复议；` +
      `可以在收到本答复之日起六十日内提出行政复议申请；对行政复议决定不服的，可以在收到行政复议决定书之日起十五日内向${court}提起行政诉讼。`
    : `如对本答复不服，可以在收到本答复之日起六十日内向${reviewBody}申请行政复议，或者在六个月内向${court}提起行政诉讼。`;
  return { reviewFirst, text };
}
