import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { AnyOutcomeCode, ApplicantCategory, Channel, DeliveryForm, PersistedCaseState, RequestType, Role } from '@desk/case-workflow';
import type { IdType } from '@desk/identity';

/** Settings an agency may change; defaults come from configuration at first start. */
export interface AgencySettings {
  caseNumberPrefix: string;
  /** rules.md §3: the supplement period the agency sets by default (editable per case). */
  supplementPeriodWorkingDays: number;
  /** rules.md §3 [verify]: whether the fee-payment period pauses the reply clock. */
  feePausesReplyClock: boolean;
  /** rules.md §3: warn this many working days before the due date. */
  dueSoonWorkingDays: number;
  /** The 文号 prefix of reply letters (答复书), e.g. 沪某房信复 → 沪某房信复〔2026〕12号. */
  replyNumberPrefix: string;
  /**
   * How letters' 文号 read: `{prefix}`, `{year}`, `{n}` (or `{n:5}`, zero-padded). Default per GB/T 9704-2012 7.2.4:
   * 机关代字〔2025〕1号.
   */
  letterNumberPattern: string;
  /** How case numbers read (the office's register, not a 文号): default 沪某房依申〔2026〕第00123号. */
  caseNumberPattern: string;
  /**
   * Art. 32 [practice]: working days between the 公开决定告知书 to an objecting third party and the disclosure to the
   * applicant, so the third party can seek relief (法释〔2011〕17号 Art. 11). Default 15.
   */
  thirdPartyReliefWorkingDays: number;
  /** How to pay a fee, printed on the 收费通知书 (国办函〔2020〕109号). */
  feePaymentInstructions: string;
  /** Printed on every letter: configuration, not template text. */
  address: string;
  phone: string;
  /** 行政复议机关 (行政复议法 2023 Art. 24–27) and the court, named in every reply's remedy clause. */
  reviewBody: string;
  court: string;
  sealText: string;
  /** 办公时间, shown in the 政府信息公开指南. */
  officeHours: string;
  /** The office's fax, email and postcode (Art. 29: applications by fax, email and post), in the guide and the form. */
  fax: string;
  email: string;
  postcode: string;
  /** Outcomes whose replies carry the review-first clause (rules.md §7), reviewed by the legal office. */
  reviewFirstOutcomes: string[];
  /** 文号 prefixes of the notices, by letter kind; the reply uses replyNumberPrefix. */
  letterNumberPrefixes: Record<string, string>;
}

/** The defaults of every setting but the prefix (from configuration) and the number patterns (libs/letters, merged by AgenciesService). */
export const DEFAULT_AGENCY_SETTINGS: Omit<AgencySettings, 'caseNumberPrefix' | 'letterNumberPattern' | 'caseNumberPattern'> = {
  supplementPeriodWorkingDays: 15,
  feePausesReplyClock: true,
  dueSoonWorkingDays: 3,
  replyNumberPrefix: '信息公开答复',
  thirdPartyReliefWorkingDays: 15,
  feePaymentInstructions: '请持本通知书到本机关政府信息公开工作机构窗口缴纳，或按通知书所附账户转账，并注明案件编号',
  address: '上海市某区某路100号',
  phone: '021-00000000',
  reviewBody: '上海市某区人民政府',
  court: '上海市某区人民法院',
  sealText: '印章',
  officeHours: '工作日 上午9:00—11:30，下午13:30—17:00',
  fax: '021-00000001',
  email: 'xxgk@example.gov.cn',
  postcode: '200000',
  reviewFirstOutcomes: ['withheld.', 'partial'],
  letterNumberPrefixes: {
    receipt: '信息公开收',
    supplement_notice: '信息公开补正',
    extension_notice: '信息公开延期',
    delay_notice: '信息公开延迟',
    reasons_request: '信息公开说明',
    third_party_consultation: '信息公开征询',
    consultation_notice: '信息公开征告',
    agency_consultation: '信息公开征函',
    disclosure_decision_notice: '信息公开决定',
    fee_notice: '信息公开收费',
    supplement_lapse_notice: '信息公开终止',
    fee_lapse_notice: '信息公开终止',
    correction_reply: '信息更正答复',
  },
};

/** 机关: the owner of numbering, settings, departments, users, cases and reports. */
@Entity({ name: 'agencies' })
export class AgencyEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', unique: true }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'jsonb' }) settings!: AgencySettings;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'departments' })
@Unique('uq_departments_agency_name', ['agencyId', 'name'])
export class DepartmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'agency_id', type: 'uuid' }) agencyId!: string;
  @Column({ type: 'text' }) name!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'agency_id', type: 'uuid' }) agencyId!: string;
  @Column({ name: 'department_id', type: 'uuid', nullable: true }) departmentId!: string | null;
  @Column({ type: 'text', unique: true }) username!: string;
  @Column({ name: 'display_name', type: 'text' }) displayName!: string;
  @Column({ name: 'password_hash', type: 'text' }) passwordHash!: string;
  /** Where deadline warnings are emailed when SMTP is configured. */
  @Column({ type: 'text', nullable: true }) email!: string | null;
  @Column({ type: 'text', array: true }) roles!: Role[];
  @Column({ name: 'is_demo', type: 'boolean', default: false }) isDemo!: boolean;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A bearer token: only its SHA-256 is stored, so a leaked table grants nothing; revocable (sign-out). */
