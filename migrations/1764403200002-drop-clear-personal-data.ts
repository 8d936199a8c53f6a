import type { MigrationInterface, QueryRunner } from 'typeorm';

/** After the backfill: the clear-text columns go, and every case must carry its encrypted number and blind index. */
export class DropClearPersonalData1764403200002 implements MigrationInterface {
  name = 'DropClearPersonalData1764403200002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_cases_applicant_id`);
    await queryRunner.query(`ALTER TABLE cases DROP COLUMN applicant_id_number, DROP COLUMN applicant_phone`);
    await queryRunner.query(`ALTER TABLE cases ALTER COLUMN applicant_id_number_ciphertext SET NOT NULL, ALTER COLUMN applicant_id_blind_index SET NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE cases ALTER COLUMN applicant_id_number_ciphertext DROP NOT NULL, ALTER COLUMN applicant_id_blind_index DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE cases ADD COLUMN applicant_id_number text, ADD COLUMN applicant_phone text`);
    await queryRunner.query(`CREATE INDEX ix_cases_applicant_id ON cases (agency_id, applicant_id_number)`);
  }
}
