import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { isIsoDate, isoDateToChinese } from '@desk/calendar';
import { eventLabel } from '@desk/case-workflow';
import * as vocabulary from '@desk/vocabulary';
import Handlebars from 'handlebars';
import type { Principal } from '../auth/principal';
import { templatesDirectory } from '../letters/letter-layout';

// A partial called on its own indented line would have that indentation added to every line it outputs — including the
// lines of a <textarea>'s value, so text typed by the office came back with spaces added each time a form was redisplayed.
const COMPILE_OPTIONS = { preventIndent: true };

/** The vocabularies a template may name in `{{term "state" code}}`: every word on a page comes from the vocabulary module. */
const VOCABULARIES: Record<string, vocabulary.Vocabulary> = {
  state: vocabulary.STATE_TERMS,
  outcome: [...vocabulary.OUTCOME_TERMS, ...vocabulary.CORRECTION_OUTCOME_TERMS],
  channel: vocabulary.CHANNEL_TERMS,
  category: vocabulary.APPLICANT_CATEGORY_TERMS,
  deliveryForm: vocabulary.DELIVERY_FORM_TERMS,
  idType: vocabulary.ID_TYPE_TERMS,
  requestType: vocabulary.REQUEST_TYPE_TERMS,
  role: vocabulary.ACTOR_ROLE_TERMS,
  consultationKind: vocabulary.CONSULTATION_KIND_TERMS,
  consultationAnswer: vocabulary.CONSULTATION_ANSWER_TERMS,
  excessiveFinding: vocabulary.EXCESSIVE_FINDING_TERMS,
  serviceMethod: vocabulary.SERVICE_METHOD_TERMS,
  feeMethod: vocabulary.FEE_METHOD_TERMS,
  letterKind: vocabulary.LETTER_KIND_TERMS,
  letterStatus: vocabulary.LETTER_STATUS_TERMS,
  addressee: vocabulary.LETTER_ADDRESSEE_TERMS,
  reviewStep: vocabulary.REVIEW_STEP_TERMS,
  reviewDecision: vocabulary.REVIEW_DECISION_TERMS,
  disputeKind: vocabulary.DISPUTE_KIND_TERMS,
  disputeInstance: vocabulary.DISPUTE_INSTANCE_TERMS,
  disputeResult: vocabulary.DISPUTE_RESULT_TERMS,
  notificationKind: vocabulary.NOTIFICATION_KIND_TERMS,
  personalDataAction: vocabulary.PERSONAL_DATA_ACTION_TERMS,
  calendarDayKind: vocabulary.CALENDAR_DAY_KIND_TERMS,
  disclosureMode: vocabulary.DISCLOSURE_MODE_TERMS,
  reportRow: vocabulary.REPORT_ROW_TERMS,
  reportColumn: vocabulary.REPORT_COLUMN_TERMS,
};