@Entity({ name: 'auth_sessions' })
export class AuthSessionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Index('ix_auth_sessions_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'text' }) tokenHash!: string;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  /** 'sso' when opened through the agency's unified identity system; null: by password (auth.service.ts SignInMethod). */
  @Column({ name: 'sign_in_method', type: 'text', nullable: true }) signInMethod!: 'sso' | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'cases' })
export class CaseEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'agency_id', type: 'uuid' }) agencyId!: string;
  @Column({ name: 'case_number', type: 'text', unique: true }) caseNumber!: string;
  @Column({ name: 'request_type', type: 'text' }) requestType!: RequestType;
  @Column({ type: 'text' }) channel!: Channel;
  /** 收到申请之日 (Art. 31); null until an online application is confirmed. */
  @Column({ name: 'received_at', type: 'date', nullable: true }) receivedAt!: string | null;
  @Column({ name: 'submitted_at', type: 'timestamptz' }) submittedAt!: Date;
  @Column({ name: 'applicant_category', type: 'text' }) applicantCategory!: ApplicantCategory;
  @Column({ name: 'applicant_name', type: 'text' }) applicantName!: string;
  @Column({ name: 'applicant_id_type', type: 'text' }) applicantIdType!: IdType;
  /** AES-256-GCM (personal-data-cipher.ts): never stored in clear. */
  @Column({ name: 'applicant_id_number_ciphertext', type: 'text' }) applicantIdNumberCiphertext!: string;
  /** HMAC of the normalised number: finds one applicant's requests without decrypting. */
  @Column({ name: 'applicant_id_blind_index', type: 'text' }) applicantIdBlindIndex!: string;
  @Column({ name: 'applicant_phone_ciphertext', type: 'text', nullable: true }) applicantPhoneCiphertext!: string | null;
  @Column({ name: 'applicant_email', type: 'text', nullable: true }) applicantEmail!: string | null;
  @Column({ name: 'applicant_address', type: 'text', nullable: true }) applicantAddress!: string | null;
  @Column({ type: 'text' }) description!: string;
  @Column({ name: 'delivery_form', type: 'text' }) deliveryForm!: DeliveryForm;
  @Column({ name: 'query_code_hash', type: 'text' }) queryCodeHash!: string;
  /** The machine's active leaf state, e.g. handling.consulting. */
  @Column({ type: 'text' }) state!: string;
  @Column({ type: 'jsonb' }) snapshot!: PersistedCaseState;
  @VersionColumn() version!: number;
  @Column({ name: 'department_id', type: 'uuid', nullable: true }) departmentId!: string | null;
  @Column({ name: 'handler_id', type: 'uuid', nullable: true }) handlerId!: string | null;
  @Column({ name: 'due_date', type: 'date', nullable: true }) dueDate!: string | null;
  @Column({ name: 'due_provisional', type: 'boolean', default: false }) dueProvisional!: boolean;
  @Column({ type: 'text', nullable: true }) outcome!: AnyOutcomeCode | null;
  @Column({ name: 'concluded_at', type: 'date', nullable: true }) concludedAt!: string | null;
  @Column({ name: 'last_event_at', type: 'date' }) lastEventAt!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** The append-only event log: the audit trail and the source of the clock and the reports. */
@Entity({ name: 'case_events' })
@Unique('uq_case_events_case_sequence', ['caseId', 'sequence'])
export class CaseEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId!: string;
  @Column({ type: 'int' }) sequence!: number;
  @Column({ type: 'text' }) type!: string;
  /** The date the thing happened (effective date). */
  @Column({ type: 'date' }) at!: string;
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId!: string | null;
  /** Username, or 'system' / 'applicant' for automatic and public steps. */
  @Column({ name: 'actor_name', type: 'text' }) actorName!: string;
  @Column({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @Column({ name: 'state_after', type: 'text' }) stateAfter!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'calendar_years' })
export class CalendarYearEntity {
  @PrimaryColumn({ type: 'int' }) year!: number;
  @Column({ type: 'boolean' }) published!: boolean;
  @Column({ type: 'text' }) source!: string;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity({ name: 'calendar_days' })
export class CalendarDayEntity {
  @PrimaryColumn({ type: 'date' }) date!: string;
  @Column({ type: 'int' }) year!: number;
  /** holiday: an official day off; workday: a 调休 weekend working day. */
  @Column({ type: 'text' }) kind!: 'holiday' | 'workday';
  @Column({ type: 'text' }) name!: string;
}

export const ENTITIES = [
  AgencyEntity,
  DepartmentEntity,
  UserEntity,
  AuthSessionEntity,
  CaseEntity,
  CaseEventEntity,
  CalendarYearEntity,
  CalendarDayEntity,
];
