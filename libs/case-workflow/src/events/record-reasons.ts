import { EXCESSIVE_FINDING_TERMS, labelOf } from '@desk/vocabulary';
import type { CaseContext } from '../case-context';
import { choice, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

const fields = {
  finding: choice({ label: '本机关的认定', choices: EXCESSIVE_FINDING_TERMS }),
  answer: text({ label: '申请人说明的理由', max: 5000, multiline: true, optional: true }),
};

/** Art. 35: the applicant's answer (or none) and the agency's finding. */
export type RecordReasonsEvent = MachineEvent<'RECORD_REASONS', typeof fields>;

/** Art. 35: the finding follows the request for reasons, once. */
function problems(context: CaseContext): string[] {
  if (!context.reasonsRequestedAt) return ['尚未要求申请人说明理由（第三十五条）'];
  if (context.excessiveFinding) return [`已作出认定：${labelOf(EXCESSIVE_FINDING_TERMS, context.excessiveFinding)}`];
  return [];
}

export const recordReasons = declareEvent<RecordReasonsEvent>({
  type: 'RECORD_REASONS',
  label: '认定理由',
  description: '记录申请人说明的理由（或未说明），并认定理由是否合理',
  article: '第三十五条',
  origin: 'staff',
  roles: ['handler', 'head'],
  fields,
  unavailable: problems,
  refusals: problems,
  record: (_context, event) => ({ excessiveFinding: event.finding }),
});
