import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 查找 in the work queues (`q`: a case number, a name, words of the request) reads a trigram index instead of every case of
 * the agency: `ILIKE '%…%'` cannot use a b-tree, and at 100 000 cases the search and its count were sequential scans
 * (1.1 s under load; BENCHMARKS.md). pg_trgm's GIN index answers a pattern of three characters or more from the
 * trigrams it holds; one index over the three fields the search reads, joined by a line break that no trigram spans
 * (the same expression as QUEUE_SEARCH_TEXT in apps/api/src/cases/case.repository.ts). The embedded PGlite loads the
 * extension at start (database/embedded-postgres.ts).
 *
 * A search of one or two characters (no trigram) is the start of the applicant's name — a surname, a two-character
 * name — read from a b-tree on the name in code-point order (a LIKE prefix cannot use the database's collation).
 */
export class QueueSearchTrigrams1796800000021 implements MigrationInterface {
  name = 'QueueSearchTrigrams1796800000021';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_search_trgm ON cases USING gin ((case_number || E'\\n' || applicant_name || E'\\n' || description) gin_trgm_ops)`,
    );
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_cases_applicant_name_prefix ON cases (agency_id, applicant_name text_pattern_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_applicant_name_prefix`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ix_cases_search_trgm`);
  }
}
