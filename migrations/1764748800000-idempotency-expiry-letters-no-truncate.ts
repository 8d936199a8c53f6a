import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of online applications: a key now expires (`expires_at`, from IDEMPOTENCY_KEY_TTL_HOURS), is claimed
 * inside the case's own transaction (so a claim whose transaction never committed is gone with it), and keeps the first
 * answer's 查询码 encrypted with the personal-data key (`query_code_ciphertext`), so a retry answers the same code while
 * the key lives instead of issuing a new one that would invalidate the first. Rows of the old shape get the default
 * lifetime from their creation.
 *
 * And `letters` refuses TRUNCATE, as case_events and personal_data_access already do: the row trigger that freezes an
 * issued letter does not see a TRUNCATE.
 */
export class IdempotencyExpiryLettersNoTruncate1764748800000 implements MigrationInterface {
  name = 'IdempotencyExpiryLettersNoTruncate1764748800000';

  // idempotency_keys holds only the online applications of the last day or so (a key lives IDEMPOTENCY_KEY_TTL_HOURS):
  // a few hundred rows at most, so scanning, updating and indexing it takes milliseconds under any lock.
  // migration-safety: allow unbatched-backfill — idempotency_keys is a day's worth of short-lived rows
  // migration-safety: allow set-not-null — idempotency_keys is a day's worth of short-lived rows
  // migration-safety: allow index-not-concurrently — idempotency_keys is a day's worth of short-lived rows
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE idempotency_keys ADD COLUMN expires_at timestamptz`);
    await queryRunner.query(`UPDATE idempotency_keys SET expires_at = created_at + interval '24 hours'`);
    await queryRunner.query(`ALTER TABLE idempotency_keys ALTER COLUMN expires_at SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE idempotency_keys ADD COLUMN query_code_ciphertext text`);
    await queryRunner.query(`CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at)`);
    await queryRunner.query(`
      CREATE FUNCTION letters_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'letters holds issued letters, which are frozen: TRUNCATE refused';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER tr_letters_no_truncate BEFORE TRUNCATE ON letters FOR EACH STATEMENT EXECUTE FUNCTION letters_no_truncate()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tr_letters_no_truncate ON letters`);
    await queryRunner.query(`DROP FUNCTION letters_no_truncate()`);
    await queryRunner.query(`DROP INDEX ix_idempotency_keys_expires_at`);
    await queryRunner.query(`ALTER TABLE idempotency_keys DROP COLUMN query_code_ciphertext, DROP COLUMN expires_at`);
  }
}
