// What applicants type for a case number, read as the number they mean. The receipt prints 沪某房依申〔2026〕第00008号;
// people type [2026], (2026), （2026）, 2026年, with or without 第 and the leading zeros, or only the year and the serial
// (2026-8). Each of these is one case: it is looked up, and a failure counted, under the number as the agency writes it.
import { formatDocumentNumber } from './document-number';

/** How one agency writes its case numbers (its settings `caseNumberPrefix` and `caseNumberPattern`). */
export interface CaseNumbering {
  prefix: string;
  pattern: string;
}

const OPENING = '[\\[(〔【〈《{]';
const CLOSING = '[\\])〕】〉》}]';
const SEPARATORS = '[-_/.、,，:：#·]';

/**
 * prefix, an optional opening bracket, the year, then something that ends the year (a closing bracket, 年, a separator or
 * 第), the serial with its zeros and 号. Without anything between them a year and a serial are not told apart (20268).
 */
const TYPED_NUMBER = new RegExp(
  `^(?<prefix>.*?)(?<open>${OPENING})?(?<year>(?:19|20)\\d{2})(?<between>${CLOSING}?年?度?${SEPARATORS}*第?)0*(?<serial>\\d{1,9})号?$`,
  'u',
);

/** The text as compared: full-width forms folded (NFKC: （２０２６） → (2026)), no spaces. */
export function foldTypedText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '');
}

/** As folded, but a space between two numbers separates them (2026 8), as a hyphen would. */
function foldTypedNumber(text: string): string {
  return foldTypedText(text.normalize('NFKC').replace(/(\d)\s+(?=\d)/gu, '$1-'));
}

export interface ParsedCaseNumber {
  /** What was typed before the year ('' when only the year and serial were typed). */
  prefix: string;
  year: number;
  serial: number;
}

/** The year and serial (and any prefix) of a typed case number; null when the text does not read as one. */
export function parseTypedCaseNumber(typed: string): ParsedCaseNumber | null {
  const text = foldTypedNumber(typed);
  const match = TYPED_NUMBER.exec(text);
  if (!match?.groups) return null;
  const { prefix, open, year, between, serial } = match.groups;
  if (!open && !between) return null;
  const number = Number(serial);
  if (!Number.isSafeInteger(number) || number < 1) return null;
  return { prefix, year: Number(year), serial: number };
}

/**
 * The case numbers `typed` may stand for, most likely first: the number as each agency writes it (those whose prefix was
 * typed; every agency when none was, or when the typed prefix matches none), then the text as typed (a pattern this
 * reading does not know still finds its case when typed exactly). The 查询码 decides between agencies that share a serial.
 */
export function caseNumberCandidates(typed: string, numberings: readonly CaseNumbering[]): string[] {
  const asTyped = typed.trim();
  const parsed = parseTypedCaseNumber(asTyped);
  const candidates: string[] = [];
  if (parsed) {
    const named = parsed.prefix ? numberings.filter((numbering) => foldTypedText(numbering.prefix) === parsed.prefix) : [];
    for (const numbering of named.length ? named : numberings) {
      try {
        candidates.push(formatDocumentNumber(numbering.pattern, numbering.prefix, parsed.year, parsed.serial));
      } catch {
        // An agency whose pattern is broken is skipped here; its settings page says what is wrong.
      }
    }
  }
  if (asTyped) candidates.push(asTyped);
  return [...new Set(candidates)];
}
