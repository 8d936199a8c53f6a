import { Injectable } from '@nestjs/common';
import { declarationOf, EVENT_DECLARATIONS, isCaseEventType, type CaseEventType, type ElectronicServiceProof } from '@desk/case-workflow';
import { labelOf, SERVICE_METHOD_TERMS } from '@desk/vocabulary';
import { DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import type { Principal } from '../auth/principal';
import { AttachmentsService } from '../attachments/attachments.service';
import { CaseViewService } from '../cases/case-view.service';
import type { CaseView } from '../cases/case-view';
import { DisputesService } from '../disputes/disputes.service';
import { LettersService } from '../letters/letters.service';
import { chineseDate } from './console-views';
import { assistanceRequestNames, describePayload } from './event-forms.service';
import { RedactionPages } from './redaction-pages.service';

/** Facts the service adds to a step's log entry that a reader of the file needs, by their words. */
const NOTED_FACTS: Record<string, string> = {
  documentNumber: '文号',
  dueDate: '当时的答复期限',
  newDueDate: '新的答复期限',
  supplementDueDate: '补正期限',
  feeDueDate: '缴费期限',
  thirdPartyReliefEnds: '第三方寻求救济期限届满',
};

/** The order in which a case page offers what may be done: the step that moves the case forward first. */
const PRIMARY_FIRST: readonly CaseEventType[] = [
  'CONFIRM_RECEIPT',
  'ASSIGN',
  'RECORD_SEARCH',
  'DECIDE',
  'APPROVE',
  'RETURN',
  'ISSUE_REPLY',
  'RECORD_SERVICE',
  'DECIDE_PROACTIVE',
  'ANSWER_ASSISTANCE',
  'EXTEND',
  'RECEIVE_SUPPLEMENT',
  'END_CONSULTATION',
  'RECORD_FEE_PAYMENT',
];

/**
 * How many of the latest steps a case page lists in 办理经过 before "显示全部": a case with a long history (200 steps)
 * renders as quickly as a short one, and the step that matters now is at the top; the whole log is one link away.
 */
export const RECENT_STEPS = 20;

/** Steps that end or give up on the case: offered apart, after the others. */
const ENDING: readonly CaseEventType[] = ['WITHDRAW', 'SUPPLEMENT_LAPSED', 'FEE_LAPSED'];

/** Everything on record about a case, in words, for its page (issue 16 item 4). */
@Injectable()
export class CasePages {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseViewService,
    private readonly letters: LettersService,
    private readonly attachments: AttachmentsService,
    private readonly disputes: DisputesService,
    private readonly agencies: AgenciesService,
    private readonly redactions: RedactionPages,
  ) {}

  /** `history: 'recent'` lists only the latest RECENT_STEPS steps of 办理经过 (the case page); 'all' every step. */
  async page(principal: Principal, id: string, address: string, history: 'recent' | 'all' = 'all') {
    const view = await this.cases.view(principal, id, address);
    const [letters, verifications, files, disputes, agency] = await Promise.all([
      this.letters.forCase(id),
      this.letters.verificationsFor(id),
      this.attachments.list(principal, id),
      this.disputes.forCase(principal, id),
      this.agencies.byId(view.agencyId),
    ]);
    const people = await this.people(principal.agencyId, view, files.map((file) => file.uploadedBy));
    const fileNames = new Map(files.map((file) => [file.id, file.filename]));
    const actions = this.actions(view);
    const requests = assistanceRequestNames(view);
    // Newest first; only the steps shown are described (each description walks the step's fields and the names).
    const shown = history === 'all' ? [...view.events].reverse() : view.events.slice(-RECENT_STEPS).reverse();
    return {
      view,
      clock: clockWords(view, agency.settings.dueSoonWorkingDays),
      actions: actions.forward,
      endings: actions.ending,
      history: {
        total: view.events.length,
        shown: shown.length,
        complete: shown.length === view.events.length,
        // Every step of a history longer than the page's usual share: the way back to the latest ones.
        expanded: history === 'all' && view.events.length > RECENT_STEPS,
        recent: RECENT_STEPS,
      },
      timeline: shown.map((event) => {
        const type = event.type;
        const known = isCaseEventType(type);
        const payload = Object.fromEntries(Object.entries(event).filter(([name]) => !['sequence', 'type', 'at', 'by', 'recordedAt'].includes(name)));
        const details = known ? describePayload(type, payload, { files: fileNames, users: people, requests }) : [];
        for (const [name, label] of Object.entries(NOTED_FACTS)) {
          // A field of the step's own (a 协办 request's 协办答复期限) is described above under its own label.
          if (known && name in declarationOf(type).fields) continue;
          const value = payload[name];
          if (typeof value === 'string' && value) details.push({ label, value: /^\d{4}-\d{2}-\d{2}$/.test(value) ? chineseDate(value) : value });
        }
        const proof = electronicProofOf(payload);
        if (proof) details.push({ label: '电子送达凭证', value: proof.how });
        return {
          label: known ? EVENT_DECLARATIONS[type].label : '其他事项',
          at: event.at,
          recordedAt: event.recordedAt,
          by: people.get(event.by) ?? (event.by === 'system' ? '系统自动' : event.by === 'applicant' ? '申请人' : event.by),
          details,
          files: known && Array.isArray(payload.attachmentIds) ? (payload.attachmentIds as string[]).map((fileId) => ({ id: fileId, name: fileNames.get(fileId) ?? '附件' })) : [],
        };
      }),
      letters: letters.map((letter) => ({
        ...letter,
        issued: letter.status === 'issued',
        verification: verifications.get(letter.id) ?? null,
        // Word for the office to keep and edit (issue 18 item 1): an issued letter's, from its frozen text.
        downloads: letter.status === 'issued' ? { pdf: `/staff/letters/${letter.id}/document?format=pdf&download=1`, docx: `/staff/letters/${letter.id}/document?format=docx&download=1` } : null,
      })),
      service: serviceOf(view, letters, principal.roles.some((role) => CERTIFICATE_ROLES.includes(role)), fileNames),
      files: files.map((file) => ({ ...file, uploadedBy: file.uploadedBy ? (people.get(file.uploadedBy) ?? file.uploadedBy) : null })),
      disputes,
      // 行政复议 and 行政诉讼 are recorded by legal staff (POST /api/cases/{id}/disputes is theirs).
      canRecordDispute: principal.roles.includes('legal'),
      assistance: assistanceOf(view, principal.departmentId),
      handler: view.handler ? (people.get(view.handler.username) ?? view.handler.displayName) : null,
      // Art. 37 区分处理: the documents disclosed in part, their log and copies; the original is only ever the staff's attachment.
      redaction: await this.redactions.forCasePage(principal, id, view.state, view.redactions),
    };
  }

  /** The events the machine offers this user now, each with its label; the ones that end the case apart. */
  actions(view: CaseView) {
    const offered = view.availableEvents.filter((type): type is CaseEventType => isCaseEventType(type));
    // Once a handler has the case, 分办 means passing it on: offered after the handler's own steps.
    const rank = (type: CaseEventType) => {
      if (type === 'ASSIGN' && view.handler) return PRIMARY_FIRST.length + 1;
      const index = PRIMARY_FIRST.indexOf(type);
      return index < 0 ? PRIMARY_FIRST.length : index;
    };
    const describe = (type: CaseEventType) => ({
      type,
      label: declarationOf(type).label,
      description: declarationOf(type).description,
      href: `/staff/cases/${view.id}/act/${type.toLowerCase().replace(/_/g, '-')}`,
    });
    return {
      forward: offered.filter((type) => !ENDING.includes(type)).sort((a, b) => rank(a) - rank(b)).map(describe),
      ending: offered.filter((type) => ENDING.includes(type)).map(describe),
    };
  }

  /** Usernames in the log as the office knows them: by display name. */
  private async people(agencyId: string, view: CaseView, more: readonly (string | null)[] = []): Promise<Map<string, string>> {
    const names = [...new Set([...view.events.flatMap((event) => [event.by, ...(typeof event.handler === 'string' ? [event.handler] : [])]), ...more.filter((name): name is string => Boolean(name))])];
    if (view.handler) names.push(view.handler.username);
    const rows: { username: string; display_name: string }[] = await this.dataSource.query(
      `SELECT username, display_name FROM users WHERE agency_id = $1 AND username = ANY($2)`,
      [agencyId, names],
    );
    return new Map(rows.map((row) => [row.username, row.display_name]));
  }
}

