import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { dataSourceOptions } from '../../migrations/data-source';
import { postgresProgram, runProgram } from '../../apps/api/src/operations/server-backup';
import { databaseUrl, dropDatabase, withAdminClient } from '../setup/database';
import { startTestApp, type TestApp } from '../setup/test-app';
import { apiOf, fingerprintRecords, seedAgencyHistory, type RecordFingerprint } from '../support/agency-history';

/**
 * The upgrade from the previous release (migrations/previous-release.json names its last migration). The fixture in
 * test/fixtures/previous-release/ is an agency's records as that release wrote them (seeded through its API; written by
 * `npm run release:fixture` at each release). The test builds a database from zero up to that release's migrations,
 * loads the records, runs every migration since, and proves each record of the previous schema unchanged, and the
 * new version serving the same letters, attachments, event log and annual report.
 */
const FIXTURE = join(__dirname, '../fixtures/previous-release');
const previousRelease: { release: string; lastMigration: string } = JSON.parse(readFileSync(join(__dirname, '../../migrations/previous-release.json'), 'utf8'));
const names = MIGRATIONS.map((migration) => new migration().name);
const releaseIndex = names.indexOf(previousRelease.lastMigration);

/**
 * Tables and rows a migration of this version deliberately rewrites (a data migration), by table: the test then does
 * not require them unchanged. Every entry says which migration and why.
 */
const CHANGED_BY_MIGRATIONS: Record<string, string> = {};

interface TableDigest {
  columns: string[];
  rows: number;
  digest: string;
}

interface Fixture {
  release: string;
  lastMigration: string;
  /** Tables whose rows the migrations themselves write (the official calendar): not in the dump, already there. */
  seededByMigrations: string[];
  tables: Record<string, TableDigest>;
  caseIds: string[];
  api: RecordFingerprint;
}

async function withDatabase<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Every row of every table, by the columns given (or all of them), as one digest per table; order-independent. */
async function digestTables(url: string, columnsOf?: Record<string, string[]>): Promise<Record<string, TableDigest>> {
  return withDatabase(url, async (client) => {
    const { rows } = await client.query<{ table_name: string; columns: string[] }>(
      `SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position) AS columns FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations' GROUP BY table_name`,
    );
    const present = new Map(rows.map((row) => [row.table_name, row.columns]));
    const digests: Record<string, TableDigest> = {};
    for (const table of Object.keys(columnsOf ?? Object.fromEntries(present)).sort()) {
      const columns = columnsOf?.[table] ?? present.get(table)!;
      if (!present.has(table)) throw new Error(`table ${table} of the previous release is gone`);
      const missing = columns.filter((column) => !present.get(table)!.includes(column));
      if (missing.length) throw new Error(`${table} lost the column(s) ${missing.join(', ')} the previous release wrote`);
      const row = `jsonb_build_object(${columns.map((column) => `'${column}', t."${column}"`).join(', ')})::text`;
      const [result] = (await client.query(`SELECT count(*)::int AS rows, coalesce(md5(string_agg(${row}, E'\\n' ORDER BY ${row})), '') AS digest FROM "${table}" t`)).rows;
      digests[table] = { columns, rows: result.rows, digest: result.digest };
    }
    return digests;
  });
}

async function createDatabase(name: string, migrationCount: number): Promise<string> {
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = databaseUrl(name);
  const dataSource = new DataSource({ ...dataSourceOptions(url, 1), migrations: MIGRATIONS.slice(0, migrationCount) });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
  return url;
}

const tablesWithRows = async (url: string) =>
  Object.entries(await digestTables(url))
    .filter(([, digest]) => digest.rows > 0)
    .map(([table]) => table);

