import { CONSULTATION_KIND_TERMS } from '@desk/vocabulary';
import { choice, date, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';
import { lateProblems } from './deadlines';
import { issueNotice } from './intents';

const fields = {
  kind: choice({ label: '征求意见的对象', choices: CONSULTATION_KIND_TERMS }),
  party: text({ label: '第三方或机关名称', max: 200, example: '某某置业有限公司' }),
  partyReceivedAt: date({ label: '对方收到征求意见书之日', optional: true, help: '对方的15个工作日自此日起算；不填则为发出之日' }),
};

/**
 * `at` is the day the letter is sent (the pause starts); `partyReceivedAt` is day 0 of the party's 15 working days;
 * `dueDate` is the due date in force before the letter, from the clock: a late letter pauses nothing.
 */
export type StartConsultationEvent = MachineEvent<'START_CONSULTATION', typeof fields, { dueDate?: string | null }>;

export const startConsultation = declareEvent<StartConsultationEvent>({
  type: 'START_CONSULTATION',
  label: '征求意见',
  description: '向第三方或其他机关发出征求意见书，征求意见期间答复期限暂停计算',
  article: '第三十二条、第三十三条第三款、第三十四条',
  origin: 'staff',
  roles: ['handler'],
  fields,
  // Art. 33 ¶3: only a consultation sent within the reply period stands the clock still.
  refusals: (_context, event) => lateProblems(event.at, event.dueDate, event.kind === 'agency' ? '征求其他机关意见' : '征求第三方意见', '第三十三条第三款'),
  record: (_context, event) => ({ openConsultation: { kind: event.kind, party: event.party, startedAt: event.at } }),
  // Art. 32: the third party is asked in writing and the applicant told the clock pauses; Art. 34: the other agency.
  effects: (_context, event) =>
    event.kind === 'agency'
      ? [issueNotice('agency_consultation', { party: event.party }, { addressee: event.party })]
      : [issueNotice('third_party_consultation', { party: event.party }, { addressee: event.party }), issueNotice('consultation_notice', { party: event.party })],
  publicStep: ({ payload }) =>
    payload.kind === 'agency'
      ? { title: '本机关征求其他机关的意见', detail: '征求意见期间不计入答复期限', article: '第三十四条、第三十三条第三款' }
      : { title: '本机关征求第三方的意见', detail: '您申请的信息涉及第三方，征求意见期间不计入答复期限', article: '第三十二条、第三十三条第三款' },
});
