import type { Client } from 'pg';
import { CASE_NUMBER_PREFIX } from './seed';

/** The agencies a split database holds: the seeded one (number 1) and nine more, each with its own users. */
export const SPLIT_AGENCIES = 10;

/** The username of a seeded user in agency `agency` of a split database (agency 1 keeps the seeded names). */
export function userOf(username: string, agency: number): string {
  return agency === 1 ? username : `${username}-a${agency}`;
}

export function caseNumberPrefixOf(agency: number): string {
  return agency === 1 ? CASE_NUMBER_PREFIX : `${CASE_NUMBER_PREFIX}${agency}`;
}

/**
 * A city platform from the seeded agency: nine more agencies, each with the seeded departments and users (names
 * suffixed), and every case moved, with its number, department and handler, to the agency its id hashes to — so ten
 * agencies of a tenth each share one database, every history as realistic as the seeded one. Letters belong to their
 * case; the 文号 register and the disputes follow. Run last: it changes the database (which is then not reused).
 */
export async function splitIntoAgencies(client: Client, agencyId: string): Promise<string[]> {
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET work_mem = '64MB'`);
  const ids = [agencyId];
  for (let agency = 2; agency <= SPLIT_AGENCIES; agency++) {
    const [{ id }] = (
      await client.query(
        `INSERT INTO agencies (code, name, settings)
         SELECT 'bench-' || $2::int, name || '（' || $2::int || '）', settings || jsonb_build_object('caseNumberPrefix', $3::text) FROM agencies WHERE id = $1 RETURNING id`,
        [agencyId, agency, caseNumberPrefixOf(agency)],
      )
    ).rows as { id: string }[];
    ids.push(id);
    await client.query(`INSERT INTO departments (agency_id, name) SELECT $2, name FROM departments WHERE agency_id = $1`, [agencyId, id]);
    await client.query(
      `INSERT INTO users (agency_id, department_id, username, display_name, password_hash, roles)
       SELECT $2, d2.id, u.username || '-a' || $3::int, u.display_name, u.password_hash, u.roles
         FROM users u JOIN departments d ON d.id = u.department_id JOIN departments d2 ON d2.agency_id = $2 AND d2.name = d.name
        WHERE u.agency_id = $1`,
      [agencyId, id, agency],
    );
  }
  await client.query(`CREATE TEMP TABLE bench_moves AS SELECT id AS case_id, 1 + abs(hashtext(id::text)) % ${SPLIT_AGENCIES} AS agency FROM cases WHERE agency_id = $1`, [agencyId]);
  await client.query(`DELETE FROM bench_moves WHERE agency = 1`);
  await client.query(`ALTER TABLE bench_moves ADD PRIMARY KEY (case_id)`);
  await client.query(`CREATE TEMP TABLE bench_agencies (agency int PRIMARY KEY, id uuid NOT NULL)`);
  await client.query(`INSERT INTO bench_agencies SELECT ordinality, id FROM unnest($1::uuid[]) WITH ORDINALITY AS a(id, ordinality)`, [ids]);
  await client.query(
    `UPDATE cases c SET agency_id = a.id,
            case_number = replace(c.case_number, $1, $1 || m.agency),
            department_id = (SELECT d2.id FROM departments d JOIN departments d2 ON d2.name = d.name AND d2.agency_id = a.id WHERE d.id = c.department_id),
            handler_id = (SELECT u2.id FROM users u JOIN users u2 ON u2.username = u.username || '-a' || m.agency WHERE u.id = c.handler_id)
       FROM bench_moves m JOIN bench_agencies a ON a.agency = m.agency
      WHERE c.id = m.case_id`,
    [CASE_NUMBER_PREFIX],
  );
  await client.query(
    `UPDATE letter_numbers n SET agency_id = c.agency_id FROM letters l JOIN cases c ON c.id = l.case_id JOIN bench_moves m ON m.case_id = c.id WHERE l.id = n.letter_id`,
  );
  await client.query(`UPDATE disputes d SET agency_id = c.agency_id FROM cases c JOIN bench_moves m ON m.case_id = c.id WHERE d.case_id = c.id`);
  await client.query(`UPDATE proactive_entries p SET agency_id = c.agency_id FROM cases c JOIN bench_moves m ON m.case_id = c.id WHERE p.case_id = c.id`);
  // The counters go on from each agency's own highest numbers (a new case or letter must not collide).
  await client.query(
    `INSERT INTO number_sequences (agency_id, year, kind, last_value) SELECT a.id, s.year, s.kind, s.last_value FROM number_sequences s, bench_agencies a WHERE s.agency_id = $1 AND a.agency > 1`,
    [agencyId],
  );
  // The seeded database is not reused after this (prepareDatabase reseeds when bench_meta is gone).
  await client.query(`DROP TABLE IF EXISTS bench_meta`);
  await client.query(`VACUUM ANALYZE cases`);
  await client.query(`VACUUM ANALYZE letter_numbers`);
  await client.query(`ANALYZE`);
  return ids;
}
