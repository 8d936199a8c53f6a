import { text } from './fields';
import { declareEvent, onDate, type MachineEvent } from './declaration';

const fields = {
  receiptNumber: text({ label: '缴费凭证号', max: 100 }),
};

export type RecordFeePaymentEvent = MachineEvent<'RECORD_FEE_PAYMENT', typeof fields>;

export const recordFeePayment = declareEvent<RecordFeePaymentEvent>({
  type: 'RECORD_FEE_PAYMENT',
  label: '登记缴费',
  description: '记录申请人缴纳信息处理费的日期和凭证',
  article: '国办函〔2020〕109号',
  origin: 'staff',
  roles: ['intake', 'handler'],
  fields,
  record: (_context, event) => ({ feePaidAt: event.at }),
  publicStep: ({ clock }) => ({ title: '本机关收到您缴纳的信息处理费', detail: onDate('答复期限至 ', clock?.dueDate) || undefined, article: '国办函〔2020〕109号' }),
});