const SHANGHAI_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** '2025-09-26' → 2025年9月26日; a timestamp → 2025年9月26日 14:05 (Asia/Shanghai). */
export function chineseDate(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (isIsoDate(value)) return isoDateToChinese(value);
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  const parts = Object.fromEntries(SHANGHAI_TIME.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

/** Remaining working days in the office's words: 剩余 3 个工作日 / 今天到期 / 逾期 2 个工作日. */
export function workingDaysLeft(days: unknown): string {
  if (typeof days !== 'number') return '';
  if (days > 0) return `剩余 ${days} 个工作日`;
  if (days === 0) return '今天到期';
  return `逾期 ${-days} 个工作日`;
}

export interface NavItem {
  key: string;
  label: string;
  href: string;
  roles: readonly string[];
}

/** The console's sections; each user sees those of his roles. */
export const NAV: readonly NavItem[] = [
  { key: 'home', label: '首页', href: '/staff', roles: [] },
  { key: 'queue', label: '工作队列', href: '/staff/queue', roles: ['intake', 'handler', 'legal', 'head'] },
  { key: 'intake', label: '登记申请', href: '/staff/intake', roles: ['intake'] },
  { key: 'review', label: '审核签发', href: '/staff/review', roles: ['legal', 'head'] },
  { key: 'supervision', label: '督办', href: '/staff/supervision', roles: ['head', 'legal', 'admin'] },
  { key: 'disputes', label: '复议诉讼', href: '/staff/disputes', roles: ['legal', 'head'] },
  { key: 'reports', label: '年度报告', href: '/staff/reports', roles: ['legal', 'head', 'admin'] },
  { key: 'admin', label: '系统管理', href: '/staff/admin', roles: ['admin'] },
];

export interface PageFrame {
  title: string;
  agencyName: string;
  principal: Principal | null;
  departmentName?: string | null;
  csrf?: string;
  current?: string;
  unread?: number;
  flash?: string | null;
  breadcrumbs?: { label: string; href?: string }[];
  wide?: boolean;
}

/**
 * The console's templates: one Handlebars instance, the layout, every partial and page compiled at start (a broken
 * template stops the service from starting, not a clerk's afternoon), every value escaped.
 */
@Injectable()
export class ConsoleViews {
  private readonly handlebars = Handlebars.create();
  private readonly layout: Handlebars.TemplateDelegate;
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();
  private readonly partials = new Map<string, Handlebars.TemplateDelegate>();
  readonly stylesheet: string;
  readonly script: string;

  constructor() {
    const directory = join(templatesDirectory(), 'console');
    const h = this.handlebars;
    h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    h.registerHelper('not', (a: unknown) => !a);
    h.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    h.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
    h.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
    h.registerHelper('date', (value: unknown) => chineseDate(value));
    h.registerHelper('workdays', (value: unknown) => workingDaysLeft(value));
    h.registerHelper('eventLabel', (type: unknown) => eventLabel(String(type)));
    h.registerHelper('term', (name: string, code: unknown) => {
      const terms = VOCABULARIES[name];
      if (!terms) throw new Error(`no vocabulary ${name}`);
      return vocabulary.labelOf(terms, code === null || code === undefined ? null : String(code));
    });
    // `{{#with (concat a "." b)}}`: names of nested controls.
    h.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
    for (const file of readdirSync(join(directory, 'partials')).filter((name) => name.endsWith('.hbs'))) {
      const name = basename(file, '.hbs');
      const source = readFileSync(join(directory, 'partials', file), 'utf8');
      h.registerPartial(name, source);
      this.partials.set(name, h.compile(source, COMPILE_OPTIONS));
    }
    for (const file of readdirSync(join(directory, 'pages')).filter((name) => name.endsWith('.hbs'))) {
      this.pages.set(basename(file, '.hbs'), h.compile(readFileSync(join(directory, 'pages', file), 'utf8'), COMPILE_OPTIONS));
    }
    this.layout = h.compile(readFileSync(join(directory, 'layout.hbs'), 'utf8'), COMPILE_OPTIONS);
    // Compile now: Handlebars compiles lazily, and a broken template must stop the start, not a request.
    const probe = { title: '', agencyName: '', nav: [] };
    this.layout(probe);
    this.stylesheet = readFileSync(join(directory, 'console.css'), 'utf8');
    this.script = readFileSync(join(directory, 'console.js'), 'utf8');
  }

  /** A whole page in the console's frame. */
  page(name: string, frame: PageFrame, data: Record<string, unknown>): string {
    return this.layout({
      title: frame.title,
      agencyName: frame.agencyName,
      csrf: frame.csrf,
      current: frame.current,
      unread: frame.unread ?? 0,
      flash: frame.flash ?? null,
      breadcrumbs: frame.breadcrumbs,
      wide: frame.wide ?? false,
      user: frame.principal
        ? {
            displayName: frame.principal.displayName,
            roleLabels: frame.principal.roles.map((role) => vocabulary.labelOf(vocabulary.ACTOR_ROLE_TERMS, role)).join('、'),
            departmentName: frame.departmentName ?? null,
          }
        : null,
      nav: frame.principal
        ? NAV.filter((item) => !item.roles.length || item.roles.some((role) => frame.principal!.roles.includes(role as never))).map((item) => ({
            ...item,
            current: item.key === frame.current,
          }))
        : [],
      body: this.fragment(name, { ...data, csrf: frame.csrf }),
    });
  }

  /** A page's body alone, or a partial: what an htmx request swaps in. */
  fragment(name: string, data: Record<string, unknown>): string {
    const template = this.pages.get(name) ?? this.partials.get(name);
    if (!template) throw new Error(`no console template ${name}`);
    return template(data);
  }

  has(name: string): boolean {
    return this.pages.has(name) || this.partials.has(name);
  }
}
