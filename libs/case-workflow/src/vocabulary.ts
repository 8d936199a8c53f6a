// The fixed vocabularies of an application (rules.md §1, api.md).

export type IsoDate = string;

/** rules.md §1: how the application reached the office; it decides the receipt date (Art. 31). */
export const CHANNELS = [
  'in_person', // 当面提交: the day of submission
  'post_signed', // 挂号信/EMS: the day the agency signs for it
  'post_ordinary', // 平常信函: the day the office confirms with the applicant
  'online', // 网络平台: the day both sides confirm
  'email', // 电子邮件
  'fax', // 传真: the day both sides confirm
  'oral', // 口头提出, the office fills in the form (Art. 29 ¶1)
  'platform_import', // 市/省级平台转入
] as const;
export type Channel = (typeof CHANNELS)[number];

export const APPLICANT_CATEGORIES = [
  'natural_person', // 自然人
  'business', // 商业企业
  'research', // 科研机构
  'public_interest', // 社会公益组织
  'legal_services', // 法律服务机构
  'other', // 其他
] as const;
export type ApplicantCategory = (typeof APPLICANT_CATEGORIES)[number];

/** Art. 29 ¶2(3), Art. 40: the form in which the applicant wants the information. */
export const DELIVERY_FORMS = ['paper_pickup', 'paper_post', 'email', 'online', 'disc', 'inspection'] as const;
export type DeliveryForm = (typeof DELIVERY_FORMS)[number];

export const ROLES = ['intake', 'handler', 'legal', 'head', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The scheduler and other automatic steps act as this pseudo-role; no user holds it. */
export const SYSTEM_ROLE = 'system' as const;
export type ActorRole = Role | typeof SYSTEM_ROLE;

export const CONSULTATION_KINDS = ['third_party', 'agency'] as const;
export type ConsultationKind = (typeof CONSULTATION_KINDS)[number];
