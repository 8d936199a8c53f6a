import { Outcome } from '../outcomes';
import { declareEvent, type MachineEvent } from './declaration';
import { issueNotice } from './intents';

const fields = {};

/**
 * The supplement period ran out without a supplement (Art. 30). `supplementDueDate` (the period's last day) and
 * `periodWorkingDays` (the period the notice gave) come from the clock and the log, never from a client.
 */
export type SupplementLapsedEvent = MachineEvent<'SUPPLEMENT_LAPSED', typeof fields, { supplementDueDate: string; periodWorkingDays?: number | null }>;

export const supplementLapsed = declareEvent<SupplementLapsedEvent>({
  type: 'SUPPLEMENT_LAPSED',
  label: '逾期未补正',
  description: '补正期限届满申请人未补正，视为放弃申请，不再处理',
  article: '第三十条',
  origin: 'staff',
  roles: ['intake', 'system'],
  fields,
  confirm: '记录逾期未补正后，本申请视为放弃，不再处理。确定吗？',
  refusals: (context, event) => {
    if (!context.supplementRequestedAt) return ['尚未发出补正告知'];
    return event.at > event.supplementDueDate ? [] : [`补正期限至 ${event.supplementDueDate} 届满，尚未逾期（第三十条）`];
  },
  record: (_context, event) => ({ outcome: Outcome.OtherNoSupplement, concludedAt: event.at }),
  // The applicant is told the application is not processed further: the decision that can be challenged (remedy clause).
  effects: (context, event) => [
    issueNotice(
      'supplement_lapse_notice',
      { noticeSentAt: context.supplementRequestedAt, periodWorkingDays: event.periodWorkingDays, periodEnded: event.supplementDueDate },
      { decisionOutcome: Outcome.OtherNoSupplement },
    ),
  ],
  publicStep: () => ({ title: '补正期限届满，本机关未收到补正', detail: '申请视为放弃，本机关不再处理；不再处理告知书已出具', article: '第三十条' }),
});
