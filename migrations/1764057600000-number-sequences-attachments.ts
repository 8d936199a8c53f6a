import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One gapless counter per agency, year and kind (case numbers, reply 文号, later every letter kind); uploaded files. */
export class NumberSequencesAttachments1764057600000 implements MigrationInterface {
  name = 'NumberSequencesAttachments1764057600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE number_sequences (
        agency_id uuid NOT NULL REFERENCES agencies(id),
        year int NOT NULL,
        kind text NOT NULL,
        last_value int NOT NULL,
        PRIMARY KEY (agency_id, year, kind)
      )`);
    await queryRunner.query(
      `INSERT INTO number_sequences (agency_id, year, kind, last_value) SELECT agency_id, year, 'case', last_value FROM case_number_sequences`,
    );
    await queryRunner.query(`DROP TABLE case_number_sequences`);
    // Evidence files (search records, answers, receipts): kept in the database with their hash, so a backup holds everything.
    await queryRunner.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        filename text NOT NULL,
        mime_type text NOT NULL,
        size_bytes int NOT NULL,
        sha256 text NOT NULL,
        content bytea NOT NULL,
        uploaded_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_attachments_case ON attachments (case_id)`);
    await queryRunner.query(`CREATE INDEX ix_case_events_assistance ON case_events ((payload->>'departmentId')) WHERE type = 'REQUEST_ASSISTANCE'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_case_events_assistance`);
    await queryRunner.query(`DROP TABLE attachments`);
    await queryRunner.query(`
      CREATE TABLE case_number_sequences (agency_id uuid NOT NULL REFERENCES agencies(id), year int NOT NULL, last_value int NOT NULL,
        PRIMARY KEY (agency_id, year))`);
    await queryRunner.query(
      `INSERT INTO case_number_sequences (agency_id, year, last_value) SELECT agency_id, year, last_value FROM number_sequences WHERE kind = 'case'`,
    );
    await queryRunner.query(`DROP TABLE number_sequences`);
  }
}