/** Who prints the 送达回证: as GET /api/cases/{id}/service-certificate (those who deal with the applicant). */
export const CERTIFICATE_ROLES: readonly string[] = ['intake', 'handler', 'legal', 'head'];

/** The proof the system recorded with an electronic service (the applicant's first download), when there is one. */
function electronicProofOf(payload: Record<string, unknown>): ElectronicServiceProof | null {
  const proof = payload.electronicService as ElectronicServiceProof | undefined;
  return proof && typeof proof.how === 'string' ? proof : null;
}

/**
 * 送达 (国办公开办函〔2016〕235号): the issued reply's service as recorded, with its proof — the signed 送达回证 for direct
 * and delegated service (printed here before the reply is taken out, and again as recorded), the mailing for postal
 * service, the download for electronic service.
 */
function serviceOf(view: CaseView, letters: readonly { kind: string; status: string; number: string | null }[], mayPrint: boolean, fileNames: Map<string, string>) {
  const reply = [...letters].reverse().find((letter) => (letter.kind === 'reply' || letter.kind === 'correction_reply') && letter.status === 'issued');
  if (!reply) return null;
  const issuedAt = view.events.map((event) => event.type).lastIndexOf('ISSUE_REPLY');
  const served = view.events.slice(issuedAt + 1).reverse().find((event) => event.type === 'RECORD_SERVICE');
  const method = served ? String(served.method) : null;
  const certificate = (kind: string) => `/staff/cases/${view.id}/service-certificate?${kind}`;
  const signedFor = method === null || method === 'direct' || method === 'delegated';
  return {
    number: reply.number,
    served: served
      ? {
          at: served.at,
          method: labelOf(SERVICE_METHOD_TERMS, String(method)),
          details: describePayload('RECORD_SERVICE', Object.fromEntries(Object.entries(served).filter(([name]) => name !== 'method')), { files: fileNames }),
          proof: electronicProofOf(served),
        }
      : null,
    // Direct and delegated service are proved by the signed certificate (第四条); postal and electronic service are not.
    certificates:
      mayPrint && signedFor
        ? served
          ? [{ label: `送达回证（${labelOf(SERVICE_METHOD_TERMS, String(method))}，按送达记录）`, pdf: certificate('format=pdf'), docx: certificate('format=docx') }]
          : (['direct', 'delegated'] as const).map((kind) => ({
              label: `送达回证（${labelOf(SERVICE_METHOD_TERMS, kind)}）`,
              pdf: certificate(`method=${kind}&format=pdf`),
              docx: certificate(`method=${kind}&format=docx`),
            }))
        : [],
  };
}

