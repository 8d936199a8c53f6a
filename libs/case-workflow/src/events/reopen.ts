import { text } from './fields';
import { declareEvent, onDate, type MachineEvent } from './declaration';

const fields = {
  reason: text({ label: '重新办理的原因', max: 2000, multiline: true }),
  reference: text({ label: '复议决定书或判决书文号', max: 200, optional: true }),
};

/** A review decision or judgment ordered a new reply: a new reply clock from `at`. */
export type ReopenEvent = MachineEvent<'REOPEN', typeof fields>;

export const reopen = declareEvent<ReopenEvent>({
  type: 'REOPEN',
  label: '重新办理',
  description: '复议决定或判决责令重新答复的，重新办理并重新计算答复期限',
  origin: 'staff',
  roles: ['legal', 'head'],
  fields,
  // A corrected review or judgment orders a new reply: a new reply clock, a new extension allowance.
  record: (context) => ({
    outcome: null,
    decidedAt: null,
    concludedAt: null,
    extendedWorkingDays: null,
    extensionRequestedAt: null,
    laterReplyDate: null,
    openConsultation: null,
    disclosureOverObjection: false,
    thirdPartyNoticeAt: null,
    reopenCount: context.reopenCount + 1,
  }),
  publicStep: ({ clock }) => ({ title: '本机关重新办理您的申请', detail: `复议机关或人民法院要求重新答复，答复期限重新计算${onDate('，至 ', clock?.dueDate)}`, article: '行政复议法、行政诉讼法' }),
});
