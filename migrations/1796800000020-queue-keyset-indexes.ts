import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The work queues paged by cursor (keyset paging, apps/api/src/cases/queue-order.ts): each order's keys in one direction,
 * ending with the id, so "the cases after this one" is a range of the index — a deep page reads its own twenty cases,
 * not every case before it (OFFSET 4 900: 166 ms at 100 000 cases; BENCHMARKS.md). The urgency order's keys: concluded
 * (open first), the due date (none: last), created, id — for the agency (intake, legal, head) and for a department
 * (its handlers), the first two folded into one number (queue-order.ts says why); and the received-date orders'
 * (read forwards for the oldest first, backwards for the newest), which sorted the agency's every case before.
 *
 * ix_cases_agency_queue and ix_cases_department_queue stay for this release: the release still serving during the
 * upgrade orders by them; they go in the next one.
 */
// Written out here, not imported: a migration runs as it was written, whatever the code later becomes.
const URGENCY_RANK = `((concluded_at IS NOT NULL)::integer * 4000000 + COALESCE(due_date - DATE '2000-01-01', 2000000))`;
const RECEIVED = `(COALESCE(received_at, 'infinity'::date))`;

export class QueueKeysetIndexes1796800000020 implements MigrationInterface {
  name = 'QueueKeysetIndexes1796800000020';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_agency_urgency ON cases (agency_id, ${URGENCY_RANK}, created_at, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_department_urgency ON cases (department_id, ${URGENCY_RANK}, created_at, id) INCLUDE (agency_id)`,
    );
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_agency_received_queue ON cases (agency_id, ${RECEIVED}, created_at, id)`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_department_received_queue ON cases (department_id, ${RECEIVED}, created_at, id) INCLUDE (agency_id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_department_received_queue`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_agency_received_queue`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_department_urgency`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_agency_urgency`);
  }
}
