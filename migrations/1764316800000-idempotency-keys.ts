import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An online submission repeated with the same Idempotency-Key answers the first result instead of a second case. */
export class IdempotencyKeys1764316800000 implements MigrationInterface {
  name = 'IdempotencyKeys1764316800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        key text PRIMARY KEY,
        request_hash text NOT NULL,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
  }
}
