import { Injectable } from '@nestjs/common';
import {
  declarationOf,
  EVENT_DECLARATIONS,
  formControls,
  isCaseEventType,
  parseEventBody,
  payloadFromForm,
  problemsByControl,
  restore,
  type CaseEventType,
  type FormControl,
  type FormProblem,
} from '@desk/case-workflow';
import { isIsoDate, isoDateToChinese } from '@desk/calendar';
import { labelOf, ROLE_TERMS } from '@desk/vocabulary';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { DomainError, notFound } from '../common/domain-error';
import { CaseRepository } from '../cases/case.repository';
import { CaseViewService } from '../cases/case-view.service';
import { RecordEventService } from '../cases/record-event.service';
import { LettersService } from '../letters/letters.service';
import type { CaseView } from '../cases/case-view';

/** A control as a page renders it, with the options of the pickers filled from the database. */
export interface PageControl extends FormControl {
  options: { value: string; label: string; selected: boolean }[];
  controls: PageControl[];
  items: PageControl[][];
}

export interface EventForm {
  type: CaseEventType;
  label: string;
  description: string;
  article: string | null;
  confirm: string | null;
  at: string;
  atError: string | null;
  version: number;
  controls: PageControl[];
  errors: FormProblem[];
}

/** What a step would issue, rendered before anything is issued (the letter as it will go out, marked 预览). */
export interface LetterPreview {
  kind: string;
  title: string;
  addressee: string;
  markup: string;
  /** Issued with the step (a notice), or a draft that goes to review (the reply). */
  issued: boolean;
}

/** The outcome of sending a form: recorded, or held back for the check page, or refused with the problems beside the fields. */
export type FormResult =
  | { kind: 'recorded' }
  | { kind: 'check'; previews: LetterPreview[]; summary: { label: string; value: string }[] }
  | { kind: 'refused'; status: number; form: EventForm };

/** Thrown inside a transaction to undo a dry run; carries what the run saw. */
class DryRun extends Error {
  constructor(readonly previews: LetterPreview[]) {
    super('dry run');
  }
}

/**
 * The console's forms for workflow events, generated from the event declarations (issue 16): the same declaration the
 * API validates with gives the form its controls, its defaults from the record (`prefill`) and its messages.
 */
