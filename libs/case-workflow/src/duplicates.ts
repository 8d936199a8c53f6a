// Art. 36(6): 重复申请 — the same applicant asking again for the same information. The system suggests likely
// earlier cases; the handler decides.

/** Letters and digits only, lower-cased: punctuation and spacing do not make two requests different. */
function normalise(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function bigrams(text: string): Map<string, number> {
  const grams = new Map<string, number>();
  const chars = [...normalise(text)];
  if (chars.length === 1) grams.set(chars[0], 1);
  for (let i = 0; i < chars.length - 1; i++) {
    const gram = chars[i] + chars[i + 1];
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

/** Dice coefficient over character bigrams (works for Chinese without word segmentation): 1 identical, 0 unrelated. */
export function requestSimilarity(a: string, b: string): number {
  const left = bigrams(a);
  const right = bigrams(b);
  const total = [...left.values(), ...right.values()].reduce((sum, n) => sum + n, 0);
  if (total === 0) return 0;
  let shared = 0;
  for (const [gram, n] of left) shared += Math.min(n, right.get(gram) ?? 0);
  return (2 * shared) / total;
}

export interface EarlierRequest {
  id: string;
  caseNumber: string;
  description: string;
}

/** The applicant's other requests most like this one, best first, at or above the threshold. */
export function likelyDuplicates<T extends EarlierRequest>(description: string, others: readonly T[], threshold = 0.5): (T & { similarity: number })[] {
  return others
    .map((other) => ({ ...other, similarity: Math.round(requestSimilarity(description, other.description) * 100) / 100 }))
    .filter((other) => other.similarity >= threshold)
    .sort((a, b) => b.similarity - a.similarity);
}
