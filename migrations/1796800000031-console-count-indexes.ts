import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the console's counts read among the open cases, from indexes alone (issue 20: every console page under 100 ms at
 * a million cases, where about 16 000 cases are open):
 * - 督办 counts each department's open, due-soon and overdue cases: the open cases' index now carries the lead
 *   department, so the count is an index-only scan instead of a visit to each open case's row. It replaces
 *   `ix_cases_open_due` (same key, same condition), which the queues' due-date counts keep using under its new name.
 * - the head's 待审批的延期申请 card counted the open cases whose machine holds an extension request by reading every
 *   open case's snapshot (a JSON document per case); the few such cases get an index of their own.
 * Built without blocking the service's writes.
 */
export class ConsoleCountIndexes1796800000031 implements MigrationInterface {
  name = 'ConsoleCountIndexes1796800000031';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_open_due_department ON cases (agency_id, due_date) INCLUDE (department_id) WHERE concluded_at IS NULL`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_open_due`);
    // The condition as the queue filter writes it (CaseViewService, extensionRequested), so the planner matches it.
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_extension_requested ON cases (agency_id, due_date) WHERE concluded_at IS NULL AND (snapshot->'context'->>'extensionRequestedAt') IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_extension_requested`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_open_due ON cases (agency_id, due_date) WHERE concluded_at IS NULL`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_open_due_department`);
  }
}
