import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The clock watcher: a PostgreSQL-locked job table, the notification outbox, the record of calendar changes. */
export class JobsNotificationsCalendarChanges1763971200000 implements MigrationInterface {
  name = 'JobsNotificationsCalendarChanges1763971200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // One row per job; a worker claims it with FOR UPDATE SKIP LOCKED, so with several instances each job runs once.
    await queryRunner.query(`
      CREATE TABLE jobs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        dedupe_key text,
        run_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        locked_by text,
        locked_at timestamptz,
        finished_at timestamptz,
        result jsonb,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_jobs_dedupe_key UNIQUE (dedupe_key)
      )`);
    await queryRunner.query(`CREATE INDEX ix_jobs_pending ON jobs (run_at) WHERE status = 'pending'`);
    // The outbox: written in the same transaction as the step that caused it; delivered (email) afterwards.
    await queryRunner.query(`
      CREATE TABLE notifications (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        agency_id uuid NOT NULL REFERENCES agencies(id),
        case_id uuid REFERENCES cases(id),
        recipient_id uuid NOT NULL REFERENCES users(id),
        kind text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        dedupe_key text NOT NULL,
        email text,
        sent_at timestamptz,
        delivery_attempts int NOT NULL DEFAULT 0,
        last_error text,
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_notifications_dedupe_key UNIQUE (dedupe_key)
      )`);
    await queryRunner.query(`CREATE INDEX ix_notifications_recipient ON notifications (recipient_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX ix_notifications_undelivered ON notifications (id) WHERE sent_at IS NULL AND email IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE calendar_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        year int NOT NULL,
        changed_by uuid REFERENCES users(id),
        before jsonb,
        after jsonb NOT NULL,
        recomputed_cases int,
        changed_cases int,
        recomputed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN email text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN email`);
    await queryRunner.query(`DROP TABLE calendar_changes`);
    await queryRunner.query(`DROP TABLE notifications`);
    await queryRunner.query(`DROP TABLE jobs`);
  }
}
