import { Injectable } from '@nestjs/common';
import type { CaseClock, IsoDate } from '@desk/calendar';
import {
  availableEventTypes,
  isConcluded,
  likelyDuplicates,
  mayActorSend,
  mayRelationSend,
  restore,
  type CaseRelation,
  type CaseSnapshot,
} from '@desk/case-workflow';
import { maskIdentityNumber, maskPhone, normaliseIdentityNumber, type IdType } from '@desk/identity';
import { labelOf, STATE_TERMS } from '@desk/vocabulary';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import type { Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import type { AgencyEntity } from '../database/entities';
import { accessRecordInsert, PersonalDataAuditService, type PersonalDataAccess } from '../personal-data/personal-data-audit.service';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { CaseAccess } from './case-access.service';
import { CaseRepository, DUE_WARNINGS, type ApplicantHistoryRead, QUEUE_COUNT_LIMIT, QUEUE_SEARCH_MIN_LENGTH, QUEUE_SEARCH_TEXT, type CaseRecord, type LoggedEvent, type QueueCount, type QueueSort } from './case.repository';
import type { CaseEventView, CaseSummary, CaseView } from './case-view';
import { CONCLUDED_BY_RANK, decodeCursor, encodeCursor } from './queue-order';
import { RecordEventService } from './record-event.service';
import { RedactionRepository } from '../redaction/redaction.repository';

export interface CaseListQuery {
  state?: string;
  dueBefore?: IsoDate;
  /** 即将到期 (DUE_WARNINGS): open and due from today to this date, the agency's dueSoonWorkingDays ahead. */
  dueSoonBy?: IsoDate;
  overdue?: boolean;
  department?: string;
  q?: string;
  /** The console's filters (issue 16 item 3). */
  handler?: string;
  channel?: string;
  outcome?: string;
  receivedFrom?: IsoDate;
  receivedTo?: IsoDate;
  dueFrom?: IsoDate;
  dueTo?: IsoDate;
  /** true: open cases only (the active queues); false: concluded only; absent: both. */
  open?: boolean;
  /** A handler's own cases. */
  mine?: boolean;
  /** Open cases whose handler asked for an extension the head has not yet decided. */
  extensionRequested?: boolean;
  /** Open cases whose draft reply came back from review (the last review step returned it). */
  returned?: boolean;
  /** Concluded after their due date (答复逾期), for 督办. */
  late?: boolean;
  /** Concluded on or after this day. */
  concludedFrom?: IsoDate;
  sort?: QueueSort;
  /** A page after or before a case (keyset paging, queue-order.ts); `page` then only says which page the caller counts. */
  cursor?: string;
  page: number;
  pageSize: number;
}

/** A page of a queue; the cursors of the pages after and before it (null where there is none). */
export interface CaseListPage {
  items: CaseSummary[];
  total: number;
  totalExact: boolean;
  page: number;
  pageSize: number;
  nextCursor: string | null;
  /** null on the first page (also when a page asked for before a cursor turned out to be the first: the queue changed). */
  previousCursor: string | null;
}

/**
 * What staff read of the cases: the case view, the work queues, the applicant's numbers for a stated purpose. Every
 * answer goes through the case-access rule, and every view of personal data is recorded first.
 */
@Injectable()
export class CaseViewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: CalendarService,
    private readonly agencies: AgenciesService,
    private readonly cases: CaseRepository,
    private readonly access: CaseAccess,
    private readonly cipher: PersonalDataCipher,
    private readonly audit: PersonalDataAuditService,
    private readonly steps: RecordEventService,
    private readonly redactions: RedactionRepository,
  ) {}

  /**
   * The case view, identity and phone numbers masked. `shownTo` is the caller's address when the view goes to the user
   * (recorded in the access log); null only for a caller that uses it internally or has recorded its own access.
   */
  async view(principal: Principal, id: string, shownTo: string | null): Promise<CaseView> {
    // The case, its log and its agency in one read; the log before the access check, whose rule takes the departments
    // asked to assist from it.
    const loaded = await this.cases.load(id, null, this.dataSource.manager, this.historyInRead(principal));
    const events = loaded?.events ?? [];
    const { relation } = await this.access.require(principal, id, 'see', this.dataSource.manager, loaded?.record.row ?? null, events);
    if (shownTo !== null) await this.audit.record(principal, { action: 'view_case', caseIds: [id], address: shownTo });
    const agency = this.agencies.fromStored(loaded!.agency);
    return this.build(this.dataSource.manager, principal, relation, {
      record: loaded!.record,
      events,
      agency,
      clock: this.calendars.clockOf(events, agency.settings),
      hasRedactions: loaded!.hasRedactions,
      history: loaded!.history,
    });
  }

  /** POST /api/cases/{id}/events: the step, then the case view built from what the step already holds. */
  async sendEvent(principal: Principal, id: string, body: unknown, address: string): Promise<CaseView> {
    // The view it answers is recorded with the step's own writes, in its statement: one commit, and one round trip
    // for the case, the event and the access record (BENCHMARKS.md, issue 20).
    const step = await this.steps.record(principal, id, body, undefined, {
      alsoWrite: (param, written) => accessRecordInsert(principal, { action: 'view_case', caseIds: [id], address }, param, written),
      history: this.historyInRead(principal),
    });
    // The relation after the step (an assignment may have moved the case), from the log the step holds.
    const relation = this.access.relationFromLog(principal, step.record.row, step.events);
    return this.build(this.dataSource.manager, principal, relation, step);
  }

  /** Which of the applicant's other requests the user may see (the case-access rule on the alias given). */
  private historyVisibility(principal: Principal) {
    return (alias: string, param: (value: unknown) => string) => this.access.scopeCondition(principal, alias, param);
  }

  /**
   * The applicant's history read with the case (one round trip less) — while one key is in use, when the stored blind
   * index is the applicant's only one; during a key rotation it is read on its own, by every key's index.
   */
  private historyInRead(principal: Principal) {
    return this.cipher.storedIndexSuffices ? this.historyVisibility(principal) : undefined;
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

  /** How many cases a queue holds (the console's home page counts), by the same filters as the queue. */
  async count(principal: Principal, query: Omit<CaseListQuery, 'page' | 'pageSize'>): Promise<QueueCount> {
    const filter = this.filter(principal, { ...query, page: 1, pageSize: 1 });
    return filter ? this.cases.count(filter.scopes, filter.where, filter.params, QUEUE_COUNT_LIMIT) : { total: 0, exact: true };
  }

  /** A queue's conditions: the user's scope (case-access rule) and the filters, as SQL with its parameters. */
  private filter(principal: Principal, query: CaseListQuery): { scopes: string[]; where: string[]; seek: string[]; params: unknown[]; whereWhenMany?: string[] } | null {
    const where: string[] = [];
    // Conditions implied by `where` that narrow the page's index range (not the count's: they would cost it its index).
    const seek: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    // A handler sees its department's cases and those its department was asked to assist with (协办): two halves that
    // each follow an index in queue order, not one OR with a subquery, which scans the whole agency (BENCHMARKS.md).
    const scopes = this.access.scopeConditions(principal, 'c', param);
    if (!scopes.length) return null;
    // A state and its sub-states (handling → handling.active, …) as the list of their codes, which an index on the state
    // answers (a LIKE prefix cannot use one under the database's collation).
    if (query.state) {
      const states = statesWithin(query.state);
      where.push(`c.state = ANY(${param(states)})`);
      // A concluded state (已办结, 已撤回, …): its page starts where the open cases end (see 已办结 below).
      if (states.every(isConcluded)) seek.push(CONCLUDED_BY_RANK);
    }
    if (query.dueBefore) where.push(`c.due_date <= ${param(query.dueBefore)} AND c.concluded_at IS NULL`);
    if (query.dueSoonBy) where.push(DUE_WARNINGS.dueSoon('c', param(this.calendars.today()), param(query.dueSoonBy)));
    if (query.overdue) where.push(DUE_WARNINGS.overdue('c', param(this.calendars.today())));
    // On the case's own columns, so the department's queue index answers the filter (a condition on the joined name
    // cannot use it); the scope keeps the departments and users of other agencies out.
    if (query.department) {
      where.push(`c.department_id IN (SELECT dd.id FROM departments dd WHERE dd.id::text = ${param(query.department)} OR dd.name = ${param(query.department)})`);
    }
    if (query.handler) where.push(`c.handler_id IN (SELECT uu.id FROM users uu WHERE uu.username = ${param(query.handler)})`);
    if (query.mine) where.push(`c.handler_id = ${param(principal.userId)}`);
    if (query.channel) where.push(`c.channel = ${param(query.channel)}`);
    if (query.outcome) where.push(`(c.outcome = ${param(query.outcome)} OR c.outcome LIKE ${param(`${query.outcome}.%`)})`);
    if (query.receivedFrom) where.push(`c.received_at >= ${param(query.receivedFrom)}`);
    if (query.receivedTo) where.push(`c.received_at <= ${param(query.receivedTo)}`);
    if (query.dueFrom) where.push(`c.due_date >= ${param(query.dueFrom)}`);
    if (query.dueTo) where.push(`c.due_date <= ${param(query.dueTo)}`);
    if (query.open === true) where.push(`c.concluded_at IS NULL`);
    // 已办结 by the concluded states (a case's concluded_at is set exactly when its state is one: RecordEventService), so
    // its count is read from ix_cases_department_state / ix_cases_agency_state alone; and, for its page only, by the
    // rank the same states imply, so the page starts where the open cases end in the urgency index.
    if (query.open === false) {
      where.push(`c.state = ANY(${param(CONCLUDED_STATES)})`);
      seek.push(CONCLUDED_BY_RANK);
    }
    if (query.extensionRequested) where.push(`c.concluded_at IS NULL AND c.snapshot->'context'->>'extensionRequestedAt' IS NOT NULL`);
    if (query.late) where.push(DUE_WARNINGS.late('c'));
    if (query.concludedFrom) where.push(`c.concluded_at >= ${param(query.concludedFrom)}`);
    if (query.returned) {
      // The last step was a RETURN. Asked first whether the case was ever returned (ix_case_events_returns, few entries),
      // so the log's last step is looked up only for those, not for every case in handling.
      where.push(
        `c.state = ANY(${param(statesWithin('handling'))}) AND EXISTS (SELECT 1 FROM case_events r WHERE r.case_id = c.id AND r.type = 'RETURN')` +
          ` AND (SELECT e.type FROM case_events e WHERE e.case_id = c.id ORDER BY e.sequence DESC LIMIT 1) = 'RETURN'`,
      );
    }
    if (query.q) {
      const escaped = query.q.replace(/[%_\\]/g, (char) => `\\${char}`);
      if ([...query.q].length < QUEUE_SEARCH_MIN_LENGTH) {
        // One or two characters find no trigram (the index needs three), and as a substring of every request's text
        // they would mean reading the whole agency (seconds at a million cases). They are taken as what a person means
        // by them: the start of the applicant's name (a surname, a two-character name), answered by
        // ix_cases_applicant_name_prefix.
        where.push(`c.applicant_name LIKE ${param(`${escaped}%`)}`);
      } else {
        const like = param(`%${escaped}%`);
        // A whole identity number finds the applicant's cases through the blind index (the number is never stored in clear).
        const identity = param(this.cipher.blindIndexes(normaliseIdentityNumber(query.q)));
        // Words without upper and lower case (Chinese, digits) match alike either way; LIKE tests a case's text about four
        // times faster than ILIKE, which lowercases it first — what a count that reads thousands of cases spends most on.
        const operator = hasLetterCase(query.q) ? 'ILIKE' : 'LIKE';
        const indexed = `(${QUEUE_SEARCH_TEXT} ${operator} ${like} OR c.applicant_id_blind_index = ANY(${identity}))`;
        where.push(indexed);
        // Words in more cases than the count reaches: the page walks the queue's order testing each case, rather than
        // fetch them all from the trigram index to sort them (migrations/1796800000040).
        const walked = `(queue_text_matches(${QUEUE_SEARCH_TEXT}, ${like}) OR c.applicant_id_blind_index = ANY(${identity}))`;
        return { scopes, where, seek, params, whereWhenMany: where.map((condition) => (condition === indexed ? walked : condition)) };
      }
    }
    return { scopes, where, seek, params };
  }

  async list(principal: Principal, query: CaseListQuery, address: string): Promise<CaseListPage> {
    const sort = query.sort ?? 'urgency';
    // Checked before anything is read: a bad cursor is the caller's mistake (400), whatever the user may see.
    const cursor = query.cursor ? decodeCursor(query.cursor, sort) : null;
    const filter = this.filter(principal, query);
    if (!filter) return { items: [], total: 0, totalExact: true, page: query.page, pageSize: query.pageSize, nextCursor: null, previousCursor: null };
    const { scopes, where, seek, params, whereWhenMany } = filter;
    const { rows, total, exact, first, last, more, before, restarted } = await this.cases.queue(scopes, where, params, query.page, query.pageSize, sort, cursor, seek, whereWhenMany);
    const nextCursor = more && last ? encodeCursor({ sort, direction: 'after', key: last }) : null;
    // Past the end of a queue that shrank since the cursor was made, the page is empty; its previous page is still before the cursor.
    const previousKey = first ?? cursor?.key ?? null;
    const previousCursor = before && previousKey ? encodeCursor({ sort, direction: 'before', key: previousKey }) : null;
    const calendar = this.calendars.calendar();
    const today = this.calendars.today();
    const items = rows.map((row) => ({
      id: row.id,
      caseNumber: row.case_number,
      state: row.state,
      stateLabel: labelOf(STATE_TERMS, row.state),
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
      handlerName: row.handler_display_name,
    }));
    // A list shows names and masked numbers: who saw which applicants is recorded too.
    if (items.length) await this.audit.record(principal, { action: 'list_cases', caseIds: items.map((item) => item.id), address });
    const page = restarted ? 1 : query.page;
    return { items, total, totalExact: exact, page, pageSize: query.pageSize, nextCursor, previousCursor };
  }

  /** 协办 requests to the user's department that await an answer. */
  async openAssistanceRequests(principal: Principal): Promise<unknown[]> {
    if (!principal.departmentId) return [];
    return this.cases.openAssistanceRequests(principal.agencyId, principal.departmentId);
  }

  /** The case view from a case, its log, its agency and its clock, as the caller holds them. */
  private async build(
    manager: EntityManager,
    principal: Principal,
    relation: CaseRelation,
    held: { record: CaseRecord; events: readonly LoggedEvent[]; agency: AgencyEntity; clock: CaseClock; snapshot?: CaseSnapshot; hasRedactions: boolean; history?: ApplicantHistoryRead },
  ): Promise<CaseView> {
    const { row, department, handler } = held.record;
    const { clock } = held;
    // A step hands over the machine it ran; a read restores it from the row.
    const snapshot = held.snapshot ?? restore(row.snapshot);
    const concluded = isConcluded(row.state);
    const events: CaseEventView[] = held.events.map((event) => ({
      ...event.payload,
      sequence: event.sequence,
      type: event.type,
      at: event.at,
      by: event.actorName,
      recordedAt: new Date(event.recordedAt).toISOString(),
    }));
    return {
      id: row.id,
      caseNumber: row.caseNumber,
      agencyId: row.agencyId,
      state: row.state,
      stateLabel: labelOf(STATE_TERMS, row.state),
      version: row.version,
      // From the machine, narrowed to what this user may send: the relation to the case, the roles, and 协办's own answer.
      availableEvents: availableEventTypes(snapshot).filter(
        (type) =>
          mayRelationSend(relation, type) &&
          mayActorSend(principal.roles, row.state, type) &&
          (type !== 'ANSWER_ASSISTANCE' || hasOpenAssistanceRequestFor(held.events, principal.departmentId)),
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
      department,
      handler,
      clock: {
        dueDate: clock.dueDate,
        remainingWorkingDays: concluded ? null : clock.remainingWorkingDays,
        pausedWorkingDays: clock.pausedWorkingDays,
        extendedWorkingDays: clock.extendedWorkingDays,
        provisional: clock.provisional,
        paused: clock.paused,
        overdue: !concluded && clock.remainingWorkingDays !== null && clock.remainingWorkingDays < 0,
        supplementNoticeDueDate: clock.supplementNoticeDueDate,
        supplementDueDate: clock.supplementDueDate,
        consultationLimitDate: clock.consultationLimitDate,
        feeDueDate: clock.feeDueDate,
        laterReplyDate: clock.laterReplyDate,
        thirdPartyReliefEnds: clock.thirdPartyReliefEnds,
        asOf: clock.asOf,
        replyServedAt: clock.replyServedAt,
        warnings: clock.warnings,
        explanation: clock.explanation,
      },
      requestType: row.requestType,
      applicantHistory: await this.applicantHistory(manager, held.record, principal, held.history),
      outcome: row.outcome,
      concludedAt: row.concludedAt,
      events,
      // Art. 37 区分处理: the documents disclosed in part, their regions and the redaction log (who marked what, when, why).
      redactions: held.hasRedactions ? await this.redactions.documentsOf(row.id, manager) : [],
    };
  }

  /**
   * The applicant's other requests to this agency: volume and frequency for Art. 35 and the fee's monthly count, and
   * the likely duplicates of Art. 36(6). The counts are the applicant's whoever handles the other requests; the requests
   * themselves are listed only where the user may see them (the other departments' are counted, not shown).
   */
  private async applicantHistory(manager: EntityManager, record: CaseRecord, principal: Principal, read?: ApplicantHistoryRead): Promise<CaseView['applicantHistory']> {
    const { row } = record;
    const { rows, counts } = read ?? (await this.cases.applicantHistory(manager, row, this.cipher.applicantIndexes(row), this.historyVisibility(principal)));
    const shown = rows.filter((other) => other.visible).map(({ visible: _visible, ...other }) => other);
    // Counted over all of the applicant's other requests (the list holds the latest 200): Art. 35's volume and frequency.
    return {
      sameMonth: counts.sameMonth,
      last12Months: counts.last12Months,
      total: counts.total,
      notShown: counts.total - counts.visible,
      recent: shown.slice(0, 20).map(({ description: _description, ...other }) => other),
      likelyDuplicates: likelyDuplicates(row.description, shown)
        .slice(0, 10)
        .map((other) => ({ id: other.id, caseNumber: other.caseNumber, receivedAt: other.receivedAt, similarity: other.similarity })),
    };
  }
}

/** The state's code and the codes of the states within it (the vocabulary lists every state of the machine). */
const CONCLUDED_STATES = STATE_TERMS.map((term) => term.code).filter(isConcluded);

function statesWithin(state: string): string[] {
  return [...new Set([state, ...STATE_TERMS.map((term) => term.code).filter((code) => code.startsWith(`${state}.`))])];
}

/** 协办: whether the user's department has a request on this case still to answer (only it may answer). */
function hasOpenAssistanceRequestFor(events: readonly LoggedEvent[], departmentId: string | null): boolean {
  if (!departmentId) return false;
  const answered = new Set(events.filter((event) => event.type === 'ANSWER_ASSISTANCE').map((event) => event.payload.requestId));
  return events.some((event) => event.type === 'REQUEST_ASSISTANCE' && event.payload.departmentId === departmentId && !answered.has(event.payload.requestId));
}

/** Whether a text has a character that upper or lower case changes (Latin, Greek, Cyrillic…): only then is ILIKE needed. */
function hasLetterCase(text: string): boolean {
  return text.toLowerCase() !== text.toUpperCase();
}
