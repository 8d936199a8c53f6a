import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A department's queue by state (a handler's 办理中, 退回修改) counted from the index alone: the department's queue index
 * orders by urgency, so counting the few cases in one state meant visiting every case of the department (157 000 at a
 * million). Built without blocking the service's writes.
 */
export class QueueCountIndexes1796700000002 implements MigrationInterface {
  name = 'QueueCountIndexes1796700000002';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_department_state ON cases (department_id, state) INCLUDE (agency_id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_department_state`);
  }
}
