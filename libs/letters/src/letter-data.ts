import type { LetterKind } from './letter-kinds';

/** The decision a letter states (replies, and the notices that conclude a case: the lapse notices). */
export interface LetterDecision {
  outcome: string;
  outcomeLabel: string;
  /** Every article the letter must cite, joined with 、 (rules.md §4: one ground; a partial adds its withheld basis). */
  legalBasis: string;
  reviewFirst: boolean;
  /** `disclosed`: Art. 36(1) already public or 36(2) provided. */
  disclosureMode?: 'already_public' | 'provided' | null;
  /** `withheld.*`: the ground in the article's words. */
  ground?: string | null;
  /** `partial` (Art. 37): the withheld part's own basis. */
  withheldBasis?: { code: string; article: string; ground: string } | null;
}

/** Everything a letter template may print. Fill-ins are the parts staff may edit; the rest is locked. */
export interface LetterData {
  kind: LetterKind;
  title: string;
  /** 文号, or null until issued. */
  number: string | null;
  /** The letter's date (issue date, or today for a draft), YYYY-MM-DD. */
  date: string;
  agency: {
    name: string;
    address: string;
    phone: string;
    reviewBody: string;
    court: string;
    sealText: string;
  };
  addressee: string;
  case: {
    caseNumber: string;
    receivedAt: string | null;
    /** The applicant's own words: printed as a quotation block the legal checker never reads as the agency's text. */
    description: string;
    supplementReceivedAt: string | null;
    deliveryForm: string;
  };
  /**
   * Kind-specific facts taken from the event that produced the letter. `provisional: true` marks a letter that states
   * a date counted through an unpublished year (it must say so).
   */
  facts: Record<string, unknown>;
  /** The decision (replies and lapse notices). */
  decision: LetterDecision | null;
  fillIns: {
    reasons: string;
    provided: string;
    withheld: string;
    contactPerson: string;
    contactPhone: string;
  };
}

export const FILL_IN_FIELDS = ['reasons', 'provided', 'withheld', 'contactPerson', 'contactPhone'] as const;
export type FillInField = (typeof FILL_IN_FIELDS)[number];

/** Facts the templates test with {{#if}}: present (null) on every letter, so strict mode finds them on older drafts too. */
const OPTIONAL_FACTS = ['responsibleAgency', 'responsibleAgencyUndetermined', 'duplicateOf', 'publicInterestOverride', 'provisional', 'disclosedFiles', 'withheldRegions'] as const;

/** A file given to the applicant with a reply (Art. 40), as the reply lists it. */
export interface DisclosedFileEntry {
  id: string;
  filename: string;
  sizeBytes: number;
  sha256: string;
  /** The size in words (245 KB). */
  size: string;
  /** The first 16 hex digits of the SHA-256, printed in the letter. */
  fingerprint: string;
}

/** The size of a file as a reader says it. */
export function fileSizeInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The reply's list of files from what the decision named (DECIDE's `disclosedFiles`). */
export function disclosedFileEntries(files: readonly { id: string; filename: string; sizeBytes: number; sha256: string }[]): DisclosedFileEntry[] {
  return files.map((file) => ({ ...file, size: fileSizeInWords(Number(file.sizeBytes)), fingerprint: file.sha256.slice(0, 16) }));
}

/** A letter's data with every optional key present, for data stored before a key existed. */
export function normaliseLetterData(data: LetterData): LetterData {
  const facts: Record<string, unknown> = { ...data.facts };
  for (const key of OPTIONAL_FACTS) facts[key] ??= null;
  const decision = data.decision
    ? { ...data.decision, disclosureMode: data.decision.disclosureMode ?? null, ground: data.decision.ground ?? null, withheldBasis: data.decision.withheldBasis ?? null }
    : null;
  return { ...data, facts, decision };
}
