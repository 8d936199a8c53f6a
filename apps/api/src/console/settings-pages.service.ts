import { Injectable } from '@nestjs/common';
import { dayOfWeek, fixedStatutoryHoliday, formatHolidayNotice, isoDateToChinese, parseHolidayNotice, validateCalendarData, type NoticeDay } from '@desk/calendar';
import { OUTCOME_TERMS } from '@desk/vocabulary';
import {
  AGENCY_NAME_HELP,
  AGENCY_NAME_LABEL,
  agencySettingsProblems,
  coversOutcome,
  LETTER_PREFIXES_LABEL,
  numberExamples,
  PREFIXED_LETTER_KINDS,
  prefixedLetterLabel,
  readSettingsForm,
  REVIEW_FIRST_HELP,
  REVIEW_FIRST_LABEL,
  SCALAR_SETTING_KEYS,
  SETTING_DECLARATIONS,
  SETTING_GROUPS,
  type AgencySettingsInput,
  type SettingDeclaration,
} from '../agencies/agency-settings';
import { AgenciesService } from '../agencies/agencies.service';
import type { Principal } from '../auth/principal';
import { CalendarAdminService } from '../calendar/calendar-admin.service';
import { CalendarService } from '../calendar/calendar.service';
import { DomainError, invalid } from '../common/domain-error';
import { formField, isFormRefusal, postedText, postedYesNo, refusalStatus, type FieldSpec, type FormField, type Problem } from './console-forms';

/** The 文号 prefix a letter kind without one of its own is numbered with (LettersService). */
const LETTER_PREFIX_FALLBACK = '信息公开';

const WIDGETS: Record<SettingDeclaration['kind'], FieldSpec['widget']> = {
  text: 'text',
  textarea: 'textarea',
  integer: 'integer',
  yes_no: 'yes_no',
  number_pattern: 'text',
};

/** A year the calendar editor opens: from the first year of the 2019 regulation to a few years ahead. */
export function calendarYear(value: string): number {
  const year = Number(value);
  if (!/^\d{4}$/.test(value) || year < 2019 || year > 2100) throw invalid(`年份应为 2019 至 2100 之间的四位数字，收到“${value}”`);
  return year;
}

export interface CalendarDraft {
  source: string;
  published: boolean | undefined;
  notice: string;
}

interface MonthCell {
  day: number | null;
  date: string | null;
  kind: 'holiday' | 'workday' | 'weekend' | 'weekday' | 'blank';
  /** A fixed statutory holiday (元旦, 劳动节, 国庆节) the draft does not list as a day off. */
  unlisted?: boolean;
  name: string | null;
  label: string;
}

