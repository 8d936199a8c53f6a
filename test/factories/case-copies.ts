import type { DataSource } from 'typeorm';

/**
 * `count` copies of a case, made by SQL, each with a number of its own (the case number suffixed -1, -2, …) and
 * everything else the same — its applicant, department, dates and created_at: many cases for the queue bounds and the
 * applicant's history without going through intake a thousand times.
 */
export async function copiesOfCase(dataSource: DataSource, caseId: string, count: number): Promise<void> {
  const [{ columns }] = await dataSource.query(
    `SELECT string_agg(quote_ident(column_name), ', ') AS columns FROM information_schema.columns
      WHERE table_name = 'cases' AND is_generated = 'NEVER' AND column_name NOT IN ('id', 'case_number')`,
  );
  await dataSource.query(
    `INSERT INTO cases (id, case_number, ${columns}) SELECT gen_random_uuid(), case_number || '-' || g, ${columns} FROM cases, generate_series(1, $2::int) g WHERE id = $1`,
    [caseId, count],
  );
}
