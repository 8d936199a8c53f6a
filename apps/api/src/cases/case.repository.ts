import { Injectable } from '@nestjs/common';
import type { ClockEvent, IsoDate } from '@desk/calendar';
import type { AnyOutcomeCode, ApplicantCategory } from '@desk/case-workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { conflict } from '../common/domain-error';
import { isUuid } from '../common/text';
import { CaseEntity, DepartmentEntity, UserEntity } from '../database/entities';
import { preparedQuery } from '../database/prepared';
import { ReadDatabase } from '../database/read-database';
import { keyColumns, keyOf, orderBy, pastCursor, QUEUE_ORDERS, type QueueCursor, type QueueOrder, type QueueSort } from './queue-order';

/** One entry of a case's event log as the workflow reads it: the clock's fields and who recorded it when. */
export interface LoggedEvent extends ClockEvent {
  sequence: number;
  actorName: string;
  recordedAt: string;
}

/** A case with the names the view shows beside it. */
export interface CaseRecord {
  row: CaseEntity;
  department: { id: string; name: string } | null;
  handler: { username: string; displayName: string } | null;
}

/** The fields one step changes on the case row (the machine's state, the clock's due date, the queue's columns). */
export interface CaseStepChanges {
  state: string;
  snapshot: unknown;
  receivedAt: IsoDate | null;
  dueDate: IsoDate | null;
  dueProvisional: boolean;
  outcome: AnyOutcomeCode | null;
  concludedAt: IsoDate | null;
  lastEventAt: IsoDate;
  handlerId: string | null;
  departmentId: string | null;
}

export { QUEUE_ORDERS, type QueueSort } from './queue-order';

/**
 * The clock's two warnings, one definition for the queues, the home page's counts and 督办 (SQL over a case alias, the
 * dates as SQL expressions): 已逾期 — open, its due date passed; 即将到期 — open, due today or by `dueSoonBy` (the
 * agency's dueSoonWorkingDays ahead), so never a case already overdue.
 */
export const DUE_WARNINGS = {
  overdue: (alias: string, today: string) => `${alias}.concluded_at IS NULL AND ${alias}.due_date < ${today}`,
  dueSoon: (alias: string, today: string, dueSoonBy: string) => `${alias}.concluded_at IS NULL AND ${alias}.due_date >= ${today} AND ${alias}.due_date <= ${dueSoonBy}`,
  /** 逾期作出的答复: concluded after its due date. The triggers that keep 督办's counts apply the same rule (migrations/1796800000030). */
  late: (alias: string) => `${alias}.concluded_at IS NOT NULL AND ${alias}.due_date IS NOT NULL AND ${alias}.concluded_at > ${alias}.due_date`,
};

/**
 * What 查找 (`q`) reads of a case: its number, the applicant's name and the request, as one text that the trigram index
 * ix_cases_search_trgm holds (migration 1796800000021, the same expression), joined by a line break no trigram spans.
 */
export const QUEUE_SEARCH_TEXT = `(c.case_number || E'\\n' || c.applicant_name || E'\\n' || c.description)`;

/** The shortest text 查找 looks for anywhere in a case (a trigram); a shorter one is the start of the applicant's name. */
export const QUEUE_SEARCH_MIN_LENGTH = 3;

/** A queue reads cases with their department and handler (the filters name both). */
const QUEUE_FROM = `FROM cases c LEFT JOIN departments d ON d.id = c.department_id LEFT JOIN users u ON u.id = c.handler_id`;

export interface QueueRow {
  id: string;
  case_number: string;
  state: string;
  applicant_name: string;
  applicant_category: ApplicantCategory;
  applicant_id_number_ciphertext: string;
  received_at: string | null;
  due_date: string | null;
  due_provisional: boolean;
  outcome: AnyOutcomeCode | null;
  concluded_at: string | null;
  department_name: string | null;
  handler_username: string | null;
  handler_display_name: string | null;
}

/** A queue's count: exact, or — past what is worth counting — the bound it is known to exceed. */
export interface QueueCount {
  total: number;
  /** false: there are more than `total` cases (the count stopped there). */
  exact: boolean;
}

