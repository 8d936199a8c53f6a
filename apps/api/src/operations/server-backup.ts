import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { checkPersonalDataKeys, type KeyCheck } from '../personal-data/personal-data-keys';
import {
  BackupError,
  backupStamp,
  checkKeysOpenBackup,
  MANIFEST_FORMAT,
  newerThanBackup,
  sha256OfFile,
  verifyBackupFile,
  writeManifest,
  type BackupManifest,
} from './backup-manifest';
import { appliedMigrations, keySamples, latestWrites, rowsOf, tableCounts, userTables, type Queryable } from './database-facts';

export const DUMP_FILE = 'database.dump';

/**
 * A PostgreSQL client program: from PG_BIN_DIR, else the newest of Debian's /usr/lib/postgresql/<version>/bin (pg_dump
 * must be at least as new as the server), else the PATH.
 */
export function postgresProgram(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.PG_BIN_DIR) return join(env.PG_BIN_DIR, name);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((version) => existsSync(join(root, version, 'bin', name)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(root, versions[0], 'bin', name);
  }
  return name;
}

export function runProgram(program: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => reject(new BackupError(`${program}: ${error.message}`)));
    child.once('exit', (code) => (code === 0 ? resolvePromise(output) : reject(new BackupError(`${program} exited with ${code}:\n${output}`))));
  });
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The manifest's facts, read in the transaction whose snapshot pg_dump copies, so they describe exactly the dump. */
async function describe(db: Queryable): Promise<Omit<BackupManifest, 'format' | 'mode' | 'createdAt' | 'file' | 'sizeBytes' | 'sha256'>> {
  const [{ version }] = await db.query(`SELECT current_setting('server_version') AS version`);
  return {
    serverVersion: version,
    migrations: await appliedMigrations(db),
    tableCounts: await tableCounts(db),
    latestWrites: await latestWrites(db),
    personalDataKeys: await keySamples(db),
  };
}

/**
 * `npm run backup` against a server: pg_dump's custom-format archive of the whole database (every table, the triggers
 * that keep the event log append-only, the sequences), taken from one snapshot while the service runs, plus its
 * manifest. The directory appears under its final name only once complete.
 */
export async function backupServer(url: string, root: string): Promise<{ directory: string; manifest: BackupManifest }> {
  const createdAt = new Date();
  const directory = resolve(root, `ogi-desk-server-${backupStamp(createdAt)}`);
  const partial = `${directory}.partial`;
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  try {
    const facts = await withClient(url, async (client) => {
      // The snapshot is exported from this transaction and held open until pg_dump has copied it.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const [{ snapshot }] = (await client.query(`SELECT pg_export_snapshot() AS snapshot`)).rows;
      const described = await describe(rowsOf(client));
      await runProgram(postgresProgram('pg_dump'), ['--format=custom', `--snapshot=${snapshot}`, `--file=${join(partial, DUMP_FILE)}`, `--dbname=${url}`]);
      await client.query('COMMIT');
      return described;
    });
    const file = join(partial, DUMP_FILE);
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      mode: 'server',
      createdAt: createdAt.toISOString(),
      file: DUMP_FILE,
      sizeBytes: statSync(file).size,
      sha256: await sha256OfFile(file),
      ...facts,
    };
    writeManifest(partial, manifest);
    renameSync(partial, directory);
    return { directory, manifest };
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

export interface RestoreResult {
  database: string;
  /** Where the database the restore replaced was kept, if there was one with tables. */
  keptAs: string | null;
  tableCounts: Record<string, number>;
  keyCheck: KeyCheck;
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * `npm run restore` onto a server, into the database DATABASE_URL names (created if missing). In order: the archive
 * matches its manifest; the configured key opens the backup's personal data; the target database has no one connected
 * (the service is stopped); it holds nothing written after the backup, unless `force`. A target with tables is kept
 * under a new name (`<name>_before_restore_<time>`), never dropped. After pg_restore, every table must hold the rows the
 * manifest counted and every key id in the data must open with the configured keys; otherwise the restored copy is
 * dropped and the kept database takes its name back.
 */
export async function restoreServer(url: string, directory: string, manifest: BackupManifest, cipher: PersonalDataCipher, options: { force: boolean }): Promise<RestoreResult> {
  if (manifest.mode !== 'server') throw new BackupError(`${directory} is a backup of the embedded database: restore it with EMBEDDED_DB_DIR set and no DATABASE_URL`);
  const archive = await verifyBackupFile(directory, manifest);
  checkKeysOpenBackup(manifest, cipher);
  const target = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!target) throw new BackupError('DATABASE_URL names no database');
  const maintenance = new URL(url);
  maintenance.pathname = target === 'postgres' ? '/template1' : '/postgres';

  let keptAs: string | null = null;
  let createdHere = false;
  await withClient(maintenance.toString(), async (admin) => {
    const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [target])).rowCount === 1;
    if (exists) {
      const [{ sessions }] = (await admin.query(`SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [target])).rows;
      if (sessions > 0) throw new BackupError(`database ${target} has ${sessions} open connection(s): stop the service (and anything else connected) before restoring`);
      const { tables, writes } = await withClient(url, async (client) => ({ tables: await userTables(rowsOf(client)), writes: await latestWrites(rowsOf(client)) }));
      if (tables.length) {
        const newer = newerThanBackup(manifest, writes);
        if (newer.length && !options.force) {
          throw new BackupError(
            `refusing to restore: database ${target} holds records written after the backup (${manifest.createdAt}) in ${newer.join(', ')}; they would be lost. Restore into another database, or pass --force (the current database is kept as ${target}_before_restore_…)`,
          );
        }
        keptAs = `${target.slice(0, 33)}_before_restore_${backupStamp().slice(0, 15).replace('T', '')}`;
        await admin.query(`ALTER DATABASE ${quoteIdentifier(target)} RENAME TO ${quoteIdentifier(keptAs)}`);
      }
    }
    if (!exists || keptAs) {
      await admin.query(`CREATE DATABASE ${quoteIdentifier(target)} TEMPLATE template0 ENCODING 'UTF8'`);
      createdHere = true;
    }
  });

  const undo = async () => {
    await withClient(maintenance.toString(), async (admin) => {
      if (createdHere) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(target)} WITH (FORCE)`);
      if (keptAs) await admin.query(`ALTER DATABASE ${quoteIdentifier(keptAs)} RENAME TO ${quoteIdentifier(target)}`);
    });
  };
  try {
    // Objects owned by whoever restores, and no grants: the roles of the backed-up server need not exist here.
    await runProgram(postgresProgram('pg_restore'), ['--exit-on-error', '--single-transaction', '--no-owner', '--no-acl', `--dbname=${url}`, archive]);
    return await withClient(url, async (client) => {
      const db = rowsOf(client);
      const counts = await tableCounts(db);
      const differences = Object.keys({ ...counts, ...manifest.tableCounts }).filter((table) => counts[table] !== manifest.tableCounts[table]);
      if (differences.length) {
        throw new BackupError(`the restored database differs from the backup in ${differences.map((table) => `${table} (${counts[table] ?? 'missing'} rows, backup ${manifest.tableCounts[table] ?? 'none'})`).join(', ')}`);
      }
      return { database: target, keptAs, tableCounts: counts, keyCheck: await checkPersonalDataKeys(db, cipher, 'full') };
    });
  } catch (error) {
    await undo();
    throw error;
  }
}
