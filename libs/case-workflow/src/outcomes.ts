import { labelOf, OUTCOME_TERMS, REPORT_ROW_TERMS } from '@desk/vocabulary';
// Outcome codes (办理结果) of rules.md §4 ↔ the annual report rows (国办公开办函〔2021〕30号 section 三).

export const Outcome = {
  Disclosed: 'disclosed', // （一）予以公开 — Art. 36(1) already public, or 36(2) provided (DISCLOSURE_MODES)
  Partial: 'partial', // （二）部分公开 — Art. 37
  WithheldStateSecret: 'withheld.state_secret', // （三）1 — Art. 14
  WithheldLawProhibited: 'withheld.law_prohibited', // （三）2 — Art. 14
  WithheldSecurityStability: 'withheld.security_stability', // （三）3 — Art. 14
  WithheldThirdParty: 'withheld.third_party', // （三）4 — Art. 15, 32
  WithheldInternalAffairs: 'withheld.internal_affairs', // （三）5 — Art. 16 ¶1
  WithheldProcessInfo: 'withheld.process_info', // （三）6 — Art. 16 ¶2
  WithheldEnforcementFile: 'withheld.enforcement_file', // （三）7 — Art. 16 ¶2
  WithheldAdminQuery: 'withheld.admin_query', // （三）8 — Art. 36(7)
  UnavailableNotHeld: 'unavailable.not_held', // （四）1 — Art. 36(4): not held after a search
  UnavailableNotResponsible: 'unavailable.not_responsible', // （四）1 too — Art. 36(5): another agency is responsible
  UnavailableNeedsCreation: 'unavailable.needs_creation', // （四）2 — Art. 38
  UnavailableUnclearAfterSupplement: 'unavailable.unclear_after_supplement', // （四）3 — Art. 30
  NotProcessedPetition: 'not_processed.petition', // （五）1 — Art. 39 ¶1
  NotProcessedDuplicate: 'not_processed.duplicate', // （五）2 — Art. 36(6)
  NotProcessedPublication: 'not_processed.publication', // （五）3 — Art. 39 ¶2
  NotProcessedExcessive: 'not_processed.excessive', // （五）4 — Art. 35
  NotProcessedConfirmation: 'not_processed.confirmation', // （五）5 — practice
  OtherNoSupplement: 'other.no_supplement', // （六）1 — Art. 30
  OtherFeeUnpaid: 'other.fee_unpaid', // （六）2 — 国办函〔2020〕109号
  OtherOther: 'other.other', // （六）3
} as const;

export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];
export const OUTCOME_CODES = Object.values(Outcome) as OutcomeCode[];

export type OutcomeFamily = 'disclosed' | 'partial' | 'withheld' | 'unavailable' | 'not_processed' | 'other';

export function outcomeFamily(code: OutcomeCode): OutcomeFamily {
  return code.split('.')[0] as OutcomeFamily;
}

export interface OutcomeInfo {
  /** The row of the annual report, verbatim. */
  reportRow: string;
  /** The article(s) the reply letter must cite. */
  legalBasis: string;
}

/** Each outcome's report row (its label, verbatim) and article, from the vocabulary module (rules.md §4). */
export const OUTCOME_INFO: Record<OutcomeCode, OutcomeInfo> = Object.fromEntries(
  OUTCOME_TERMS.map((term) => [term.code, { reportRow: reportRowLabel(term.row), legalBasis: term.article }]),
) as Record<OutcomeCode, OutcomeInfo>;

/** The row's label with its family, as the national format prints it: （三）1.属于国家秘密. */
function reportRowLabel(row: string): string {
  const label = labelOf(REPORT_ROW_TERMS, row);
  const family = row.includes('.') ? labelOf(REPORT_ROW_TERMS, row.split('.')[0]).slice(0, 3) : '';
  return `${family}${label}`;
}

/**
 * Art. 36(1) and 36(2) are two decisions with different facts to state: information already published (tell where and
 * how to get it) or information provided now (give it, or tell how, where and when). A disclosed reply cites one.
 */
export const DISCLOSURE_MODES = ['already_public', 'provided'] as const;
export type DisclosureMode = (typeof DISCLOSURE_MODES)[number];

/**
 * Art. 37: the withheld part of a partial disclosure names its own basis, one of the refusals of Art. 14, 15 or 16
 * (rules.md §4). Art. 36(7) (`withheld.admin_query`) is a referral to another procedure, not a ground to withhold.
 */
export const WITHHOLDING_BASES = [
  Outcome.WithheldStateSecret,
  Outcome.WithheldLawProhibited,
  Outcome.WithheldSecurityStability,
  Outcome.WithheldThirdParty,
  Outcome.WithheldInternalAffairs,
  Outcome.WithheldProcessInfo,
  Outcome.WithheldEnforcementFile,
] as const;
export type WithholdingBasis = (typeof WITHHOLDING_BASES)[number];

export function isWithholdingBasis(code: unknown): code is WithholdingBasis {
  return (WITHHOLDING_BASES as readonly unknown[]).includes(code);
}

/**
 * The article(s) a reply cites (rules.md §4): one ground per outcome; 36(1) or 36(2) for a disclosure; for a partial
 * disclosure Art. 37 and the withheld part's own basis.
 */
export function replyLegalBasis(outcome: OutcomeCode, details: { disclosureMode?: DisclosureMode | null; withheldBasis?: string | null } = {}): string {
  if (outcome === Outcome.Disclosed) return details.disclosureMode === 'already_public' ? '第三十六条第（一）项' : '第三十六条第（二）项';
  if (outcome === Outcome.Partial && isWithholdingBasis(details.withheldBasis)) {
    return `第三十七条、${OUTCOME_INFO[details.withheldBasis].legalBasis}`;
  }
  return OUTCOME_INFO[outcome].legalBasis;
}

/** Outcomes that end in a reply the agency decides on; the two lapse outcomes are recorded by their own events. */
export const DECIDABLE_OUTCOMES = OUTCOME_CODES.filter((code) => code !== Outcome.OtherNoSupplement && code !== Outcome.OtherFeeUnpaid);

/** Art. 44: after a disclosed or partial reply the office records whether to publish proactively. */
export function needsProactiveDecision(code: string | null): boolean {
  return code === Outcome.Disclosed || code === Outcome.Partial;
}

/** Art. 41: a request to correct the applicant's own records has outcomes of its own, outside the OGI report table. */
export const CorrectionOutcome = {
  Corrected: 'correction.corrected', // 审核属实，予以更正并告知
  Forwarded: 'correction.forwarded', // 不属于本机关职能，转送有权更正的机关并告知
  NotOurs: 'correction.not_ours', // 告知申请人向有权更正的机关提出
  NotVerified: 'correction.not_verified', // 经审核，记录准确，不予更正
} as const;
export type CorrectionOutcomeCode = (typeof CorrectionOutcome)[keyof typeof CorrectionOutcome];
export const CORRECTION_OUTCOME_CODES = Object.values(CorrectionOutcome) as CorrectionOutcomeCode[];

export type AnyOutcomeCode = OutcomeCode | CorrectionOutcomeCode;

export function isCorrectionOutcome(code: string): code is CorrectionOutcomeCode {
  return (CORRECTION_OUTCOME_CODES as string[]).includes(code);
}

export const REQUEST_TYPES = ['disclosure', 'correction'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
