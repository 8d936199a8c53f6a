// The letters (文书) of rules.md §9: their kinds and titles from the vocabulary module, here whom each is addressed to
// and whether it is reviewed before issue.
import { codesOf, labelOf, LETTER_KIND_TERMS, LETTER_STATUS_TERMS } from '@desk/vocabulary';

export const LETTER_KINDS = codesOf(LETTER_KIND_TERMS);
export type LetterKind = (typeof LETTER_KIND_TERMS)[number]['code'];

export type LetterAddressee = 'applicant' | 'third_party' | 'agency';

export interface LetterKindInfo {
  /** The title, from the vocabulary module. */
  title: string;
  addressee: LetterAddressee;
  /** Reviewed by legal and signed by the head before issue (the reply); the notices are issued when their step happens. */
  reviewed: boolean;
}

const LETTER_KIND_FACTS: Record<LetterKind, Omit<LetterKindInfo, 'title'>> = {
  receipt: { addressee: 'applicant', reviewed: false },
  supplement_notice: { addressee: 'applicant', reviewed: false },
  extension_notice: { addressee: 'applicant', reviewed: false },
  delay_notice: { addressee: 'applicant', reviewed: false },
  reasons_request: { addressee: 'applicant', reviewed: false },
  third_party_consultation: { addressee: 'third_party', reviewed: false },
  consultation_notice: { addressee: 'applicant', reviewed: false },
  agency_consultation: { addressee: 'agency', reviewed: false },
  disclosure_decision_notice: { addressee: 'third_party', reviewed: false },
  fee_notice: { addressee: 'applicant', reviewed: false },
  supplement_lapse_notice: { addressee: 'applicant', reviewed: false },
  fee_lapse_notice: { addressee: 'applicant', reviewed: false },
  reply: { addressee: 'applicant', reviewed: true },
  correction_reply: { addressee: 'applicant', reviewed: true },
};

export const LETTER_KIND_INFO: Record<LetterKind, LetterKindInfo> = Object.fromEntries(
  LETTER_KINDS.map((kind) => [kind, { title: labelOf(LETTER_KIND_TERMS, kind), ...LETTER_KIND_FACTS[kind] }]),
) as Record<LetterKind, LetterKindInfo>;

export const LETTER_STATUSES = codesOf(LETTER_STATUS_TERMS);
export type LetterStatus = (typeof LETTER_STATUS_TERMS)[number]['code'];