/** The event type of a form's address: `request-supplement` → REQUEST_SUPPLEMENT. */
export function eventTypeOfSlug(slug: string): string {
  return slug.toUpperCase().replace(/-/g, '_');
}

/** 协办 requests on the case and their answers, from the log; the user's department answers its own open ones from here. */
function assistanceOf(view: CaseView, departmentId: string | null) {
  const mayAnswer = view.availableEvents.includes('ANSWER_ASSISTANCE');
  const answers = new Map(view.events.filter((event) => event.type === 'ANSWER_ASSISTANCE').map((event) => [String(event.requestId), event]));
  return view.events
    .filter((event) => event.type === 'REQUEST_ASSISTANCE')
    .map((event) => {
      const answer = answers.get(String(event.requestId));
      return {
        department: String(event.department ?? ''),
        question: String(event.question ?? ''),
        dueDate: typeof event.dueDate === 'string' ? event.dueDate : null,
        requestedAt: event.at,
        answer: answer ? String(answer.answer ?? '') : null,
        answeredAt: answer?.at ?? null,
        answerHref:
          !answer && mayAnswer && departmentId !== null && event.departmentId === departmentId
            ? `/staff/cases/${view.id}/act/answer-assistance?requestId=${encodeURIComponent(String(event.requestId))}`
            : null,
      };
    });
}

/** The clock in the office's words: the due date, what is left, and why (the explanation). */
function clockWords(view: CaseView, dueSoonWorkingDays: number) {
  const clock = view.clock;
  const days = clock.remainingWorkingDays;
  return {
    dueDate: clock.dueDate,
    provisional: clock.provisional,
    paused: clock.paused,
    concluded: view.concludedAt !== null,
    status: days === null ? null : days < 0 ? 'overdue' : days <= dueSoonWorkingDays ? 'soon' : 'ok',
    remaining: days,
    explanation: clock.explanation,
    warnings: clock.warnings,
  };
}
