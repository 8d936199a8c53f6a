import { APPLICANT_ROLE_TERM } from '@desk/vocabulary';
import { files, text } from './fields';
import { declareEvent, onDate, type MachineEvent } from './declaration';

const fields = {
  summary: text({ label: '补正内容摘要', max: 2000, multiline: true, optional: true }),
  content: text({ label: '补正内容', max: 5000, multiline: true, optional: true, help: '申请人补正的内容：所需信息的名称、文号或其他特征描述等' }),
  attachmentIds: files({ label: '补正材料', maxItems: 10, optional: true, help: '先上传为本案附件' }),
};

export type ReceiveSupplementEvent = MachineEvent<'RECEIVE_SUPPLEMENT', typeof fields>;

export const receiveSupplement = declareEvent<ReceiveSupplementEvent>({
  type: 'RECEIVE_SUPPLEMENT',
  label: '收到补正',
  description: '收到申请人的补正材料，答复期限自收到补正之日起重新计算',
  article: '第三十条',
  origin: 'staff',
  // The applicant answers the 补正告知书 online too (the portal): the supplement is received on the day it arrives.
  roles: ['intake', 'handler', 'applicant'],
  fields,
  // Art. 30: the reply clock restarts from the supplement's receipt date (the clock reads it from the log).
  record: (_context, event) => ({ supplementReceivedAt: event.at }),
  publicStep: ({ actor, clock }) => ({
    title: actor === APPLICANT_ROLE_TERM.code ? '本机关收到您在网上提交的补正' : '本机关收到您的补正',
    detail: `答复期限自收到补正之日起重新计算${onDate('，至 ', clock?.dueDate)}`,
    article: '第三十条',
  }),
});