@Injectable()
export class EventForms {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: CalendarService,
    private readonly cases: CaseRepository,
    private readonly views: CaseViewService,
    private readonly steps: RecordEventService,
    private readonly letters: LettersService,
  ) {}

  /**
   * The empty form, filled with what is on record; only for an event the machine offers this user now. `given`: values
   * a link carries for the form's fields (the 协办 panel's 答复 names the request it answers).
   */
  async blank(principal: Principal, view: CaseView, type: string, given: Record<string, unknown> = {}): Promise<EventForm> {
    const event = this.offered(view, type);
    const declaration = declarationOf(event);
    const events = await this.cases.events(view.id);
    const context = restore((await this.cases.find(view.id))!.row.snapshot).context;
    const prefill = { ...(declaration.prefill?.(context, events) ?? {}), ...payloadFromForm(declaration.fields, given) };
    return this.form(principal, view, event, prefill, this.calendars.today(), []);
  }

  /** The form as it was filled (back from the check page). */
  async refill(principal: Principal, view: CaseView, type: string, posted: Record<string, unknown>): Promise<EventForm> {
    const event = this.offered(view, type);
    const at = typeof posted.at === 'string' && posted.at.trim() ? posted.at.trim() : this.calendars.today();
    return this.form(principal, view, event, payloadFromForm(declarationOf(event).fields, posted), at, []);
  }

  /**
   * A posted form. `commit`: record it. Otherwise the step runs in a transaction that is undone whenever it would issue
   * a letter or the declaration asks for confirmation, and the page shows what would be issued before anything is;
   * a step that issues nothing and needs no confirmation is recorded at once.
   */
  async submit(principal: Principal, view: CaseView, type: string, posted: Record<string, unknown>, commit: boolean): Promise<FormResult> {
    const event = this.offered(view, type);
    const declaration = declarationOf(event);
    const payload = payloadFromForm(declaration.fields, posted);
    const at = typeof posted.at === 'string' && posted.at.trim() ? posted.at.trim() : this.calendars.today();
    const version = Number(posted.version) || view.version;
    const body = { type: event, at, version, ...payload };
    const parsed = parseEventBody(body, this.calendars.today());
    if (!parsed.ok) return { kind: 'refused', status: 400, form: await this.form(principal, view, event, payload, at, problemsByControl(declaration.fields, parsed.problems)) };
    try {
      const before = await this.letterIds(view.id);
      await this.dataSource.transaction(async (manager) => {
        await this.steps.record(principal, view.id, body, manager);
        if (commit) return;
        const created = (await this.letterIds(view.id, manager)).filter((id) => !before.includes(id));
        if (created.length || declaration.confirm) throw new DryRun(await this.letters.previews(manager, created));
      });
      return { kind: 'recorded' };
    } catch (error) {
      if (error instanceof DryRun) {
        const pickers = await this.pickers(principal, view);
        const names = {
          files: new Map(pickers.attachments.map((file) => [file.id, file.filename])),
          users: new Map(pickers.users.map((user) => [user.username, user.displayName])),
          requests: assistanceRequestNames(view),
        };
        return { kind: 'check', previews: error.previews, summary: this.summary(event, parsed.value.payload, at, names) };
      }
      if (error instanceof DomainError && (error.code === 'invalid' || error.code === 'conflict')) {
        const problems = error.details?.length ? error.details : [error.message];
        const placed = error.code === 'invalid' ? problemsByControl(declaration.fields, problems) : problems.map((message) => ({ name: null, message }));
        const status = error.code === 'invalid' ? 400 : 409;
        return { kind: 'refused', status, form: await this.form(principal, view, event, payload, at, placed) };
      }
      throw error;
    }
  }

  /** The answers in words, for the check page (GOV.UK “check your answers”). */
  summary(type: CaseEventType, payload: Record<string, unknown>, at: string, names?: RecordNames): { label: string; value: string }[] {
    return [{ label: '日期', value: isIsoDate(at) ? isoDateToChinese(at) : at }, ...describePayload(type, payload, names)];
  }

  private offered(view: CaseView, type: string): CaseEventType {
    if (!isCaseEventType(type) || EVENT_DECLARATIONS[type].origin !== 'staff') throw notFound('没有这项办理事项');
    if (!view.availableEvents.includes(type)) {
      throw new DomainError('conflict', `本案现在（${view.stateLabel}）不能办理“${EVENT_DECLARATIONS[type].label}”，或您的角色不能办理`);
    }
    return type;
  }

  private async letterIds(caseId: string, manager = this.dataSource.manager): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(`SELECT id FROM letters WHERE case_id = $1`, [caseId]);
    return rows.map((row) => row.id);
  }

  private async form(principal: Principal, view: CaseView, type: CaseEventType, values: Record<string, unknown>, at: string, errors: FormProblem[]): Promise<EventForm> {
    const declaration = declarationOf(type);
    const pickers = await this.pickers(principal, view);
    const withOptions = (controls: FormControl[]): PageControl[] =>
      controls.map((control) => ({
        ...control,
        options: optionsFor(control, pickers),
        controls: withOptions(control.controls),
        items: control.items.map((row) => withOptions(row)),
      }));
    return {
      type,
      label: declaration.label,
      description: declaration.description,
      article: declaration.article ?? null,
      confirm: declaration.confirm ?? null,
      at,
      atError: errors.find((error) => /^日期/.test(error.message))?.message ?? null,
      version: view.version,
      controls: withOptions(formControls(declaration.fields, values, errors)),
      errors,
    };
  }

  /** The choices the pickers offer: the agency's active users by role, its departments, the case's files, earlier cases. */
  private async pickers(principal: Principal, view: CaseView): Promise<Pickers> {
    const [users, departments, attachments] = await Promise.all([
      this.dataSource.query(
        `SELECT u.username, u.display_name AS "displayName", u.roles, d.name AS department FROM users u LEFT JOIN departments d ON d.id = u.department_id
          WHERE u.agency_id = $1 AND u.active ORDER BY d.name NULLS LAST, u.display_name`,
        [principal.agencyId],
      ) as Promise<{ username: string; displayName: string; roles: string[]; department: string | null }[]>,
      this.dataSource.query(`SELECT name FROM departments WHERE agency_id = $1 ORDER BY name`, [principal.agencyId]) as Promise<{ name: string }[]>,
      this.dataSource.query(`SELECT id, filename FROM attachments WHERE case_id = $1 ORDER BY created_at`, [view.id]) as Promise<{ id: string; filename: string }[]>,
    ]);
    return {
      users,
      departments: departments.map((department) => department.name).filter((name) => name !== view.department?.name),
      attachments,
      earlierCases: view.applicantHistory.recent.map((other) => ({ value: other.caseNumber, label: `${other.caseNumber}（${other.receivedAt ?? '未确认收到'}）` })),
      assistanceRequests: openAssistanceRequests(view, principal.departmentId, new Map(users.map((user) => [user.username, user.displayName]))),
    };
  }
}

interface Pickers {
  users: { username: string; displayName: string; roles: string[]; department: string | null }[];
  departments: string[];
  attachments: { id: string; filename: string }[];
  earlierCases: { value: string; label: string }[];
  /** 协办 requests addressed to the user's department and not yet answered, in words. */
  assistanceRequests: { value: string; label: string }[];
}

/**
 * The 协办 requests of the case addressed to `departmentId` that await their answer, each described as the assisting
 * handler knows it: which department asked, when and who, what was asked, by when.
 */
