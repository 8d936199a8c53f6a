import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 督办 shows, per lead department, the cases concluded this year and how many of those replies went out after their due
 * date. Counting them from `cases` read every case concluded in the year — 160 000 at a million cases in December,
 * whichever index answers — so the page took 543 ms at 100 000 cases (BENCHMARKS.md, issue 20). The counts are kept
 * instead, per agency, lead department and calendar year of the conclusion, by triggers on `cases`: the release still
 * serving during the upgrade keeps them too, and whatever writes a case (a step, a recomputed due date, an agency split)
 * moves its count with it.
 *
 * A case counts once it has a conclusion date (`concluded_at`, the date the case left the office's hands), in the year
 * of that date; it is late when it has a due date and was concluded after it — the rule of `DUE_WARNINGS.late`
 * (apps/api/src/cases/case.repository.ts), which the queue 今年逾期作出的答复 lists by. A reopened case leaves its
 * year's count and enters the count of its new conclusion. test/e2e/supervision-counts.e2e-spec.ts compares 督办 with a
 * plain count over the cases.
 *
 * Statement triggers with transition tables, not row triggers: a statement that writes many cases (a bulk load, an
 * agency split) then costs one aggregate and one write per count it changes, instead of one write per case to the same
 * few rows; and a step that changes none of the four columns (most steps) nets to nothing and writes nothing.
 */
export class ConclusionCounts1796800000030 implements MigrationInterface {
  name = 'ConclusionCounts1796800000030';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // department_id null: concluded without a lead department (withdrawn before assignment), 尚未分办 on the page.
    await queryRunner.query(`
      CREATE TABLE conclusion_counts (
        agency_id uuid NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
        department_id uuid REFERENCES departments(id) ON DELETE CASCADE,
        year integer NOT NULL,
        concluded integer NOT NULL,
        late integer NOT NULL,
        CONSTRAINT uq_conclusion_counts UNIQUE NULLS NOT DISTINCT (agency_id, department_id, year)
      )`);
    // One function for the three triggers: each branch reads only the transition tables its event has.
    await queryRunner.query(`
      CREATE FUNCTION cases_count_conclusions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO conclusion_counts AS k (agency_id, department_id, year, concluded, late)
          SELECT agency_id, department_id, extract(year FROM concluded_at)::int, count(*), count(*) FILTER (WHERE due_date IS NOT NULL AND concluded_at > due_date)
            FROM inserted_cases WHERE concluded_at IS NOT NULL
           GROUP BY 1, 2, 3
          ON CONFLICT (agency_id, department_id, year) DO UPDATE SET concluded = k.concluded + excluded.concluded, late = k.late + excluded.late;
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO conclusion_counts AS k (agency_id, department_id, year, concluded, late)
          SELECT agency_id, department_id, extract(year FROM concluded_at)::int, -count(*), -count(*) FILTER (WHERE due_date IS NOT NULL AND concluded_at > due_date)
            FROM deleted_cases WHERE concluded_at IS NOT NULL
           GROUP BY 1, 2, 3
          ON CONFLICT (agency_id, department_id, year) DO UPDATE SET concluded = k.concluded + excluded.concluded, late = k.late + excluded.late;
        ELSE
          INSERT INTO conclusion_counts AS k (agency_id, department_id, year, concluded, late)
          SELECT agency_id, department_id, year, sum(concluded), sum(late)
            FROM (SELECT agency_id, department_id, extract(year FROM concluded_at)::int AS year, 1 AS concluded,
                         CASE WHEN due_date IS NOT NULL AND concluded_at > due_date THEN 1 ELSE 0 END AS late
                    FROM updated_cases WHERE concluded_at IS NOT NULL
                  UNION ALL
                  SELECT agency_id, department_id, extract(year FROM concluded_at)::int, -1,
                         CASE WHEN due_date IS NOT NULL AND concluded_at > due_date THEN -1 ELSE 0 END
                    FROM cases_before_update WHERE concluded_at IS NOT NULL) change
           GROUP BY 1, 2, 3
          HAVING sum(concluded) <> 0 OR sum(late) <> 0
          ON CONFLICT (agency_id, department_id, year) DO UPDATE SET concluded = k.concluded + excluded.concluded, late = k.late + excluded.late;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER tr_cases_count_conclusions_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS inserted_cases FOR EACH STATEMENT EXECUTE FUNCTION cases_count_conclusions()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER tr_cases_count_conclusions_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS cases_before_update NEW TABLE AS updated_cases FOR EACH STATEMENT EXECUTE FUNCTION cases_count_conclusions()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER tr_cases_count_conclusions_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS deleted_cases FOR EACH STATEMENT EXECUTE FUNCTION cases_count_conclusions()`,
    );
    // The cases concluded so far. Creating the triggers locked cases against writes until this commits (reads go on), so
    // no conclusion is counted twice or missed; the pass over the table takes seconds at a million cases.
    await queryRunner.query(`
      INSERT INTO conclusion_counts (agency_id, department_id, year, concluded, late)
      SELECT agency_id, department_id, extract(year FROM concluded_at)::int, count(*), count(*) FILTER (WHERE due_date IS NOT NULL AND concluded_at > due_date)
        FROM cases WHERE concluded_at IS NOT NULL
       GROUP BY 1, 2, 3`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tr_cases_count_conclusions_delete ON cases`);
    await queryRunner.query(`DROP TRIGGER tr_cases_count_conclusions_update ON cases`);
    await queryRunner.query(`DROP TRIGGER tr_cases_count_conclusions_insert ON cases`);
    await queryRunner.query(`DROP FUNCTION cases_count_conclusions()`);
    await queryRunner.query(`DROP TABLE conclusion_counts`);
  }
}
