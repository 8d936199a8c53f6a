import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two of a handler's home cards, counted at a million cases (issue 20):
 * - 退回修改的答复 asked, for each of the department's cases in handling (1 600 at a million), which step was its last:
 *   one probe of the event log per case, a second at a million cases. The cases ever returned are few; the RETURN steps
 *   get an index of their own, and the filter first asks it whether the case was ever returned (CaseViewService).
 * - 我承办的案件 intersected the department's open cases with every case the handler ever had (32 000 index entries at
 *   a million); the open cases by handler get an index that answers the count alone.
 * Built without blocking the service's writes.
 */
export class HomeCountIndexes1796800000032 implements MigrationInterface {
  name = 'HomeCountIndexes1796800000032';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_case_events_returns ON case_events (case_id) WHERE type = 'RETURN'`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_open_handler ON cases (handler_id) INCLUDE (agency_id, department_id) WHERE concluded_at IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_open_handler`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_case_events_returns`);
  }
}
