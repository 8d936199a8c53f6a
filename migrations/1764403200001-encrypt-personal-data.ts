import type { MigrationInterface, QueryRunner } from 'typeorm';
import { normaliseIdentityNumber } from '../libs/identity/src';
import { personalDataCipherFrom } from '../apps/api/src/personal-data/personal-data-cipher';

const BATCH = 1000;

/**
 * Data backfill: encrypts the identity and phone numbers already stored in clear, with the key of this process's
 * environment (PERSONAL_DATA_KEY; the development key outside production), and clears the clear-text copies.
 */
export class EncryptPersonalData1764403200001 implements MigrationInterface {
  name = 'EncryptPersonalData1764403200001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const cipher = personalDataCipherFrom(process.env);
    for (;;) {
      const rows: { id: string; applicant_id_number: string; applicant_phone: string | null }[] = await queryRunner.query(
        `SELECT id, applicant_id_number, applicant_phone FROM cases WHERE applicant_id_number_ciphertext IS NULL LIMIT ${BATCH}`,
      );
      if (!rows.length) return;
      for (const row of rows) {
        await queryRunner.query(
          `UPDATE cases SET applicant_id_number_ciphertext = $2, applicant_id_blind_index = $3, applicant_phone_ciphertext = $4 WHERE id = $1`,
          [
            row.id,
            cipher.encrypt('applicant_id_number', row.applicant_id_number),
            // The app's normalised form, so old and new rows of one applicant share an index.
            cipher.blindIndex(normaliseIdentityNumber(row.applicant_id_number)),
            cipher.encryptNullable('applicant_phone', row.applicant_phone),
          ],
        );
      }
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const cipher = personalDataCipherFrom(process.env);
    const rows: { id: string; applicant_id_number_ciphertext: string; applicant_phone_ciphertext: string | null }[] = await queryRunner.query(
      `SELECT id, applicant_id_number_ciphertext, applicant_phone_ciphertext FROM cases`,
    );
    for (const row of rows) {
      await queryRunner.query(`UPDATE cases SET applicant_id_number = $2, applicant_phone = $3 WHERE id = $1`, [
        row.id,
        cipher.decrypt('applicant_id_number', row.applicant_id_number_ciphertext),
        cipher.decryptNullable('applicant_phone', row.applicant_phone_ciphertext),
      ]);
    }
  }
}
