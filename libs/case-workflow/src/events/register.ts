import { CHANNEL_TERMS, REQUEST_TYPE_TERMS } from '@desk/vocabulary';
import { choice } from './fields';
import { declareEvent, onDate, type MachineEvent } from './declaration';
import { issueNotice } from './intents';

const fields = {
  channel: choice({ label: '申请方式', choices: CHANNEL_TERMS, help: '申请方式决定收到申请之日（第三十一条）' }),
  requestType: choice({ label: '申请类型', choices: REQUEST_TYPE_TERMS, optional: true }),
};

/** An application received at the desk, by post, fax, email or import; `at` is its receipt date (Art. 31). */
export type RegisterEvent = MachineEvent<'REGISTER', typeof fields>;

export const register = declareEvent<RegisterEvent>({
  type: 'REGISTER',
  label: '登记',
  description: '登记当面、邮寄、传真、电子邮件等方式收到的申请，出具接收回执',
  article: '第三十一条',
  origin: 'intake',
  roles: ['intake'],
  fields,
  // Art. 31: the receipt date is the date of the event; the reply clock runs from it.
  record: (_context, event) => ({ channel: event.channel, receivedAt: event.at, requestType: event.requestType ?? 'disclosure' }),
  effects: () => [issueNotice('receipt')],
  publicStep: ({ clock }) => ({ title: '本机关收到您的申请', detail: `这一天是收到申请之日，答复期限从次日起计算${onDate('，至 ', clock?.dueDate)}；接收回执已出具`, article: '第三十一条' }),
});
