import { Injectable } from '@nestjs/common';
import { isUuid } from '../common/text';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { conflict, invalid, notFound } from '../common/domain-error';
import { CaseAccess } from '../cases/case-access.service';
import { CaseViewService } from '../cases/case-view.service';
import { RecordEventService } from '../cases/record-event.service';
import { respondentDeadline } from './dispute-deadlines';

export interface NewDispute {
  kind: 'review' | 'litigation';
  afterReview?: boolean;
  filedAt: string;
  body: string;
  reference?: string;
  instance?: 'first' | 'second' | 'retrial';
  parentId?: string;
  servedAt?: string;
  simplified?: boolean;
}

export interface DisputeResult {
  result: 'upheld' | 'corrected' | 'other';
  decidedAt: string;
  ordersNewReply: boolean;
  reference?: string;
}

export interface DisputeView {
  id: string;
  caseId: string;
  caseNumber: string;
  kind: 'review' | 'litigation';
  afterReview: boolean;
  instance: string;
  parentId: string | null;
  body: string;
  reference: string | null;
  filedAt: string;
  servedAt: string | null;
  simplified: boolean;
  answerDueDate: string | null;
  result: string | null;
  decidedAt: string | null;
  ordersNewReply: boolean;
  resultReference: string | null;
}

const COLUMNS = `d.id, d.case_id AS "caseId", c.case_number AS "caseNumber", d.kind, d.after_review AS "afterReview", d.instance,
  d.parent_id AS "parentId", d.body, d.reference, to_char(d.filed_at, 'YYYY-MM-DD') AS "filedAt", to_char(d.served_at, 'YYYY-MM-DD') AS "servedAt",
  d.simplified, to_char(d.answer_due_date, 'YYYY-MM-DD') AS "answerDueDate", d.result, to_char(d.decided_at, 'YYYY-MM-DD') AS "decidedAt",
  d.orders_new_reply AS "ordersNewReply", d.result_reference AS "resultReference"`;

