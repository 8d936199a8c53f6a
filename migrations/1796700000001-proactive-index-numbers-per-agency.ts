import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A 索引号 (Art. 44 proactive disclosure) is the agency's own catalogue number: unique within the agency, not across a
 * platform serving several. The per-agency index is built without blocking writers, then the global constraint goes.
 */
export class ProactiveIndexNumbersPerAgency1796700000001 implements MigrationInterface {
  name = 'ProactiveIndexNumbersPerAgency1796700000001';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    // A run that failed while building leaves the index INVALID, which IF NOT EXISTS would keep: the global constraint
    // would then go with nothing enforcing uniqueness. Drop such a leftover and build it again.
    const leftover = await queryRunner.query(
      `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'uq_proactive_entries_agency_index_number' AND NOT i.indisvalid`,
    );
    if (leftover.length) await queryRunner.query(`DROP INDEX CONCURRENTLY uq_proactive_entries_agency_index_number`);
    await queryRunner.query(`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_proactive_entries_agency_index_number ON proactive_entries (agency_id, index_number)`);
    await queryRunner.query(`ALTER TABLE proactive_entries DROP CONSTRAINT IF EXISTS uq_proactive_entries_index_number`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE proactive_entries ADD CONSTRAINT uq_proactive_entries_index_number UNIQUE (index_number)`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS uq_proactive_entries_agency_index_number`);
  }
}
