import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applicants' identity and phone numbers move to application-level encryption (AES-256-GCM) with a blind index for
 * lookups. DDL only: the next migration encrypts existing rows, the one after drops the clear-text columns.
 */
export class PersonalDataEncryption1764403200000 implements MigrationInterface {
  name = 'PersonalDataEncryption1764403200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE cases
        ADD COLUMN applicant_id_number_ciphertext text,
        ADD COLUMN applicant_id_blind_index text,
        ADD COLUMN applicant_phone_ciphertext text`);
    // One applicant's requests (fees by the month, Art. 35 volume, Art. 36(6) duplicates) are found by the blind index.
    await queryRunner.query(`CREATE INDEX ix_cases_applicant_blind_index ON cases (agency_id, applicant_id_blind_index)`);
    // Who viewed or exported applicants' personal data: append-only, like the event log.
    await queryRunner.query(`
      CREATE TABLE personal_data_access (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        agency_id uuid NOT NULL REFERENCES agencies(id),
        user_id uuid NOT NULL REFERENCES users(id),
        username text NOT NULL,
        action text NOT NULL CHECK (action IN ('list_cases', 'view_case', 'reveal_identity', 'view_letter', 'download_attachment', 'export_evidence_bundle')),
        case_ids uuid[] NOT NULL DEFAULT '{}',
        detail text,
        address text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_personal_data_access_agency_at ON personal_data_access (agency_id, at DESC)`);
    await queryRunner.query(`CREATE INDEX ix_personal_data_access_case_ids ON personal_data_access USING gin (case_ids)`);
    await queryRunner.query(`
      CREATE FUNCTION personal_data_access_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'personal_data_access is append-only: % refused', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_personal_data_access_append_only BEFORE UPDATE OR DELETE ON personal_data_access
      FOR EACH ROW EXECUTE FUNCTION personal_data_access_append_only()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE personal_data_access`);
    await queryRunner.query(`DROP FUNCTION personal_data_access_append_only()`);
    await queryRunner.query(`DROP INDEX ix_cases_applicant_blind_index`);
    await queryRunner.query(`ALTER TABLE cases DROP COLUMN applicant_id_number_ciphertext, DROP COLUMN applicant_id_blind_index, DROP COLUMN applicant_phone_ciphertext`);
  }
}
