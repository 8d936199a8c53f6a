import { Injectable, type OnModuleInit } from '@nestjs/common';
import { computeCaseClock, DEFAULT_CLOCK_SETTINGS, todayInShanghai, WorkingDayCalendar, type CalendarYearData, type CaseClock, type ClockEvent, type IsoDate } from '@desk/calendar';
import { DataSource, type EntityManager } from 'typeorm';
import type { AgencySettings } from '../database/entities';

/** The official calendar as the database holds it (the source at run time), loaded into the pure calendar. */
@Injectable()
export class CalendarService implements OnModuleInit {
  private current: WorkingDayCalendar | null = null;
  private revision: string | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  calendar(): WorkingDayCalendar {
    if (!this.current) throw new Error('calendar not loaded');
    return this.current;
  }

  today(): IsoDate {
    return todayInShanghai();
  }

  /** The clock of a case from its event log, on the calendar as it stands now, with its agency's settings. */
  clockOf(events: readonly ClockEvent[], settings: Pick<AgencySettings, 'feePausesReplyClock' | 'thirdPartyReliefWorkingDays'>): CaseClock {
    return computeCaseClock(events, this.calendar(), this.today(), {
      ...DEFAULT_CLOCK_SETTINGS,
      feePausesReplyClock: settings.feePausesReplyClock,
      thirdPartyReliefWorkingDays: settings.thirdPartyReliefWorkingDays,
    });
  }

  async reload(manager: EntityManager = this.dataSource.manager): Promise<WorkingDayCalendar> {
    this.revision = await calendarRevision(manager);
    this.current = new WorkingDayCalendar(await loadCalendarYears(manager));
    return this.current;
  }

  /** Another instance may have changed the calendar: reload when the stored revision moved. */
  async refreshIfChanged(): Promise<boolean> {
    if ((await calendarRevision(this.dataSource.manager)) === this.revision) return false;
    await this.reload();
    return true;
  }
}

export async function loadCalendarYears(manager: EntityManager): Promise<CalendarYearData[]> {
  const years: { year: number; published: boolean; source: string }[] = await manager.query(
    `SELECT year, published, source FROM calendar_years ORDER BY year`,
  );
  const days: { date: string; year: number; kind: 'holiday' | 'workday'; name: string }[] = await manager.query(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, year, kind, name FROM calendar_days ORDER BY date`,
  );
  return years.map((year) => ({
    ...year,
    holidays: days.filter((day) => day.year === year.year && day.kind === 'holiday').map(({ date, name }) => ({ date, name })),
    workdays: days.filter((day) => day.year === year.year && day.kind === 'workday').map(({ date, name }) => ({ date, name })),
  }));
}

async function calendarRevision(manager: EntityManager): Promise<string> {
  const [row]: { revision: string }[] = await manager.query(
    `SELECT coalesce(max(updated_at)::text, '') || ':' || count(*)::text AS revision FROM calendar_years`,
  );
  return row.revision;
}
