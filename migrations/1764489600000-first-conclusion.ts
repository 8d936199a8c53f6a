import type { MigrationInterface, QueryRunner } from 'typeorm';
// A relative import, not the @desk alias (see 1763884800001). The concluding events and their fixed rows come from the
// one table the service projects with, so the backfill and the live projection cannot disagree.
import { CONCLUDING_EVENT_TYPES, FIXED_CONCLUSION_OUTCOMES } from '../libs/reports/src/first-conclusion';

/**
 * The annual report reads each case's FIRST conclusion (rules.md §8) from the case row instead of deriving it from the
 * event log for every case of the agency: `first_concluded_at` and `first_outcome`, written with the concluding event
 * (CasesService.apply) and never moved by a reopening.
 *
 * `report_open_span` is the span in which the case is pending for the report, (receipt date, first conclusion]: a year
 * starting on day D carries the case over exactly when the span contains D. Its GiST index answers that directly, so
 * a year's report reads the cases received in the year plus the few carried into it, not the agency's whole history.
 * A conclusion dated before the receipt counts as of the receipt (placeCase), hence GREATEST.
 *
 * The index on (agency_id, received_at) becomes a covering one carrying what the report reads, so the year's cases come
 * from an index-only scan: at a million cases the heap visit was 31 000 pages and 360 ms, the index-only scan 40 ms
 * (BENCHMARKS.md). Same key, so every other query it served it still serves.
 *
 * DDL and backfill share this migration, unlike the usual split: the report reads only the projection from this version
 * on, so the columns must never exist unfilled; in one transaction they cannot.
 */
export class FirstConclusion1764489600000 implements MigrationInterface {
  name = 'FirstConclusion1764489600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE cases
        ADD COLUMN first_concluded_at date,
        ADD COLUMN first_outcome text,
        ADD COLUMN report_open_span daterange GENERATED ALWAYS AS (
          CASE WHEN received_at IS NULL THEN NULL
               ELSE daterange(received_at, CASE WHEN first_outcome IS NULL THEN NULL ELSE GREATEST(received_at, first_concluded_at) END, '(]')
          END) STORED`);
    const fixed = Object.entries(FIXED_CONCLUSION_OUTCOMES)
      .map(([type, outcome]) => `WHEN '${type}' THEN '${outcome}'`)
      .join(' ');
    // The derivation the report used until now: the first concluding event, and the last DECIDE before it for a reply.
    await queryRunner.query(
      `WITH firsts AS (
         SELECT DISTINCT ON (e.case_id) e.case_id, e.sequence, e.type, e.at
           FROM case_events e WHERE e.type = ANY($1) ORDER BY e.case_id, e.sequence)
       UPDATE cases c
          SET first_concluded_at = f.at,
              first_outcome = CASE f.type
                WHEN 'ISSUE_REPLY' THEN (SELECT d.payload->>'outcome' FROM case_events d
                                          WHERE d.case_id = f.case_id AND d.type = 'DECIDE' AND d.sequence < f.sequence
                                          ORDER BY d.sequence DESC LIMIT 1)
                ${fixed} END
         FROM firsts f WHERE f.case_id = c.id`,
      [[...CONCLUDING_EVENT_TYPES]],
    );
    await queryRunner.query(`CREATE INDEX ix_cases_report_open_span ON cases USING gist (report_open_span)`);
    await queryRunner.query(`DROP INDEX ix_cases_agency_received`);
    await queryRunner.query(
      `CREATE INDEX ix_cases_agency_received_report ON cases (agency_id, received_at) INCLUDE (id, applicant_category, request_type, first_concluded_at, first_outcome)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_cases_agency_received_report`);
    await queryRunner.query(`CREATE INDEX ix_cases_agency_received ON cases (agency_id, received_at)`);
    await queryRunner.query(`DROP INDEX ix_cases_report_open_span`);
    await queryRunner.query(`ALTER TABLE cases DROP COLUMN report_open_span, DROP COLUMN first_outcome, DROP COLUMN first_concluded_at`);
  }
}
