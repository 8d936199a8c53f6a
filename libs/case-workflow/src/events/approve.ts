import { text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';
import { reviewTheReply } from './intents';

const fields = {
  comment: text({ label: '审核意见', max: 2000, multiline: true, optional: true }),
};

export type ApproveEvent = MachineEvent<'APPROVE', typeof fields>;

export const approve = declareEvent<ApproveEvent>({
  type: 'APPROVE',
  label: '审核通过',
  description: '法制审核通过答复书（合法性审查），或负责人签发答复书',
  origin: 'staff',
  roles: ['legal', 'head'],
  // The review steps belong to one role each: 合法性审查 to legal, 签发 to the head; a user holding both approves each.
  stepRoles: { 'decided.legalReview': ['legal'], 'decided.headApproval': ['head'] },
  fields,
  effects: () => [reviewTheReply('approve')],
});