/** The agency settings page and the working-day calendar editor. */
@Injectable()
export class SettingsPages {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly calendarAdmin: CalendarAdminService,
    private readonly calendars: CalendarService,
  ) {}

  async current(principal: Principal): Promise<AgencySettingsInput> {
    const agency = await this.agencies.byId(principal.agencyId);
    return { name: agency.name, settings: agency.settings };
  }

  /** The settings form in its groups, every field with its article; `input` as it stands or as posted. */
  settingsForm(input: AgencySettingsInput, problems: Problem[]) {
    const value = (key: string): unknown => (input.settings as unknown as Record<string, unknown>)[key];
    const groups = SETTING_GROUPS.map((group) => ({
      ...group,
      fields: [
        ...(group.key === 'agency' ? [formField({ name: 'name', label: AGENCY_NAME_LABEL, widget: 'text', hint: AGENCY_NAME_HELP, max: 100 }, input.name, problems)] : []),
        ...SCALAR_SETTING_KEYS.filter((key) => SETTING_DECLARATIONS[key].group === group.key).map((key) => {
          const declaration: SettingDeclaration = SETTING_DECLARATIONS[key];
          return formField(
            { name: key, label: declaration.label, widget: WIDGETS[declaration.kind], hint: declaration.help, min: declaration.min, max: declaration.max, rows: 3 },
            value(key),
            problems,
          );
        }),
      ],
    }));
    const examples = numberExamples(input.settings, Number(this.calendars.today().slice(0, 4)));
    return {
      groups,
      examples,
      prefixes: {
        label: LETTER_PREFIXES_LABEL,
        fields: PREFIXED_LETTER_KINDS.map((kind) =>
          formField({ name: `letterNumberPrefixes.${kind}`, label: prefixedLetterLabel(kind), widget: 'text', max: 30 }, input.settings.letterNumberPrefixes?.[kind] ?? LETTER_PREFIX_FALLBACK, problems),
        ),
      },
      reviewFirst: formField(
        {
          name: 'reviewFirstOutcomes',
          label: REVIEW_FIRST_LABEL,
          widget: 'checkboxes',
          hint: REVIEW_FIRST_HELP,
          options: OUTCOME_TERMS.map((term) => ({ value: term.code, label: term.label })),
        },
        OUTCOME_TERMS.filter((term) => coversOutcome(input.settings.reviewFirstOutcomes ?? [], term.code)).map((term) => term.code),
        problems,
      ),
      problems,
    };
  }

  async readSettings(principal: Principal, posted: Record<string, unknown>) {
    const current = await this.current(principal);
    const input = readSettingsForm(posted, current.settings);
    return { input, problems: agencySettingsProblems(input) as Problem[] };
  }

  async saveSettings(principal: Principal, input: AgencySettingsInput): Promise<{ ok: true } | { ok: false; status: number; problems: Problem[] }> {
    try {
      await this.agencies.updateSettings(principal, input);
      return { ok: true };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return { ok: false, status: refusalStatus(error), problems: [{ name: null, message: error.message }] };
    }
  }

  changes(principal: Principal) {
    return this.agencies.settingsChanges(principal);
  }

  // ---- the working-day calendar

  async years() {
    const years = await this.calendarAdmin.years();
    const thisYear = Number(this.calendars.today().slice(0, 4));
    const entered = new Set(years.map((entry) => entry.year));
    // The next notice usually appears in November: offer the years ahead that are not entered yet.
    const missing = [thisYear, thisYear + 1, thisYear + 2].filter((year) => !entered.has(year));
    return { years: [...years].sort((a, b) => b.year - a.year), missing, changes: await this.calendarAdmin.changes() };
  }

  /** The stored year as the editor shows it, or an empty draft for a year not yet entered. */
  async draftOf(year: number): Promise<{ exists: boolean; draft: CalendarDraft; updatedAt: string | null; days: { holidays: NoticeDay[]; workdays: NoticeDay[] } }> {
    try {
      const stored = await this.calendarAdmin.year(year);
      return {
        exists: true,
        draft: { source: stored.source, published: stored.published, notice: formatHolidayNotice(year, stored) },
        updatedAt: stored.updatedAt,
        days: { holidays: stored.holidays, workdays: stored.workdays },
      };
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'not_found')) throw error;
      return { exists: false, draft: { source: `国务院办公厅关于${year}年部分节假日安排的通知`, published: undefined, notice: '' }, updatedAt: null, days: { holidays: [], workdays: [] } };
    }
  }

  readDraft(posted: Record<string, unknown>): CalendarDraft {
    return { source: postedText(posted, 'source'), published: postedYesNo(posted, 'published'), notice: typeof posted.notice === 'string' ? posted.notice.slice(0, 20_000) : '' };
  }

  /** A draft read into days and checked as replaceYear will check it, every problem in words on its field. */
  checkDraft(year: number, draft: CalendarDraft) {
    const parsed = parseHolidayNotice(year, draft.notice);
    const problems: Problem[] = [];
    if (!draft.source) problems.push({ name: 'source', message: '通知文号和标题 不能为空' });
    else if (draft.source.length > 300) problems.push({ name: 'source', message: '通知文号和标题 不能超过 300 个字' });
    if (draft.published === undefined) problems.push({ name: 'published', message: '已正式发布 请选择“是”或“否”' });
    for (const message of parsed.problems) problems.push({ name: 'notice', message: `放假和调休安排${message}` });
    if (!parsed.problems.length) {
      for (const message of validateCalendarData([{ year, published: true, source: draft.source || '-', holidays: parsed.holidays, workdays: parsed.workdays }])) {
        problems.push({ name: 'notice', message: `放假和调休安排：${message}` });
      }
      if (!parsed.holidays.length && !parsed.workdays.length && draft.published) problems.push({ name: 'notice', message: '放假和调休安排 不能为空：已发布的年份至少有元旦等法定节日' });
    }
    return { parsed, problems };
  }

  draftFields(draft: CalendarDraft, problems: Problem[]): FormField[] {
    return [
      formField({ name: 'source', label: '通知文号和标题', widget: 'text', hint: '如：国办发明电〔2025〕7号 国务院办公厅关于2026年部分节假日安排的通知', max: 300 }, draft.source, problems),
      formField(
        {
          name: 'published',
          label: '已正式发布',
          widget: 'yes_no',
          hint: '国务院办公厅的通知已发布的选“是”。选“否”时只作草稿保存：该年的期限按周一至周五和法定节日计算，并标为“暂定”。',
        },
        draft.published,
        problems,
      ),
      formField(
        {
          name: 'notice',
          label: '放假和调休安排',
          widget: 'textarea',
          rows: 10,
          hint: '把通知正文粘贴到这里，或每个节日写一行，如“国庆节、中秋节：10月1日至8日放假；9月28日、10月11日上班。”。假期中的周末包括在内；下一步会按月份显示识别出的每一天，核对后再保存。',
        },
        draft.notice,
        problems,
      ),
    ];
  }

  /** A year as twelve month grids (Monday first), each day marked as the draft would make it. */
  monthGrid(year: number, days: { holidays: readonly NoticeDay[]; workdays: readonly NoticeDay[] }) {
    const holidays = new Map(days.holidays.map((day) => [day.date, day.name]));
    const workdays = new Map(days.workdays.map((day) => [day.date, day.name]));
    const pad = (n: number) => String(n).padStart(2, '0');
    const months = [];
    const unlisted: string[] = [];
    for (let month = 1; month <= 12; month++) {
      const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
      const first = `${year}-${pad(month)}-01`;
      const cells: MonthCell[] = Array.from({ length: (dayOfWeek(first) + 6) % 7 }, () => ({ day: null, date: null, kind: 'blank' as const, name: null, label: '' }));
      for (let day = 1; day <= length; day++) {
        const date = `${year}-${pad(month)}-${pad(day)}`;
        const weekend = [0, 6].includes(dayOfWeek(date));
        const holiday = holidays.get(date) ?? null;
        const workday = workdays.get(date) ?? null;
        const fixed = fixedStatutoryHoliday(date);
        const kind = holiday ? 'holiday' : workday ? 'workday' : weekend ? 'weekend' : 'weekday';
        const label = `${isoDateToChinese(date)}，${kind === 'holiday' ? `${holiday}放假` : kind === 'workday' ? `${workday}调休上班` : weekend ? '周末' : '工作日'}${fixed && !holiday ? `（${fixed}未列入放假）` : ''}`;
        if (fixed && !holiday) unlisted.push(`${month}月${day}日（${fixed}）`);
        cells.push({ day, date, kind, name: holiday ?? workday, label, unlisted: Boolean(fixed && !holiday) });
      }
      while (cells.length % 7) cells.push({ day: null, date: null, kind: 'blank', name: null, label: '' });
      const weeks = [];
      for (let index = 0; index < cells.length; index += 7) weeks.push(cells.slice(index, index + 7));
      months.push({ month, weeks });
    }
    // Days the draft takes from the neighbouring December (a 元旦 range opening in the year before).
    const outside = [...days.holidays.map((day) => ({ ...day, kind: '放假' })), ...days.workdays.map((day) => ({ ...day, kind: '调休上班' }))]
      .filter((day) => !day.date.startsWith(String(year)))
      .map((day) => ({ ...day, chinese: isoDateToChinese(day.date) }));
    return { months, outside, unlisted };
  }

  /** What saving the draft changes against the year on record, day by day. */
  differences(before: { holidays: readonly NoticeDay[]; workdays: readonly NoticeDay[] }, after: { holidays: readonly NoticeDay[]; workdays: readonly NoticeDay[] }) {
    const key = (list: readonly NoticeDay[]) => new Map(list.map((day) => [day.date, day.name]));
    const describe = (date: string, name: string, what: string) => `${isoDateToChinese(date)}：${what}（${name}）`;
    const changes: string[] = [];
    for (const [kind, word] of [
      ['holidays', '放假'],
      ['workdays', '调休上班'],
    ] as const) {
      const was = key(before[kind]);
      const now = key(after[kind]);
      for (const [date, name] of now) if (!was.has(date)) changes.push(describe(date, name, `新增${word}`));
      for (const [date, name] of was) if (!now.has(date)) changes.push(describe(date, name, `取消${word}`));
    }
    return changes.sort();
  }

  async saveYear(principal: Principal, year: number, draft: CalendarDraft, days: { holidays: NoticeDay[]; workdays: NoticeDay[] }): Promise<{ ok: true } | { ok: false; status: number; problems: Problem[] }> {
    try {
      await this.calendarAdmin.replaceYear(principal, year, { published: draft.published!, source: draft.source, holidays: days.holidays, workdays: days.workdays });
      return { ok: true };
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      const messages = error.details?.length ? error.details : [error.message];
      return { ok: false, status: refusalStatus(error), problems: messages.map((message) => ({ name: 'notice', message: `放假和调休安排：${message}` })) };
    }
  }
}