describe('upgrade from the previous release: every migration from zero on a database holding its records', () => {
  const suffix = randomBytes(4).toString('hex');
  const databases: string[] = [];
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) {
      await app.app.close();
      await app.reads.close();
      await app.dataSource.destroy();
    }
    await withAdminClient(async (client) => {
      for (const name of databases) await dropDatabase(client, name);
    });
  });

  it('names a previous release this version knows', () => {
    expect(releaseIndex).toBeGreaterThanOrEqual(0);
  });

  if (process.env.UPDATE_RELEASE_FIXTURE) {
    it('writes the fixture of this release (npm run release:fixture)', async () => {
      if (releaseIndex !== names.length - 1) throw new Error(`previous-release.json must name this release's last migration (${names.at(-1)}) before its fixture is written`);
      const empty = `ogi_desk_test_fixture_empty_${suffix}`;
      const seeded = `ogi_desk_test_fixture_${suffix}`;
      databases.push(empty, seeded);
      const seededByMigrations = await tablesWithRows(await createDatabase(empty, names.length));
      const url = await createDatabase(seeded, names.length);
      const t = await startTestApp({}, { databaseUrl: url });
      apps.push(t);
      const { caseIds } = await seedAgencyHistory(apiOf(t.http));
      const api = await fingerprintRecords(apiOf(t.http), caseIds);
      mkdirSync(FIXTURE, { recursive: true });
      await runProgram(postgresProgram('pg_dump'), [
        '--format=custom',
        '--data-only',
        '--exclude-table-data=typeorm_migrations',
        ...seededByMigrations.map((table) => `--exclude-table-data=${table}`),
        `--file=${join(FIXTURE, 'data.dump')}`,
        `--dbname=${url}`,
      ]);
      const tables = await digestTables(url);
      const fixture: Fixture = { ...previousRelease, seededByMigrations, tables, caseIds, api };
      writeFileSync(join(FIXTURE, 'expected.json'), `${JSON.stringify(fixture, null, 1)}\n`);
    }, 300_000);
    return;
  }

  it('loads the previous release’s records, runs every later migration, and keeps every record and what the API serves', async () => {
    if (!existsSync(join(FIXTURE, 'expected.json'))) throw new Error(`${FIXTURE} is missing: npm run release:fixture writes it`);
    const fixture: Fixture = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8'));
    if (fixture.lastMigration !== previousRelease.lastMigration) {
      throw new Error(`the fixture is of ${fixture.lastMigration}, previous-release.json names ${previousRelease.lastMigration}: at a release, run npm run release:fixture`);
    }
    const name = `ogi_desk_test_upgrade_${suffix}`;
    databases.push(name);
    // From zero to the previous release, then its records.
    const url = await createDatabase(name, releaseIndex + 1);
    await runProgram(postgresProgram('pg_restore'), ['--data-only', '--single-transaction', '--exit-on-error', '--no-owner', `--dbname=${url}`, join(FIXTURE, 'data.dump')]);
    // The tables the migrations fill (the official calendar) are the migrations' own, dated when they ran: the records
    // compared are those of the fixture.
    const records = Object.fromEntries(Object.entries(fixture.tables).filter(([table]) => !fixture.seededByMigrations.includes(table)));
    const columnsOf = Object.fromEntries(Object.entries(records).map(([table, digest]) => [table, digest.columns]));
    expect(await digestTables(url, columnsOf)).toEqual(records);

    // Every migration since the previous release, as the new version's start would run them.
    const dataSource = new DataSource(dataSourceOptions(url, 1));
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();
    expect(applied.map((migration) => migration.name)).toEqual(names.slice(releaseIndex + 1));

    const after = await digestTables(url, columnsOf);
    for (const [table, digest] of Object.entries(records)) {
      if (CHANGED_BY_MIGRATIONS[table]) continue;
      expect({ table, ...after[table] }).toEqual({ table, ...digest });
    }

    // The new version serves the same letters (SHA-256), attachments, disputes, event counts and annual report.
    const t = await startTestApp({}, { databaseUrl: url });
    apps.push(t);
    const served = await fingerprintRecords(apiOf(t.http), fixture.caseIds);
    expect(served.letters).toEqual(fixture.api.letters);
    expect(served.attachments).toEqual(fixture.api.attachments);
    expect(served.disputes).toEqual(fixture.api.disputes);
    // The figures of the report; what a later release adds beside them (the labels of the national format) is not data.
    const figures = (reports: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(reports).map(([year, report]) => [year, { applications: (report as Record<string, unknown>).applications, disputes: (report as Record<string, unknown>).disputes }]));
    expect(figures(served.reports)).toEqual(figures(fixture.api.reports));
    expect(Object.fromEntries(Object.entries(served.events).map(([caseNumber, { count }]) => [caseNumber, count]))).toEqual(
      Object.fromEntries(Object.entries(fixture.api.events).map(([caseNumber, { count }]) => [caseNumber, count])),
    );
  }, 180_000);
});
