import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The public /verify page finds a letter by its 验证码: unique, built without blocking the letters table's writers. */
export class LettersVerificationCodeIndex1796649464216 implements MigrationInterface {
  name = 'LettersVerificationCodeIndex1796649464216';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_letters_verification_code ON letters (verification_code) WHERE verification_code IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS uq_letters_verification_code`);
  }
}
