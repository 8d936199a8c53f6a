import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A department's queue by state (a handler's 办理中, 退回修改) counted from the index alone: the department's queue index
 * orders by urgency, so counting the few cases in one state meant visiting every case of the department (157 000 at a
 * million). Built without blocking the service's writes; with the statistics that tell the planner a department lies
 * within one agency.
 */
export class QueueCountIndexes1796700000002 implements MigrationInterface {
  name = 'QueueCountIndexes1796700000002';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_department_state ON cases (department_id, state) INCLUDE (agency_id)`);
    // A department belongs to one agency: without this the planner multiplies the two conditions' selectivities, and on a
    // platform of ten agencies it estimated a handler's department at a tenth of its size and sorted it instead of reading
    // ix_cases_department_queue in order (113 ms against 0.7 ms at 100 000 cases; BENCHMARKS.md). ANALYZE fills it in
    // without blocking reads or writes.
    await queryRunner.query(`CREATE STATISTICS IF NOT EXISTS st_cases_agency_department (dependencies) ON agency_id, department_id FROM cases`);
    await queryRunner.query(`ANALYZE cases`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP STATISTICS IF EXISTS st_cases_agency_department`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_department_state`);
  }
}
