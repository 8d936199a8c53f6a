import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { yearOf, type IsoDate } from '@desk/calendar';
import type { CaseEvent, CaseEventType, EventOf } from '@desk/case-workflow';
import { quote, type FeeQuoteInput } from '@desk/fees';
import type { EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import { CalendarService } from '../calendar/calendar.service';
import { conflict, forbidden, invalid } from '../common/domain-error';
import type { AgencyEntity } from '../database/entities';
import { CaseRepository, type CaseRecord, type LoggedEvent } from './case.repository';
import type { CaseActor } from './case-actor';
import { DirectoryRepository } from './directory.repository';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { RedactionRepository } from '../redaction/redaction.repository';

/**
 * What an enricher reads: the step's reader (its transaction when it takes a number — EventEnrichers.takesNumbers —
 * else the pool), the case as loaded once, its log, and the validated payload.
 */
export interface EnrichInput {
  manager: EntityManager;
  actor: CaseActor;
  record: CaseRecord;
  agency: AgencyEntity;
  events: readonly LoggedEvent[];
  at: IsoDate;
  /** The validated payload (a copy): what the event log stores, to which the enricher adds what only the server knows. */
  payload: Record<string, unknown>;
}

export interface Enriched<E extends CaseEvent = CaseEvent> {
  event: E;
  payload: Record<string, unknown>;
  /** ASSIGN: the user the case goes to (and with it, the lead department). */
  assignee?: { id: string; username: string; displayName: string; department: { id: string; name: string } | null };
}

/** The events whose enricher takes a number (EventEnrichers.takesNumbers). */
const NUMBERING_EVENTS = ['DECIDE_PROACTIVE', 'ISSUE_REPLY'] as const satisfies readonly CaseEventType[];

type Enricher<T extends CaseEventType> = (input: EnrichInput) => Promise<Enriched<EventOf<T>>>;

/**
 * The events that need the database before the machine can judge them: the facts only the server knows (the clock's
 * dates, the next 文号, the fee quote, who a username is) and the checks on records (a department, an attachment, an
 * earlier case). One enricher per such event; the others go to the machine as they were sent.
 */
@Injectable()
export class EventEnrichers {
  constructor(
    private readonly calendars: CalendarService,
    private readonly agencies: AgenciesService,
    private readonly cases: CaseRepository,
    private readonly directory: DirectoryRepository,
    private readonly cipher: PersonalDataCipher,
    private readonly redactions: RedactionRepository,
  ) {}

  /**
   * Whether an event's enricher writes: it takes the next number of a sequence (文号, 索引号). Such a step runs in a
   * transaction from its first read, so that a refused or failed step gives its number back; every other enricher only
   * reads (AgenciesService.nextNumber refuses to number outside a transaction).
   */
  takesNumbers(type: CaseEventType): boolean {
    return (NUMBERING_EVENTS as readonly CaseEventType[]).includes(type);
  }

  async enrich(type: CaseEventType, input: EnrichInput): Promise<Enriched> {
    const enricher = (this.enrichers as Partial<Record<CaseEventType, Enricher<CaseEventType>>>)[type];
    if (enricher) return enricher(input);
    return { event: asEvent(type, input), payload: input.payload };
  }

  private readonly enrichers = {
    ASSIGN: async (input) => {
      const username = String(input.payload.handler);
      const assignee = await this.directory.activeUser(input.manager, input.record.row.agencyId, username);
      if (!assignee || !assignee.roles.includes('handler')) throw invalid(`承办人 没有用户名为“${username}”的承办人`);
      const department = assignee.departmentId ? await this.directory.department(input.manager, input.record.row.agencyId, assignee.departmentId) : null;
      return {
        event: asEvent('ASSIGN', input),
        payload: input.payload,
        assignee: { id: assignee.id, username: assignee.username, displayName: assignee.displayName, department },
      };
    },
    REQUEST_ASSISTANCE: async (input) => {
      const wanted = String(input.payload.department);
      const department = await this.directory.department(input.manager, input.record.row.agencyId, wanted);
      if (!department) throw invalid(`协办部门 本机关没有名为“${wanted}”的部门`);
      if (department.id === input.record.row.departmentId) throw invalid(`协办部门 ${department.name} 是本案的承办部门，协办请求应发给其他部门`);
      Object.assign(input.payload, { requestId: randomUUID(), department: department.name, departmentId: department.id });
      return { event: asEvent('REQUEST_ASSISTANCE', input), payload: input.payload };
    },
    ANSWER_ASSISTANCE: async (input) => {
      const request = input.events.find((event) => event.type === 'REQUEST_ASSISTANCE' && event.payload.requestId === input.payload.requestId);
      // Only the assisting department answers for itself.
      if (request && input.actor.departmentId !== request.payload.departmentId) throw forbidden(`此协办请求应由${String(request.payload.department)}答复`);
      return { event: asEvent('ANSWER_ASSISTANCE', input), payload: input.payload };
    },
    REQUEST_SUPPLEMENT: async (input) => {
      input.payload.periodWorkingDays ??= input.agency.settings.supplementPeriodWorkingDays;
      return { event: asEvent('REQUEST_SUPPLEMENT', input), payload: input.payload };
    },
    EXTEND: async (input) => {
      const dueDate = this.calendars.clockOf(input.events, input.agency.settings).dueDate;
      if (!dueDate) throw conflict('当前没有在计算的答复期限，无法延期');
      // api.md: the reason told to the applicant defaults to the handler's request (REQUEST_EXTENSION).
      const requested = [...input.events].reverse().find((event) => event.type === 'REQUEST_EXTENSION');
      input.payload.reason ??= requested?.payload.reason;
      if (!input.payload.reason) throw invalid('延期理由 不能为空：承办人未申请延期的，负责人须写明告知申请人的延期理由');
      input.payload.dueDateBeforeExtension = dueDate;
      return { event: { ...asEvent('EXTEND', input), dueDate }, payload: input.payload };
    },
    SUPPLEMENT_LAPSED: async (input) => {
      const supplementDueDate = this.calendars.clockOf(input.events, input.agency.settings).supplementDueDate;
      if (!supplementDueDate) throw conflict('当前没有在计算的补正期限');
      input.payload.supplementDueDate = supplementDueDate;
      // The period the 补正告知书 gave, for the 不再处理告知书.
      const notice = [...input.events].reverse().find((event) => event.type === 'REQUEST_SUPPLEMENT');
      input.payload.periodWorkingDays = notice ? Number(notice.payload.periodWorkingDays) : null;
      return { event: asEvent('SUPPLEMENT_LAPSED', input), payload: input.payload };
    },
    FEE_LAPSED: async (input) => {
      const feeDueDate = this.calendars.clockOf(input.events, input.agency.settings).feeDueDate;
      if (!feeDueDate) throw conflict('当前没有在计算的缴费期限');
      input.payload.feeDueDate = feeDueDate;
      return { event: asEvent('FEE_LAPSED', input), payload: input.payload };
    },
    // rules.md §3: the due date in force, so a late pause or Art. 35 date is refused rather than moving it.
    START_CONSULTATION: async (input) => {
      input.payload.dueDate = this.calendars.clockOf(input.events, input.agency.settings).dueDate;
      return { event: asEvent('START_CONSULTATION', input), payload: input.payload };
    },
    SET_LATER_REPLY_DATE: async (input) => {
      input.payload.dueDate = this.calendars.clockOf(input.events, input.agency.settings).dueDate;
      return { event: asEvent('SET_LATER_REPLY_DATE', input), payload: input.payload };
    },
    SEND_FEE_NOTICE: async (input) => {
      const { payload } = input;
      payload.dueDate = this.calendars.clockOf(input.events, input.agency.settings).dueDate;
      const fee: FeeQuoteInput =
        payload.method === 'per_page'
          ? { method: 'per_page', pages: Number(payload.pages) }
          : { method: 'per_item', items: Number(payload.items), itemsBeforeThisMonth: await this.cases.itemsEarlierThisMonth(input.manager, input.record.row, this.cipher.applicantIndexes(input.record.row)) };
      const quoted = quote(fee);
      if (quoted.amountYuan === 0) throw conflict(`按收费标准不应收费：${quoted.explanation}`);
      Object.assign(payload, { ...fee, ...quoted, paymentInstructions: input.agency.settings.feePaymentInstructions });
      return { event: asEvent('SEND_FEE_NOTICE', input), payload };
    },
    RECORD_SEARCH: async (input) => {
      await this.requireAttachments(input);
      return { event: asEvent('RECORD_SEARCH', input), payload: input.payload };
    },
    RECORD_SERVICE: async (input) => {
      await this.requireAttachments(input);
      // The document served, named in the log (and on the 送达回证 printed from it).
      input.payload.document = await this.cases.issuedReply(input.manager, input.record.row.id);
      return { event: asEvent('RECORD_SERVICE', input), payload: input.payload };
    },
    WITHDRAW: async (input) => {
      await this.requireAttachments(input);
      return { event: asEvent('WITHDRAW', input), payload: input.payload };
    },
    RECEIVE_SUPPLEMENT: async (input) => {
      await this.requireAttachments(input);
      return { event: asEvent('RECEIVE_SUPPLEMENT', input), payload: input.payload };
    },
    DECIDE: async (input) => {
      // Art. 40: the files given with the reply are the case's own, and the reply lists each (name, size, SHA-256).
      const fileIds = (input.payload.disclosedFileIds as string[] | undefined) ?? [];
      if (fileIds.length) {
        const files = await this.cases.attachmentFacts(input.manager, input.record.row.id, fileIds);
        const missing = fileIds.filter((id) => !files.some((file) => file.id === id));
        if (missing.length) throw invalid(`提供的政府信息（文件） 本案没有这${missing.length > 1 ? '些' : '个'}附件，请先上传`);
        // Art. 37: a document being redacted is given as its 部分公开 copy, never as the original.
        const originals = await this.redactions.originalsAmong(input.manager, input.record.row.id, fileIds);
        if (originals.length) throw invalid(`提供的政府信息（文件） 《${originals.join('》《')}》正在作区分处理，原件不向申请人提供：部分公开文本随答复书提供，请不要选择原件`);
        input.payload.disclosedFiles = fileIds.map((id) => files.find((file) => file.id === id)!);
      }
      const duplicateOf = input.payload.duplicateOf as string | undefined;
      if (duplicateOf) {
        const { row } = input.record;
        const earlier = await this.cases.findByNumber(input.manager, row.agencyId, duplicateOf);
        if (!earlier || earlier.id === row.id) throw invalid(`在先申请的案件编号 本机关没有编号为“${duplicateOf}”的在先申请`);
        // Art. 36(6): the facts the rule asks about — the same applicant, and an answer already given (libs/case-workflow).
        const answer = await this.cases.lastReplyDate(input.manager, earlier.id);
        input.payload.earlierRequest = {
          caseNumber: earlier.caseNumber,
          // Under every key the service reads with: mid-rotation the earlier case may carry the old key's index.
          sameApplicant: this.cipher.applicantIndexes(row).includes(earlier.applicantIdBlindIndex),
          answeredAt: answer && (earlier.state === 'replied' || earlier.state === 'closed') ? answer : null,
        };
      }
      // Art. 37: a partial disclosure lists the regions withheld in the documents provided, each with its reason; the
      // copy the applicant gets must be the one made from those marks.
      if (input.payload.outcome === 'partial') {
        const regions = await this.redactions.summaryForDecision(input.manager, input.record.row.id);
        if (regions.length) {
          const basis = input.payload.withheldBasis as string | undefined;
          if (basis && !regions.some((region) => region.reason === basis)) {
            throw conflict('不予公开部分的依据与遮盖区域标注的理由不一致：请选择遮盖区域所用的理由之一');
          }
          input.payload.withheldRegions = regions;
        }
      }
      return { event: asEvent('DECIDE', input), payload: input.payload };
    },
    DECIDE_PROACTIVE: async (input) => {
      // Art. 44: the entry's 索引号, from the agency's sequence unless given, is taken in the step and kept in its log entry.
      if (input.payload.publish === true && !input.payload.indexNumber) {
        input.payload.indexNumber = await this.agencies.nextNumber(input.manager, input.agency, yearOf(input.at), 'proactive', `${input.agency.code}-依申请转主动`);
      }
      return { event: asEvent('DECIDE_PROACTIVE', input), payload: input.payload };
    },
    ISSUE_REPLY: async (input) => {
      // The 文号 is taken inside this transaction: a refused or failed issue gives it back.
      const { agency, record, manager, at } = input;
      const settings = agency.settings;
      input.payload.documentNumber =
        record.row.requestType === 'correction'
          ? await this.agencies.nextLetterNumber(manager, agency, yearOf(at), 'letter:correction_reply', settings.letterNumberPrefixes.correction_reply ?? '信息更正答复')
          : await this.agencies.nextLetterNumber(manager, agency, yearOf(at), 'reply', settings.replyNumberPrefix);
      // Art. 32: the end of the third party's relief period, from the clock (the machine holds the reply until after it).
      input.payload.thirdPartyReliefEnds = this.calendars.clockOf(input.events, settings).thirdPartyReliefEnds;
      return { event: asEvent('ISSUE_REPLY', input), payload: input.payload };
    },
  } satisfies { [T in CaseEventType]?: Enricher<T> };

  /** Files named by a step are the case's own attachments, uploaded first. */
  private async requireAttachments(input: EnrichInput): Promise<void> {
    const ids = (input.payload.attachmentIds as string[] | undefined) ?? [];
    if (!ids.length) return;
    const found = await this.cases.attachmentsOf(input.manager, input.record.row.id, ids);
    const missing = ids.filter((id) => !found.includes(id));
    if (missing.length) throw invalid(`附件 本案没有这${missing.length > 1 ? '些' : '个'}附件，请先上传`);
  }
}

/** The machine's event from the payload as it stands (validated by the declaration, completed by the enricher). */
function asEvent<T extends CaseEventType>(type: T, input: EnrichInput): EventOf<T> {
  return { ...input.payload, type, at: input.at } as unknown as EventOf<T>;
}
