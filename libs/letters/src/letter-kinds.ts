// The letters (文书) of rules.md §9, named after the provincial model sets (宿迁 2021, 江苏 2019).

export const LETTER_KINDS = [
  'receipt', // 政府信息公开申请接收回执
  'supplement_notice', // 补正申请告知书 (Art. 30)
  'extension_notice', // 延期答复告知书 (Art. 33 ¶2)
  'delay_notice', // 延迟答复告知书 (Art. 35)
  'reasons_request', // 说明理由告知书 (Art. 35)
  'third_party_consultation', // 第三方意见征询函 / 征求意见书 (Art. 32)
  'consultation_notice', // 征求意见告知书 — tells the applicant the clock pauses (Art. 32, 33 ¶3)
  'agency_consultation', // 共同制作机关征求意见书 (Art. 34)
  'disclosure_decision_notice', // 公开决定告知书 — to the objecting third party (Art. 32)
  'fee_notice', // 收费通知书 (国办函〔2020〕109号)
  'supplement_lapse_notice', // 不再处理告知书 after no supplement in time (Art. 30): the decision the applicant may challenge
  'fee_lapse_notice', // 不再处理告知书 after the fee went unpaid (国办函〔2020〕109号)
  'reply', // 政府信息公开申请答复书, one template per outcome family
  'correction_reply', // 更正申请答复书 (Art. 41)
] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export type LetterAddressee = 'applicant' | 'third_party' | 'agency';

export interface LetterKindInfo {
  title: string;
  addressee: LetterAddressee;
  /** Reviewed by legal and signed by the head before issue (the reply); the notices are issued when their step happens. */
  reviewed: boolean;
}

export const LETTER_KIND_INFO: Record<LetterKind, LetterKindInfo> = {
  receipt: { title: '政府信息公开申请接收回执', addressee: 'applicant', reviewed: false },
  supplement_notice: { title: '政府信息公开申请补正告知书', addressee: 'applicant', reviewed: false },
  extension_notice: { title: '政府信息公开申请延期答复告知书', addressee: 'applicant', reviewed: false },
  delay_notice: { title: '政府信息公开申请延迟答复告知书', addressee: 'applicant', reviewed: false },
  reasons_request: { title: '政府信息公开申请说明理由告知书', addressee: 'applicant', reviewed: false },
  third_party_consultation: { title: '政府信息公开第三方意见征询函', addressee: 'third_party', reviewed: false },
  consultation_notice: { title: '政府信息公开申请征求意见告知书', addressee: 'applicant', reviewed: false },
  agency_consultation: { title: '政府信息公开征求意见函', addressee: 'agency', reviewed: false },
  disclosure_decision_notice: { title: '政府信息公开决定告知书', addressee: 'third_party', reviewed: false },
  fee_notice: { title: '政府信息公开信息处理费收费通知书', addressee: 'applicant', reviewed: false },
  supplement_lapse_notice: { title: '政府信息公开申请不再处理告知书', addressee: 'applicant', reviewed: false },
  fee_lapse_notice: { title: '政府信息公开申请不再处理告知书', addressee: 'applicant', reviewed: false },
  reply: { title: '政府信息公开申请答复书', addressee: 'applicant', reviewed: true },
  correction_reply: { title: '政府信息更正申请答复书', addressee: 'applicant', reviewed: true },
};

export const LETTER_STATUSES = ['draft', 'in_review', 'approved', 'issued'] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];
