import { Injectable } from '@nestjs/common';
import { yearOf, type CaseClock, type IsoDate } from '@desk/calendar';
import {
  actionRefusal,
  applyEvent,
  eventLabel,
  isConcluded,
  mayActorSend,
  mayRelationSend,
  parseEventBody,
  restore,
  rolesFor,
  type CaseSnapshot,
  type EventBody,
} from '@desk/case-workflow';
import { ACTOR_ROLE_TERMS, labelOf } from '@desk/vocabulary';
import { conclusionOf } from '@desk/reports';
import { DataSource, type EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import type { Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { conflict, forbidden, invalid } from '../common/domain-error';
import type { AgencyEntity } from '../database/entities';
import { PlatformCallbacks } from '../integration/platform-callbacks.service';
import { CaseAccess } from './case-access.service';
import { actorOf, applicantActor, SYSTEM_ACTOR, type CaseActor } from './case-actor';
import { CaseRepository, type ApplicantHistoryRead, type CaseRecord, type LoggedEvent } from './case.repository';
import { EventEnrichers } from './event-enrichers';
import { StepIntents } from './step-intents.service';

/** Dates that a body may carry besides `at`: they happen on or after `at` and not after today. */
const FOLLOW_UP_DATES = [
  { field: 'noticeReceivedAt', label: '申请人收到告知之日' },
  { field: 'partyReceivedAt', label: '对方收到征求意见书之日' },
] as const;

/**
 * Another write of the step, sent in the step's own statement (CaseRepository.recordStep): SQL, its values bound by
 * `param`, to be written only where the SQL condition `written` holds (the step's own write was made).
 */
export type StepWrite = (param: (value: unknown) => string, written: string) => string;

/** What the caller of a step adds to it: a write of its own, and the applicant's history read with the case for the view it answers. */
export interface StepOptions {
  alsoWrite?: StepWrite;
  history?: (alias: string, param: (value: unknown) => string) => string;
}

/** What a recorded step leaves in hand: enough to answer the case view without reading the case again. */
export interface RecordedStep {
  record: CaseRecord;
  events: LoggedEvent[];
  agency: AgencyEntity;
  clock: CaseClock;
  /** The machine after the step, as the transition left it: the view asks it what may be sent next. */
  snapshot: CaseSnapshot;
  /** Whether documents of the case are being redacted (区分处理): only then does the view read them. */
  hasRedactions: boolean;
  /** The applicant's other requests, when the step was asked to read them with the case (StepOptions.history). */
  history?: ApplicantHistoryRead;
}

/**
 * POST /api/cases/{id}/events as one use case, all or nothing: load the case once → check access → read the body
 * against the event's declaration → enrich it with what only the database knows → ask the machine → save the case and
 * append the event → carry out the step's intents (its letters, its proactive entry) → write the status callback of a
 * platform's case to the outbox. One statement when that is all it writes, else one transaction (see `apply`).
 * Anything refused changes nothing.
 */
@Injectable()
export class RecordEventService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: CalendarService,
    private readonly agencies: AgenciesService,
    private readonly cases: CaseRepository,
    private readonly access: CaseAccess,
    private readonly enrichers: EventEnrichers,
    private readonly intents: StepIntents,
    private readonly callbacks: PlatformCallbacks,
  ) {}

  /** A staff member's step. */
  async record(principal: Principal, id: string, body: unknown, outer?: EntityManager, options: StepOptions = {}): Promise<RecordedStep> {
    return this.apply(actorOf(principal), id, this.parse(body), outer, options);
  }

  /**
   * An automatic step (a lapsed period; electronic service on the applicant's first download): validated and recorded
   * like any other event, by the actor `system`. `facts` are what the service alone knows (the proof of a download),
   * added to the payload after it is read, as an enricher adds its facts.
   */
  async recordForSystem(id: string, body: Record<string, unknown>, options: { outer?: EntityManager; facts?: Record<string, unknown> } = {}): Promise<RecordedStep> {
    const parsed = this.parse(body);
    return this.apply(SYSTEM_ACTOR, id, { ...parsed, payload: { ...parsed.payload, ...options.facts } }, options.outer);
  }

  /**
   * The applicant's own step on the portal (补正, withdrawal), proved by the case number and 查询码 (or a link signed
   * after them): the applicant reaches this one case, and sends only the events whose declaration names the applicant.
   */
  async recordForApplicant(caseId: string, body: Record<string, unknown>, outer?: EntityManager): Promise<RecordedStep> {
    return this.apply(applicantActor(caseId), caseId, this.parse(body), outer);
  }

  /**
   * Without a caller's transaction, a step opens one only when it writes more than its own statement (BENCHMARKS.md,
   * issue 20): the read before it holds no lock either way (the version guards the write), and a step whose writes are
   * the case, its event and the record of the answered view is all or nothing as one statement. A step whose enricher
   * takes a number (文号, 索引号) runs in a transaction from its first read, so that a refused step gives the number back;
   * one whose intents issue letters or publish, or whose platform is called back, writes in a transaction of its own.
   */
  private async apply(actor: CaseActor, id: string, body: EventBody, outer?: EntityManager, options: StepOptions = {}): Promise<RecordedStep> {
    if (outer) return this.step(actor, id, body, options, outer, (writes) => writes(outer));
    if (this.enrichers.takesNumbers(body.type)) return this.dataSource.transaction((manager) => this.step(actor, id, body, options, manager, (writes) => writes(manager)));
    return this.step(actor, id, body, options, this.dataSource.manager, (writes, alone) => (alone ? writes(this.dataSource.manager) : this.dataSource.transaction(writes)));
  }

  /**
   * The step: load the case once → check access → enrich → ask the machine (all through `reader`), then its writes
   * through `write`, told whether they are the step's one statement `alone`.
   */
  private async step(
    actor: CaseActor,
    id: string,
    body: EventBody,
    options: StepOptions,
    reader: EntityManager,
    write: <T>(writes: (manager: EntityManager) => Promise<T>, alone: boolean) => Promise<T>,
  ): Promise<RecordedStep> {
    // The case, its log, its agency and the report lock of the step's year, in one read (BENCHMARKS.md, issue 20): the
    // access rule takes the departments asked to assist from the log. (The year of a date that effectiveDate then
    // refuses is asked about for nothing.)
    const loaded = await this.cases.load(id, yearOf(body.at ?? this.calendars.today()), reader, options.history);
    const record = loaded?.record ?? null;
    const events = loaded?.events ?? [];
    const { row, relation } = await this.access.require(actor, id, 'see', reader, record?.row ?? null, events);
    if (!mayRelationSend(relation, body.type)) throw forbidden(actionRefusal(relation, 'act') ?? '无权办理本案');
    if (!mayActorSend(actor.roles, row.state, body.type)) {
      // Staff are told which staff roles may send it; the system's and the applicant's own steps are not theirs to take.
      const roles = rolesFor(row.state, body.type).filter((role) => role !== 'applicant' && role !== 'system');
      throw forbidden(`“${eventLabel(body.type)}”须由${roles.length ? roles.map((role) => labelOf(ACTOR_ROLE_TERMS, role)).join('、') : '系统'}办理`);
    }
    if (body.version !== undefined && body.version !== row.version) {
      throw conflict(`案件已被更新（当前版本 ${row.version}，您读取的版本 ${body.version}），请刷新后重试`);
    }
    const at = this.effectiveDate(body, row.lastEventAt);
    if (loaded!.yearLocked) throw conflict(`${yearOf(at)} 年度报告已发布并锁定，不能再记录日期在该年度内的事项（${at}）`);
    const agency = this.agencies.fromStored(loaded!.agency);
    // A platform's case (issue 19): what its platform sees before the step, to call it back on what the step changes.
    // Only an imported case has a platform to call back (PlatformImportService registers it on that channel).
    const watched = row.channel === 'platform_import' ? await this.callbacks.watch(reader, row.id) : null;
    const { event, payload, assignee } = await this.enrichers.enrich(body.type, {
      manager: reader,
      actor,
      record: record!,
      agency,
      events,
      at,
      payload: structuredClone(body.payload),
    });
    const result = applyEvent(restore(row.snapshot), event);
    if (!result.ok) throw conflict(result.problems.join('；'), result.problems);
    Object.assign(payload, this.intents.notes(result.intents));
    const logged: LoggedEvent = { sequence: events.length + 1, type: body.type, at, payload, actorName: actor.username, recordedAt: new Date().toISOString() };
    const log = [...events, logged];
    const clock = this.calendars.clockOf(log, agency.settings);
    const context = result.snapshot.context;
    const concluded = isConcluded(result.state);
    const changes = {
      state: result.state,
      snapshot: result.persisted,
      receivedAt: context.receivedAt,
      dueDate: clock.dueDate,
      dueProvisional: clock.provisional,
      outcome: context.outcome,
      concludedAt: concluded ? context.concludedAt : null,
      lastEventAt: at,
      handlerId: assignee?.id ?? row.handlerId,
      departmentId: assignee ? (assignee.department?.id ?? null) : row.departmentId,
    };
    const after: CaseRecord = {
      row: Object.assign(Object.create(Object.getPrototypeOf(row)) as typeof row, row, changes, { version: row.version + 1 }),
      department: assignee ? assignee.department : record!.department,
      handler: assignee ? { username: assignee.username, displayName: assignee.displayName } : record!.handler,
    };
    const alone = !watched && !this.intents.write(result.intents);
    const appended = await write(async (manager) => {
      // The case's changes, the report's first conclusion and the event, in one statement.
      const appended = await this.cases.recordStep(manager, {
        id: row.id,
        version: row.version,
        changes,
        firstConclusion: conclusionOf(body.type, at, events),
        event: { sequence: logged.sequence, type: body.type, at, actorId: actor.userId, actorName: actor.username, payload, stateAfter: result.state },
        alsoWrite: options.alsoWrite,
      });
      if (!appended) throw conflict('案件已被他人同时修改，请刷新后重试');
      await this.intents.carryOut(manager, result.intents, {
        row: after.row,
        handlerName: after.handler?.displayName ?? null,
        agency,
        actor: { userId: actor.userId, username: actor.username },
        at,
        clock,
        events: log,
        payload,
      });
      // After the intents (the letters it issued): the callback goes to the outbox in this transaction.
      if (watched) await this.callbacks.afterStep(manager, watched);
      return appended;
    }, alone);
    return { record: after, events: [...events, appended], agency, clock, snapshot: result.snapshot, hasRedactions: loaded!.hasRedactions, history: loaded!.history };
  }

  /** The body read against its event's declaration: 400 naming each field by its label. */
  private parse(body: unknown): EventBody {
    const parsed = parseEventBody(body, this.calendars.today());
    if (!parsed.ok) throw invalid(parsed.problems.join('；'), parsed.problems);
    return parsed.value;
  }

  /** `at`: the date the thing happened — today by default, never in the future, never before the case's previous event. */
  private effectiveDate(body: EventBody, lastEventAt: IsoDate): IsoDate {
    const today = this.calendars.today();
    const at = body.at ?? today;
    if (at > today) throw invalid(`日期（${at}）不能晚于今天（${today}）`);
    if (at < lastEventAt) throw invalid(`日期（${at}）不能早于本案上一事项的日期（${lastEventAt}）`);
    for (const { field, label } of FOLLOW_UP_DATES) {
      const value = body.payload[field] as string | undefined;
      if (value !== undefined && (value < at || value > today)) throw invalid(`${label}（${value}）应在 ${at} 至今天（${today}）之间`);
    }
    return at;
  }
}



