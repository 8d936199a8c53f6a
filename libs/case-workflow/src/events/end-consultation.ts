import { CONSULTATION_ANSWER_TERMS } from '@desk/vocabulary';
import { choice, text } from './fields';
import { declareEvent, onDate, type MachineEvent } from './declaration';

const fields = {
  answer: choice({ label: '对方意见', choices: CONSULTATION_ANSWER_TERMS, optional: true }),
  summary: text({ label: '意见及理由', max: 2000, multiline: true, optional: true }),
};

/** The party's answer: consent, objection (with reasons), or none within its 15 working days. */
export type EndConsultationEvent = MachineEvent<'END_CONSULTATION', typeof fields>;

export const endConsultation = declareEvent<EndConsultationEvent>({
  type: 'END_CONSULTATION',
  label: '收到意见',
  description: '记录第三方或其他机关的意见（或逾期未提出意见），答复期限恢复计算',
  article: '第三十二条、第三十四条',
  origin: 'staff',
  roles: ['handler'],
  fields,
  record: (context, event) =>
    context.openConsultation
      ? {
          consultations: [...context.consultations, { ...context.openConsultation, endedAt: event.at, answer: event.answer ?? null }],
          openConsultation: null,
        }
      : {},
  publicStep: ({ clock }) => ({ title: '征求意见结束', detail: `答复期限继续计算${onDate('，至 ', clock?.dueDate)}`, article: '第三十三条第三款' }),
});
