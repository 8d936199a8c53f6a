import { Inject, Injectable } from '@nestjs/common';
import { isoDateToChinese } from '@desk/calendar';
import {
  applicantNextStep,
  applicantTimeline,
  clockStartOf,
  availableEventTypes,
  mayActorSend,
  publicStateLabel,
  restore,
  type CaseEventType,
  type NextStep,
  type TimelineEntry,
} from '@desk/case-workflow';
import { DELIVERY_FORM_TERMS, labelOf, REQUEST_TYPE_TERMS } from '@desk/vocabulary';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import { CalendarService } from '../calendar/calendar.service';
import { CaseRepository, type CaseRecord } from '../cases/case.repository';
import { RecordEventService } from '../cases/record-event.service';
import { conflict, DomainError, invalid, notFound } from '../common/domain-error';
import { LOGGER } from '../common/tokens';
import { LettersService } from '../letters/letters.service';
import { NotificationsService } from '../notifications/notifications.service';
import { PublicTrackingService } from '../public/public-tracking.service';
import { PublicRedactedCopiesService } from '../redaction/public-redacted-copies.service';
import { ApplicantRepository, type ApplicantFile } from './applicant.repository';
import { PublicLinks, type LinkPurpose } from './public-links';

/** A document the applicant may download, by a signed link. */
export interface ApplicantDocument {
  title: string;
  number: string | null;
  issuedAt: string | null;
  sizeBytes: number | null;
  url: string;
}

/** What the applicant's page (and POST /api/public/tracking) shows of a case: plain words, nothing personal. */
export interface ApplicantCaseView {
  caseNumber: string;
  requestType: string;
  state: string;
  /** Submitted online: the day the form was sent (a desk or postal application has only its receipt date). */
  submittedOn: string | null;
  receivedAt: string | null;
  dueDate: string | null;
  dueDateProvisional: boolean;
  concludedAt: string | null;
  deliveryForm: string;
  next: NextStep;
  timeline: TimelineEntry[];
  /** How the due date was reached, in plain words, each step with its article (shown on request). */
  explanation: { date: string; text: string; article: string }[];
  letters: ApplicantDocument[];
  /** The information given with the reply (Art. 40), each file as the reply lists it. */
  files: ApplicantDocument[];
  /** While a 补正 is awaited: what to supplement and by when. */
  supplement: { items: string[]; dueDate: string | null } | null;
  mayWithdraw: boolean;
}

/** The page's own forms carry this signed token instead of the 查询码. */
export interface OpenedCase {
  view: ApplicantCaseView;
  token: string;
}

/** The applicant chose to obtain the information electronically: the first download of the reply is its service. */
const ELECTRONIC_DELIVERY = new Set(['online', 'email']);
const REPLY_KINDS = new Set(['reply', 'correction_reply']);

/**
 * The applicant's side of a case, after the case number and 查询码 (or a link signed after them): the page in plain
 * words, answering a 补正 notice and withdrawing (through the record-event use case, as the applicant), and the
 * documents, whose first download by an applicant who chose electronic delivery is recorded as service.
 */
