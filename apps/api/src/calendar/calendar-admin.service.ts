import { Injectable } from '@nestjs/common';
import { validateCalendarData, type CalendarYearData } from '@desk/calendar';
import { DataSource } from 'typeorm';
import { AgenciesService, RECOMPUTE_DEADLINES_JOB } from '../agencies/agencies.service';
import type { Principal } from '../auth/principal';
import { invalid, notFound } from '../common/domain-error';
import { CaseRepository } from '../cases/case.repository';
import { JobsService } from '../jobs/jobs.service';
import { NotificationsService } from '../notifications/notifications.service';
import { CalendarService, loadCalendarYears } from './calendar.service';

export { RECOMPUTE_DEADLINES_JOB };

export interface CalendarYearInput {
  published: boolean;
  source: string;
  holidays: { date: string; name: string }[];
  workdays: { date: string; name: string }[];
}

/** The administrator's entry of next year's State Council notice, and what follows from it. */
@Injectable()
export class CalendarAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: CalendarService,
    private readonly jobs: JobsService,
    private readonly cases: CaseRepository,
    private readonly agencies: AgenciesService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Every year entered, with its counts (the calendar editor's list). */
  async years(): Promise<{ year: number; published: boolean; source: string; holidayCount: number; workdayCount: number; updatedAt: Date | null }[]> {
    return this.dataSource.query(
      `SELECT y.year, y.published, y.source, y.updated_at AS "updatedAt",
              (SELECT count(*)::int FROM calendar_days d WHERE d.year = y.year AND d.kind = 'holiday') AS "holidayCount",
              (SELECT count(*)::int FROM calendar_days d WHERE d.year = y.year AND d.kind = 'workday') AS "workdayCount"
         FROM calendar_years y ORDER BY y.year`,
    );
  }

  async year(year: number): Promise<CalendarYearData & { updatedAt: string | null }> {
    const found = (await loadCalendarYears(this.dataSource.manager)).find((entry) => entry.year === year);
    if (!found) throw notFound(`${year} 年的节假日安排尚未录入`);
    const [{ updated_at }] = await this.dataSource.query(`SELECT updated_at::text FROM calendar_years WHERE year = $1`, [year]);
    return { ...found, updatedAt: updated_at };
  }

  /**
   * Replace a year's holidays and 调休 working days. The change is recorded, and every open case's deadlines are
   * recomputed in the background (rules.md §2: when an administrator changes the calendar, every open deadline is recomputed).
   */
  async replaceYear(principal: Principal, year: number, input: CalendarYearInput) {
    const data: CalendarYearData = { year, ...input };
    const problems = validateCalendarData([data]);
    if (problems.length) throw invalid(problems.join('；'), problems);
    const changeId = await this.dataSource.transaction(async (manager) => {
      const before = (await loadCalendarYears(manager)).find((entry) => entry.year === year) ?? null;
      const dates = [...input.holidays, ...input.workdays].map((day) => day.date);
      const clashes: { date: string; year: number }[] = await manager.query(
        `SELECT to_char(date, 'YYYY-MM-DD') AS date, year FROM calendar_days WHERE date = ANY($1::date[]) AND year <> $2`,
        [dates, year],
      );
      if (clashes.length) {
        throw invalid(clashes.map((clash) => `${clash.date} 已列入 ${clash.year} 年的安排`).join('；'));
      }
      await manager.query(
        `INSERT INTO calendar_years (year, published, source, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (year) DO UPDATE SET published = EXCLUDED.published, source = EXCLUDED.source, updated_at = now()`,
        [year, input.published, input.source],
      );
      await manager.query(`DELETE FROM calendar_days WHERE year = $1`, [year]);
      const days = [
        ...input.holidays.map((day) => ({ ...day, kind: 'holiday' })),
        ...input.workdays.map((day) => ({ ...day, kind: 'workday' })),
      ];
      await manager.query(
        `INSERT INTO calendar_days (date, year, kind, name)
         SELECT d.date::date, $1, d.kind, d.name FROM jsonb_to_recordset($2::jsonb) AS d(date text, kind text, name text)`,
        [year, JSON.stringify(days)],
      );
      const [{ id }] = await manager.query(
        `INSERT INTO calendar_changes (year, changed_by, before, after) VALUES ($1, $2, $3, $4) RETURNING id::text`,
        [year, principal.userId, before ? JSON.stringify(before) : null, JSON.stringify(data)],
      );
      await this.jobs.enqueue(RECOMPUTE_DEADLINES_JOB, { changeId: id }, { manager });
      return id as string;
    });
    await this.calendars.reload();
    return { ...(await this.year(year)), change: { id: changeId, recomputation: 'queued' } };
  }

  /**
   * The background half: new due dates for every open case, each change told to whoever handles the case. After a
   * calendar change every agency's cases; after a change of an agency's clock settings (AgenciesService.updateSettings)
   * that agency's cases only.
   */
  async recomputeOpenDeadlines(change: { calendarChangeId: string } | { settingsChangeId: string; agencyId: string }): Promise<{ recomputed: number; changed: number }> {
    await this.calendars.reload();
    const bySettings = 'settingsChangeId' in change;
    const changeId = bySettings ? change.settingsChangeId : change.calendarChangeId;
    const open: { id: string; case_number: string; agency_id: string; due_date: string | null; due_provisional: boolean }[] =
      await this.dataSource.query(
        `SELECT id, case_number, agency_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, due_provisional FROM cases
          WHERE concluded_at IS NULL AND ($1::uuid IS NULL OR agency_id = $1)`,
        [bySettings ? change.agencyId : null],
      );
    let changed = 0;
    for (const row of open) {
      const agency = await this.agencies.byId(row.agency_id);
      const clock = this.calendars.clockOf(await this.cases.events(row.id), agency.settings);
      if (clock.dueDate === row.due_date && clock.provisional === row.due_provisional) continue;
      changed++;
      await this.dataSource.transaction(async (manager) => {
        await manager.query(`UPDATE cases SET due_date = $2, due_provisional = $3, updated_at = now() WHERE id = $1`, [
          row.id,
          clock.dueDate,
          clock.provisional,
        ]);
        if (clock.dueDate !== row.due_date) {
          await this.notifications.notifyCase(
            {
              caseId: row.id,
              kind: bySettings ? 'settings_change' : 'calendar_change',
              subject: `答复期限因${bySettings ? '机关期限设置' : '节假日安排'}调整而变更：${row.case_number}`,
              body: `${row.case_number}：答复期限由 ${row.due_date ?? '—'} 变更为 ${clock.dueDate ?? '—'}${clock.provisional ? '（暂定）' : ''}`,
              dedupeKey: `${bySettings ? 'settings_change' : 'calendar_change'}:${changeId}:${row.id}`,
            },
            manager,
          );
        }
      });
    }
    await this.dataSource.query(
      `UPDATE ${bySettings ? 'agency_settings_changes' : 'calendar_changes'} SET recomputed_cases = $2, changed_cases = $3, recomputed_at = now() WHERE id = $1`,
      [changeId, open.length, changed],
    );
    return { recomputed: open.length, changed };
  }

  async changes(): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT c.id::text, c.year, u.username AS "changedBy", u.display_name AS "changedByName", c.created_at AS "changedAt", c.recomputed_cases AS "recomputedCases",
              c.changed_cases AS "changedCases", c.recomputed_at AS "recomputedAt"
         FROM calendar_changes c LEFT JOIN users u ON u.id = c.changed_by ORDER BY c.id DESC LIMIT 100`,
    );
  }
}
