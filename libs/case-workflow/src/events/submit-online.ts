import { REQUEST_TYPE_TERMS } from '@desk/vocabulary';
import { choice } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

const fields = {
  requestType: choice({ label: '申请类型', choices: REQUEST_TYPE_TERMS, optional: true }),
};

/** An application submitted through the online form; the receipt date is set when the office confirms it (Art. 31(3)). */
export type SubmitOnlineEvent = MachineEvent<'SUBMIT_ONLINE', typeof fields>;

export const submitOnline = declareEvent<SubmitOnlineEvent>({
  type: 'SUBMIT_ONLINE',
  label: '网上提交',
  description: '申请人通过网上申请表提交申请，待本机关确认收到',
  article: '第三十一条第（三）项',
  origin: 'intake',
  roles: [],
  fields,
  record: (_context, event) => ({ channel: 'online', requestType: event.requestType ?? 'disclosure' }),
});