/** Counts stop at a thousand cases, or at the page asked for when it lies deeper: enough to say how many pages follow. */
export const QUEUE_COUNT_LIMIT = 1000;
export function queueCountLimit(page: number, pageSize: number): number {
  return Math.max(QUEUE_COUNT_LIMIT, page * pageSize);
}

export interface HistoryRow {
  id: string;
  caseNumber: string;
  receivedAt: string | null;
  state: string;
  outcome: string | null;
  description: string;
  visible: boolean;
}

/**
 * The applicant's other requests counted whole (Art. 35: volume and frequency), not only the 200 listed: every one, those
 * the user may see, those received in the month of the case's receipt and in the twelve months up to it.
 */
export interface HistoryCounts {
  total: number;
  visible: number;
  sameMonth: number;
  last12Months: number;
}

/** The applicant's history as read: the latest 200 requests, and the counts of all of them. */
export interface ApplicantHistoryRead {
  rows: HistoryRow[];
  counts: HistoryCounts;
}

/**
 * What a step — and the case view it answers with — needs of a case, read in one statement (BENCHMARKS.md, issue 20):
 * the row with its names, its log, its agency as stored, whether the report year of the step's date is locked, and
 * whether documents of the case are being redacted (区分处理; only then is that part of the view read).
 */
export interface LoadedCase {
  record: CaseRecord;
  events: LoggedEvent[];
  /** The agency row as stored, before its settings' defaults (AgenciesService.fromStored adds them). */
  agency: { id: string; code: string; name: string; settings: Record<string, unknown>; createdAt: string };
  yearLocked: boolean;
  hasRedactions: boolean;
  /** The applicant's other requests, when asked for (CaseRepository.load's `history`). */
  history?: ApplicantHistoryRead;
}

/** The day the applicant's history is counted up to: the case's receipt, or its submission (UTC date) before it. */
const HISTORY_REFERENCE = (alias: string) => `COALESCE(${alias}.received_at, (${alias}.submitted_at AT TIME ZONE 'UTC')::date)`;

/**
 * The applicant's other requests to the agency, newest first, at most 200 (the view's history, Art. 35 and 36(6)),
 * each with whether the user may see it (`visible`, a condition on the alias `h`): the SQL's one definition, as its own
 * statement or inside the case's read. The arguments are SQL expressions.
 */
function applicantHistorySql(of: { agencyId: string; indexes: string; caseId: string; reference: string }, visible: string): string {
  // The counts are window aggregates, taken before the LIMIT: over all of the applicant's other requests.
  return `SELECT h.id, h.case_number AS "caseNumber", to_char(h.received_at, 'YYYY-MM-DD') AS "receivedAt", h.state, h.outcome, h.description, ${visible} AS visible,
                 COALESCE(h.received_at, h.submitted_at::date) AS sort_date, h.created_at AS sort_created,
                 count(*) OVER () AS total_count, count(*) FILTER (WHERE ${visible}) OVER () AS visible_count,
                 count(*) FILTER (WHERE date_trunc('month', h.received_at) = date_trunc('month', ${of.reference})) OVER () AS same_month,
                 count(*) FILTER (WHERE h.received_at > ${of.reference} - interval '1 year' AND h.received_at <= ${of.reference}) OVER () AS last_12_months
            FROM cases h WHERE h.agency_id = ${of.agencyId} AND h.applicant_id_blind_index = ANY(${of.indexes}) AND h.id <> ${of.caseId}
           ORDER BY COALESCE(h.received_at, h.submitted_at::date) DESC, h.created_at DESC LIMIT 200`;
}

