import { Outcome } from '../outcomes';
import { declareEvent, type MachineEvent } from './declaration';
import { issueNotice } from './intents';

const fields = {};

/** The payment period ran out: deemed abandoned (other.fee_unpaid). `feeDueDate` comes from the clock. */
export type FeeLapsedEvent = MachineEvent<'FEE_LAPSED', typeof fields, { feeDueDate: string }>;

export const feeLapsed = declareEvent<FeeLapsedEvent>({
  type: 'FEE_LAPSED',
  label: '逾期未缴费',
  description: '缴费期限届满申请人未缴费，视为放弃申请，不再处理',
  article: '国办函〔2020〕109号',
  origin: 'staff',
  roles: ['intake', 'system'],
  fields,
  confirm: '记录逾期未缴费后，本申请视为放弃，不再处理。确定吗？',
  refusals: (context, event) => {
    if (!context.feeNoticeAt) return ['尚未发出收费通知'];
    return event.at > event.feeDueDate ? [] : [`缴费期限至 ${event.feeDueDate} 届满，尚未逾期（国办函〔2020〕109号）`];
  },
  record: (_context, event) => ({ outcome: Outcome.OtherFeeUnpaid, concludedAt: event.at }),
  // The applicant is told the application is not processed further (国办函〔2020〕109号), with the remedy clause.
  effects: (context, event) => [issueNotice('fee_lapse_notice', { noticeSentAt: context.feeNoticeAt, periodEnded: event.feeDueDate }, { decisionOutcome: Outcome.OtherFeeUnpaid })],
  publicStep: () => ({ title: '缴费期限届满，本机关未收到缴费', detail: '申请视为放弃，本机关不再处理；不再处理告知书已出具', article: '国办函〔2020〕109号' }),
});
