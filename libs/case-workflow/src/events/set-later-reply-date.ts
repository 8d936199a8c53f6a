import type { CaseContext } from '../case-context';
import { date, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';
import { lateProblems } from './deadlines';
import { issueNotice } from './intents';

const fields = {
  replyBy: date({ label: '延迟答复的期限', help: '理由合理的，确定延迟答复的合理期限并告知申请人（第三十五条）' }),
  reason: text({ label: '申请人说明的理由及本机关的认定', max: 2000, multiline: true }),
};

/** Art. 35: the agency finds the reasons for a large or repeated request reasonable and sets a later reply date. */
export type SetLaterReplyDateEvent = MachineEvent<'SET_LATER_REPLY_DATE', typeof fields, { dueDate?: string | null }>;

/** Art. 35: one later reply date, once the reasons were found reasonable. */
function stateProblems(context: CaseContext): string[] {
  if (context.laterReplyDate) return [`已确定延迟答复的期限 ${context.laterReplyDate}（第三十五条）`];
  if (context.excessiveFinding !== 'reasonable') return ['延迟答复须先要求申请人说明理由并认定理由合理（第三十五条）'];
  return [];
}

export const setLaterReplyDate = declareEvent<SetLaterReplyDateEvent>({
  type: 'SET_LATER_REPLY_DATE',
  label: '确定延迟答复期限',
  description: '认定理由合理的，确定延迟答复的合理期限，出具延迟答复告知书',
  article: '第三十五条',
  origin: 'staff',
  // Art. 35: the agency's finding, by the head of the office.
  roles: ['head'],
  fields,
  unavailable: stateProblems,
  refusals: (context, event) => {
    const problems = stateProblems(context);
    if (!(event.replyBy > event.at)) problems.push(`延迟答复的期限（${event.replyBy}）应晚于作出决定之日（${event.at}）（第三十五条）`);
    // Art. 35: a later date is for a reply that cannot be given within the Art. 33 period: decided within it, and later.
    problems.push(...lateProblems(event.at, event.dueDate, '确定延迟答复期限', '第三十五条：延迟答复的期限应在答复期限内确定'));
    if (event.dueDate && event.replyBy <= event.dueDate) {
      problems.push(`延迟答复的期限（${event.replyBy}）应晚于依第三十三条计算的答复期限（${event.dueDate}）（第三十五条）`);
    }
    return problems;
  },
  record: (_context, event) => ({ laterReplyDate: event.replyBy }),
  effects: (_context, event) => [issueNotice('delay_notice', { replyBy: event.replyBy, reason: event.reason })],
  publicStep: ({ payload }) => ({ title: '本机关确定延迟答复', detail: `将于 ${String(payload.replyBy)} 前答复；延迟答复告知书已出具`, article: '第三十五条' }),
});
