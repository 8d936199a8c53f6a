import { integer, text } from './fields';
import { declareEvent, onDate, type MachineEvent } from './declaration';
import { issueNotice, tellTheApplicant } from './intents';
import { extensionGranted, extensionLength, MAX_EXTENSION_WORKING_DAYS } from './request-extension';

const fields = {
  workingDays: integer({
    label: '延长的工作日数',
    min: 1,
    max: MAX_EXTENSION_WORKING_DAYS,
    unit: ' 个工作日',
    tooMany: `延长期限最长不得超过 ${MAX_EXTENSION_WORKING_DAYS} 个工作日（第三十三条第二款）`,
  }),
  reason: text({ label: '延期理由', max: 2000, multiline: true, optional: true, help: '告知申请人的延期理由，写入延期答复告知书；不填则为承办人申请延期时写明的理由' }),
  comment: text({ label: '审批意见', max: 2000, multiline: true, optional: true, help: '负责人的审批意见，只留在案卷中，不写入告知书' }),
};

/**
 * Art. 33 ¶2: `dueDate` is the due date before the extension, supplied by the service from the clock; `reason` defaults
 * to the handler's request (REQUEST_EXTENSION) and is always set by then.
 */
export type ExtendEvent = MachineEvent<'EXTEND', typeof fields, { dueDate: string; reason: string }>;

export const extend = declareEvent<ExtendEvent>({
  type: 'EXTEND',
  label: '延期审批',
  description: '负责人在答复期限届满前批准延长答复期限，并告知申请人',
  article: '第三十三条第二款',
  origin: 'staff',
  // Art. 33 ¶2: approved by the head of the disclosure office.
  roles: ['head'],
  fields,
  unavailable: extensionGranted,
  // The head approves what the handler asked for: the days and the statutory reason start as the request put them; the
  // head's own 审批意见 starts empty and stays out of the letter.
  prefill: (_context, log) => {
    const request = [...log].reverse().find((step) => step.type === 'REQUEST_EXTENSION');
    return request ? { workingDays: request.payload.workingDays, reason: request.payload.reason } : {};
  },
  refusals: (context, event) => {
    const problems = [...extensionGranted(context), ...extensionLength(event.workingDays)];
    if (event.at > event.dueDate) {
      problems.push(`延期须在答复期限届满前批准：答复期限为 ${event.dueDate}，批准日期 ${event.at} 已逾期（第三十三条第二款）`);
    }
    return problems;
  },
  record: (_context, event) => ({ extendedWorkingDays: event.workingDays, extensionRequestedAt: null }),
  // The statutory reason goes to the applicant; the head's comment (审批意见) never enters a letter.
  effects: (_context, event) => [
    issueNotice('extension_notice', { reason: event.reason, workingDays: event.workingDays, originalDueDate: event.dueDate }, { statesDueDate: true }),
    tellTheApplicant('period_extended'),
  ],
  publicStep: ({ payload, clock }) => ({
    title: '答复期限延长',
    detail: `经政府信息公开工作机构负责人同意，答复期限延长 ${String(payload.workingDays)} 个工作日${onDate('，至 ', clock?.dueDate)}${payload.reason ? `；理由：${String(payload.reason)}` : ''}；延期答复告知书已出具`,
    article: '第三十三条第二款',
  }),
});
