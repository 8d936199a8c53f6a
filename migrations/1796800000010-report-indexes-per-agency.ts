import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The annual report reads only its own agency's entries on a platform of many agencies (issue 20), and its carried-over
 * cases from an index alone.
 *
 * - The carried-over cases (pending on 1 January: `report_open_span @> date`) were found through a GiST index over every
 *   agency's spans, then filtered by agency, then read from the table: the index work grew with the platform, and at a
 *   million cases the 7 000 table rows cost 50–400 ms (cold pages, a loaded machine). The new GiST index leads with
 *   `agency_id` (a uuid in GiST needs the `btree_gist` extension; the embedded PGlite loads it too, see
 *   database/embedded-postgres.ts) and carries what the report reads, so an agency's scan stays within its own entries
 *   and never visits the table. It holds only the spans that contain some 1 January — a case received in one year and
 *   concluded in a later one, or not yet — the only ones a year can carry over (5–6 % of the cases): 1.4 MB at 100 000
 *   cases where the old index over every span took 4.6 MB. The report's statement repeats this predicate so that the
 *   planner may use the index (ReportsService.yearCases).
 * - The old index goes once the new one is built: nothing else reads the spans.
 * - The report's first-instance disputes were a sequential scan of every agency's disputes; a partial index on the
 *   agency, in the order the report reads them, keeps it to the agency's (and serves the legal office's rates).
 *
 * Built without blocking writers. A build that failed leaves its index INVALID, which IF NOT EXISTS would keep as it
 * is: such a leftover is dropped and built again.
 */
export class ReportIndexesPerAgency1796800000010 implements MigrationInterface {
  name = 'ReportIndexesPerAgency1796800000010';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    const rebuild = async (index: string, definition: string) => {
      const leftover = await queryRunner.query(`SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1 AND NOT i.indisvalid`, [index]);
      if (leftover.length) await queryRunner.query(`DROP INDEX CONCURRENTLY ${index}`);
      await queryRunner.query(definition);
    };
    await rebuild(
      'ix_cases_agency_report_carried_over',
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_agency_report_carried_over ON cases USING gist (agency_id, report_open_span)
         INCLUDE (id, applicant_category, request_type, received_at, first_concluded_at, first_outcome)
         WHERE received_at IS NOT NULL AND (first_outcome IS NULL OR EXTRACT(year FROM first_concluded_at) > EXTRACT(year FROM received_at))`,
    );
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_report_open_span`);
    await rebuild('ix_disputes_agency_first', `CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_disputes_agency_first ON disputes (agency_id, filed_at, created_at) WHERE instance = 'first'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_disputes_agency_first`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_report_open_span ON cases USING gist (report_open_span)`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_agency_report_carried_over`);
    // btree_gist stays: another index may use it by then, and an unused extension costs nothing.
  }
}