/** 行政复议 and 行政诉讼 about a case: the agency's respondent deadlines, results, and the reopening a correction orders. */
@Injectable()
export class DisputesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseViewService,
    private readonly calendars: CalendarService,
    private readonly access: CaseAccess,
    private readonly steps: RecordEventService,
  ) {}

  /** What `create` refuses, without writing: the console's check page asks before recording (a dispute is never edited). */
  async checkNew(principal: Principal, caseId: string, input: NewDispute): Promise<void> {
    const view = await this.cases.view(principal, caseId, null); // only its dates, not shown
    const today = this.calendars.today();
    if (input.filedAt > today) throw invalid(`申请或起诉日期（${input.filedAt}）不能晚于今天（${today}）`);
    if (view.receivedAt && input.filedAt < view.receivedAt) throw invalid(`申请或起诉日期（${input.filedAt}）不能早于收到申请之日（${view.receivedAt}）`);
    if (input.servedAt && (input.servedAt < input.filedAt || input.servedAt > today)) throw invalid(`收到副本之日应在 ${input.filedAt} 至今天之间`);
    if (input.kind === 'review' && input.afterReview) throw invalid('“复议后起诉”只用于行政诉讼');
    if (input.kind === 'litigation' && input.simplified) throw invalid('简易程序只用于行政复议');
    if ((input.instance ?? 'first') !== 'first' && !input.parentId) throw invalid('二审、再审须选择前一审级');
    if (input.parentId) {
      const parent = await this.byId(principal, input.parentId);
      if (parent.caseId !== caseId) throw invalid('前一审级 应为本案的行政复议或诉讼');
    }
  }

  async create(principal: Principal, caseId: string, input: NewDispute): Promise<DisputeView> {
    await this.checkNew(principal, caseId, input);
    const deadline = input.servedAt ? respondentDeadline(this.calendars.calendar(), input.kind, input.servedAt, input.simplified ?? false) : null;
    const [{ id }] = await this.dataSource.query(
      `INSERT INTO disputes (case_id, agency_id, kind, after_review, instance, parent_id, body, reference, filed_at, served_at, simplified, answer_due_date, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        caseId,
        principal.agencyId,
        input.kind,
        input.afterReview ?? false,
        input.instance ?? 'first',
        input.parentId ?? null,
        input.body,
        input.reference ?? null,
        input.filedAt,
        input.servedAt ?? null,
        input.simplified ?? false,
        deadline?.date ?? null,
        principal.userId,
      ],
    );
    return this.byId(principal, id);
  }

  /**
   * A result; a corrected one that orders a new reply reopens the case (REOPEN, a new reply clock) in the same
   * transaction, so a result is never recorded without its consequence.
   */
  /** What `recordResult` refuses, without writing (the console's check page). */
  checkResult(dispute: DisputeView, input: DisputeResult): void {
    if (dispute.result) throw conflict(`该争议已于 ${dispute.decidedAt} 记录结果`);
    const today = this.calendars.today();
    if (input.decidedAt > today || input.decidedAt < dispute.filedAt) throw invalid(`决定或判决日期应在 ${dispute.filedAt} 至今天（${today}）之间`);
    if (input.ordersNewReply && input.result !== 'corrected') throw invalid('只有“结果纠正”才会责令重新答复');
  }

  async recordResult(principal: Principal, id: string, input: DisputeResult): Promise<DisputeView> {
    const dispute = await this.byId(principal, id);
    this.checkResult(dispute, input);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE disputes SET result = $2, decided_at = $3, orders_new_reply = $4, result_reference = $5 WHERE id = $1`, [
        id,
        input.result,
        input.decidedAt,
        input.ordersNewReply,
        input.reference ?? null,
      ]);
      if (input.ordersNewReply) await this.reopen(manager, principal, dispute, input);
    });
    return this.byId(principal, id);
  }

  private async reopen(manager: EntityManager, principal: Principal, dispute: DisputeView, input: DisputeResult): Promise<void> {
    const [{ last }] = await manager.query(`SELECT to_char(last_event_at, 'YYYY-MM-DD') AS last FROM cases WHERE id = $1`, [dispute.caseId]);
    // The new reply clock runs from the decision, or from today if the case moved on since.
    const at = input.decidedAt >= last ? input.decidedAt : this.calendars.today();
    const label = dispute.kind === 'review' ? '行政复议决定' : '人民法院判决';
    await this.steps.record(principal, dispute.caseId, {
      type: 'REOPEN',
      at,
      reason: `${label}撤销或确认违法并责令重新答复（${dispute.body}）`,
      ...(input.reference ? { reference: input.reference } : {}),
    }, manager);
  }

  /** A dispute about a case the user may see (404 otherwise, like an unknown one). */
  async byId(principal: Principal, id: string): Promise<DisputeView> {
    const params: unknown[] = [id];
    const visible = this.access.scopeCondition(principal, 'c', (value) => `$${params.push(value)}`);
    const [row]: DisputeView[] = isUuid(id) ? await this.dataSource.query(`SELECT ${COLUMNS} FROM disputes d JOIN cases c ON c.id = d.case_id WHERE d.id = $1 AND ${visible}`, params) : [];
    if (!row) throw notFound(`没有编号为 ${id} 的行政复议或诉讼`);
    return row;
  }

  async forCase(principal: Principal, caseId: string): Promise<DisputeView[]> {
    await this.cases.assertAccess(principal, caseId);
    return this.dataSource.query(`SELECT ${COLUMNS} FROM disputes d JOIN cases c ON c.id = d.case_id WHERE d.case_id = $1 ORDER BY d.filed_at, d.created_at`, [caseId]);
  }

  /** Disputes about the cases the user may see: open ones by their answer deadline, decided ones latest first. */
  async list(principal: Principal, status: 'open' | 'decided' | 'all'): Promise<DisputeView[]> {
    const params: unknown[] = [principal.agencyId];
    const visible = this.access.scopeCondition(principal, 'c', (value) => `$${params.push(value)}`);
    const which = status === 'open' ? 'AND d.decided_at IS NULL' : status === 'decided' ? 'AND d.decided_at IS NOT NULL' : '';
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM disputes d JOIN cases c ON c.id = d.case_id WHERE d.agency_id = $1 ${which} AND ${visible}
        ORDER BY d.decided_at IS NOT NULL, CASE WHEN d.decided_at IS NULL THEN d.answer_due_date END NULLS LAST, d.decided_at DESC, d.filed_at DESC LIMIT 500`,
      params,
    );
  }

  /** Open disputes about the cases the user may see. */
  async open(principal: Principal): Promise<DisputeView[]> {
    const params: unknown[] = [principal.agencyId];
    const visible = this.access.scopeCondition(principal, 'c', (value) => `$${params.push(value)}`);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM disputes d JOIN cases c ON c.id = d.case_id WHERE d.agency_id = $1 AND d.decided_at IS NULL AND ${visible}
        ORDER BY d.answer_due_date NULLS LAST, d.filed_at`,
      params,
    );
  }
}
