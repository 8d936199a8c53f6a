import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { computeCaseClock, DEFAULT_CLOCK_SETTINGS, yearOf, type CaseClock, type ClockEvent, type IsoDate } from '@desk/calendar';
import {
  applyEvent,
  availableEventTypes,
  likelyDuplicates,
  isConcluded,
  actionRefusal,
  mayActorSend,
  mayRelationSend,
  restore,
  rolesFor,
  startCase,
  STATE_LABELS,
  type ActorRole,
  type ApplicantCategory,
  type CaseEvent,
  type CaseRelation,
  type Channel,
  type DeliveryForm,
} from '@desk/case-workflow';
import { quote, type FeeQuoteInput } from '@desk/fees';
import { maskIdentityNumber, maskPhone, normaliseIdentityNumber, type IdType } from '@desk/identity';
import { conclusionOf } from '@desk/reports';
import { isUuid } from '../common/text';
import { DataSource, type EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import type { Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { conflict, forbidden, invalid, notFound } from '../common/domain-error';
import { AgencyEntity, CaseEntity, CaseEventEntity, UserEntity, type AgencySettings } from '../database/entities';
import { LettersService } from '../letters/letters.service';
import { PersonalDataAuditService, type PersonalDataAccess } from '../personal-data/personal-data-audit.service';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { ReadDatabase } from '../database/read-database';
import { ProactiveService } from './proactive.service';
import { CaseAccess } from './case-access.service';
import type { CaseEventView, CaseSummary, CaseView } from './case-view';
import { parseEventBody, type EventBaseDto } from './dto/event.dto';

export interface ApplicantInput {
  category: ApplicantCategory;
  name: string;
  idType: IdType;
  idNumber: string;
  phone?: string;
  email?: string;
  address?: string;
}

export interface NewCaseInput {
  agency: AgencyEntity;
  creation: Extract<CaseEvent, { type: 'REGISTER' | 'SUBMIT_ONLINE' }>;
  channel: Channel;
  applicant: ApplicantInput;
  description: string;
  deliveryForm: DeliveryForm;
  actor: { id: string | null; name: string };
}

export interface CaseListQuery {
  state?: string;
  dueBefore?: IsoDate;
  overdue?: boolean;
  department?: string;
  q?: string;
  page: number;
  pageSize: number;
}

/** Actors that are not staff members. */
export const APPLICANT_ACTOR = { id: null, name: 'applicant' } as const;

/** Who sends an event: a staff member, or the system (the clock watcher), which acts in every agency. */
export interface CaseActor {
  userId: string | null;
  username: string;
  roles: readonly ActorRole[];
  /** null: every agency (the system). */
  agencyId: string | null;
  departmentId: string | null;
}

export const SYSTEM_ACTOR: CaseActor = { userId: null, username: 'system', roles: ['system'], agencyId: null, departmentId: null };

export function actorOf(principal: Principal): CaseActor {
  return { userId: principal.userId, username: principal.username, roles: principal.roles, agencyId: principal.agencyId, departmentId: principal.departmentId };
}

/** Dates that a body may carry besides `at`: they happen on or after `at` and not after today. */
const FOLLOW_UP_DATES = ['noticeReceivedAt', 'partyReceivedAt'] as const;

// 查询码: no 0/O, 1/I/L, so it can be read out over the phone.
const QUERY_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function normaliseQueryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

export function hashQueryCode(code: string, salt = randomBytes(16).toString('hex')): string {
  const digest = createHash('sha256').update(`${salt}:${normaliseQueryCode(code)}`).digest('hex');
  return `sha256:${salt}:${digest}`;
}

export function queryCodeMatches(code: string, stored: string): boolean {
  const [, salt, digest] = stored.split(':');
  if (!salt || !digest) return false;
  const candidate = hashQueryCode(code, salt).split(':')[2];
  return timingSafeEqual(Buffer.from(candidate, 'hex'), Buffer.from(digest, 'hex'));
}

function newQueryCode(): string {
  return Array.from({ length: 10 }, () => QUERY_CODE_ALPHABET[randomInt(QUERY_CODE_ALPHABET.length)]).join('');
}

@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: CalendarService,
    private readonly agencies: AgenciesService,
    private readonly letters: LettersService,
    private readonly proactive: ProactiveService,
    private readonly cipher: PersonalDataCipher,
    private readonly audit: PersonalDataAuditService,
    private readonly access: CaseAccess,
    // The work queues read from the standby when there is one (database/read-database.ts).
    private readonly reads: ReadDatabase,
  ) {}

  /**
   * Register a new case with its creation event, in one transaction (the caller's, when given: an online application's
   * Idempotency-Key is claimed in the same one). The query code is returned once and kept only as a hash.
   */
  async create(input: NewCaseInput, outer?: EntityManager): Promise<{ id: string; caseNumber: string; queryCode: string }> {
    const started = startCase(input.creation);
    if (!started.ok) throw conflict(started.problems.join('；'), started.problems);
    const queryCode = newQueryCode();
    const today = this.calendars.today();
    const register = async (manager: EntityManager) => {
      await this.refuseLockedYear(manager, input.agency.id, input.creation.at);
      const caseNumber = await this.agencies.nextCaseNumber(manager, input.agency, yearOf(today));
      const events: ClockEvent[] = [{ type: input.creation.type, at: input.creation.at, payload: {} }];
      const clock = this.clockOf(events, input.agency.settings);
      const { applicant } = input;
      const inserted = await manager.getRepository(CaseEntity).insert({
        agencyId: input.agency.id,
        caseNumber,
        requestType: input.creation.requestType ?? 'disclosure',
        channel: input.channel,
        receivedAt: started.snapshot.context.receivedAt,
        submittedAt: new Date(),
        applicantCategory: applicant.category,
        applicantName: applicant.name,
        applicantIdType: applicant.idType,
        applicantIdNumberCiphertext: this.cipher.encrypt('applicant_id_number', normaliseIdentityNumber(applicant.idNumber)),
        applicantIdBlindIndex: this.cipher.blindIndex(normaliseIdentityNumber(applicant.idNumber)),
        applicantPhoneCiphertext: this.cipher.encryptNullable('applicant_phone', applicant.phone?.trim() || null),
        applicantEmail: applicant.email?.trim() || null,
        applicantAddress: applicant.address?.trim() || null,
        description: input.description,
        deliveryForm: input.deliveryForm,
        queryCodeHash: hashQueryCode(queryCode),
        state: started.state,
        snapshot: started.persisted,
        version: 1,
        dueDate: clock.dueDate,
        dueProvisional: clock.provisional,
        outcome: null,
        concludedAt: null,
        lastEventAt: input.creation.at,
      });
      const id = String(inserted.identifiers[0].id);
      const creationPayload = { channel: input.channel, requestType: input.creation.requestType ?? 'disclosure' };
      await this.appendEvent(manager, id, 1, input.creation.type, input.creation.at, input.actor, creationPayload, started.state);
      if (input.creation.type === 'REGISTER') {
        const row = await manager.getRepository(CaseEntity).findOneByOrFail({ id });
        await this.letters.afterEvent(manager, {
          row,
          agency: input.agency,
          actor: { userId: input.actor.id, username: input.actor.name },
          event: input.creation,
          payload: creationPayload,
          stateBefore: 'new',
          clock,
        });
      }
      return { id, caseNumber, queryCode };
    };
    return outer ? register(outer) : this.dataSource.transaction(register);
  }

  /** A new 查询码 for a case (the old one stops working); returned once, stored as a hash. */
  async renewQueryCode(caseNumber: string): Promise<string> {
    const queryCode = newQueryCode();
    await this.dataSource.query(`UPDATE cases SET query_code_hash = $2 WHERE case_number = $1`, [caseNumber, hashQueryCode(queryCode)]);
    return queryCode;
  }

  /**
   * The case view, identity and phone numbers masked. `shownTo` is the caller's address when the view goes to the user
   * (recorded in the access log); null only for a caller that uses it internally or has recorded its own access.
   */
  async view(principal: Principal, id: string, shownTo: string | null): Promise<CaseView> {
    const { row, relation } = await this.access.require(principal, id, 'see');
    if (shownTo !== null) await this.audit.record(principal, { action: 'view_case', caseIds: [row.id], address: shownTo });
    return this.toView(this.dataSource.manager, row, principal, relation);
  }

  /** Only a case the user may see (404 otherwise, like an unknown case), or act on (403 for a department that only assists). */
  async assertAccess(principal: Principal, id: string, action: 'see' | 'act' = 'see'): Promise<void> {
    await this.access.require(principal, id, action);
  }

  /** A case's personal data leaves in a letter, an attachment or an export: check the user may see it, then record it. */
  async recordAccess(principal: Principal, caseId: string, access: Omit<PersonalDataAccess, 'caseIds'>): Promise<void> {
    await this.assertAccess(principal, caseId);
    await this.audit.record(principal, { ...access, caseIds: [caseId] });
  }

  /** The applicant's identity and phone numbers in clear, for a stated reason (核验身份、送达), recorded before they are shown. */
  async revealPersonalData(principal: Principal, id: string, reason: string, address: string): Promise<{ idType: IdType; idNumber: string; phone: string | null }> {
    const { row } = await this.access.require(principal, id, 'reveal');
    await this.audit.record(principal, { action: 'reveal_identity', caseIds: [row.id], detail: reason, address });
    return {
      idType: row.applicantIdType,
      idNumber: this.cipher.decrypt('applicant_id_number', row.applicantIdNumberCiphertext),
      phone: this.cipher.decryptNullable('applicant_phone', row.applicantPhoneCiphertext),
    };
  }

  async list(principal: Principal, query: CaseListQuery, address: string): Promise<{ items: CaseSummary[]; total: number; page: number; pageSize: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    // A handler sees its department's cases and those its department was asked to assist with (协办): two halves that
    // each follow an index in queue order, not one OR with a subquery, which scans the whole agency (BENCHMARKS.md).
    const scopes = this.access.scopeConditions(principal, 'c', param);
    if (query.state) where.push(`(c.state = ${param(query.state)} OR c.state LIKE ${param(`${query.state}.%`)})`);
    if (query.dueBefore) where.push(`c.due_date <= ${param(query.dueBefore)} AND c.concluded_at IS NULL`);
    if (query.overdue) where.push(`c.due_date < ${param(this.calendars.today())} AND c.concluded_at IS NULL`);
    if (query.department) where.push(`(d.id::text = ${param(query.department)} OR d.name = ${param(query.department)})`);
    if (query.q) {
      const like = param(`%${query.q.replace(/[%_\\]/g, (char) => `\\${char}`)}%`);
      // A whole identity number finds the applicant's cases through the blind index (the number is never stored in clear).
      const identity = param(this.cipher.blindIndexes(normaliseIdentityNumber(query.q)));
      where.push(`(c.case_number ILIKE ${like} OR c.applicant_name ILIKE ${like} OR c.description ILIKE ${like} OR c.applicant_id_blind_index = ANY(${identity}))`);
    }
    if (!scopes.length) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
    const from = (scope: string) =>
      `FROM cases c LEFT JOIN departments d ON d.id = c.department_id LEFT JOIN users u ON u.id = c.handler_id WHERE ${[scope, ...where].join(' AND ')}`;
    const [{ total }] = await this.reads.query<{ total: number }[]>(`SELECT (${scopes.map((scope) => `(SELECT count(*) ${from(scope)})`).join(' + ')})::int AS total`, params);
    // Most urgent first: open before concluded, then by due date (ix_cases_agency_queue, ix_cases_department_queue).
    const queueOrder = `(c.concluded_at IS NULL) DESC, c.due_date ASC NULLS LAST, c.created_at ASC`;
    const window = param(query.page * query.pageSize);
    const rows: {
      id: string;
      case_number: string;
      state: string;
      applicant_name: string;
      applicant_category: ApplicantCategory;
      applicant_id_number_ciphertext: string;
      received_at: string | null;
      due_date: string | null;
      due_provisional: boolean;
      outcome: CaseSummary['outcome'];
      concluded_at: string | null;
      department_name: string | null;
      handler_username: string | null;
    }[] = await this.reads.query(
      `SELECT * FROM (${scopes
        .map(
          (scope) => `(SELECT c.id, c.case_number, c.state, c.applicant_name, c.applicant_category, c.applicant_id_number_ciphertext, c.received_at,
                              c.due_date, c.due_provisional, c.outcome, c.concluded_at, c.created_at, d.name AS department_name, u.username AS handler_username
                         ${from(scope)} ORDER BY ${queueOrder} LIMIT ${window})`,
        )
        .join(' UNION ALL ')}) c
       ORDER BY ${queueOrder}
       LIMIT ${param(query.pageSize)} OFFSET ${param((query.page - 1) * query.pageSize)}`,
      params,
    );
    const calendar = this.calendars.calendar();
    const today = this.calendars.today();
    const items = rows.map((row) => ({
      id: row.id,
      caseNumber: row.case_number,
      state: row.state,
      stateLabel: STATE_LABELS[row.state] ?? row.state,
      applicantName: row.applicant_name,
      applicantCategory: row.applicant_category,
      applicantIdNumber: maskIdentityNumber(this.cipher.decrypt('applicant_id_number', row.applicant_id_number_ciphertext)),
      receivedAt: row.received_at,
      dueDate: row.due_date,
      dueProvisional: row.due_provisional,
      remainingWorkingDays: row.due_date && !row.concluded_at ? calendar.workingDaysBetween(today, row.due_date).count : null,
      overdue: Boolean(row.due_date && !row.concluded_at && row.due_date < today),
      outcome: row.outcome,
      departmentName: row.department_name,
      handlerUsername: row.handler_username,
    }));
    // A list shows names and masked numbers: who saw which applicants is recorded too.
    if (items.length) await this.audit.record(principal, { action: 'list_cases', caseIds: items.map((item) => item.id), address });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /** POST /api/cases/{id}/events: validate, authorise, transition through the machine, write case and event in one transaction. */
  async sendEvent(principal: Principal, id: string, body: unknown, address: string): Promise<CaseView> {
    await this.record(principal, id, body);
    return this.view(principal, id, address);
  }

  /** The same step without answering the case view (the demo seed, imports): nothing is shown, nothing to log. */
  async record(principal: Principal, id: string, body: unknown): Promise<void> {
    await this.apply(actorOf(principal), id, parseEventBody(body));
  }

  /** An automatic step (a lapsed period): validated and recorded like any other event, by the actor `system`. */
  async sendSystemEvent(id: string, body: Record<string, unknown>): Promise<void> {
    await this.apply(SYSTEM_ACTOR, id, parseEventBody(body));
  }

  /** The same step inside a caller's transaction (a dispute result that reopens the case commits with it). */
  async sendEventWithin(manager: EntityManager, principal: Principal, id: string, body: unknown): Promise<void> {
    await this.apply(actorOf(principal), id, parseEventBody(body), manager);
  }

  private async apply(actor: CaseActor, id: string, dto: EventBaseDto, outer?: EntityManager): Promise<void> {
    const step = async (manager: EntityManager) => {
      const { row, relation } = await this.access.require(actor, id, 'see', manager);
      if (!mayRelationSend(relation, dto.type)) throw forbidden(actionRefusal(relation, 'act') ?? '无权办理本案');
      if (!mayActorSend(actor.roles, row.state, dto.type)) {
        throw forbidden(`${dto.type} 需要以下角色之一：${rolesFor(row.state, dto.type).join('、') || '（仅限系统）'}`);
      }
      if (dto.version !== undefined && dto.version !== row.version) {
        throw conflict(`案件已被更新（当前版本 ${row.version}，请求版本 ${dto.version}），请刷新后重试`);
      }
      const at = this.effectiveDate(dto, row);
      await this.refuseLockedYear(manager, row.agencyId, at);
      const agency = await this.agencies.byId(row.agencyId, manager);
      const events = await this.clockEvents(manager, row.id);
      const { event, payload, assignee } = await this.toMachineEvent(manager, actor, row, agency, dto, at, events);
      const result = applyEvent(restore(row.snapshot), event);
      if (!result.ok) throw conflict(result.problems.join('；'), result.problems);
      const clock = this.clockOf([...events, { type: event.type, at, payload }], agency.settings);
      // TypeORM answers an UPDATE … RETURNING with [rows, rowCount].
      const [updatedRows]: [unknown[], number] = await manager.query(
        `UPDATE cases SET state = $3, snapshot = $4, version = version + 1, received_at = $5, due_date = $6, due_provisional = $7,
                outcome = $8, concluded_at = $9, last_event_at = $10, updated_at = now(),
                handler_id = COALESCE($11, handler_id), department_id = COALESCE($12, department_id)
          WHERE id = $1 AND version = $2 RETURNING id`,
        [
          row.id,
          row.version,
          result.state,
          JSON.stringify(result.persisted),
          result.snapshot.context.receivedAt,
          clock.dueDate,
          clock.provisional,
          result.snapshot.context.outcome,
          isConcluded(result.state) ? result.snapshot.context.concludedAt : null,
          at,
          assignee?.id ?? null,
          assignee?.departmentId ?? null,
        ],
      );
      if (!updatedRows.length) throw conflict('案件已被他人同时修改，请刷新后重试');
      // The annual report's projection (rules.md §8): the FIRST conclusion only; a reconcluded reopening leaves it as it was.
      const conclusion = conclusionOf(event.type, at, events);
      if (conclusion) {
        await manager.query(`UPDATE cases SET first_concluded_at = $2, first_outcome = $3 WHERE id = $1 AND first_concluded_at IS NULL`, [row.id, conclusion.at, conclusion.outcome]);
      }
      await this.proactive.afterEvent(manager, row, agency, event, payload);
      await this.appendEvent(manager, row.id, events.length + 1, event.type, at, { id: actor.userId, name: actor.username }, payload, result.state);
      // The letters of this step (notices, the reply's draft, review rounds, issue) in the same transaction.
      await this.letters.afterEvent(manager, {
        row: await manager.getRepository(CaseEntity).findOneByOrFail({ id: row.id }),
        agency,
        actor: { userId: actor.userId, username: actor.username },
        event,
        payload,
        stateBefore: row.state,
        clock,
      });
    };
    await (outer ? step(outer) : this.dataSource.transaction(step));
  }

  /** The clock of a case from its event log, on the calendar as it stands now, with the agency's settings. */
  clockOf(events: readonly ClockEvent[], settings: AgencySettings): CaseClock {
    return computeCaseClock(events, this.calendars.calendar(), this.calendars.today(), {
      ...DEFAULT_CLOCK_SETTINGS,
      feePausesReplyClock: settings.feePausesReplyClock,
      thirdPartyReliefWorkingDays: settings.thirdPartyReliefWorkingDays,
    });
  }

  /** Every event of a case, oldest first, as the clock reads them. */
  async clockEvents(manager: EntityManager, caseId: string): Promise<ClockEvent[]> {
    return manager.query(`SELECT type, to_char(at, 'YYYY-MM-DD') AS at, payload FROM case_events WHERE case_id = $1 ORDER BY sequence`, [caseId]);
  }

  private effectiveDate(dto: EventBaseDto, row: CaseEntity): IsoDate {
    const today = this.calendars.today();
    const at = dto.at ?? today;
    if (at > today) throw invalid(`at（${at}）不能晚于今天（${today}）`);
    if (at < row.lastEventAt) throw invalid(`at（${at}）不能早于本案上一事件的日期（${row.lastEventAt}）`);
    for (const field of FOLLOW_UP_DATES) {
      const value = (dto as EventBaseDto & Partial<Record<(typeof FOLLOW_UP_DATES)[number], string>>)[field];
      if (value !== undefined && (value < at || value > today)) throw invalid(`${field}（${value}）应在 ${at} 至今天（${today}）之间`);
    }
    return at;
  }

  /** Turn the validated body into the machine's event, adding what only the server knows (the clock's dates). */
  private async toMachineEvent(
    manager: EntityManager,
    actor: CaseActor,
    row: CaseEntity,
    agency: AgencyEntity,
    dto: EventBaseDto,
    at: IsoDate,
    events: readonly ClockEvent[],
  ): Promise<{ event: CaseEvent; payload: Record<string, unknown>; assignee?: UserEntity }> {
    const { type: _type, at: _at, version: _version, ...fields } = dto as EventBaseDto & Record<string, unknown>;
    const payload: Record<string, unknown> = JSON.parse(JSON.stringify(fields));
    const settings = agency.settings;
    const asEvent = () => ({ event: { ...(payload as object), type: dto.type, at } as CaseEvent, payload });
    switch (dto.type) {
      case 'REQUEST_ASSISTANCE': {
        const wanted = String(payload.department);
        const [department]: { id: string; name: string }[] = await manager.query(
          `SELECT id, name FROM departments WHERE agency_id = $1 AND (name = $2 OR id::text = $2)`,
          [row.agencyId, wanted],
        );
        if (!department) throw invalid(`本机关没有名为“${wanted}”的部门`);
        if (department.id === row.departmentId) throw invalid(`${department.name} 是本案的承办部门，协办请求应发给其他部门`);
        if (String(payload.dueDate) < at) throw invalid(`协办期限（${String(payload.dueDate)}）不能早于 ${at}`);
        Object.assign(payload, { requestId: randomUUID(), department: department.name, departmentId: department.id });
        return asEvent();
      }
      case 'ANSWER_ASSISTANCE': {
        const [request]: { department_id: string; department: string }[] = await manager.query(
          `SELECT payload->>'departmentId' AS department_id, payload->>'department' AS department FROM case_events
            WHERE case_id = $1 AND type = 'REQUEST_ASSISTANCE' AND payload->>'requestId' = $2`,
          [row.id, String(payload.requestId)],
        );
        // Only the assisting department answers for itself.
        if (request && actor.departmentId !== request.department_id) throw forbidden(`此协办请求应由${request.department}答复`);
        return asEvent();
      }
      case 'ISSUE_REPLY': {
        // The 文号 is taken inside this transaction: a refused or failed issue gives it back.
        const correction = row.requestType === 'correction';
        payload.documentNumber = correction
          ? await this.agencies.nextLetterNumber(manager, agency, yearOf(at), 'letter:correction_reply', settings.letterNumberPrefixes.correction_reply ?? '信息更正答复')
          : await this.agencies.nextLetterNumber(manager, agency, yearOf(at), 'reply', settings.replyNumberPrefix);
        // Art. 32: the end of the third party's relief period, from the clock (the machine holds the reply until after it).
        const event = { type: 'ISSUE_REPLY', at, documentNumber: String(payload.documentNumber), thirdPartyReliefEnds: this.clockOf(events, settings).thirdPartyReliefEnds } as const;
        return { event, payload };
      }
      case 'START_CONSULTATION':
      case 'SEND_FEE_NOTICE':
      case 'SET_LATER_REPLY_DATE': {
        // rules.md §3: the due date in force, so a late pause or Art. 35 date is refused rather than moving it.
        const dueDate = this.clockOf(events, settings).dueDate;
        if (dto.type !== 'SEND_FEE_NOTICE') return { event: { ...(payload as object), type: dto.type, at, dueDate } as CaseEvent, payload };
        return this.feeNoticeEvent(manager, row, settings, payload, at, dueDate);
      }
      case 'APPROVE': {
        // Art. 32: the head's signature of a disclosure over a third party's objection sends the 公开决定告知书; the
        // flag tells the clock (the third party's relief period) and the letters (the notice) what the step did.
        const context = restore(row.snapshot).context;
        if (row.state === 'decided.headApproval' && context.disclosureOverObjection) payload.disclosureDecisionNotice = true;
        return asEvent();
      }
      case 'RECORD_SEARCH': {
        const ids = (payload.attachmentIds as string[] | undefined) ?? [];
        if (ids.length) {
          const found: { id: string }[] = await manager.query(`SELECT id FROM attachments WHERE case_id = $1 AND id = ANY($2::uuid[])`, [row.id, ids]);
          const missing = ids.filter((id) => !found.some((attachment) => attachment.id === id));
          if (missing.length) throw invalid(`本案没有这些附件：${missing.join('、')}`);
        }
        return asEvent();
      }
      case 'ASSIGN': {
        const username = String(payload.handler);
        const assignee = await manager.getRepository(UserEntity).findOne({ where: { username, agencyId: row.agencyId, active: true } });
        if (!assignee || !assignee.roles.includes('handler')) throw invalid(`没有用户名为“${username}”的承办人`);
        return { event: { type: 'ASSIGN', at, handler: username, reason: payload.reason as string | undefined }, payload, assignee };
      }
      case 'REQUEST_SUPPLEMENT': {
        payload.periodWorkingDays ??= settings.supplementPeriodWorkingDays;
        return { event: { ...(payload as object), type: 'REQUEST_SUPPLEMENT', at } as CaseEvent, payload };
      }
      case 'EXTEND': {
        const dueDate = this.clockOf(events, settings).dueDate;
        if (!dueDate) throw conflict('当前没有在计算的答复期限，无法延期');
        payload.dueDateBeforeExtension = dueDate;
        return { event: { type: 'EXTEND', at, workingDays: Number(payload.workingDays), reason: String(payload.reason), dueDate }, payload };
      }
      case 'SUPPLEMENT_LAPSED': {
        const supplementDueDate = this.clockOf(events, settings).supplementDueDate;
        if (!supplementDueDate) throw conflict('当前没有在计算的补正期限');
        payload.supplementDueDate = supplementDueDate;
        return { event: { type: 'SUPPLEMENT_LAPSED', at, supplementDueDate }, payload };
      }
      case 'FEE_LAPSED': {
        const feeDueDate = this.clockOf(events, settings).feeDueDate;
        if (!feeDueDate) throw conflict('当前没有在计算的缴费期限');
        payload.feeDueDate = feeDueDate;
        return { event: { type: 'FEE_LAPSED', at, feeDueDate }, payload };
      }
      case 'DECIDE': {
        if (payload.duplicateOf) {
          const earlier = await manager.getRepository(CaseEntity).findOne({ where: { caseNumber: String(payload.duplicateOf), agencyId: row.agencyId } });
          if (!earlier || earlier.id === row.id) throw invalid(`duplicateOf：本机关没有编号为“${String(payload.duplicateOf)}”的在先申请`);
          // Art. 36(6): the facts the rule asks about — the same applicant, and an answer already given (libs/case-workflow).
          const [answer]: { at: string }[] = await manager.query(
            `SELECT to_char(at, 'YYYY-MM-DD') AS at FROM case_events WHERE case_id = $1 AND type = 'ISSUE_REPLY' ORDER BY sequence DESC LIMIT 1`,
            [earlier.id],
          );
          const answered = answer && (earlier.state === 'replied' || earlier.state === 'closed') ? answer.at : null;
          const earlierRequest = { caseNumber: earlier.caseNumber, sameApplicant: earlier.applicantIdBlindIndex === row.applicantIdBlindIndex, answeredAt: answered };
          payload.earlierRequest = earlierRequest;
          return { event: { ...(payload as object), type: 'DECIDE', at, earlierRequest } as CaseEvent, payload };
        }
        return asEvent();
      }
      default:
        return asEvent();
    }
  }

  /** 国办函〔2020〕109号: the amount by the agency's chosen method, with the items the applicant had earlier this month. */
  private async feeNoticeEvent(
    manager: EntityManager,
    row: CaseEntity,
    settings: AgencySettings,
    payload: Record<string, unknown>,
    at: IsoDate,
    dueDate: IsoDate | null,
  ): Promise<{ event: CaseEvent; payload: Record<string, unknown> }> {
    const input: FeeQuoteInput =
      payload.method === 'per_page'
        ? { method: 'per_page', pages: Number(payload.pages) }
        : { method: 'per_item', items: Number(payload.items), itemsBeforeThisMonth: await this.itemsEarlierThisMonth(manager, row) };
    const fee = quote(input);
    if (fee.amountYuan === 0) throw conflict(`按收费标准不应收费：${fee.explanation}`);
    Object.assign(payload, { ...input, ...fee, paymentInstructions: settings.feePaymentInstructions });
    return { event: { type: 'SEND_FEE_NOTICE', at, amountYuan: fee.amountYuan, noticeReceivedAt: payload.noticeReceivedAt as IsoDate | undefined, dueDate }, payload };
  }

  /** rules.md §8: once a year's report is published and locked, nothing dated in that year can be written. */
  private async refuseLockedYear(manager: EntityManager, agencyId: string, at: IsoDate): Promise<void> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM report_locks WHERE agency_id = $1 AND year = $2`, [agencyId, yearOf(at)]);
    if (rows.length) throw conflict(`${yearOf(at)} 年度报告已发布并锁定，不能再记录日期在该年度内的事项（${at}）`);
  }

  /**
   * The applicant's blind index under every key the service reads with: during a key rotation an applicant's other
   * cases may still carry the old key's index (personal-data-cipher.ts). With one key it is the stored index alone.
   */
  private applicantIndexes(row: CaseEntity): string[] {
    if (this.cipher.readableKeyIds.length === 1) return [row.applicantIdBlindIndex];
    return this.cipher.blindIndexes(this.cipher.decrypt('applicant_id_number', row.applicantIdNumberCiphertext));
  }

  /** 国办函〔2020〕109号: items the same applicant had earlier in the same calendar month (by receipt date), at this agency. */
  private async itemsEarlierThisMonth(manager: EntityManager, row: CaseEntity): Promise<number> {
    if (!row.receivedAt) return 0;
    const [{ count }]: { count: number }[] = await manager.query(
      `SELECT count(*)::int AS count FROM cases
        WHERE agency_id = $1 AND applicant_id_blind_index = ANY($2) AND id <> $3 AND received_at IS NOT NULL
          AND date_trunc('month', received_at) = date_trunc('month', $4::date)
          AND (received_at < $4::date OR (received_at = $4::date AND created_at < $5))`,
      [row.agencyId, this.applicantIndexes(row), row.id, row.receivedAt, row.createdAt],
    );
    return count;
  }

  private async appendEvent(
    manager: EntityManager,
    caseId: string,
    sequence: number,
    type: string,
    at: IsoDate,
    actor: { id: string | null; name: string },
    payload: Record<string, unknown>,
    stateAfter: string,
  ): Promise<void> {
    try {
      await manager.query(
        `INSERT INTO case_events (case_id, sequence, type, at, actor_id, actor_name, payload, state_after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [caseId, sequence, type, at, actor.id, actor.name, JSON.stringify(payload), stateAfter],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw conflict('案件已被他人同时修改，请刷新后重试');
      throw error;
    }
  }

  private async toView(manager: EntityManager, row: CaseEntity, principal: Principal, relation: CaseRelation): Promise<CaseView> {
    const eventRows: CaseEventEntity[] = await manager.getRepository(CaseEventEntity).find({ where: { caseId: row.id }, order: { sequence: 'ASC' } });
    const agency = await this.agencies.byId(row.agencyId, manager);
    const clock = this.clockOf(
      eventRows.map((event) => ({ type: event.type, at: event.at, payload: event.payload })),
      agency.settings,
    );
    const snapshot = restore(row.snapshot);
    const [department, handler] = await Promise.all([
      row.departmentId ? manager.query(`SELECT id, name FROM departments WHERE id = $1`, [row.departmentId]) : [],
      row.handlerId ? manager.query(`SELECT username, display_name AS "displayName" FROM users WHERE id = $1`, [row.handlerId]) : [],
    ]);
    const applicantHistory = await this.applicantHistory(manager, row, principal);
    const events: CaseEventView[] = eventRows.map((event) => ({
      ...event.payload,
      sequence: event.sequence,
      type: event.type,
      at: event.at,
      by: event.actorName,
      recordedAt: event.createdAt.toISOString(),
    }));
    return {
      id: row.id,
      caseNumber: row.caseNumber,
      agencyId: row.agencyId,
      state: row.state,
      stateLabel: STATE_LABELS[row.state] ?? row.state,
      version: row.version,
      // From the machine, narrowed to what this user's roles may send.
      availableEvents: availableEventTypes(snapshot).filter(
        (type) =>
          mayRelationSend(relation, type) &&
          mayActorSend(principal.roles, row.state, type) &&
          (type !== 'ANSWER_ASSISTANCE' || hasOpenAssistanceRequestFor(eventRows, principal.departmentId)),
      ),
      channel: row.channel,
      submittedAt: row.submittedAt.toISOString(),
      receivedAt: row.receivedAt,
      applicant: {
        category: row.applicantCategory,
        name: row.applicantName,
        idType: row.applicantIdType,
        // Masked: the clear numbers come only from revealPersonalData, with a reason on record.
        idNumber: maskIdentityNumber(this.cipher.decrypt('applicant_id_number', row.applicantIdNumberCiphertext)),
        phone: row.applicantPhoneCiphertext ? maskPhone(this.cipher.decrypt('applicant_phone', row.applicantPhoneCiphertext)) : null,
        email: row.applicantEmail,
        address: row.applicantAddress,
      },
      description: row.description,
      deliveryForm: row.deliveryForm,
      department: department[0] ?? null,
      handler: handler[0] ?? null,
      clock: {
        dueDate: clock.dueDate,
        remainingWorkingDays: isConcluded(row.state) ? null : clock.remainingWorkingDays,
        pausedWorkingDays: clock.pausedWorkingDays,
        extendedWorkingDays: clock.extendedWorkingDays,
        provisional: clock.provisional,
        paused: clock.paused,
        overdue: !isConcluded(row.state) && clock.remainingWorkingDays !== null && clock.remainingWorkingDays < 0,
        supplementNoticeDueDate: clock.supplementNoticeDueDate,
        supplementDueDate: clock.supplementDueDate,
        consultationLimitDate: clock.consultationLimitDate,
        feeDueDate: clock.feeDueDate,
        laterReplyDate: clock.laterReplyDate,
        thirdPartyReliefEnds: clock.thirdPartyReliefEnds,
        asOf: clock.asOf,
        warnings: clock.warnings,
        explanation: clock.explanation,
      },
      requestType: row.requestType,
      applicantHistory,
      outcome: row.outcome,
      concludedAt: row.concludedAt,
      events,
    };
  }

  /**
   * The applicant's other requests to this agency: volume and frequency for Art. 35 and the fee's monthly count, and
   * the likely duplicates of Art. 36(6).
   */
  private async applicantHistory(manager: EntityManager, row: CaseEntity, principal: Principal): Promise<CaseView['applicantHistory']> {
    const params: unknown[] = [row.agencyId, this.applicantIndexes(row), row.id];
    const visible = this.access.scopeCondition(principal, 'c', (value) => `$${params.push(value)}`);
    const rows: { id: string; caseNumber: string; receivedAt: string | null; state: string; outcome: string | null; description: string; visible: boolean }[] =
      await manager.query(
        `SELECT id, case_number AS "caseNumber", to_char(received_at, 'YYYY-MM-DD') AS "receivedAt", state, outcome, description, ${visible} AS visible
           FROM cases c WHERE agency_id = $1 AND applicant_id_blind_index = ANY($2) AND id <> $3
          ORDER BY COALESCE(received_at, submitted_at::date) DESC, created_at DESC LIMIT 200`,
        params,
      );
    // The counts are the applicant's volume (Art. 35, the fee's monthly count) whoever handles the other requests; the
    // requests themselves are listed only where the user may see them (the other departments' are counted, not shown).
    const others = rows.map(({ visible: _visible, ...other }) => other);
    const shown = rows.filter((other) => other.visible).map(({ visible: _visible, ...other }) => other);
    const reference = row.receivedAt ?? row.submittedAt.toISOString().slice(0, 10);
    const yearAgo = `${Number(reference.slice(0, 4)) - 1}${reference.slice(4)}`;
    return {
      sameMonth: others.filter((other) => other.receivedAt?.slice(0, 7) === reference.slice(0, 7)).length,
      last12Months: others.filter((other) => other.receivedAt !== null && other.receivedAt > yearAgo && other.receivedAt <= reference).length,
      total: others.length,
      notShown: others.length - shown.length,
      recent: shown.slice(0, 20).map(({ description: _description, ...other }) => other),
      likelyDuplicates: likelyDuplicates(row.description, shown)
        .slice(0, 10)
        .map((other) => ({ id: other.id, caseNumber: other.caseNumber, receivedAt: other.receivedAt, similarity: other.similarity })),
    };
  }

  /** 协办 requests to the user's department that await an answer. */
  async openAssistanceRequests(principal: Principal): Promise<unknown[]> {
    if (!principal.departmentId) return [];
    return this.dataSource.query(
      `SELECT e.case_id AS "caseId", c.case_number AS "caseNumber", e.payload->>'requestId' AS "requestId",
              e.payload->>'question' AS question, e.payload->>'dueDate' AS "dueDate", to_char(e.at, 'YYYY-MM-DD') AS "requestedAt",
              e.actor_name AS "requestedBy"
         FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE e.type = 'REQUEST_ASSISTANCE' AND e.payload->>'departmentId' = $1 AND c.agency_id = $2 AND c.concluded_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM case_events a WHERE a.case_id = e.case_id AND a.type = 'ANSWER_ASSISTANCE'
                                                        AND a.payload->>'requestId' = e.payload->>'requestId')
        ORDER BY e.payload->>'dueDate'`,
      [principal.departmentId, principal.agencyId],
    );
  }
}

/** 协办: whether the user's department has a request on this case still to answer (only it may answer, ANSWER_ASSISTANCE). */
function hasOpenAssistanceRequestFor(events: readonly CaseEventEntity[], departmentId: string | null): boolean {
  if (!departmentId) return false;
  const answered = new Set(events.filter((event) => event.type === 'ANSWER_ASSISTANCE').map((event) => event.payload.requestId));
  return events.some((event) => event.type === 'REQUEST_ASSISTANCE' && event.payload.departmentId === departmentId && !answered.has(event.payload.requestId));
}
