import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 查找 for words found in more cases than a queue's count reaches (业主大会 in 41 000 requests of a million): the
 * trigram index (1796800000021) hands PostgreSQL every one of them, which it must fetch to sort by urgency (0.44 s at a
 * million), while walking the queue's order (its keyset index) and testing each case finds a page after a few thousand
 * (7 ms warm at 100 000). PostgreSQL estimates a pattern's matches far too low to walk on its own; the same test as a
 * PL/pgSQL function is opaque to it, so it takes a function's default estimate and walks. Used only for a page whose
 * count already passed its bound (CaseRepository.queue, `whereWhenMany`); the test is `ILIKE`, unchanged.
 */
export class QueueTextMatches1796800000040 implements MigrationInterface {
  name = 'QueueTextMatches1796800000040';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION queue_text_matches(content text, pattern text) RETURNS boolean
         LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$ BEGIN RETURN content ILIKE pattern; END $$`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS queue_text_matches(text, text)`);
  }
}
