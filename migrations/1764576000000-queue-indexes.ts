import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The work queues in queue order (open first, then by due date): the agency's for intake, legal, head, and a
 * department's for its handlers, so a page of 100 is an index scan instead of a sort of the agency's whole history
 * (1.7 s at a million cases before; BENCHMARKS.md).
 */
export class QueueIndexes1764576000000 implements MigrationInterface {
  name = 'QueueIndexes1764576000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ix_cases_agency_queue ON cases (agency_id, (concluded_at IS NULL) DESC, due_date, created_at)`);
    await queryRunner.query(`CREATE INDEX ix_cases_department_queue ON cases (department_id, (concluded_at IS NULL) DESC, due_date, created_at) INCLUDE (agency_id)`);
    // 协办: the cases a department was asked to assist with.
    await queryRunner.query(
      `CREATE INDEX ix_case_events_assistance_department ON case_events ((payload->>'departmentId')) WHERE type = 'REQUEST_ASSISTANCE'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_case_events_assistance_department`);
    await queryRunner.query(`DROP INDEX ix_cases_department_queue`);
    await queryRunner.query(`DROP INDEX ix_cases_agency_queue`);
  }
}
