import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { yearOf, type CaseClock } from '@desk/calendar';
import { isCorrectionOutcome, OUTCOME_INFO, type OutcomeCode } from '@desk/case-workflow';
import { DELIVERY_FORM_TERMS, labelOf } from '@desk/vocabulary';
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

/** A workflow step as the letters see it: the case after the step, its log (this step included), the clock after it. */
export interface LetterStepContext {
  row: CaseEntity;
  /** The handler's name, the letters' contact person. */
  handlerName: string | null;
  agency: AgencyEntity;
  actor: { userId: string | null; username: string };
  /** The date of the step. */
  at: string;
  /** The state before the step, e.g. decided.legalReview for the legal APPROVE. */
  stateBefore: string;
  clock: CaseClock;
  events: readonly { type: string; at: string; payload: Record<string, unknown> }[];
}

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

  // ---- the workflow's side: the intents of a step, carried out inside the step's transaction ----

  private baseData(context: Pick<LetterStepContext, 'row' | 'agency' | 'events' | 'handlerName'>, kind: LetterKind, date: string, facts: Record<string, unknown>, addressee?: string): LetterData {
    const { row, agency } = context;
    const supplement = [...context.events].reverse().find((event) => event.type === 'RECEIVE_SUPPLEMENT');
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
        deliveryForm: labelOf(DELIVERY_FORM_TERMS, row.deliveryForm),
      },
      facts,
      decision: null,
      fillIns: { reasons: '', provided: '', withheld: '', contactPerson: context.handlerName ?? '', contactPhone: '' },
    };
  }

  /** A notice goes out with its step: rendered, checked, numbered and frozen at once; it states the due date after the step. */
  async issueNotice(manager: EntityManager, context: LetterStepContext, kind: LetterKind, facts: Record<string, unknown>, addressee?: string): Promise<void> {
    const { at } = context;
    const data = this.baseData(context, kind, at, { ...facts, newDueDate: context.clock.dueDate, newDueDateProvisional: context.clock.provisional }, addressee);
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

  /** The reply's draft from the decision (DECIDE's payload), for legal review; a returned draft is replaced. */
  async draftReply(manager: EntityManager, context: LetterStepContext, payload: Record<string, unknown>): Promise<void> {
    const outcome = String(payload.outcome);
    const kind: LetterKind = isCorrectionOutcome(outcome) ? 'correction_reply' : 'reply';
    const facts = { responsibleAgency: payload.responsibleAgency ?? null, duplicateOf: payload.duplicateOf ?? null, publicInterestOverride: payload.publicInterestOverride ?? null };
    const data = this.baseData(context, kind, context.at, facts);
    data.decision = {
      outcome,
      outcomeLabel: outcomeLabel(outcome),
      legalBasis: legalBasisOf(outcome),
      reviewFirst: requiresReviewFirst(outcome, context.at, context.agency.settings.reviewFirstOutcomes),
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

  /**
   * A review round of the draft reply: the step (legal's 合法性审查 or the head's 签发) is the state the case was in. Each
   * round is kept with the checker's findings at that moment; the head cannot sign over findings.
   */
  async reviewReply(manager: EntityManager, context: LetterStepContext, decision: 'approve' | 'return', comment: string | null): Promise<void> {
    const letter = await this.openReply(manager, context.row.id);
    if (!letter) return;
    const status: LetterStatus = decision === 'return' ? 'draft' : context.stateBefore === 'decided.headApproval' ? 'approved' : 'in_review';
    const findings = this.findings(letter.data, 'draft');
    const step = context.stateBefore === 'decided.headApproval' ? 'head' : 'legal';
    if (decision === 'approve' && step === 'head' && findings.length) {
      throw conflict(`答复书未通过法制审核检查，不能签发：${findings.map((finding) => finding.message).join('；')}`, findings.map((finding) => finding.message));
    }
    const [{ round }] = await manager.query(`SELECT count(*)::int + 1 AS round FROM letter_reviews WHERE letter_id = $1 AND step = $2`, [letter.id, step]);
    await manager.query(
      `INSERT INTO letter_reviews (letter_id, round, step, decision, comment, findings, reviewer_id, reviewer_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [letter.id, round, step, decision, comment, JSON.stringify(findings), context.actor.userId, context.actor.username, context.at],
    );
    await manager.query(`UPDATE letters SET status = $2, updated_at = now() WHERE id = $1`, [letter.id, status]);
  }

  /** Issue the signed reply with its 文号; over a third party's objection, the 公开决定告知书 goes to the third party too. */
  async issueReply(manager: EntityManager, context: LetterStepContext, documentNumber: string): Promise<void> {
    const letter = await this.openReply(manager, context.row.id);
    if (!letter) throw conflict('没有待出具的答复书');
    const { at } = context;
    const data: LetterData = { ...letter.data, number: documentNumber, date: at };
    // The remedy clause follows the issue date (review first since 2024-01-01).
    if (data.decision) {
      data.decision = { ...data.decision, reviewFirst: requiresReviewFirst(data.decision.outcome, at, context.agency.settings.reviewFirstOutcomes) };
    }
    await this.freeze(manager, letter.id, data, at);
    if (data.facts.publicInterestOverride) {
      const consulted = [...context.events].reverse().find((event) => event.type === 'START_CONSULTATION' && event.payload.kind === 'third_party');
      const party = consulted ? String(consulted.payload.party) : '第三方';
      await this.issueNotice(manager, context, 'disclosure_decision_notice', { publicInterestOverride: data.facts.publicInterestOverride }, party);
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
