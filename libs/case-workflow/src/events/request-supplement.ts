import { date, integer, textList } from './fields';
import { declareEvent, onDate, type MachineEvent } from './declaration';
import { issueNotice, tellTheApplicant } from './intents';
import type { CaseContext } from '../case-context';

const fields = {
  items: textList({ label: '需要补正的事项', itemLabel: '补正事项', maxItems: 50, maxLength: 500, help: '一次性列明全部需要补正的事项（第三十条）' }),
  periodWorkingDays: integer({ label: '补正期限（工作日）', min: 1, max: 60, unit: ' 个工作日', optional: true, help: '不填则按本机关设置（默认15个工作日）' }),
  noticeReceivedAt: date({ label: '申请人收到补正告知之日', optional: true, help: '补正期限自此日起算；不填则为发出之日' }),
};

/** The one-time 补正 notice (Art. 30); the service fills the period from the agency's setting when not given. */
export type RequestSupplementEvent = MachineEvent<'REQUEST_SUPPLEMENT', typeof fields, { periodWorkingDays: number }>;

/** Art. 30: the 补正 notice is given once, listing everything at one time (一次性告知). */
function onlyOnce(context: CaseContext): string[] {
  return context.supplementRequestedAt ? [`补正告知已于 ${context.supplementRequestedAt} 发出，只能一次性告知（第三十条）`] : [];
}

export const requestSupplement = declareEvent<RequestSupplementEvent>({
  type: 'REQUEST_SUPPLEMENT',
  label: '补正告知',
  description: '申请内容不明确的，一次性告知申请人需要补正的事项和合理的补正期限',
  article: '第三十条',
  origin: 'staff',
  roles: ['intake', 'handler'],
  fields,
  unavailable: onlyOnce,
  refusals: onlyOnce,
  record: (_context, event) => ({ supplementRequestedAt: event.at }),
  effects: (_context, event) => [issueNotice('supplement_notice', { items: event.items, periodWorkingDays: event.periodWorkingDays }), tellTheApplicant('supplement_requested')],
  publicStep: ({ payload, clock }) => ({
    title: '本机关请您补正申请',
    detail: `需要补正的事项：${((payload.items as string[] | undefined) ?? []).map((item, index) => `${index + 1}. ${item}`).join('；')}；补正期限 ${String(payload.periodWorkingDays)} 个工作日${onDate('，至 ', clock?.supplementDueDate)}`,
    article: '第三十条',
  }),
});
