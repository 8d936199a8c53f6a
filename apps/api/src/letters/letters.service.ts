import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { yearOf, type CaseClock } from '@desk/calendar';
import { isCorrectionOutcome, OUTCOME_INFO, type CaseEvent, type OutcomeCode } from '@desk/case-workflow';
import {
  checkLetter,
  FILL_IN_FIELDS,
  LETTER_KIND_INFO,
  LetterTemplates,
  requiresReviewFirst,
  type Finding,
  type LetterData,
  type LetterKind,
  type LetterStatus,
} from '@desk/letters';
import { isUuid } from '../common/text';
import { DataSource, type EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import { conflict, invalid, notFound } from '../common/domain-error';
import type { AgencyEntity, CaseEntity } from '../database/entities';
import { letterHtmlPage, letterPdf, templatesDirectory } from './letter-layout';

/**
 * The letters an applicant may read and download with the case number and query code: issued, and addressed to the
 * applicant (not the third party consulted under Art. 32). A SQL condition on `letters`, aliased `alias`.
 */
export function issuedToApplicant(alias: string): string {
  return `${alias}.status = 'issued' AND ${alias}.addressee = 'applicant'`;
}

interface LetterRow {
  id: string;
  case_id: string;
  kind: LetterKind;
  status: LetterStatus;
  data: LetterData;
  number: string | null;
  issued_at: string | null;
  sha256: string | null;
  addressee: string;
}

export interface LetterSummary {
  id: string;
  kind: LetterKind;
  title: string;
  addressee: string;
  number: string | null;
  status: LetterStatus;
  issuedAt: string | null;
  sha256: string | null;
}

export interface LetterEventContext {
  row: CaseEntity;
  agency: AgencyEntity;
  actor: { userId: string | null; username: string };
  event: CaseEvent;
  payload: Record<string, unknown>;
  /** The state before the event, e.g. decided.legalReview for the legal APPROVE. */
  stateBefore: string;
  clock: CaseClock;
}

const DELIVERY_FORM_LABELS: Record<string, string> = {
  paper_pickup: '纸质文本（自行领取）',
  paper_post: '纸质文本（邮寄）',
  email: '电子邮件',
  online: '网上获取',
  disc: '光盘',
  inspection: '查阅',
};

/** The label of an outcome for the letter text: the report row without its numbering. */
function outcomeLabel(outcome: string): string {
  if (isCorrectionOutcome(outcome)) return outcome;
  return OUTCOME_INFO[outcome as OutcomeCode].reportRow.replace(/^（[一二三四五六七]）/, '').replace(/^\d+\./, '').replace(/（.*）$/, '');
}

function legalBasisOf(outcome: string): string {
  return isCorrectionOutcome(outcome) ? '第四十一条' : OUTCOME_INFO[outcome as OutcomeCode].legalBasis;
}

/**
 * Letters follow the workflow: each notice is written and issued by the step that sends it (补正, extension, fees, …);
 * the reply is drafted on DECIDE, reviewed by legal, signed by the head, and issued with its 文号 on ISSUE_REPLY. An
 * issued letter is frozen with its rendered HTML, PDF and the PDF's SHA-256.
 */
@Injectable()
export class LettersService {
  readonly templates = new LetterTemplates(templatesDirectory());

  constructor(
    private readonly dataSource: DataSource,
    private readonly agencies: AgenciesService,
  ) {}

  // ---- the workflow's side: called inside the event's transaction ----

  async afterEvent(manager: EntityManager, context: LetterEventContext): Promise<void> {
    const { event, payload } = context;
    const notice = (kind: LetterKind, facts: Record<string, unknown>, addressee?: string) =>
      this.issueNotice(manager, context, kind, facts, addressee);
    switch (event.type) {
      case 'REGISTER':
      case 'CONFIRM_RECEIPT':
        return notice('receipt', {});
      case 'REQUEST_SUPPLEMENT':
        return notice('supplement_notice', { items: payload.items, periodWorkingDays: payload.periodWorkingDays });
      case 'EXTEND':
        return notice('extension_notice', {
          reason: payload.reason,
          workingDays: payload.workingDays,
          originalDueDate: payload.dueDateBeforeExtension,
          newDueDate: context.clock.dueDate,
        });
      case 'SET_LATER_REPLY_DATE':
        return notice('delay_notice', { replyBy: payload.replyBy, reason: payload.reason });
      case 'REQUEST_REASONS':
        return notice('reasons_request', { questions: payload.questions });
      case 'START_CONSULTATION':
        if (payload.kind === 'agency') return notice('agency_consultation', { party: payload.party }, String(payload.party));
        await notice('third_party_consultation', { party: payload.party }, String(payload.party));
        return notice('consultation_notice', { party: payload.party });
      case 'SEND_FEE_NOTICE':
        return notice('fee_notice', {
          amountYuan: payload.amountYuan,
          standard: payload.standard,
          explanation: payload.explanation,
          basis: payload.basis,
          paymentInstructions: payload.paymentInstructions,
        });
      case 'DECIDE':
        return this.draftReply(manager, context);
      case 'RETURN':
        return this.review(manager, context, 'return', 'draft');
      case 'APPROVE':
        return context.stateBefore === 'decided.legalReview'
          ? this.review(manager, context, 'approve', 'in_review')
          : this.review(manager, context, 'approve', 'approved');
      case 'ISSUE_REPLY':
        return this.issueReply(manager, context);
      default:
        return;
    }
  }

  private async baseData(
    manager: EntityManager,
    context: Pick<LetterEventContext, 'row' | 'agency'>,
    kind: LetterKind,
    date: string,
    facts: Record<string, unknown>,
    addressee?: string,
  ): Promise<LetterData> {
    const { row, agency } = context;
    const [supplement]: { at: string }[] = await manager.query(
      `SELECT to_char(at, 'YYYY-MM-DD') AS at FROM case_events WHERE case_id = $1 AND type = 'RECEIVE_SUPPLEMENT' ORDER BY sequence DESC LIMIT 1`,
      [row.id],
    );
    const [handler]: { display_name: string }[] = row.handlerId
      ? await manager.query(`SELECT display_name FROM users WHERE id = $1`, [row.handlerId])
      : [];
    const settings = agency.settings;
    return {
      kind,
      title: LETTER_KIND_INFO[kind].title,
      number: null,
      date,
      agency: { name: agency.name, address: settings.address, phone: settings.phone, reviewBody: settings.reviewBody, court: settings.court, sealText: settings.sealText },
      addressee: addressee ?? row.applicantName,
      case: {
        caseNumber: row.caseNumber,
        receivedAt: row.receivedAt,
        description: row.description,
        supplementReceivedAt: supplement?.at ?? null,
        deliveryForm: DELIVERY_FORM_LABELS[row.deliveryForm] ?? row.deliveryForm,
      },
      facts,
      decision: null,
      fillIns: { reasons: '', provided: '', withheld: '', contactPerson: handler?.display_name ?? '', contactPhone: '' },
    };
  }

  /** A notice goes out with its step: rendered, checked, numbered and frozen at once. */
  private async issueNotice(
    manager: EntityManager,
    context: LetterEventContext,
    kind: LetterKind,
    facts: Record<string, unknown>,
    addressee?: string,
  ): Promise<void> {
    const at = context.event.at;
    const data = await this.baseData(manager, context, kind, at, facts, addressee);
    const prefix = context.agency.settings.letterNumberPrefixes[kind] ?? '信息公开';
    data.number = await this.agencies.nextNumber(manager, context.agency, yearOf(at), `letter:${kind}`, prefix);
    const [{ id }] = await manager.query(`INSERT INTO letters (case_id, kind, addressee, status, data) VALUES ($1, $2, $3, 'draft', $4) RETURNING id`, [
      context.row.id,
      kind,
      LETTER_KIND_INFO[kind].addressee,
      JSON.stringify(data),
    ]);
    await this.freeze(manager, id, data, at);
  }

  private async draftReply(manager: EntityManager, context: LetterEventContext): Promise<void> {
    const { payload } = context;
    const outcome = String(payload.outcome);
    const kind: LetterKind = isCorrectionOutcome(outcome) ? 'correction_reply' : 'reply';
    const facts = { responsibleAgency: payload.responsibleAgency ?? null, duplicateOf: payload.duplicateOf ?? null, publicInterestOverride: payload.publicInterestOverride ?? null };
    const data = await this.baseData(manager, context, kind, context.event.at, facts);
    data.decision = {
      outcome,
      outcomeLabel: outcomeLabel(outcome),
      legalBasis: legalBasisOf(outcome),
      reviewFirst: requiresReviewFirst(outcome, context.event.at, context.agency.settings.reviewFirstOutcomes),
    };
    data.fillIns = {
      ...data.fillIns,
      reasons: String(payload.reasons ?? ''),
      provided: String(payload.provided ?? ''),
      withheld: String(payload.withheld ?? ''),
    };
    const open = await this.openReply(manager, context.row.id);
    if (open) {
      await manager.query(`UPDATE letters SET kind = $2, data = $3, status = 'in_review', updated_at = now() WHERE id = $1`, [open.id, kind, JSON.stringify(data)]);
    } else {
      await manager.query(`INSERT INTO letters (case_id, kind, addressee, status, data) VALUES ($1, $2, 'applicant', 'in_review', $3)`, [
        context.row.id,
        kind,
        JSON.stringify(data),
      ]);
    }
  }

  /** Each review round is kept with the checker's findings at that moment; the head cannot sign over findings. */
  private async review(manager: EntityManager, context: LetterEventContext, decision: 'approve' | 'return', status: LetterStatus): Promise<void> {
    const letter = await this.openReply(manager, context.row.id);
    if (!letter) return;
    const findings = this.findings(letter.data, 'draft');
    const step = context.stateBefore === 'decided.headApproval' ? 'head' : 'legal';
    if (decision === 'approve' && step === 'head' && findings.length) {
      throw conflict(`答复书未通过法制审核检查，不能签发：${findings.map((finding) => finding.message).join('；')}`, findings.map((finding) => finding.message));
    }
    const [{ round }] = await manager.query(`SELECT count(*)::int + 1 AS round FROM letter_reviews WHERE letter_id = $1 AND step = $2`, [letter.id, step]);
    await manager.query(
      `INSERT INTO letter_reviews (letter_id, round, step, decision, comment, findings, reviewer_id, reviewer_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [letter.id, round, step, decision, (context.payload.comment as string | undefined) ?? null, JSON.stringify(findings), context.actor.userId, context.actor.username, context.event.at],
    );
    await manager.query(`UPDATE letters SET status = $2, updated_at = now() WHERE id = $1`, [letter.id, status]);
  }

  private async issueReply(manager: EntityManager, context: LetterEventContext): Promise<void> {
    const letter = await this.openReply(manager, context.row.id);
    if (!letter) throw conflict('没有待出具的答复书');
    const at = context.event.at;
    const data: LetterData = { ...letter.data, number: String(context.payload.documentNumber), date: at };
    // The remedy clause follows the issue date (review first since 2024-01-01).
    if (data.decision) {
      data.decision = { ...data.decision, reviewFirst: requiresReviewFirst(data.decision.outcome, at, context.agency.settings.reviewFirstOutcomes) };
    }
    await this.freeze(manager, letter.id, data, at);
    if (data.facts.publicInterestOverride) {
      const [party]: { party: string }[] = await manager.query(
        `SELECT payload->>'party' AS party FROM case_events WHERE case_id = $1 AND type = 'START_CONSULTATION' AND payload->>'kind' = 'third_party' ORDER BY sequence DESC LIMIT 1`,
        [context.row.id],
      );
      await this.issueNotice(manager, context, 'disclosure_decision_notice', { publicInterestOverride: data.facts.publicInterestOverride }, party?.party ?? '第三方');
    }
  }

  /** Render, check for issue, and store the frozen bytes. Findings refuse the step (409) and roll it back. */
  private async freeze(manager: EntityManager, id: string, data: LetterData, at: string): Promise<void> {
    const rendered = this.templates.render(data);
    const findings = checkLetter(data, rendered.text, 'issue');
    if (findings.length) {
      throw conflict(`${data.title}未通过检查，不能出具：${findings.map((finding) => finding.message).join('；')}`, findings.map((finding) => finding.message));
    }
    const html = letterHtmlPage(data.title, rendered.markup, { draft: false });
    const pdf = await letterPdf(rendered.blocks, { title: data.title, date: at, draft: false });
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await manager.query(
      `UPDATE letters SET status = 'issued', data = $2, number = $3, issued_at = $4, content_html = $5, content_pdf = $6, sha256 = $7, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(data), data.number, at, html, pdf, sha256],
    );
  }

  private async openReply(manager: EntityManager, caseId: string): Promise<LetterRow | null> {
    const [row]: LetterRow[] = await manager.query(
      `SELECT * FROM letters WHERE case_id = $1 AND kind IN ('reply', 'correction_reply') AND status <> 'issued' ORDER BY seq DESC LIMIT 1`,
      [caseId],
    );
    return row ?? null;
  }

  findings(data: LetterData, phase: 'draft' | 'issue'): Finding[] {
    return checkLetter(data, this.templates.render(data).text, phase);
  }

  // ---- the reading side ----

  async forCase(caseId: string): Promise<LetterSummary[]> {
    const rows: LetterRow[] = await this.dataSource.query(
      `SELECT id, case_id, kind, status, data, number, to_char(issued_at, 'YYYY-MM-DD') AS issued_at, sha256, addressee FROM letters
        WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.data.title,
      addressee: row.data.addressee,
      number: row.number,
      status: row.status,
      issuedAt: row.issued_at,
      sha256: row.sha256,
    }));
  }

  async caseOf(id: string): Promise<string> {
    const [row]: { case_id: string }[] = isUuid(id) ? await this.dataSource.query(`SELECT case_id FROM letters WHERE id = $1`, [id]) : [];
    if (!row) throw notFound(`没有编号为 ${id} 的文书`);
    return row.case_id;
  }

  /** An issued letter answers its frozen bytes; a draft is rendered now and marked 草稿. */
  async content(id: string, format: 'html' | 'pdf'): Promise<{ body: Buffer | string; contentType: string; filename: string; sha256: string | null }> {
    const [row]: (LetterRow & { content_html: string | null; content_pdf: Buffer | null })[] = await this.dataSource.query(`SELECT * FROM letters WHERE id = $1`, [id]);
    if (!row) throw notFound(`没有编号为 ${id} 的文书`);
    const filename = `${row.number ?? `${row.data.title}（草稿）`}.${format}`;
    if (row.status === 'issued') {
      return format === 'pdf'
        ? { body: row.content_pdf!, contentType: 'application/pdf', filename, sha256: row.sha256 }
        : { body: row.content_html!, contentType: 'text/html; charset=utf-8', filename, sha256: row.sha256 };
    }
    const rendered = this.templates.render(row.data);
    if (format === 'html') return { body: letterHtmlPage(row.data.title, rendered.markup, { draft: true }), contentType: 'text/html; charset=utf-8', filename, sha256: null };
    return { body: await letterPdf(rendered.blocks, { title: row.data.title, date: row.data.date, draft: true }), contentType: 'application/pdf', filename, sha256: null };
  }

  /** What legal staff see beside the draft: the data, which parts may be edited, the findings, and every review round. */
  async reviewView(id: string) {
    const [row]: LetterRow[] = await this.dataSource.query(`SELECT * FROM letters WHERE id = $1`, [id]);
    if (!row) throw notFound(`没有编号为 ${id} 的文书`);
    const rounds = await this.dataSource.query(
      `SELECT round, step, decision, comment, findings, reviewer_name AS reviewer, to_char(at, 'YYYY-MM-DD') AS at FROM letter_reviews WHERE letter_id = $1 ORDER BY id`,
      [id],
    );
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      number: row.number,
      fillIns: row.data.fillIns,
      editableFields: row.status === 'issued' || row.status === 'approved' ? [] : [...FILL_IN_FIELDS],
      findings: row.status === 'issued' ? [] : this.findings(row.data, 'draft'),
      rounds,
    };
  }

  /** Staff edit the fill-in parts only; the statutory text is in the template and cannot be touched. */
  async updateFillIns(id: string, fillIns: Partial<LetterData['fillIns']>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [row]: LetterRow[] = await manager.query(`SELECT * FROM letters WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw notFound(`没有编号为 ${id} 的文书`);
      if (row.status === 'issued' || row.status === 'approved') throw conflict(`文书已${row.status === 'issued' ? '出具' : '签发'}，不能修改`);
      if (!LETTER_KIND_INFO[row.kind].reviewed) throw invalid('通知类文书随办理步骤出具，不能修改');
      // Once legal has approved, the head signs what legal saw: no edits after the legality review.
      const [{ state }] = await manager.query(`SELECT state FROM cases WHERE id = $1`, [row.case_id]);
      if (!String(state).startsWith('handling') && state !== 'decided.legalReview') {
        throw conflict('法制审核通过后不能再修改答复书；如需修改，请由负责人退回（RETURN）');
      }
      // Only the fields sent: an absent field keeps its text.
      const sent = Object.fromEntries(Object.entries(fillIns).filter(([field, value]) => value !== undefined && (FILL_IN_FIELDS as readonly string[]).includes(field)));
      const data: LetterData = { ...row.data, fillIns: { ...row.data.fillIns, ...sent } };
      await manager.query(`UPDATE letters SET data = $2, updated_at = now() WHERE id = $1`, [id, JSON.stringify(data)]);
    });
  }
}
