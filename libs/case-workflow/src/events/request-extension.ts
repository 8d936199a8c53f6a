import type { CaseContext } from '../case-context';
import { integer, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

/** Art. 33 ¶2: at most 20 working days. */
export const MAX_EXTENSION_WORKING_DAYS = 20;

/** Art. 33 ¶2: one extension per reply clock. */
export function extensionGranted(context: CaseContext): string[] {
  return context.extendedWorkingDays !== null ? [`答复期限已延长 ${context.extendedWorkingDays} 个工作日，延长只能一次（第三十三条第二款）`] : [];
}

/** Art. 33 ¶2: 1 to 20 working days (checked at the edge too; the machine holds the rule for every caller). */
export function extensionLength(workingDays: number): string[] {
  return Number.isInteger(workingDays) && workingDays >= 1 && workingDays <= MAX_EXTENSION_WORKING_DAYS
    ? []
    : [`延长期限应为 1 至 ${MAX_EXTENSION_WORKING_DAYS} 个工作日（第三十三条第二款）`];
}

const fields = {
  workingDays: integer({
    label: '申请延长的工作日数',
    min: 1,
    max: MAX_EXTENSION_WORKING_DAYS,
    unit: ' 个工作日',
    tooMany: `延长期限最长不得超过 ${MAX_EXTENSION_WORKING_DAYS} 个工作日（第三十三条第二款）`,
  }),
  reason: text({ label: '延期理由', max: 2000, multiline: true, help: '将写入延期答复告知书，告知申请人' }),
};

/** Art. 33 ¶2: the handler asks the head for an extension, with reasons. */
export type RequestExtensionEvent = MachineEvent<'REQUEST_EXTENSION', typeof fields>;

function problems(context: CaseContext): string[] {
  const found = extensionGranted(context);
  if (context.extensionRequestedAt) found.push(`已于 ${context.extensionRequestedAt} 申请延期，待负责人批准`);
  return found;
}

export const requestExtension = declareEvent<RequestExtensionEvent>({
  type: 'REQUEST_EXTENSION',
  label: '申请延期',
  description: '需要延长答复期限的，承办人写明理由报负责人审批',
  article: '第三十三条第二款',
  origin: 'staff',
  roles: ['handler'],
  fields,
  unavailable: problems,
  refusals: (context, event) => [...problems(context), ...extensionLength(event.workingDays)],
  record: (_context, event) => ({ extensionRequestedAt: event.at }),
});