export function openAssistanceRequests(view: CaseView, departmentId: string | null, people: ReadonlyMap<string, string> = new Map()): { value: string; label: string }[] {
  if (!departmentId) return [];
  const answered = new Set(view.events.filter((event) => event.type === 'ANSWER_ASSISTANCE').map((event) => String(event.requestId)));
  return view.events
    .filter((event) => event.type === 'REQUEST_ASSISTANCE' && event.departmentId === departmentId && !answered.has(String(event.requestId)))
    .map((event) => {
      const asker = people.get(event.by) ?? null;
      const due = typeof event.dueDate === 'string' && isIsoDate(event.dueDate) ? `，请于${isoDateToChinese(event.dueDate)}前答复` : '';
      return {
        value: String(event.requestId),
        label: `${view.department?.name ?? '承办部门'}${asker ? `（${asker}）` : ''}于${isoDateToChinese(event.at)}请求协办：${String(event.question ?? '')}${due}`,
      };
    });
}

/** Every 协办 request of the case by its id, in words (“住房保障科于2025年11月4日请求的协办”): a page never shows the id. */
export function assistanceRequestNames(view: CaseView): Map<string, string> {
  return new Map(
    view.events
      .filter((event) => event.type === 'REQUEST_ASSISTANCE')
      .map((event) => [String(event.requestId), `${view.department?.name ?? '承办部门'}于${isoDateToChinese(event.at)}请求${String(event.department ?? '')}协办：${String(event.question ?? '')}`]),
  );
}

function optionsFor(control: FormControl, pickers: Pickers): PageControl['options'] {
  const selected = (value: string) => value === control.value || control.values.includes(value);
  switch (control.widget) {
    case 'user':
      return pickers.users
        .filter((user) => !control.userRole || user.roles.includes(control.userRole))
        .map((user) => ({
          value: user.username,
          label: `${user.displayName}${user.department ? `（${user.department}）` : ''}${control.userRole ? '' : ` · ${user.roles.map((role) => labelOf(ROLE_TERMS, role)).join('、')}`}`,
          selected: selected(user.username),
        }));
    case 'department':
      return pickers.departments.map((name) => ({ value: name, label: name, selected: selected(name) }));
    case 'files':
      return pickers.attachments.map((file) => ({ value: file.id, label: file.filename, selected: selected(file.id) }));
    case 'earlier_case':
      return pickers.earlierCases.map((option) => ({ ...option, selected: selected(option.value) }));
    case 'assistance_request':
      // The only open request is the one answered: chosen already.
      return pickers.assistanceRequests.map((option) => ({ ...option, selected: selected(option.value) || pickers.assistanceRequests.length === 1 }));
    default:
      return [];
  }
}

/** A payload in words: each declared field by its label, choices by their labels, 是/否, lists one per line. */
export interface RecordNames {
  /** Attachment ids → file names. */
  files?: ReadonlyMap<string, string>;
  /** Usernames → display names. */
  users?: ReadonlyMap<string, string>;
  /** 协办 request ids → the request in words. */
  requests?: ReadonlyMap<string, string>;
}

export function describePayload(type: CaseEventType, payload: Record<string, unknown>, names: RecordNames = {}): { label: string; value: string }[] {
  const fields = declarationOf(type).fields;
  const lines: { label: string; value: string }[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const value = payload[name];
    if (value === undefined || value === null || value === '') continue;
    if (field.widget === 'group' && field.fields) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        for (const [inner, innerField] of Object.entries(field.fields)) {
          const innerValue = (item as Record<string, unknown>)[inner];
          if (innerValue !== undefined && innerValue !== null && innerValue !== '') lines.push({ label: `${field.label}：${innerField.label}`, value: words(innerField, innerValue) });
        }
      }
      continue;
    }
    if (field.widget === 'files' && Array.isArray(value)) {
      lines.push({ label: field.label, value: value.map((id) => names.files?.get(String(id)) ?? '（附件）').join('\n') });
      continue;
    }
    if (field.widget === 'user') {
      lines.push({ label: field.label, value: names.users?.get(String(value)) ?? String(value) });
      continue;
    }
    if (field.widget === 'assistance_request') {
      lines.push({ label: field.label, value: names.requests?.get(String(value)) ?? '（协办请求）' });
      continue;
    }
    lines.push({ label: field.label, value: words(field, value) });
  }
  return lines;
}

function words(field: { widget: string; choices?: readonly { code: string; label: string }[] }, value: unknown): string {
  if (field.widget === 'yes_no') return value === true ? '是' : value === false ? '否' : String(value);
  if (field.choices) return field.choices.find((term) => term.code === value)?.label ?? '未知';
  if (Array.isArray(value)) return value.map(String).join('\n');
  if (field.widget === 'date' && isIsoDate(value)) return isoDateToChinese(value);
  return String(value);
}
