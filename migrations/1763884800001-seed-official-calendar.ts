import type { MigrationInterface, QueryRunner } from 'typeorm';
// A relative import, not the @desk alias: migrations run under plain Node, the CLI and Jest's global setup alike.
import { OFFICIAL_CALENDAR } from '../libs/calendar/src/calendar-data';

/** Data, separate from DDL: the State Council holiday notices 2019–2026 (rules.md §2). Later years are entered by an admin. */
export class SeedOfficialCalendar1763884800001 implements MigrationInterface {
  name = 'SeedOfficialCalendar1763884800001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const year of OFFICIAL_CALENDAR) {
      await queryRunner.query(`INSERT INTO calendar_years (year, published, source) VALUES ($1, $2, $3)`, [
        year.year,
        year.published,
        year.source,
      ]);
      const days = [
        ...year.holidays.map((day) => ({ ...day, kind: 'holiday' })),
        ...year.workdays.map((day) => ({ ...day, kind: 'workday' })),
      ];
      if (!days.length) continue;
      await queryRunner.query(
        `INSERT INTO calendar_days (date, year, kind, name)
         SELECT d.date::date, $1, d.kind, d.name FROM jsonb_to_recordset($2::jsonb) AS d(date text, kind text, name text)`,
        [year.year, JSON.stringify(days)],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const years = OFFICIAL_CALENDAR.map((year) => year.year);
    await queryRunner.query(`DELETE FROM calendar_days WHERE year = ANY($1)`, [years]);
    await queryRunner.query(`DELETE FROM calendar_years WHERE year = ANY($1)`, [years]);
  }
}
