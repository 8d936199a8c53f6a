import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each review round of a reply keeps the litigation-risk review (败诉风险) the reviewer saw and the comments with which
 * the reviewer acknowledged each warning, beside the checker's findings.
 */
export class LetterReviewRisks1764662400140 implements MigrationInterface {
  name = 'LetterReviewRisks1764662400140';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE letter_reviews ADD COLUMN risks jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await queryRunner.query(`ALTER TABLE letter_reviews ADD COLUMN acknowledged_risks jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE letter_reviews DROP COLUMN acknowledged_risks`);
    await queryRunner.query(`ALTER TABLE letter_reviews DROP COLUMN risks`);
  }
}
