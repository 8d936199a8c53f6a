import type { LetterKind } from './letter-kinds';

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
    description: string;
    supplementReceivedAt: string | null;
    deliveryForm: string;
  };
  /** Kind-specific facts taken from the event that produced the letter. */
  facts: Record<string, unknown>;
  /** The reply's decision (reply kinds only). */
  decision: {
    outcome: string;
    outcomeLabel: string;
    legalBasis: string;
    reviewFirst: boolean;
  } | null;
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
