import { APPLICANT_ROLE_TERM } from '@desk/vocabulary';
import { Outcome } from '../outcomes';
import { files, text } from './fields';
import { declareEvent, type MachineEvent } from './declaration';

const fields = {
  reason: text({ label: '撤回说明', max: 2000, multiline: true, optional: true }),
  attachmentIds: files({ label: '申请人的书面撤回申请', maxItems: 5, optional: true, help: '先上传为本案附件' }),
};

export type WithdrawEvent = MachineEvent<'WITHDRAW', typeof fields>;

export const withdraw = declareEvent<WithdrawEvent>({
  type: 'WITHDRAW',
  label: '撤回申请',
  description: '申请人撤回申请，案件办结（其他处理）',
  origin: 'staff',
  // The applicant withdraws online (the portal, after a confirmation), or in writing recorded by the office.
  roles: ['intake', 'handler', 'applicant'],
  fields,
  confirm: '撤回后案件即办结，不能恢复。确定申请人已撤回申请吗？',
  record: (_context, event) => ({ outcome: Outcome.OtherOther, concludedAt: event.at, openConsultation: null }),
  publicStep: ({ actor }) => ({ title: actor === APPLICANT_ROLE_TERM.code ? '您在网上撤回了申请' : '您撤回了申请', detail: '本申请不再办理' }),
});
