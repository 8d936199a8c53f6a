import { text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

const fields = {
  summary: text({ label: '补正内容摘要', max: 2000, multiline: true, optional: true }),
};

export type ReceiveSupplementEvent = MachineEvent<'RECEIVE_SUPPLEMENT', typeof fields>;

export const receiveSupplement = declareEvent<ReceiveSupplementEvent>({
  type: 'RECEIVE_SUPPLEMENT',
  label: '收到补正',
  description: '收到申请人的补正材料，答复期限自收到补正之日起重新计算',
  article: '第三十条',
  origin: 'staff',
  roles: ['intake', 'handler'],
  fields,
  // Art. 30: the reply clock restarts from the supplement's receipt date (the clock reads it from the log).
  record: (_context, event) => ({ supplementReceivedAt: event.at }),
});
