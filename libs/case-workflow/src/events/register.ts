import { CHANNEL_TERMS, REQUEST_TYPE_TERMS } from '@desk/vocabulary';
import { choice, text } from './fields';
import { declareEvent, onDate, type MachineEvent } from './declaration';
import { issueNotice } from './intents';

const fields = {
  channel: choice({ label: '申请方式', choices: CHANNEL_TERMS, help: '申请方式决定收到申请之日（第三十一条）' }),
  requestType: choice({ label: '申请类型', choices: REQUEST_TYPE_TERMS, optional: true }),
  // Art. 31(2): a posted application is received the day it is signed for; the envelope's number proves that day.
  postalTrackingNumber: text({ label: '邮件号', min: 4, max: 60, optional: true, help: '邮寄申请的信封上的邮件号，证明签收之日（第三十一条第（二）项）' }),
  agentName: text({ label: '委托代理人', max: 200, optional: true, help: '代为提交申请的委托代理人；授权委托书作为附件保存' }),
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
