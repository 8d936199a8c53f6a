import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The annual report reads only its own agency's entries on a platform of many agencies (issue 20).
 *
 * - The carried-over cases (pending on 1 January: `report_open_span @> date`) were found through a GiST index over every
 *   agency's spans, then filtered by agency: its work grew with the platform, not with the agency. The GiST index now
 *   leads with `agency_id` (a uuid in GiST needs the `btree_gist` extension; the embedded PGlite loads it too, see
 *   database/embedded-postgres.ts), so an agency's scan stays within its own entries. The old index goes once the new
 *   one is built: the previous release's statement (agency and span) is answered by the new one as well.
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
    await rebuild('ix_cases_agency_report_open_span', `CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_agency_report_open_span ON cases USING gist (agency_id, report_open_span)`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_report_open_span`);
    await rebuild('ix_disputes_agency_first', `CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_disputes_agency_first ON disputes (agency_id, filed_at, created_at) WHERE instance = 'first'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_disputes_agency_first`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_report_open_span ON cases USING gist (report_open_span)`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_agency_report_open_span`);
    // btree_gist stays: another index may use it by then, and an unused extension costs nothing.
  }
}
