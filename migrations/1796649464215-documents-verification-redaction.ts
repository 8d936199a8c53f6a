import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: what the office files, signs, redacts and publishes.
 * - letters.verification_code: the 验证码 an issued letter prints with its QR code (public /verify); null on letters
 *   issued before it (they verify by their SHA-256 alone). Its unique index is built concurrently in the next migration.
 * - annual_report_fill_ins: the parts of the annual report the office writes itself (二 主动公开 table, 五, and its own
 *   words in 一 and 六), per agency and year.
 * - redaction_documents / redaction_regions / redaction_copies (Art. 37 区分处理): a document to disclose in part (the
 *   original, an attachment kept on record and never served), the regions withheld with their legal reason (the
 *   redaction log: a region removed stays, marked removed, with who and when), and each redacted copy produced.
 */
export class DocumentsVerificationRedaction1796649464215 implements MigrationInterface {
  name = 'DocumentsVerificationRedaction1796649464215';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // A nullable column without a default: no table rewrite, no long lock on letters.
    await queryRunner.query(`ALTER TABLE letters ADD COLUMN verification_code text`);
    await queryRunner.query(`
      CREATE TABLE annual_report_fill_ins (
        agency_id uuid NOT NULL REFERENCES agencies(id),
        year int NOT NULL,
        overview text,
        proactive jsonb,
        problems text,
        other_matters text,
        updated_by uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (agency_id, year)
      )`);
    await queryRunner.query(`
      CREATE TABLE redaction_documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        original_attachment_id uuid NOT NULL REFERENCES attachments(id),
        -- Each page as displayed (rotation applied), in PDF points: [{ "width": 595.28, "height": 841.89 }, …].
        pages jsonb NOT NULL,
        -- Bumped by every region added or removed: a copy made at an older revision is out of date.
        revision int NOT NULL DEFAULT 0,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_redaction_documents_original UNIQUE (original_attachment_id)
      )`);
    await queryRunner.query(`CREATE INDEX ix_redaction_documents_case ON redaction_documents (case_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE redaction_regions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        document_id uuid NOT NULL REFERENCES redaction_documents(id),
        page int NOT NULL CHECK (page >= 1),
        -- From the page's top-left corner, in PDF points.
        x numeric(10, 2) NOT NULL CHECK (x >= 0),
        y numeric(10, 2) NOT NULL CHECK (y >= 0),
        width numeric(10, 2) NOT NULL CHECK (width > 0),
        height numeric(10, 2) NOT NULL CHECK (height > 0),
        reason text NOT NULL,
        note text,
        created_by uuid REFERENCES users(id),
        created_by_name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        removed_by uuid REFERENCES users(id),
        removed_by_name text,
        removed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX ix_redaction_regions_document ON redaction_regions (document_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE redaction_copies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        document_id uuid NOT NULL REFERENCES redaction_documents(id),
        revision int NOT NULL,
        content bytea NOT NULL,
        sha256 text NOT NULL,
        size_bytes int NOT NULL,
        produced_by uuid REFERENCES users(id),
        produced_by_name text NOT NULL,
        produced_at timestamptz NOT NULL DEFAULT now(),
        -- The reply it was disclosed with (set when the reply is issued): the copy the applicant may download.
        reply_letter_id uuid REFERENCES letters(id)
      )`);
    await queryRunner.query(`CREATE INDEX ix_redaction_copies_document ON redaction_copies (document_id, produced_at)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE redaction_copies`);
    await queryRunner.query(`DROP TABLE redaction_regions`);
    await queryRunner.query(`DROP TABLE redaction_documents`);
    await queryRunner.query(`DROP TABLE annual_report_fill_ins`);
    await queryRunner.query(`ALTER TABLE letters DROP COLUMN verification_code`);
  }
}
