import { declareEvent, onDate, type MachineEvent } from './declaration';
import { issueNotice, tellTheApplicant } from './intents';

const fields = {};

/** The office confirms an online application with the applicant: the receipt date (Art. 31(3)). */
export type ConfirmReceiptEvent = MachineEvent<'CONFIRM_RECEIPT', typeof fields>;

export const confirmReceipt = declareEvent<ConfirmReceiptEvent>({
  type: 'CONFIRM_RECEIPT',
  label: '确认收到',
  description: '与申请人确认收到网上申请，确认之日为收到申请之日，出具接收回执',
  article: '第三十一条第（三）项',
  origin: 'staff',
  roles: ['intake'],
  fields,
  // Art. 31(3): for online applications the receipt date is the day both sides confirm.
  record: (_context, event) => ({ receivedAt: event.at }),
  effects: () => [issueNotice('receipt'), tellTheApplicant('application_confirmed')],
  publicStep: ({ clock }) => ({
    title: '本机关与您确认收到申请',
    detail: `确认之日为收到申请之日，答复期限从次日起计算${onDate('，至 ', clock?.dueDate)}；接收回执已出具`,
    article: '第三十一条第（三）项',
  }),
});
