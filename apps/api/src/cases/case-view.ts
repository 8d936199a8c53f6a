import type { RedactionDocumentDto } from '../redaction/redaction.dto';
import type { CaseClock } from '@desk/calendar';
import type { AnyOutcomeCode, ApplicantCategory, Channel, DeliveryForm, RequestType } from '@desk/case-workflow';
import type { IdType } from '@desk/identity';

export interface CaseEventView {
  sequence: number;
  type: string;
  at: string;
  by: string;
  recordedAt: string;
  [payloadField: string]: unknown;
}

/** GET /api/cases/{id} (api.md). */
export interface CaseView {
  id: string;
  caseNumber: string;
  agencyId: string;
  state: string;
  stateLabel: string;
  version: number;
  availableEvents: string[];
  channel: Channel;
  submittedAt: string;
  receivedAt: string | null;
  applicant: {
    category: ApplicantCategory;
    name: string;
    idType: IdType;
    /** Masked (110105********002X); the clear number: GET /api/cases/{id}/personal-data. */
    idNumber: string;
    phone: string | null;
    email: string | null;
    address: string | null;
  };
  description: string;
  deliveryForm: DeliveryForm;
  department: { id: string; name: string } | null;
  handler: { username: string; displayName: string } | null;
  clock: Omit<CaseClock, 'remainingWorkingDays'> & { remainingWorkingDays: number | null; overdue: boolean };
  requestType: RequestType;
  /** The applicant's other requests to this agency (Art. 35 volume and frequency; Art. 36(6) likely duplicates). */
  applicantHistory: {
    sameMonth: number;
    last12Months: number;
    total: number;
    /** Of `total`, the requests handled by departments the user does not see: counted, not listed. */
    notShown: number;
    recent: { id: string; caseNumber: string; receivedAt: string | null; state: string; outcome: string | null }[];
    likelyDuplicates: { id: string; caseNumber: string; receivedAt: string | null; similarity: number }[];
  };
  outcome: AnyOutcomeCode | null;
  concludedAt: string | null;
  events: CaseEventView[];
  /** Art. 37 区分处理: documents disclosed in part, their regions and the redaction log. */
  redactions: RedactionDocumentDto[];
}

export interface CaseSummary {
  id: string;
  caseNumber: string;
  state: string;
  stateLabel: string;
  applicantName: string;
  applicantCategory: ApplicantCategory;
  applicantIdNumber: string;
  receivedAt: string | null;
  dueDate: string | null;
  dueProvisional: boolean;
  remainingWorkingDays: number | null;
  overdue: boolean;
  outcome: AnyOutcomeCode | null;
  departmentName: string | null;
  handlerUsername: string | null;
  handlerName: string | null;
}
