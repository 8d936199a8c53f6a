// A vocabulary: the codes a field may take, each with the words the office and the applicants read. Codes are what the
// API, the database and the report count; labels are all a person ever sees (no code word reaches a page, a letter, an
// error message or an email).

export interface Term<C extends string = string> {
  code: C;
  /** What staff and applicants read. */
  label: string;
  /** A longer explanation where a label alone is not enough (help text, a hint beside a choice). */
  hint?: string;
}

export type Vocabulary<C extends string = string> = readonly Term<C>[];

/** The codes of a vocabulary, in its order. */
export function codesOf<C extends string>(vocabulary: Vocabulary<C>): C[] {
  return vocabulary.map((term) => term.code);
}

/** The label of a code; an unknown code is shown as 未知 rather than as the code itself. */
export function labelOf(vocabulary: Vocabulary, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '';
  return vocabulary.find((term) => term.code === code)?.label ?? '未知';
}

/** The code whose label (or code) is `text`, for forms and imports that accept either. */
export function codeFor<C extends string>(vocabulary: Vocabulary<C>, text: string): C | null {
  const wanted = text.trim();
  return vocabulary.find((term) => term.code === wanted || term.label === wanted)?.code ?? null;
}

/** The labels of a vocabulary joined for a message: “予以公开、部分公开、……”. */
export function labelList(vocabulary: Vocabulary, separator = '、'): string {
  return vocabulary.map((term) => term.label).join(separator);
}

export function asRecord<C extends string>(vocabulary: Vocabulary<C>): Record<C, string> {
  return Object.fromEntries(vocabulary.map((term) => [term.code, term.label])) as Record<C, string>;
}
