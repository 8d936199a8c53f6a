import { isCorrectionOutcome, isWithholdingBasis, OUTCOME_INFO, replyLegalBasis, type DisclosureMode, type OutcomeCode } from '@desk/case-workflow';
import { WITHHOLDING_GROUND_TEXT } from './grounds';
import type { LetterDecision } from './letter-data';
import { requiresReviewFirst } from './remedy';

/** The label of an outcome for the letter text: the report row without its numbering. */
export function outcomeLabel(outcome: string): string {
  if (isCorrectionOutcome(outcome)) return outcome;
  return OUTCOME_INFO[outcome as OutcomeCode].reportRow.replace(/^（[一二三四五六七]）/, '').replace(/^\d+\./, '').replace(/（.*）$/, '');
}

export interface DecisionDetails {
  disclosureMode?: DisclosureMode | null;
  withheldBasis?: string | null;
}

/**
 * What a reply (or a lapse notice) states about its decision: the outcome, the one article that applies (rules.md §4),
 * the ground in the article's words, and whether the remedy clause sends the applicant to review first (rules.md §7).
 */
export function letterDecision(outcome: string, details: DecisionDetails, issuedOn: string, reviewFirstOutcomes?: readonly string[]): LetterDecision {
  const reviewFirst = requiresReviewFirst(outcome, issuedOn, reviewFirstOutcomes);
  if (isCorrectionOutcome(outcome)) {
    return { outcome, outcomeLabel: outcome, legalBasis: '第四十一条', reviewFirst, disclosureMode: null, ground: null, withheldBasis: null };
  }
  const code = outcome as OutcomeCode;
  const basis = details.withheldBasis;
  return {
    outcome,
    outcomeLabel: outcomeLabel(code),
    legalBasis: replyLegalBasis(code, details),
    reviewFirst,
    disclosureMode: code === 'disclosed' ? (details.disclosureMode ?? 'provided') : null,
    ground: WITHHOLDING_GROUND_TEXT[code] ?? null,
    withheldBasis:
      code === 'partial' && isWithholdingBasis(basis)
        ? { code: basis, article: OUTCOME_INFO[basis].legalBasis, ground: WITHHOLDING_GROUND_TEXT[basis] }
        : null,
  };
}
