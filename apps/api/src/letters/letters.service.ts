import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { addCalendarDays, yearOf, type CaseClock } from '@desk/calendar';
import { isCorrectionOutcome, type DisclosedFile, type DisclosureMode, type NoticeOptions } from '@desk/case-workflow';
import { DELIVERY_FORM_TERMS, LETTER_ADDRESSEE_TERMS, labelOf, RISK_TERMS } from '@desk/vocabulary';
import {
  checkLetter,
  disclosedFileEntries,
  FILL_IN_FIELDS,
  LETTER_KIND_INFO,
  letterDecision,
  LetterTemplates,
  parseLetterMarkup,
  requiresReviewFirst,
  reviewLitigationRisks,
  unacknowledgedWarnings,
  formatVerificationCode,
  verificationCodeFrom,
  verificationLine,
  verificationUrl,
  type Finding,
  type LetterBlock,
  type LetterData,
  type LetterKind,
  type LetterStatus,
  type Risk,
  type RiskFacts,
} from '@desk/letters';
import { isUuid } from '../common/text';
import { DataSource, type EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import { CalendarService } from '../calendar/calendar.service';
import { conflict, invalid, notFound } from '../common/domain-error';
import type { AgencyEntity, CaseEntity } from '../database/entities';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../common/tokens';
import { letterDocx } from './letter-docx';
import { letterHtmlPage, letterPdf, templatesDirectory } from './letter-layout';
import { qrDataUrl } from './letter-qr';
import { LetterSigning } from './letter-signing';

/** The formats a letter is served in: the page, the PDF (what is served and verified), and Word for the office. */
export type LetterFormat = 'html' | 'pdf' | 'docx';

const CONTENT_TYPES: Record<LetterFormat, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

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

/** An issued letter as the public /verify page shows it: no name, no address, no case number. */
export interface VerifiedLetter {
  agency: string;
  title: string;
  number: string;
  issuedAt: string;
  /** 申请人、第三方 or 其他机关: whom it is addressed to, as a category. */
  addresseeCategory: string;
  sha256: string;
  /** Whether the PDF carries the agency's electronic signature (PAdES). */
  signed: boolean;
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
  clock: CaseClock;
  events: readonly { type: string; at: string; payload: Record<string, unknown> }[];
  /** The step's payload as it is logged (a review's comment and acknowledgements). */
  payload: Record<string, unknown>;
}

/** Kinds that share one numbering sequence: the two 不再处理告知书 are one kind of letter to the applicant. */
const NUMBER_SEQUENCE: Partial<Record<LetterKind, string>> = { supplement_lapse_notice: 'lapse_notice', fee_lapse_notice: 'lapse_notice' };

/** An acknowledgement of a warning by the reviewer (APPROVE's acknowledgedRisks). */
interface Acknowledgement {
  code: string;
  comment: string;
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
    private readonly calendars: CalendarService,
    private readonly signing: LetterSigning,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- the workflow's side: the intents of a step, carried out inside the step's transaction ----

  private async baseData(
    manager: EntityManager,
    context: Pick<LetterStepContext, 'row' | 'agency' | 'events' | 'handlerName' | 'actor'>,
    kind: LetterKind,
    date: string,
    facts: Record<string, unknown>,
    addressee?: string,
  ): Promise<LetterData> {
    const { row, agency } = context;
    const supplement = [...context.events].reverse().find((event) => event.type === 'RECEIVE_SUPPLEMENT');
    // Every letter names a contact person (the 补正告知书 included): the handler, else the person sending it.
    const [sender]: { display_name: string }[] =
      context.handlerName || !context.actor.userId ? [] : await manager.query(`SELECT display_name FROM users WHERE id = $1`, [context.actor.userId]);
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
      fillIns: { reasons: '', provided: '', withheld: '', contactPerson: context.handlerName ?? sender?.display_name ?? '政府信息公开工作机构', contactPhone: '' },
    };
  }

  /**
   * A notice goes out with its step: rendered, checked, numbered and frozen at once. It may state the reply's due date
   * after the step (`newDueDate`) and says whether that date is provisional (rules.md §3). A lapse notice carries the
   * decision it tells the applicant, with its remedy clause.
   */
  async issueNotice(manager: EntityManager, context: LetterStepContext, kind: LetterKind, facts: Record<string, unknown>, options: NoticeOptions = {}): Promise<void> {
    const { at } = context;
    const dueDate = options.statesDueDate ? { newDueDate: context.clock.dueDate, provisional: context.clock.provisional } : {};
    const data = await this.baseData(manager, context, kind, at, { ...facts, ...dueDate }, options.addressee);
    if (options.decisionOutcome) data.decision = letterDecision(options.decisionOutcome, {}, at, context.agency.settings.reviewFirstOutcomes);
    const prefix = context.agency.settings.letterNumberPrefixes[kind] ?? '信息公开';
    data.number = await this.agencies.nextLetterNumber(manager, context.agency, yearOf(at), `letter:${NUMBER_SEQUENCE[kind] ?? kind}`, prefix);
    const [{ id }] = await manager.query(`INSERT INTO letters (case_id, kind, addressee, status, data) VALUES ($1, $2, $3, 'draft', $4) RETURNING id`, [
      context.row.id,
      kind,
      LETTER_KIND_INFO[kind].addressee,
      JSON.stringify(data),
    ]);
    await this.freeze(manager, id, data, at, context.agency);
  }

  /** The reply's draft from the decision (DECIDE's payload), for legal review; a returned draft is replaced. */
  async draftReply(manager: EntityManager, context: LetterStepContext): Promise<void> {
    const { payload } = context;
    const outcome = String(payload.outcome);
    const kind: LetterKind = isCorrectionOutcome(outcome) ? 'correction_reply' : 'reply';
    const facts = {
      responsibleAgency: payload.responsibleAgency ?? null,
      responsibleAgencyUndetermined: payload.responsibleAgencyUndetermined ?? null,
      duplicateOf: payload.duplicateOf ?? null,
      publicInterestOverride: payload.publicInterestOverride ?? null,
      // Art. 40: the files given with the reply, each listed in it (and downloadable online once it is issued).
      disclosedFiles: Array.isArray(payload.disclosedFiles) && payload.disclosedFiles.length ? disclosedFileEntries(payload.disclosedFiles as DisclosedFile[]) : null,
      // Art. 37: the regions withheld in the documents provided, each with its reason (区分处理).
      withheldRegions: payload.withheldRegions ?? null,
    };
    const data = await this.baseData(manager, context, kind, context.at, facts);
    data.decision = letterDecision(
      outcome,
      { disclosureMode: (payload.disclosureMode as DisclosureMode | undefined) ?? null, withheldBasis: (payload.withheldBasis as string | undefined) ?? null },
      context.at,
      context.agency.settings.reviewFirstOutcomes,
    );
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
   * Each review round is kept with the checker's findings and the litigation-risk review at that moment. Legal staff
   * approve only once every warning is acknowledged with a comment; the head cannot sign over a blocking risk (the
   * checker's findings among them), nor over a warning nobody acknowledged.
   */
  async reviewReply(manager: EntityManager, context: LetterStepContext, decision: 'approve' | 'return', step: 'legal' | 'head'): Promise<void> {
    const letter = await this.openReply(manager, context.row.id);
    if (!letter) return;
    const findings = this.findings(letter.data, 'draft');
    const risks = await this.risks(manager, letter.data, context.row.id, context.at, 'sign');
    // RETURN sends the draft back to the handler; legal's approval keeps it in review; the head's signs it.
    const status: LetterStatus = decision === 'return' ? 'draft' : step === 'head' ? 'approved' : 'in_review';
    const acknowledged = ((context.payload.acknowledgedRisks as Acknowledgement[] | undefined) ?? []).filter((entry) => risks.some((risk) => risk.code === entry.code));
    if (decision === 'approve') {
      const blocking = risks.filter((risk) => risk.severity === 'blocking');
      if (step === 'head' && blocking.length) {
        throw conflict(`答复书未通过法制审核检查，不能签发：${blocking.map((risk) => risk.risk).join('；')}`, blocking.map((risk) => risk.risk));
      }
      const earlier = step === 'head' ? await this.latestAcknowledgements(manager, letter.id) : [];
      const open = unacknowledgedWarnings(risks, [...earlier, ...acknowledged]);
      if (open.length) {
        throw conflict(
          `败诉风险提示须逐项确认并写明审核意见后才能${step === 'head' ? '签发' : '通过审核'}：` + open.map((risk) => `${labelOf(RISK_TERMS, risk.code)}：${risk.risk}`).join('；'),
          open.map((risk) => `${labelOf(RISK_TERMS, risk.code)}：${risk.risk}`),
        );
      }
    }
    const [{ round }] = await manager.query(`SELECT count(*)::int + 1 AS round FROM letter_reviews WHERE letter_id = $1 AND step = $2`, [letter.id, step]);
    await manager.query(
      `INSERT INTO letter_reviews (letter_id, round, step, decision, comment, findings, risks, acknowledged_risks, reviewer_id, reviewer_name, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        letter.id,
        round,
        step,
        decision,
        (context.payload.comment as string | undefined) ?? null,
        JSON.stringify(findings),
        JSON.stringify(risks),
        JSON.stringify(acknowledged),
        context.actor.userId,
        context.actor.username,
        context.at,
      ],
    );
    await manager.query(`UPDATE letters SET status = $2, updated_at = now() WHERE id = $1`, [letter.id, status]);
  }

  /** The acknowledgements of the latest approving round (legal's, or the head's of an earlier signature). */
  private async latestAcknowledgements(manager: EntityManager, letterId: string): Promise<Acknowledgement[]> {
    const [row]: { acknowledged_risks: Acknowledgement[] }[] = await manager.query(
      `SELECT acknowledged_risks FROM letter_reviews WHERE letter_id = $1 AND decision = 'approve' ORDER BY id DESC LIMIT 1`,
      [letterId],
    );
    return row?.acknowledged_risks ?? [];
  }

  /** The litigation-risk review of a draft on `asOf`, from the case's event log and record. */
  private async risks(manager: EntityManager, data: LetterData, caseId: string, asOf: string, phase: 'draft' | 'sign' | 'issue'): Promise<Risk[]> {
    return reviewLitigationRisks(data, this.templates.render(data).blocks, await this.riskFacts(manager, caseId, asOf), phase);
  }

  private async riskFacts(manager: EntityManager, caseId: string, asOf: string): Promise<RiskFacts> {
    const [row]: { due_date: string | null; delivery_form: string; applicant_address: string | null; applicant_email: string | null }[] = await manager.query(
      `SELECT to_char(due_date, 'YYYY-MM-DD') AS due_date, delivery_form, applicant_address, applicant_email FROM cases WHERE id = $1`,
      [caseId],
    );
    const events: { type: string; at: string; payload: Record<string, unknown>; actor_name: string }[] = await manager.query(
      `SELECT type, to_char(at, 'YYYY-MM-DD') AS at, payload, actor_name FROM case_events WHERE case_id = $1 ORDER BY sequence`,
      [caseId],
    );
    const [notified]: unknown[] = await manager.query(`SELECT 1 FROM letters WHERE case_id = $1 AND kind = 'disclosure_decision_notice' AND status = 'issued' LIMIT 1`, [caseId]);
    let consulting = false;
    let consulted = false;
    let objected = false;
    let notNeededReason: string | null = null;
    let supplementNotice: RiskFacts['supplementNotice'] = null;
    for (const event of events) {
      if (event.type === 'START_CONSULTATION') consulting = event.payload.kind === 'third_party';
      if (event.type === 'END_CONSULTATION' && consulting) {
        consulted = true;
        objected = event.payload.answer === 'objection';
        consulting = false;
      }
      if (event.type === 'DECIDE') notNeededReason = (event.payload.consultationNotNeededReason as string | undefined) ?? null;
      if (event.type === 'REQUEST_SUPPLEMENT') supplementNotice = { sentAt: event.at, receiptRecorded: typeof event.payload.noticeReceivedAt === 'string' };
    }
    return {
      asOf,
      dueDate: row?.due_date ?? null,
      searches: events
        .filter((event) => event.type === 'RECORD_SEARCH')
        .map((event) => ({ at: event.at, scope: String(event.payload.scope ?? ''), terms: String(event.payload.terms ?? ''), result: String(event.payload.result ?? ''), by: event.actor_name })),
      reopenedAt: events.filter((event) => event.type === 'REOPEN').at(-1)?.at ?? null,
      thirdParty: { consulted, objected, notified: Boolean(notified), notNeededReason },
      applicant: { deliveryForm: row?.delivery_form ?? '', address: row?.applicant_address ?? null, email: row?.applicant_email ?? null },
      supplementNotice,
    };
  }

  /**
   * Art. 32: the head signed a disclosure over the third party's objection: the 公开决定告知书 states the content to be
   * disclosed, the reasons, when the disclosure will happen, and the third party's remedies (行政复议法 Art. 20;
   * 法释〔2011〕17号 Art. 1(3)). The reply to the applicant waits for the period it names (the machine's guard).
   */
  async issueDisclosureDecisionNotice(manager: EntityManager, context: LetterStepContext): Promise<void> {
    const letter = await this.openReply(manager, context.row.id);
    if (!letter) return;
    const consulted = [...context.events].reverse().find((event) => event.type === 'START_CONSULTATION' && event.payload.kind === 'third_party');
    const reliefEnds = context.clock.thirdPartyReliefEnds;
    if (!reliefEnds) throw conflict('无法确定第三方寻求救济的期限（第三十二条）');
    await this.issueNotice(
      manager,
      context,
      'disclosure_decision_notice',
      {
        publicInterestOverride: letter.data.facts.publicInterestOverride,
        provided: letter.data.fillIns.provided,
        reliefWorkingDays: context.agency.settings.thirdPartyReliefWorkingDays,
        disclosureFrom: addCalendarDays(reliefEnds, 1),
        provisional: context.clock.provisional,
      },
      { addressee: consulted ? String(consulted.payload.party) : '第三方' },
    );
  }

  /** Issue the signed reply with its 文号, unless the risk review finds a defect that blocks it. */
  async issueReply(manager: EntityManager, context: LetterStepContext): Promise<string> {
    const letter = await this.openReply(manager, context.row.id);
    if (!letter) throw conflict('没有待出具的答复书');
    const { at } = context;
    const data: LetterData = { ...letter.data, number: String(context.payload.documentNumber), date: at };
    // The remedy clause follows the issue date (review first since 2024-01-01).
    if (data.decision) {
      data.decision = { ...data.decision, reviewFirst: requiresReviewFirst(data.decision.outcome, at, context.agency.settings.reviewFirstOutcomes) };
    }
    const blocking = (await this.risks(manager, data, context.row.id, at, 'issue')).filter((risk) => risk.severity === 'blocking');
    if (blocking.length) {
      throw conflict(`答复书存在不能出具的缺陷：${blocking.map((risk) => risk.risk).join('；')}`, blocking.map((risk) => risk.risk));
    }
    await this.freeze(manager, letter.id, data, at, context.agency);
    return letter.id;
  }

  /**
   * Render, check for issue, and store the frozen bytes. Findings refuse the step (409) and roll it back. The letter
   * carries its 验证码 and QR code (the public /verify page), and where the agency has a signing certificate the frozen
   * PDF is the signed one; its SHA-256 is what /verify shows.
   */
  private async freeze(manager: EntityManager, id: string, data: LetterData, at: string, agency: Pick<AgencyEntity, 'code' | 'name'>): Promise<void> {
    const rendered = this.templates.render(data);
    const findings = checkLetter(data, rendered.blocks, 'issue');
    if (findings.length) {
      throw conflict(`${data.title}未通过检查，不能出具：${findings.map((finding) => finding.message).join('；')}`, findings.map((finding) => finding.message));
    }
    const code = verificationCodeFrom(randomBytes(12));
    const line = verificationLine(this.config.publicBaseUrl, code);
    const html = letterHtmlPage(data.title, rendered.markup, { draft: false, verification: { line, qrDataUrl: await qrDataUrl(verificationUrl(this.config.publicBaseUrl, code)) } });
    const blocks: LetterBlock[] = [...rendered.blocks, { role: 'verification', text: line }];
    const pdf = await this.signing.sign(await letterPdf(blocks, { title: data.title, date: at, draft: false }), agency, data.title);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await manager.query(
      `UPDATE letters SET status = 'issued', data = $2, number = $3, issued_at = $4, content_html = $5, content_pdf = $6, sha256 = $7, verification_code = $8, updated_at = now()
        WHERE id = $1`,
      [id, JSON.stringify(data), data.number, at, html, pdf, sha256, code],
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
    return checkLetter(data, this.templates.render(data).blocks, phase);
  }

  /**
   * Letters a step would issue, rendered from their data before anything leaves (the console's check page runs the
   * step in a transaction it then undoes; `manager` is that transaction).
   */
  async previews(manager: EntityManager, ids: readonly string[]): Promise<{ kind: string; title: string; addressee: string; markup: string; issued: boolean }[]> {
    if (!ids.length) return [];
    const rows: LetterRow[] = await manager.query(`SELECT * FROM letters WHERE id = ANY($1) ORDER BY seq`, [ids]);
    return rows.map((row) => ({
      kind: row.kind,
      title: row.data.title,
      addressee: row.data.addressee,
      markup: this.templates.render(row.data).markup,
      issued: row.status === 'issued',
    }));
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

  /** The 验证码 of the case's issued letters as printed on them (ABCD-EFGH-JKMN), with the /verify address their QR code carries. */
  async verificationsFor(caseId: string): Promise<Map<string, { code: string; url: string }>> {
    const rows: { id: string; verification_code: string }[] = await this.dataSource.query(
      `SELECT id, verification_code FROM letters WHERE case_id = $1 AND status = 'issued' AND verification_code IS NOT NULL`,
      [caseId],
    );
    return new Map(rows.map((row) => [row.id, { code: formatVerificationCode(row.verification_code), url: verificationUrl(this.config.publicBaseUrl, row.verification_code) }]));
  }

  async caseOf(id: string): Promise<string> {
    const [row]: { case_id: string }[] = isUuid(id) ? await this.dataSource.query(`SELECT case_id FROM letters WHERE id = $1`, [id]) : [];
    if (!row) throw notFound(`没有编号为 ${id} 的文书`);
    return row.case_id;
  }

  /**
   * An issued letter answers its frozen bytes; a draft is rendered now and marked 草稿. The Word file of an issued letter
   * is made from its frozen page (the blocks of the HTML stored at issue, 验证码 included), never from today's
   * templates or settings, so it says what the PDF says; `sha256` stays the PDF's, the letter's fingerprint.
   */
  async content(id: string, format: LetterFormat): Promise<{ body: Buffer | string; contentType: string; filename: string; sha256: string | null }> {
    const [row]: (LetterRow & { content_html: string | null; content_pdf: Buffer | null })[] = await this.dataSource.query(`SELECT * FROM letters WHERE id = $1`, [id]);
    if (!row) throw notFound(`没有编号为 ${id} 的文书`);
    const filename = `${row.number ?? `${row.data.title}（草稿）`}.${format}`;
    const contentType = CONTENT_TYPES[format];
    if (row.status === 'issued') {
      if (format === 'pdf') return { body: row.content_pdf!, contentType, filename, sha256: row.sha256 };
      if (format === 'html') return { body: row.content_html!, contentType, filename, sha256: row.sha256 };
      return { body: await letterDocx(parseLetterMarkup(row.content_html!), { title: row.data.title, draft: false }), contentType, filename, sha256: row.sha256 };
    }
    const rendered = this.templates.render(row.data);
    if (format === 'html') return { body: letterHtmlPage(row.data.title, rendered.markup, { draft: true }), contentType, filename, sha256: null };
    if (format === 'docx') return { body: await letterDocx(rendered.blocks, { title: row.data.title, draft: true }), contentType, filename, sha256: null };
    return { body: await letterPdf(rendered.blocks, { title: row.data.title, date: row.data.date, draft: true }), contentType, filename, sha256: null };
  }

  /**
   * What the public /verify page shows of an issued letter: the agency, 文号, date, whom it is addressed to (the kind of
   * addressee, never a name) and the PDF's SHA-256. Null for an unknown code.
   */
  async verify(code: string): Promise<VerifiedLetter | null> {
    const [row]: { agency: string; title: string; number: string; issued_at: string; addressee: string; sha256: string; signed: boolean }[] = await this.dataSource.query(
      `SELECT a.name AS agency, l.data->>'title' AS title, l.number, to_char(l.issued_at, 'YYYY-MM-DD') AS issued_at, l.addressee, l.sha256,
              position(convert_to('/ETSI.CAdES.detached', 'UTF8') IN l.content_pdf) > 0 AS signed
         FROM letters l JOIN cases c ON c.id = l.case_id JOIN agencies a ON a.id = c.agency_id
        WHERE l.verification_code = $1 AND l.status = 'issued'`,
      [code],
    );
    if (!row) return null;
    return {
      agency: row.agency,
      title: row.title,
      number: row.number,
      issuedAt: row.issued_at,
      addresseeCategory: labelOf(LETTER_ADDRESSEE_TERMS, row.addressee),
      sha256: row.sha256,
      signed: row.signed,
    };
  }

  /** What legal staff see beside the draft: the data, which parts may be edited, the findings, and every review round. */
  async reviewView(id: string) {
    const [row]: LetterRow[] = await this.dataSource.query(`SELECT * FROM letters WHERE id = $1`, [id]);
    if (!row) throw notFound(`没有编号为 ${id} 的文书`);
    const rounds = await this.dataSource.query(
      `SELECT round, step, decision, comment, findings, risks, acknowledged_risks AS "acknowledgedRisks", reviewer_name AS reviewer, to_char(at, 'YYYY-MM-DD') AS at
         FROM letter_reviews WHERE letter_id = $1 ORDER BY id`,
      [id],
    );
    // 败诉风险: run on every draft reply, beside its findings; each warning shows whether and how it was acknowledged.
    const reviewed = LETTER_KIND_INFO[row.kind].reviewed && row.status !== 'issued';
    const acknowledgements = reviewed ? await this.latestAcknowledgements(this.dataSource.manager, row.id) : [];
    const risks = reviewed
      ? (await this.risks(this.dataSource.manager, row.data, row.case_id, this.calendars.today(), 'draft')).map((risk) => ({
          ...risk,
          acknowledgement: acknowledgements.find((entry) => entry.code === risk.code)?.comment ?? null,
        }))
      : [];
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      number: row.number,
      fillIns: row.data.fillIns,
      editableFields: row.status === 'issued' || row.status === 'approved' ? [] : [...FILL_IN_FIELDS],
      findings: row.status === 'issued' ? [] : this.findings(row.data, 'draft'),
      risks,
      rounds,
    };
  }

  /**
   * A draft as it would read with these fill-ins, and what the checker and the risk review find in it — nothing saved:
   * the console shows the findings update as one types.
   */
  async checkDraft(id: string, fillIns: Partial<LetterData['fillIns']>) {
    const [row]: LetterRow[] = await this.dataSource.query(`SELECT * FROM letters WHERE id = $1`, [id]);
    if (!row) throw notFound(`没有编号为 ${id} 的文书`);
    const sent = Object.fromEntries(Object.entries(fillIns).filter(([field, value]) => typeof value === 'string' && (FILL_IN_FIELDS as readonly string[]).includes(field)));
    const data: LetterData = { ...row.data, fillIns: { ...row.data.fillIns, ...sent } };
    const reviewed = LETTER_KIND_INFO[row.kind].reviewed && row.status !== 'issued';
    return {
      markup: this.templates.render(data).markup,
      findings: row.status === 'issued' ? [] : this.findings(data, 'draft'),
      risks: reviewed ? await this.risks(this.dataSource.manager, data, row.case_id, this.calendars.today(), 'draft') : [],
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
        throw conflict('法制审核通过后不能再修改答复书；如需修改，请由负责人退回修改');
      }
      // Only the fields sent: an absent field keeps its text.
      const sent = Object.fromEntries(Object.entries(fillIns).filter(([field, value]) => value !== undefined && (FILL_IN_FIELDS as readonly string[]).includes(field)));
      const data: LetterData = { ...row.data, fillIns: { ...row.data.fillIns, ...sent } };
      await manager.query(`UPDATE letters SET data = $2, updated_at = now() WHERE id = $1`, [id, JSON.stringify(data)]);
    });
  }
}
