import { storedKeyId, type PersonalDataField } from '../personal-data/personal-data-cipher';
import { ENCRYPTED_COLUMNS } from '../personal-data/personal-data-keys';

/** What the operations tools need of a connection: a server's `pg` client, TypeORM's DataSource or PGlite, adapted. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any[]>;
}

/** Rows of `{ rows }`-shaped results (pg's Client, PGlite) as a Queryable. */
export function rowsOf(db: { query(sql: string, parameters?: unknown[]): Promise<{ rows: unknown[] }> }): Queryable {
  return { query: async (sql, parameters) => (await db.query(sql, parameters)).rows };
}

/**
 * Tables whose rows are working state, not records: sign-ins, the job queue (the clock sweep adds one a day wherever a
 * service runs), the migrations table. A change in them alone does not make a database "newer" than a backup.
 */
const OPERATIONAL_TABLES = new Set(['auth_sessions', 'jobs', 'typeorm_migrations']);
/** Columns that date a row's writing (future-dated ones, such as jobs.run_at or a session's expiry, are not among them). */
const WRITTEN_AT_COLUMNS = ['created_at', 'updated_at', 'at'];

export async function userTables(db: Queryable): Promise<string[]> {
  const rows: { name: string }[] = await db.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

/** Rows per table, every table of the schema: what a restore must give back, table by table. */
export async function tableCounts(db: Queryable): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await userTables(db)) {
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM "${table}"`);
    counts[table] = count;
  }
  return counts;
}

/**
 * Per table, the latest time a record was written (ISO), over every timestamp column named created_at, updated_at or
 * at — generic, so tables added later count without a change here. Operational tables are left out.
 */
export async function latestWrites(db: Queryable): Promise<Record<string, string>> {
  const columns: { table_name: string; column_name: string }[] = await db.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type = 'timestamp with time zone' AND column_name = ANY($1) ORDER BY 1, 2`,
    [WRITTEN_AT_COLUMNS],
  );
  const byTable = new Map<string, string[]>();
  for (const { table_name: table, column_name: column } of columns) {
    if (OPERATIONAL_TABLES.has(table)) continue;
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  }
  const latest: Record<string, string> = {};
  for (const [table, names] of byTable) {
    const [{ at }] = await db.query(
      `SELECT to_char(GREATEST(${names.map((name) => `max("${name}")`).join(', ')}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM "${table}"`,
    );
    if (at) latest[table] = at;
  }
  return latest;
}

/** The latest of latestWrites, or null for a database with no records. */
export function latestOf(writes: Record<string, string>): string | null {
  const values = Object.values(writes).sort();
  return values.at(-1) ?? null;
}

/** Applied migrations by name, in the order they ran; [] when the database has no migrations table. */
export async function appliedMigrations(db: Queryable): Promise<string[]> {
  const [{ present }] = await db.query(`SELECT to_regclass('typeorm_migrations') IS NOT NULL AS present`);
  if (!present) return [];
  const rows: { name: string }[] = await db.query(`SELECT name FROM typeorm_migrations ORDER BY id`);
  return rows.map((row) => row.name);
}

export interface KeySample {
  field: PersonalDataField;
  value: string;
}

/**
 * One stored value per key id in use: a backup's manifest carries them (they are ciphertexts already in the dump, so
 * they reveal nothing more) so that a restore can prove the configured key opens the data before it touches a database.
 */
export async function keySamples(db: Queryable): Promise<Record<string, KeySample>> {
  const samples: Record<string, KeySample> = {};
  const tables = new Set(await userTables(db));
  for (const { table, column, field } of ENCRYPTED_COLUMNS) {
    if (!tables.has(table)) continue;
    const rows: { value: string }[] = await db.query(
      `SELECT DISTINCT ON (split_part(${column}, ':', 2)) ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL ORDER BY split_part(${column}, ':', 2)`,
    );
    for (const { value } of rows) {
      const keyId = storedKeyId(value);
      if (keyId && !samples[keyId]) samples[keyId] = { field, value };
    }
  }
  return samples;
}
