import { FEE_METHOD_TERMS } from '@desk/vocabulary';
import type { CaseContext } from '../case-context';
import { choice, date, integer } from './fields';
import { declareEvent, type MachineEvent } from './declaration';
import { lateProblems } from './deadlines';
import { issueNotice } from './intents';

const fields = {
  method: choice({ label: '计收方式', choices: FEE_METHOD_TERMS, help: '同一申请只采用一种计收方式（国办函〔2020〕109号）' }),
  pages: integer({ label: '提供的页数', min: 1, max: 1_000_000, unit: ' 页', optional: true, requiredWhen: { when: (payload) => payload.method === 'per_page', because: '按量计收' } }),
  items: integer({ label: '本申请的件数', min: 1, max: 10_000, unit: ' 件', optional: true, requiredWhen: { when: (payload) => payload.method === 'per_item', because: '按件计收' }, help: '一事一申请拆分后的件数' }),
  noticeReceivedAt: date({ label: '申请人收到收费通知之日', optional: true, help: '缴费期限自此日起算；不填则为发出之日' }),
};

/** 收费通知 (Art. 42, 国办函〔2020〕109号): the service computes the quote (libs/fees) and adds it. */
export type SendFeeNoticeEvent = MachineEvent<
  'SEND_FEE_NOTICE',
  typeof fields,
  { amountYuan: number; basis: string; standard: string; explanation: string; paymentInstructions?: string; dueDate?: string | null }
>;

/** 国办函〔2020〕109号: one fee notice per application. */
function onlyOnce(context: CaseContext): string[] {
  return context.feeNoticeAt ? [`收费通知已于 ${context.feeNoticeAt} 发出，同一申请只能收费一次`] : [];
}

export const sendFeeNotice = declareEvent<SendFeeNoticeEvent>({
  type: 'SEND_FEE_NOTICE',
  label: '收费通知',
  description: '申请数量、频次明显超过合理范围的，按标准计算信息处理费并通知申请人缴纳',
  article: '第四十二条；国办函〔2020〕109号',
  origin: 'staff',
  roles: ['handler'],
  fields,
  unavailable: onlyOnce,
  // 国办函〔2020〕109号: the notice goes out within the reply period.
  refusals: (context, event) => [...onlyOnce(context), ...lateProblems(event.at, event.dueDate, '发出收费通知', '国办函〔2020〕109号：收费通知应在答复期限内发出')],
  record: (_context, event) => ({ feeNoticeAt: event.at }),
  effects: (_context, event) => [
    issueNotice('fee_notice', {
      amountYuan: event.amountYuan,
      standard: event.standard,
      explanation: event.explanation,
      basis: event.basis,
      paymentInstructions: event.paymentInstructions,
    }),
  ],
  publicStep: ({ payload }) => ({
    title: '本机关通知您缴纳信息处理费',
    detail: `应缴纳 ${String(payload.amountYuan)} 元；缴费方式见收费通知书`,
    article: '第四十二条；国办函〔2020〕109号',
  }),
});