@Injectable()
export class ApplicantCaseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tracking: PublicTrackingService,
    private readonly cases: CaseRepository,
    private readonly agencies: AgenciesService,
    private readonly calendars: CalendarService,
    private readonly letters: LettersService,
    private readonly steps: RecordEventService,
    private readonly notifications: NotificationsService,
    private readonly applicantFiles: ApplicantRepository,
    private readonly links: PublicLinks,
    private readonly redactedCopies: PublicRedactedCopiesService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The case number (as typed) and 查询码: the same throttles and answers as the tracking lookup. */
  async open(caseNumber: string, queryCode: string, address: string): Promise<OpenedCase> {
    const row = await this.tracking.authorised(caseNumber, queryCode, address);
    return this.opened(row.id);
  }

  /** The case a page's form token names (its 查询码 unchanged since). */
  async openByToken(token: unknown): Promise<OpenedCase> {
    const record = await this.byToken(token, 'case');
    return this.opened(record.row.id);
  }

  /**
   * Art. 30: the applicant answers the 补正 notice online: text and files, received today (the day it arrives), and the
   * reply clock restarts from it (libs/calendar). One transaction: the files, the event, the office's notice.
   */
  async supplement(token: unknown, content: string | undefined, files: readonly ApplicantFile[]): Promise<OpenedCase> {
    const record = await this.byToken(token, 'case');
    const text = content?.trim() ?? '';
    if (!text && !files.length) throw invalid('请填写补正内容，或上传补正材料');
    if (text.length > 5000) throw invalid('补正内容 不能超过 5000 个字');
    await this.applicantStep(record, async (manager) => {
      const attachmentIds = await this.applicantFiles.addFiles(manager, record.row.id, files);
      return {
        type: 'RECEIVE_SUPPLEMENT',
        ...(text ? { content: text } : {}),
        ...(attachmentIds.length ? { attachmentIds } : {}),
      };
    }, { kind: 'applicant_supplemented', what: '申请人已在网上补正', detail: '答复期限自今日起重新计算，请查看补正内容和材料' });
    return this.opened(record.row.id);
  }

  /** The applicant withdraws online, after the page asked for confirmation: the case concludes (other.other). */
  async withdraw(token: unknown, reason: string | undefined): Promise<OpenedCase> {
    const record = await this.byToken(token, 'case');
    const text = reason?.trim() ?? '';
    if (text.length > 2000) throw invalid('撤回理由 不能超过 2000 个字');
    await this.applicantStep(record, async () => ({ type: 'WITHDRAW', ...(text ? { reason: text } : {}) }), {
      kind: 'applicant_withdrew',
      what: '申请人已在网上撤回申请',
      detail: '案件已办结（其他处理）',
    });
    return this.opened(record.row.id);
  }

  /** What a page may say before the applicant confirms a withdrawal. */
  async withdrawal(token: unknown): Promise<OpenedCase> {
    const opened = await this.openByToken(token);
    if (!opened.view.mayWithdraw) throw conflict('本申请现在不能撤回');
    return opened;
  }

  /**
   * A letter or a file by its signed link. An applicant who chose electronic delivery (网上获取、电子邮件) is served the
   * reply when first downloading it (`served` runs once the bytes have gone out): recorded as RECORD_SERVICE by the
   * system, with the date and time, unless the reply was already served.
   */
  async document(token: unknown): Promise<{ body: Buffer | string; contentType: string; filename: string; served: () => Promise<void> }> {
    const purpose = this.links.read(token, 'file') ? 'file' : 'letter';
    const record = await this.byToken(token, purpose);
    const { row } = record;
    const documentId = this.links.read(token, purpose)!.documentId!;
    if (purpose === 'file') {
      const listed = (await this.applicantFiles.disclosedFiles(row.id)).some((file) => file.id === documentId);
      const file = listed ? await this.applicantFiles.fileContent(row.id, documentId) : null;
      if (!file) {
        // Art. 37: a 部分公开 copy given with the reply (never its original, which no public route reads).
        const copy = await this.redactedCopies.content(row.id, documentId);
        if (!copy) throw notFound('没有这份文件');
        return { ...copy, served: async () => undefined };
      }
      return { body: file.content, contentType: file.mimeType, filename: file.filename, served: async () => undefined };
    }
    const letter = await this.applicantFiles.letter(row.id, documentId);
    if (!letter) throw notFound('没有这份文书');
    const content = await this.letters.content(letter.id, 'pdf');
    const electronic = ELECTRONIC_DELIVERY.has(row.deliveryForm) && REPLY_KINDS.has(letter.kind);
    return { ...content, served: electronic ? () => this.recordElectronicService(row.id, letter) : async () => undefined };
  }

  private async recordElectronicService(caseId: string, letter: { id: string; title: string; number: string | null }): Promise<void> {
    const downloadedAt = new Date();
    try {
      await this.dataSource.transaction(async (manager) => {
        await this.applicantFiles.lockCase(manager, caseId);
        const events = await this.cases.events(caseId, manager);
        const issued = events.map((event) => event.type).lastIndexOf('ISSUE_REPLY');
        // The first download after the reply was issued; a reply already served (by the office, or by an earlier download) is not served again.
        if (issued === -1 || events.slice(issued + 1).some((event) => event.type === 'RECORD_SERVICE')) return;
        await this.steps.recordForSystem(
          caseId,
          { type: 'RECORD_SERVICE', method: 'electronic', recipient: '申请人（网上下载）' },
          {
            outer: manager,
            facts: {
              electronicService: {
                downloadedAt: downloadedAt.toISOString(),
                letterId: letter.id,
                documentNumber: letter.number,
                title: letter.title,
                how: `申请人凭案件编号和查询码在网上查询后，于${shanghaiDateTime(downloadedAt)}首次下载${letter.title}${letter.number ? `（${letter.number}）` : ''}`,
              },
            },
          },
        );
      });
    } catch (error) {
      // The download itself went through; a service the machine refuses now (a reopened case, a locked year) is left to the office.
      if (!(error instanceof DomainError)) throw error;
      this.logger.info({ caseId }, `electronic service not recorded: ${error.message}`);
    }
  }

  private async applicantStep(
    record: CaseRecord,
    body: (manager: EntityManager) => Promise<Record<string, unknown> & { type: CaseEventType }>,
    notice: { kind: string; what: string; detail: string },
  ): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        const step = await this.steps.recordForApplicant(record.row.id, await body(manager), manager);
        const sequence = step.events.length;
        await this.notifications.notifyCase(
          {
            caseId: record.row.id,
            kind: notice.kind,
            subject: `${notice.what}：${record.row.caseNumber}`,
            body: `${record.row.caseNumber}：${notice.what}（${isoDateToChinese(step.events.at(-1)!.at)}）。${notice.detail}。`,
            dedupeKey: `${notice.kind}:${record.row.id}:${sequence}`,
          },
          manager,
        );
      });
    } catch (error) {
      // The machine's refusal is worded for the office; the applicant is told what it means for them.
      if (error instanceof DomainError && (error.code === 'conflict' || error.code === 'forbidden')) {
        throw conflict('本申请现在的办理状态不能进行这项操作，请查看下方的办理进度');
      }
      throw error;
    }
  }

  private async byToken(token: unknown, purpose: LinkPurpose): Promise<CaseRecord> {
    const claims = this.links.read(token, purpose);
    const record = claims ? await this.cases.find(claims.caseId) : null;
    if (!claims || !record || !this.links.matchesCode(claims.mark, record.row.queryCodeHash)) {
      throw notFound('页面已过期或链接无效：为保护您的查询码，页面和下载链接只在一段时间内有效，请重新输入案件编号和查询码查询');
    }
    return record;
  }

  private async opened(caseId: string): Promise<OpenedCase> {
    const record = (await this.cases.find(caseId))!;
    const { row } = record;
    const agency = await this.agencies.byId(row.agencyId);
    const events = await this.cases.events(row.id);
    const clock = this.calendars.clockOf(events, agency.settings);
    const snapshot = restore(row.snapshot);
    const applicantMay = (type: CaseEventType) => availableEventTypes(snapshot).includes(type) && mayActorSend(['applicant'], row.state, type);
    const sign = (purpose: LinkPurpose, documentId: string | null) => this.links.sign({ purpose, caseId: row.id, documentId }, row.queryCodeHash);
    const url = (purpose: LinkPurpose, documentId: string) => `/track/document?token=${encodeURIComponent(sign(purpose, documentId))}`;
    const lastNotice = [...events].reverse().find((event) => event.type === 'REQUEST_SUPPLEMENT');
    const awaiting = row.state === 'awaitingSupplement' && applicantMay('RECEIVE_SUPPLEMENT');
    const view: ApplicantCaseView = {
      caseNumber: row.caseNumber,
      requestType: labelOf(REQUEST_TYPE_TERMS, row.requestType),
      state: publicStateLabel(row.state),
      // The day the form was sent, as the log holds it (SUBMIT_ONLINE); a desk or postal application has its receipt date only.
      submittedOn: events[0]?.type === 'SUBMIT_ONLINE' ? events[0].at : null,
      receivedAt: row.receivedAt,
      dueDate: row.concludedAt ? null : clock.dueDate,
      dueDateProvisional: clock.provisional,
      concludedAt: row.concludedAt,
      deliveryForm: labelOf(DELIVERY_FORM_TERMS, row.deliveryForm),
      next: applicantNextStep(row.state, clock, clockStartOf(events)),
      timeline: applicantTimeline(events, (index) => this.calendars.clockOf(events.slice(0, index + 1), agency.settings)),
      explanation: row.concludedAt ? [] : clock.explanation.map((step) => ({ date: step.date, text: step.plain, article: step.article })),
      letters: (await this.applicantFiles.letters(row.id)).map((letter) => ({
        title: letter.title,
        number: letter.number,
        issuedAt: letter.issuedAt,
        sizeBytes: null,
        url: url('letter', letter.id),
      })),
      files: [
        ...(await this.applicantFiles.disclosedFiles(row.id)).map((file) => ({
          title: file.filename,
          number: null,
          issuedAt: null,
          sizeBytes: Number(file.sizeBytes),
          url: url('file', file.id),
        })),
        // Art. 37: the 部分公开 copies that went with the reply, where the applicant chose to obtain the information online.
        ...(await this.redactedCopies.disclosed(row.id)).map((copy) => ({ title: copy.filename, number: null, issuedAt: null, sizeBytes: copy.sizeBytes, url: url('file', copy.id) })),
      ],
      supplement: awaiting ? { items: ((lastNotice?.payload.items as string[] | undefined) ?? []).map(String), dueDate: clock.supplementDueDate } : null,
      mayWithdraw: applicantMay('WITHDRAW'),
    };
    return { view, token: sign('case', null) };
  }
}

const DATE = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' });
const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** The calendar date in Asia/Shanghai (rules.md §2). */
function shanghaiDate(at: Date): string {
  return DATE.format(at);
}

/** 2026年3月5日 14:32:10 (Asia/Shanghai). */
export function shanghaiDateTime(at: Date): string {
  return `${isoDateToChinese(shanghaiDate(at))} ${TIME.format(at)}`;
}
