import type { CaseContext } from '../case-context';
import { text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';
import { issueNotice } from './intents';

const fields = {
  questions: text({ label: '要求申请人说明的事项', max: 2000, multiline: true }),
};

/** Art. 35: the agency asks an applicant of a large or repeated request for its reasons. */
export type RequestReasonsEvent = MachineEvent<'REQUEST_REASONS', typeof fields>;

/** Art. 35 asks once. */
function onlyOnce(context: CaseContext): string[] {
  return context.reasonsRequestedAt ? [`已于 ${context.reasonsRequestedAt} 要求申请人说明理由`] : [];
}

export const requestReasons = declareEvent<RequestReasonsEvent>({
  type: 'REQUEST_REASONS',
  label: '要求说明理由',
  description: '申请数量、频次明显超过合理范围的，要求申请人说明理由',
  article: '第三十五条',
  origin: 'staff',
  roles: ['handler'],
  fields,
  unavailable: onlyOnce,
  refusals: onlyOnce,
  record: (_context, event) => ({ reasonsRequestedAt: event.at }),
  effects: (_context, event) => [issueNotice('reasons_request', { questions: event.questions })],
  publicStep: () => ({ title: '本机关请您说明申请的理由', detail: '请按说明理由告知书办理', article: '第三十五条' }),
});
