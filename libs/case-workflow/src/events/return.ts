import { text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';
import { reviewTheReply } from './intents';

const fields = {
  comment: text({ label: '退回意见', max: 5000, multiline: true, help: '写明需要修改之处，承办人据此重新拟办' }),
};

export type ReturnEvent = MachineEvent<'RETURN', typeof fields>;

export const returnDraft = declareEvent<ReturnEvent>({
  type: 'RETURN',
  label: '退回修改',
  description: '法制审核或负责人将答复书退回承办人修改',
  origin: 'staff',
  roles: ['legal', 'head'],
  stepRoles: { 'decided.legalReview': ['legal'], 'decided.headApproval': ['head'] },
  fields,
  record: (context) => ({ outcome: null, decidedAt: null, disclosureOverObjection: false, returnCount: context.returnCount + 1 }),
  effects: (_context, _event, where) => [reviewTheReply('return', where.reviewStep ?? 'legal')],
});
