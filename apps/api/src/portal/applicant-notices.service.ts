import { Inject, Injectable } from '@nestjs/common';
import { isoDateToChinese } from '@desk/calendar';
import type { ApplicantNoticeKind } from '@desk/case-workflow';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../common/tokens';
import type { StepContext } from '../cases/step-intents.service';
import { NotificationsService } from '../notifications/notifications.service';
import { ApplicantRepository } from './applicant.repository';

/** One notice in the applicant's words: the email's subject and text, and the SMS (short: one message). */
export interface ApplicantMessage {
  subject: string;
  text: string;
  sms: string;
}

/**
 * Tells the applicant (issue 17 "being told") what happened, if the form asked for it: written to the outbox in the
 * step's transaction (a refused step tells nothing), sent afterwards by email and SMS. Each message carries the case
 * number and a link to the tracking page, never the 查询码 (the page asks for it).
 */
@Injectable()
export class ApplicantNotices {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly applicants: ApplicantRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async tell(manager: EntityManager, about: ApplicantNoticeKind, context: StepContext): Promise<void> {
    const { row } = context;
    const preferences = await this.applicants.preferences(manager, row.id);
    if (!preferences || (!preferences.email && !preferences.sms)) return;
    const message = applicantMessage(about, context, `${this.config.publicBaseUrl}/track?caseNumber=${encodeURIComponent(row.caseNumber)}`);
    // One per step and channel: the step's place in the log names it, so a retried delivery never duplicates it.
    const dedupeKey = `applicant:${row.id}:${about}:${context.events.length}`;
    if (preferences.email && row.applicantEmail) {
      await this.notifications.notifyApplicant(manager, { caseId: row.id, agencyId: row.agencyId, kind: about, channel: 'email', email: row.applicantEmail, subject: message.subject, body: message.text, dedupeKey: `${dedupeKey}:email` });
    }
    if (preferences.sms && row.applicantPhoneCiphertext) {
      await this.notifications.notifyApplicant(manager, { caseId: row.id, agencyId: row.agencyId, kind: about, channel: 'sms', email: null, subject: message.subject, body: message.sms, dedupeKey: `${dedupeKey}:sms` });
    }
  }
}

const day = (date: string | null | undefined) => (date ? isoDateToChinese(date) : '');

/** The words of each notice: what happened, what to do or expect, by when, and where to look. */
export function applicantMessage(about: ApplicantNoticeKind, context: StepContext, link: string): ApplicantMessage {
  const { row, agency, clock } = context;
  const number = row.caseNumber;
  const provisional = clock.provisional ? '（暂定）' : '';
  const look = `查询办理进度、下载文书：${link}\n（请输入案件编号和查询码查询。为保护您的信息，本通知不含查询码。）`;
  const sign = `\n\n${agency.name}\n联系电话：${agency.settings.phone}`;
  switch (about) {
    case 'application_confirmed':
      return {
        subject: `您的政府信息公开申请已确认收到（${number}）`,
        text: `您好：\n\n您在网上提交的申请（案件编号：${number}）已于${day(context.at)}确认收到，这一天是收到申请之日。本机关将在${day(clock.dueDate)}${provisional}前答复您。\n\n${look}${sign}`,
        sms: `【${agency.name}】您的申请${number}已于${day(context.at)}确认收到，将在${day(clock.dueDate)}${provisional}前答复。查询：${link}`,
      };
    case 'supplement_requested': {
      const items = ((context.payload.items as string[] | undefined) ?? []).map((item, index) => `${index + 1}. ${item}`).join('\n');
      return {
        subject: `您的政府信息公开申请需要补正（${number}）`,
        text:
          `您好：\n\n您的申请（案件编号：${number}）需要补正以下内容：\n${items}\n\n请在${day(clock.supplementDueDate)}前补正，可以在网上查询页面直接补正。` +
          `本机关收到补正后，答复期限重新计算；逾期未补正的，视为放弃申请（《政府信息公开条例》第三十条）。补正告知书可在查询页面下载。\n\n${look}${sign}`,
        sms: `【${agency.name}】您的申请${number}需要补正，请在${day(clock.supplementDueDate)}前补正（可网上补正）。详情：${link}`,
      };
    }
    case 'period_extended':
      return {
        subject: `您的政府信息公开申请答复期限已延长（${number}）`,
        text: `您好：\n\n经政府信息公开工作机构负责人同意，您的申请（案件编号：${number}）答复期限延长${String(context.payload.workingDays)}个工作日，本机关将在${day(clock.dueDate)}${provisional}前答复您。延期答复告知书可在查询页面下载。\n\n${look}${sign}`,
        sms: `【${agency.name}】您的申请${number}答复期限延长至${day(clock.dueDate)}${provisional}。详情：${link}`,
      };
    case 'reply_issued':
      return {
        subject: `本机关已答复您的政府信息公开申请（${number}）`,
        text: `您好：\n\n本机关已于${day(context.at)}对您的申请（案件编号：${number}）作出答复。答复书及随答复提供的文件可在查询页面下载。\n\n${look}${sign}`,
        sms: `【${agency.name}】您的申请${number}已于${day(context.at)}答复，请在网上查询下载答复书：${link}`,
      };
  }
}
