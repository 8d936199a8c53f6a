import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Review and litigation (rules.md §7), proactive-disclosure entries (Art. 44), locked report years (rules.md §8). */
export class DisputesProactiveReportLocks1764230400000 implements MigrationInterface {
  name = 'DisputesProactiveReportLocks1764230400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE disputes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        kind text NOT NULL CHECK (kind IN ('review', 'litigation')),
        after_review boolean NOT NULL DEFAULT false,
        instance text NOT NULL DEFAULT 'first' CHECK (instance IN ('first', 'second', 'retrial')),
        parent_id uuid REFERENCES disputes(id),
        body text NOT NULL,
        reference text,
        filed_at date NOT NULL,
        served_at date,
        simplified boolean NOT NULL DEFAULT false,
        answer_due_date date,
        result text CHECK (result IN ('upheld', 'corrected', 'other')),
        decided_at date,
        orders_new_reply boolean NOT NULL DEFAULT false,
        result_reference text,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_disputes_after_review CHECK (kind = 'litigation' OR NOT after_review),
        CONSTRAINT ck_disputes_result CHECK ((result IS NULL) = (decided_at IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX ix_disputes_case ON disputes (case_id)`);
    await queryRunner.query(`CREATE INDEX ix_disputes_open ON disputes (agency_id, answer_due_date) WHERE decided_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE proactive_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        index_number text NOT NULL,
        title text NOT NULL,
        summary text NOT NULL,
        content text,
        link text,
        published_at date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_proactive_entries_index_number UNIQUE (index_number),
        CONSTRAINT ck_proactive_entries_body CHECK (content IS NOT NULL OR link IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX ix_proactive_entries_published ON proactive_entries (published_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE report_locks (
        agency_id uuid NOT NULL REFERENCES agencies(id),
        year int NOT NULL,
        locked_by uuid REFERENCES users(id),
        locked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (agency_id, year)
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE report_locks`);
    await queryRunner.query(`DROP TABLE proactive_entries`);
    await queryRunner.query(`DROP TABLE disputes`);
  }
}
