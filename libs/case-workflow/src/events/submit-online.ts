import { CHANNEL_TERMS, REQUEST_TYPE_TERMS } from '@desk/vocabulary';
import { choice, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

/** The channels whose application waits for the office to confirm receipt: the online form, and a platform's import. */
const AWAITING_CONFIRMATION_CHANNELS = CHANNEL_TERMS.filter((term) => term.code === 'online' || term.code === 'platform_import');

const fields = {
  requestType: choice({ label: '申请类型', choices: REQUEST_TYPE_TERMS, optional: true }),
  agentName: text({ label: '代理人', max: 200, optional: true, help: '委托他人代为申请的，代理人的姓名或名称；授权委托书附在本案附件中' }),
  // A platform (政务服务平台) that has not confirmed receipt with the applicant leaves it to the office (issue 19).
  channel: choice({ label: '申请方式', choices: AWAITING_CONFIRMATION_CHANNELS, optional: true, help: '网上申请（默认），或政务服务平台转入而平台未确认收到的申请' }),
};

/**
 * An application submitted through the online form, or imported from a platform that did not confirm its receipt; the
 * receipt date is set when the office confirms it (Art. 31(3)).
 */
export type SubmitOnlineEvent = MachineEvent<'SUBMIT_ONLINE', typeof fields>;

export const submitOnline = declareEvent<SubmitOnlineEvent>({
  type: 'SUBMIT_ONLINE',
  label: '网上提交',
  description: '申请人通过网上申请表或政务服务平台提交申请，待本机关确认收到',
  article: '第三十一条第（三）项',
  origin: 'intake',
  roles: [],
  fields,
  record: (_context, event) => ({ channel: event.channel ?? 'online', requestType: event.requestType ?? 'disclosure' }),
  publicStep: () => ({ title: '您在网上提交了申请', detail: '本机关与您确认收到后，确认之日为收到申请之日', article: '第二十九条、第三十一条第（三）项' }),
});
