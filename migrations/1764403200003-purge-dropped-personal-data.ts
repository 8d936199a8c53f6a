import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DROP COLUMN only hides a column: the clear numbers stayed in every stored row version of `cases` (and the backfill's
 * UPDATE left the old versions behind). VACUUM FULL rewrites the table without them. It cannot run in a transaction.
 * Backups and archived WAL taken before this migration still hold them: the README says to retire those.
 * Also: the append-only tables refuse TRUNCATE, which row triggers do not see.
 */
export class PurgeDroppedPersonalData1764403200003 implements MigrationInterface {
  name = 'PurgeDroppedPersonalData1764403200003';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`VACUUM FULL cases`);
    for (const table of ['case_events', 'personal_data_access']) {
      await queryRunner.query(`
        CREATE TRIGGER tr_${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ${table}_append_only()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['case_events', 'personal_data_access']) await queryRunner.query(`DROP TRIGGER tr_${table}_no_truncate ON ${table}`);
  }
}