/** A log entry as `events()` reads it, as a JSON object built by PostgreSQL (the time in UTC to the millisecond, as a Date prints). */
const LOGGED_EVENT_JSON = (alias: string) =>
  `json_build_object('sequence', ${alias}.sequence, 'type', ${alias}.type, 'at', to_char(${alias}.at, 'YYYY-MM-DD'), 'payload', ${alias}.payload,
                     'actorName', ${alias}.actor_name, 'recordedAt', to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

/** The SQL on `cases` and `case_events` (CONVENTIONS 15): the services call these methods, not query strings. */
@Injectable()
export class CaseRepository {
  private columns?: string;

  constructor(
    private readonly dataSource: DataSource,
    // The work queues read from the standby when there is one (database/read-database.ts).
    private readonly reads: ReadDatabase,
  ) {}

  /** The case row with its department's and handler's names, in one statement; null for an unknown id. */
  async find(id: string, manager: EntityManager = this.dataSource.manager): Promise<CaseRecord | null> {
    if (!isUuid(id)) return null;
    const { entities, raw } = await this.withNames(manager).where('c.id = :id', { id }).getRawAndEntities<CaseNames>();
    const [row] = entities;
    return row ? recordOf(row, raw[0]) : null;
  }

  /** The case row with its department's and handler's names beside it. */
  private withNames(manager: EntityManager) {
    return manager
      .getRepository(CaseEntity)
      .createQueryBuilder('c')
      .leftJoin(DepartmentEntity, 'd', 'd.id = c.department_id')
      .leftJoin(UserEntity, 'u', 'u.id = c.handler_id')
      .addSelect('d.name', 'department_name')
      .addSelect('u.username', 'handler_username')
      .addSelect('u.display_name', 'handler_display_name');
  }

  /**
   * The case with everything a step and its answer read (LoadedCase), in one round trip; null for an unknown id.
   * `lockYear`: the year whose report lock is asked about (the step's date), or null when nothing is to be recorded.
   */
  async load(
    id: string,
    lockYear: number | null,
    manager: EntityManager = this.dataSource.manager,
    /** The applicant's other requests too (the view's history), visible to the user as this condition on `h` says. */
    history?: (alias: string, param: (value: unknown) => string) => string,
  ): Promise<LoadedCase | null> {
    if (!isUuid(id)) return null;
    const params: unknown[] = [id, lockYear];
    const param = (value: unknown) => `$${params.push(value)}`;
    // The stored blind index is the applicant's only one while a single key is in use (PersonalDataCipher.applicantIndexes).
    const historySql = history
      ? `(SELECT json_build_object(
                   'rows', coalesce(json_agg(json_build_object('id', h.id, 'caseNumber', h."caseNumber", 'receivedAt', h."receivedAt", 'state', h.state, 'outcome', h.outcome,
                                                               'description', h.description, 'visible', h.visible) ORDER BY h.sort_date DESC, h.sort_created DESC), '[]'),
                   'counts', json_build_object('total', coalesce(max(h.total_count), 0), 'visible', coalesce(max(h.visible_count), 0),
                                               'sameMonth', coalesce(max(h.same_month), 0), 'last12Months', coalesce(max(h.last_12_months), 0)))
            FROM (${applicantHistorySql({ agencyId: 'c.agency_id', indexes: 'ARRAY[c.applicant_id_blind_index]', caseId: 'c.id', reference: HISTORY_REFERENCE('c') }, history('h', param))}) h)`
      : 'NULL';
    // Raw SQL, prepared (database/prepared.ts): the same text at every step, planned once per connection, and the row
    // made a CaseEntity by its columns' names rather than by the query builder at each call.
    const [raw] = await preparedQuery<Record<string, unknown> & CaseNames & LoadedExtras>(
      manager,
      `SELECT ${this.caseColumns()}, d.name AS department_name, u.username AS handler_username, u.display_name AS handler_display_name,
              (SELECT coalesce(json_agg(${LOGGED_EVENT_JSON('e')} ORDER BY e.sequence), '[]') FROM case_events e WHERE e.case_id = c.id) AS events,
              (SELECT json_build_object('id', a.id, 'code', a.code, 'name', a.name, 'settings', a.settings, 'createdAt', a.created_at) FROM agencies a WHERE a.id = c.agency_id) AS agency,
              EXISTS (SELECT 1 FROM report_locks l WHERE l.agency_id = c.agency_id AND l.year = $2::int) AS year_locked,
              EXISTS (SELECT 1 FROM redaction_documents r WHERE r.case_id = c.id) AS has_redactions,
              ${historySql} AS history
         ${QUEUE_FROM} WHERE c.id = $1`,
      params,
    );
    if (!raw) return null;
    const { department_name, handler_username, handler_display_name, events, agency, year_locked, has_redactions, history: read, ...columns } = raw;
    return {
      record: recordOf(Object.assign(new CaseEntity(), columns), { department_name, handler_username, handler_display_name }),
      events,
      agency,
      // No year asked about (null): `l.year = NULL` finds no lock.
      yearLocked: year_locked,
      hasRedactions: has_redactions,
      history: read ?? undefined,
    };
  }

  /** The case's columns as CaseEntity's properties (`c.agency_id AS "agencyId"`, …), from TypeORM's metadata: one list. */
  private caseColumns(): string {
    this.columns ??= this.dataSource
      .getMetadata(CaseEntity)
      .columns.map((column) => `c.${column.databaseName} AS "${column.propertyName}"`)
      .join(', ');
    return this.columns;
  }

  /** Every event of a case, oldest first. */
  async events(caseId: string, manager: EntityManager = this.dataSource.manager): Promise<LoggedEvent[]> {
    return manager.query(
      `SELECT sequence, type, to_char(at, 'YYYY-MM-DD') AS at, payload, actor_name AS "actorName", created_at AS "recordedAt"
         FROM case_events WHERE case_id = $1 ORDER BY sequence`,
      [caseId],
    );
  }

  async insert(manager: EntityManager, values: Partial<CaseEntity>): Promise<string> {
    const inserted = await manager.getRepository(CaseEntity).insert(values);
    return String(inserted.identifiers[0].id);
  }

  /**
   * A step's writes in one statement: the case's changes if nobody changed it since it was read (optimistic lock), the
   * report's first conclusion when the step concludes it for the first time (rules.md §8), and the event appended to
   * the log — all or nothing. null when the case changed meanwhile (the version, or another step took the sequence).
   */
  async recordStep(
    manager: EntityManager,
    step: {
      id: string;
      version: number;
      changes: CaseStepChanges;
      firstConclusion: { at: IsoDate; outcome: string | null } | null;
      event: { sequence: number; type: string; at: IsoDate; actorId: string | null; actorName: string; payload: Record<string, unknown>; stateAfter: string };
      /** Another write of the step sent in its statement (the record of the view it answers with), made only with the step's. */
      alsoWrite?: (param: (value: unknown) => string, written: string) => string;
    },
  ): Promise<LoggedEvent | null> {
    const { changes, firstConclusion, event } = step;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const first = firstConclusion ? param(firstConclusion.at) : 'NULL';
    const saved = `saved AS (
        UPDATE cases SET state = ${param(changes.state)}, snapshot = ${param(JSON.stringify(changes.snapshot))}, version = version + 1,
               received_at = ${param(changes.receivedAt)}, due_date = ${param(changes.dueDate)}, due_provisional = ${param(changes.dueProvisional)},
               outcome = ${param(changes.outcome)}, concluded_at = ${param(changes.concludedAt)}, last_event_at = ${param(changes.lastEventAt)},
               updated_at = now(), handler_id = ${param(changes.handlerId)}, department_id = ${param(changes.departmentId)}
               ${firstConclusion ? `, first_concluded_at = COALESCE(first_concluded_at, ${first}::date), first_outcome = CASE WHEN first_concluded_at IS NULL THEN ${param(firstConclusion.outcome)} ELSE first_outcome END` : ''}
         WHERE id = ${param(step.id)} AND version = ${param(step.version)} RETURNING id)`;
    // A WITH's writes are all carried out, read or not: the other write is made only where the case's was, so a step
    // refused at its write (the version moved) leaves nothing behind, with or without a transaction around it.
    const also = step.alsoWrite ? `, also AS (${step.alsoWrite(param, 'EXISTS (SELECT 1 FROM saved)')})` : '';
    const sql = `WITH ${saved}${also}
      INSERT INTO case_events (case_id, sequence, type, at, actor_id, actor_name, payload, state_after)
      SELECT id, ${param(event.sequence)}, ${param(event.type)}, ${param(event.at)}, ${param(event.actorId)}, ${param(event.actorName)}, ${param(JSON.stringify(event.payload))}, ${param(event.stateAfter)} FROM saved
      RETURNING created_at AS "recordedAt"`;
    try {
      const rows = await preparedQuery<{ recordedAt: string }>(manager, sql, params);
      if (!rows.length) return null;
      return { sequence: event.sequence, type: event.type, at: event.at, payload: event.payload, actorName: event.actorName, recordedAt: rows[0].recordedAt };
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return null;
      throw error;
    }
  }

  async appendEvent(
    manager: EntityManager,
    event: { caseId: string; sequence: number; type: string; at: IsoDate; actorId: string | null; actorName: string; payload: Record<string, unknown>; stateAfter: string },
  ): Promise<LoggedEvent> {
    try {
      const [row]: { recordedAt: string }[] = await manager.query(
        `INSERT INTO case_events (case_id, sequence, type, at, actor_id, actor_name, payload, state_after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING created_at AS "recordedAt"`,
        [event.caseId, event.sequence, event.type, event.at, event.actorId, event.actorName, JSON.stringify(event.payload), event.stateAfter],
      );
      return { sequence: event.sequence, type: event.type, at: event.at, payload: event.payload, actorName: event.actorName, recordedAt: row.recordedAt };
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw conflict('案件已被他人同时修改，请刷新后重试');
      throw error;
    }
  }

  /** rules.md §8: a year whose report is published and locked takes nothing dated in it. */
  async isYearLocked(manager: EntityManager, agencyId: string, year: number): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM report_locks WHERE agency_id = $1 AND year = $2`, [agencyId, year]);
    return rows.length > 0;
  }

  async replaceQueryCodeHash(caseNumber: string, hash: string): Promise<void> {
    await this.dataSource.query(`UPDATE cases SET query_code_hash = $2 WHERE case_number = $1`, [caseNumber, hash]);
  }

  /** 国办函〔2020〕109号: items the same applicant had earlier in the same calendar month (by receipt date), at this agency. */
  async itemsEarlierThisMonth(manager: EntityManager, row: CaseEntity, applicantIndexes: readonly string[]): Promise<number> {
    if (!row.receivedAt) return 0;
    const [{ count }]: { count: number }[] = await manager.query(
      `SELECT count(*)::int AS count FROM cases
        WHERE agency_id = $1 AND applicant_id_blind_index = ANY($2) AND id <> $3 AND received_at IS NOT NULL
          AND date_trunc('month', received_at) = date_trunc('month', $4::date)
          AND (received_at < $4::date OR (received_at = $4::date AND created_at < $5))`,
      [row.agencyId, applicantIndexes, row.id, row.receivedAt, row.createdAt],
    );
    return count;
  }

  /** An earlier case of the agency by its number (Art. 36(6)). */
  async findByNumber(manager: EntityManager, agencyId: string, caseNumber: string): Promise<CaseEntity | null> {
    return manager.getRepository(CaseEntity).findOne({ where: { caseNumber, agencyId } });
  }

  /** The date of a case's last reply issued (ISSUE_REPLY), or null. */
  async lastReplyDate(manager: EntityManager, caseId: string): Promise<IsoDate | null> {
    const [answer]: { at: string }[] = await manager.query(
      `SELECT to_char(at, 'YYYY-MM-DD') AS at FROM case_events WHERE case_id = $1 AND type = 'ISSUE_REPLY' ORDER BY sequence DESC LIMIT 1`,
      [caseId],
    );
    return answer?.at ?? null;
  }

  /** The case's latest issued reply (the document a RECORD_SERVICE serves), or null. */
  async issuedReply(manager: EntityManager, caseId: string): Promise<{ letterId: string; title: string; number: string } | null> {
    const [row]: { letterId: string; title: string; number: string }[] = await manager.query(
      `SELECT id AS "letterId", data->>'title' AS title, number FROM letters
        WHERE case_id = $1 AND kind IN ('reply', 'correction_reply') AND status = 'issued' ORDER BY seq DESC LIMIT 1`,
      [caseId],
    );
    return row ?? null;
  }

  /** Which of these attachment ids belong to the case. */
  async attachmentsOf(manager: EntityManager, caseId: string, ids: readonly string[]): Promise<string[]> {
    const found: { id: string }[] = await manager.query(`SELECT id FROM attachments WHERE case_id = $1 AND id = ANY($2::uuid[])`, [caseId, ids]);
    return found.map((row) => row.id);
  }

  /** The files of the case with these ids, with what a reply lists of each (name, size, SHA-256). */
  async attachmentFacts(manager: EntityManager, caseId: string, ids: readonly string[]): Promise<{ id: string; filename: string; sizeBytes: number; sha256: string }[]> {
    return manager.query(`SELECT id, filename, size_bytes AS "sizeBytes", sha256 FROM attachments WHERE case_id = $1 AND id = ANY($2::uuid[])`, [caseId, ids]);
  }

  /**
   * The applicant's other requests to this agency, newest first, each marked with whether the user may see it
   * (`visible`: an SQL condition on the alias `c`, with its parameters).
   */
  async applicantHistory(
    manager: EntityManager,
    row: CaseEntity,
    applicantIndexes: readonly string[],
    visible: (alias: string, param: (value: unknown) => string) => string,
  ): Promise<ApplicantHistoryRead> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const caseId = param(row.id);
    const history = applicantHistorySql(
      { agencyId: param(row.agencyId), indexes: param(applicantIndexes), caseId, reference: `(SELECT ${HISTORY_REFERENCE('r')} FROM cases r WHERE r.id = ${caseId})` },
      visible('h', param),
    );
    const rows: (HistoryRow & { total_count: string; visible_count: string; same_month: string; last_12_months: string })[] = await manager.query(
      `SELECT h.* FROM (${history}) h ORDER BY h.sort_date DESC, h.sort_created DESC`,
      params,
    );
    const first = rows[0];
    return {
      rows: rows.map(({ id, caseNumber, receivedAt, state, outcome, description, visible }) => ({ id, caseNumber, receivedAt, state, outcome, description, visible })),
      counts: {
        total: Number(first?.total_count ?? 0),
        visible: Number(first?.visible_count ?? 0),
        sameMonth: Number(first?.same_month ?? 0),
        last12Months: Number(first?.last_12_months ?? 0),
      },
    };
  }

  /**
   * A work queue: the cases matching `where` within the user's scope `scopes` (OR-ed conditions, each answered by an index
   * in queue order), in the order `sort`; with the total, counted only as far as `countUpTo` (queueCountLimit). `seek`:
   * conditions `where` implies that narrow the page's index range, left out of the count.
   *
   * A page is either the n-th (`page`, read with OFFSET: kept for the API's callers) or the one after or before a cursor
   * (`cursor`, keyset paging: each half reads only its next pageSize + 1 cases from an index range, however deep the page).
   * Either way the answer carries the keys of its first and last case, from which the caller's next and previous
   * cursors are made, and whether a case follows the page (`more`) and — after a cursor — whether one precedes it.
   */
  async queue(
    scopes: readonly string[],
    where: readonly string[],
    params: unknown[],
    page: number,
    pageSize: number,
    sort: QueueSort = 'urgency',
    cursor: QueueCursor | null = null,
    seek: readonly string[] = [],
    /**
     * The same cases by conditions the page reads instead when the count passed its bound: many matches are found
     * sooner by walking the queue's order than by fetching them all to sort them (a search for common words).
     */
    whereWhenMany?: readonly string[],
  ): Promise<{ rows: QueueRow[]; first: unknown[] | null; last: unknown[] | null; more: boolean; before: boolean; restarted: boolean } & QueueCount> {
    const order = QUEUE_ORDERS[sort];
    // Past a cursor the count need not reach the page (the next page is known from the page itself): a thousand at most.
    const count = await this.count(scopes, where, [...params], cursor ? QUEUE_COUNT_LIMIT : queueCountLimit(page, pageSize));
    const conditions = [...(whereWhenMany && !count.exact ? whereWhenMany : where), ...seek];
    if (!cursor) {
      const rows = await this.pageRows(scopes, conditions, [...params], order, null, page * pageSize + 1, (page - 1) * pageSize);
      return this.answer(order, rows.slice(0, pageSize), rows.length > pageSize, page > 1, false, count);
    }
    const rows = await this.pageRows(scopes, conditions, [...params], order, cursor, pageSize + 1, 0);
    if (cursor.direction === 'after') return this.answer(order, rows.slice(0, pageSize), rows.length > pageSize, true, false, count);
    // Before a cursor the rows come nearest first. Fewer than a page before it: the queue changed since (cases concluded,
    // added) and the page asked for is the first one, read as such rather than shown short.
    if (rows.length < pageSize) {
      const firstPage = await this.pageRows(scopes, conditions, [...params], order, null, pageSize + 1, 0);
      return this.answer(order, firstPage.slice(0, pageSize), firstPage.length > pageSize, false, true, count);
    }
    return this.answer(order, rows.slice(0, pageSize).reverse(), true, rows.length > pageSize, false, count);
  }

  private answer(order: QueueOrder, rows: (QueueRow & Record<string, unknown>)[], more: boolean, before: boolean, restarted: boolean, count: QueueCount) {
    return {
      rows,
      first: rows.length ? keyOf(order, rows[0]) : null,
      last: rows.length ? keyOf(order, rows[rows.length - 1]) : null,
      more,
      before,
      restarted,
      ...count,
    };
  }

  /** Up to `limit` cases of the queue from `offset` (each half reads offset + limit), or past a cursor, in order. */
  private async pageRows(
    scopes: readonly string[],
    where: readonly string[],
    params: unknown[],
    order: QueueOrder,
    cursor: QueueCursor | null,
    limit: number,
    offset: number,
  ): Promise<(QueueRow & Record<string, unknown>)[]> {
    const param = (value: unknown) => `$${params.push(value)}`;
    const conditions = cursor ? [...where, pastCursor(order, cursor, param)] : where;
    const backwards = cursor?.direction === 'before';
    const halfOrder = orderBy(order, backwards);
    const window = param(offset + limit);
    // The union is merged by the same keys, selected as o0, o1, … (its rows are no longer `cases`).
    const outerOrder = order.keys.map((_, index) => `o${index} ${(order.direction === 'ASC') !== backwards ? 'ASC' : 'DESC'}`);
    return this.reads.query(
      `SELECT * FROM (${scopes
        .map(
          (scope) => `(SELECT c.id, c.case_number, c.state, c.applicant_name, c.applicant_category, c.applicant_id_number_ciphertext, c.received_at,
                              c.due_date, c.due_provisional, c.outcome, c.concluded_at, d.name AS department_name,
                              u.username AS handler_username, u.display_name AS handler_display_name, ${keyColumns(order)}
                         ${QUEUE_FROM} WHERE ${[scope, ...conditions].join(' AND ')} ORDER BY ${halfOrder} LIMIT ${window})`,
        )
        .join(' UNION ALL ')}) c
       ORDER BY ${outerOrder.join(', ')}
       LIMIT ${param(limit)} OFFSET ${param(offset)}`,
      params,
    );
  }

  /**
   * How many cases match a queue's scope halves and conditions, counted up to `limit`: each half stops reading at
   * `limit + 1` rows, so a department with 157 000 cases costs a thousand index entries, not a scan of them all
   * (BENCHMARKS.md). Beyond the limit the answer is "more than `limit`" (`exact: false`, `total: limit`).
   */
  async count(scopes: readonly string[], where: readonly string[], params: unknown[], limit: number): Promise<QueueCount> {
    // The cases alone, without the page's joins to the names: the conditions read only the case's columns, and without
    // the joins an index that holds those columns answers the count without visiting the table (index-only scan).
    const from = (scope: string) => `FROM cases c WHERE ${[scope, ...where].join(' AND ')}`;
    const cap = `$${params.push(limit + 1)}`;
    const [row] = await this.reads.query<{ halves: number[] }[]>(
      `SELECT ARRAY[${scopes.map((scope) => `(SELECT count(*) FROM (SELECT 1 ${from(scope)} LIMIT ${cap}) s)::int`).join(', ')}] AS halves`,
      params,
    );
    const total = row.halves.reduce((sum, half) => sum + half, 0);
    return total > limit ? { total: limit, exact: false } : { total, exact: true };
  }

  /**
   * 督办: per lead department (and the cases not yet assigned), the open cases, those due soon, those overdue, and the
   * replies of `year` or later that went out after their due date. The open cases are counted from their index alone
   * (`ix_cases_open_due_department`: about 16 000 at a million cases); the concluded ones are read from the counts the
   * triggers on `cases` keep per department and year (`conclusion_counts`, migrations/1796800000030), not counted from
   * the year's cases (160 000 at a million in December). A department appears when it has a case open or concluded
   * in the year, as a count over the cases would group them.
   */
  async supervision(agencyId: string, today: IsoDate, dueSoonBy: IsoDate, year: number) {
    return this.reads.query<{ department: string | null; open: number; dueSoon: number; overdue: number; concluded: number; late: number }[]>(
      `SELECT d.name AS department, sum(s.open)::int AS open, sum(s."dueSoon")::int AS "dueSoon", sum(s.overdue)::int AS overdue,
              sum(s.concluded)::int AS concluded, sum(s.late)::int AS late
         FROM (SELECT c.department_id, count(*) AS open,
                      count(*) FILTER (WHERE ${DUE_WARNINGS.dueSoon('c', '$2', '$3')}) AS "dueSoon",
                      count(*) FILTER (WHERE ${DUE_WARNINGS.overdue('c', '$2')}) AS overdue,
                      0 AS concluded, 0 AS late
                 -- Only the columns the open cases' index holds (an open case has no conclusion date), so the index answers alone.
                 FROM (SELECT department_id, due_date, NULL::date AS concluded_at FROM cases WHERE agency_id = $1 AND concluded_at IS NULL) c
                GROUP BY c.department_id
               UNION ALL
               SELECT k.department_id, 0, 0, 0, k.concluded, k.late FROM conclusion_counts k WHERE k.agency_id = $1 AND k.year >= $4) s
         LEFT JOIN departments d ON d.id = s.department_id
        GROUP BY d.name
       HAVING sum(s.open) > 0 OR sum(s.concluded) > 0
        ORDER BY d.name NULLS FIRST`,
      [agencyId, today, dueSoonBy, year],
    );
  }

  /** 协办 requests to a department that await an answer. */
  async openAssistanceRequests(agencyId: string, departmentId: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT e.case_id AS "caseId", c.case_number AS "caseNumber", e.payload->>'requestId' AS "requestId",
              e.payload->>'question' AS question, e.payload->>'dueDate' AS "dueDate", to_char(e.at, 'YYYY-MM-DD') AS "requestedAt",
              e.actor_name AS "requestedBy"
         FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE e.type = 'REQUEST_ASSISTANCE' AND e.payload->>'departmentId' = $1 AND c.agency_id = $2 AND c.concluded_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM case_events a WHERE a.case_id = e.case_id AND a.type = 'ANSWER_ASSISTANCE'
                                                        AND a.payload->>'requestId' = e.payload->>'requestId')
        ORDER BY e.payload->>'dueDate'`,
      [departmentId, agencyId],
    );
  }
}

/** What the step's read brings besides the case and its names (LoadedCase). */
interface LoadedExtras {
  events: LoggedEvent[];
  agency: LoadedCase['agency'];
  year_locked: boolean;
  has_redactions: boolean;
  history: ApplicantHistoryRead | null;
}

interface CaseNames {
  department_name: string | null;
  handler_username: string | null;
  handler_display_name: string | null;
}

function recordOf(row: CaseEntity, names: CaseNames): CaseRecord {
  return {
    row,
    department: row.departmentId && names.department_name ? { id: row.departmentId, name: names.department_name } : null,
    handler: names.handler_username ? { username: names.handler_username, displayName: names.handler_display_name ?? names.handler_username } : null,
  };
}
