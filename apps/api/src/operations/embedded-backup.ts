import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_EXTENSIONS } from '../database/embedded-postgres';
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
import { appliedMigrations, keySamples, latestWrites, rowsOf, tableCounts, type Queryable } from './database-facts';

export const DATA_DIR_FILE = 'pgdata.tar.gz';

async function withPGlite<T>(options: ConstructorParameters<typeof PGlite>[0], work: (db: Queryable) => Promise<T>): Promise<T> {
  const db = await PGlite.create({ ...(options as object), extensions: PGLITE_EXTENSIONS });
  try {
    return await work(rowsOf(db));
  } finally {
    await db.close();
  }
}

/**
 * A backup of the embedded database: the data directory as PGlite dumps it (between two queries, so it is what a
 * crash at that instant would leave, which PostgreSQL's recovery makes consistent), opened once in memory to prove it
 * opens and to describe exactly what it holds. `dump` is the running service's (through its control socket) or, with
 * the service stopped, a PGlite opened on the directory by the tool itself.
 */
export async function backupEmbedded(dump: () => Promise<Buffer>, root: string): Promise<{ directory: string; manifest: BackupManifest }> {
  const createdAt = new Date();
  const directory = resolve(root, `ogi-desk-embedded-${backupStamp(createdAt)}`);
  const partial = `${directory}.partial`;
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  try {
    const tarball = await dump();
    const file = join(partial, DATA_DIR_FILE);
    writeFileSync(file, tarball, { mode: 0o600 });
    const facts = await withPGlite({ loadDataDir: new Blob([tarball]) }, async (db) => {
      const [{ version }] = await db.query(`SELECT current_setting('server_version') AS version`);
      return {
        serverVersion: `${version} (PGlite)`,
        migrations: await appliedMigrations(db),
        tableCounts: await tableCounts(db),
        latestWrites: await latestWrites(db),
        personalDataKeys: await keySamples(db),
      };
    });
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      mode: 'embedded',
      createdAt: createdAt.toISOString(),
      file: DATA_DIR_FILE,
      sizeBytes: tarball.length,
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

/** The data directory of a stopped embedded database, dumped by a PGlite the tool opens on it. */
export async function dumpStoppedDataDir(dataDir: string): Promise<Buffer> {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new BackupError(`${resolve(dataDir)} holds no embedded database`);
  const db = await PGlite.create({ dataDir: resolve(dataDir), extensions: PGLITE_EXTENSIONS });
  try {
    return Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
  } finally {
    await db.close();
  }
}

export interface EmbeddedRestoreResult {
  dataDir: string;
  keptAs: string | null;
  tableCounts: Record<string, number>;
  keyCheck: KeyCheck;
}

/**
 * `npm run restore` of the embedded database into EMBEDDED_DB_DIR, with the service stopped (the caller checks its
 * control socket). The same checks as on a server: the archive matches its manifest, the key opens the backup, the
 * current directory holds nothing newer unless `force`; the current directory is kept beside it
 * (`<dir>.before-restore-<time>`), and put back if the restored copy does not count and open as the manifest says.
 */
export async function restoreEmbedded(dataDir: string, directory: string, manifest: BackupManifest, cipher: PersonalDataCipher, options: { force: boolean }): Promise<EmbeddedRestoreResult> {
  if (manifest.mode !== 'embedded') throw new BackupError(`${directory} is a backup of a PostgreSQL server: restore it with DATABASE_URL set`);
  const archive = await verifyBackupFile(directory, manifest);
  checkKeysOpenBackup(manifest, cipher);
  const target = resolve(dataDir);
  let keptAs: string | null = null;
  if (existsSync(join(target, 'PG_VERSION'))) {
    const writes = await withPGlite({ dataDir: target }, (db) => latestWrites(db));
    const newer = newerThanBackup(manifest, writes);
    if (newer.length && !options.force) {
      throw new BackupError(
        `refusing to restore: ${target} holds records written after the backup (${manifest.createdAt}) in ${newer.join(', ')}; they would be lost. Restore into another EMBEDDED_DB_DIR, or pass --force (the current directory is kept as ${target}.before-restore-…)`,
      );
    }
  }
  if (existsSync(target)) {
    keptAs = `${target}.before-restore-${backupStamp()}`;
    renameSync(target, keptAs);
  }
  try {
    mkdirSync(target, { recursive: true, mode: 0o700 });
    const result = await withPGlite({ dataDir: target, loadDataDir: new Blob([readFileSync(archive)]) }, async (db) => {
      const counts = await tableCounts(db);
      const differences = Object.keys({ ...counts, ...manifest.tableCounts }).filter((table) => counts[table] !== manifest.tableCounts[table]);
      if (differences.length) throw new BackupError(`the restored database differs from the backup in ${differences.join(', ')}`);
      return { tableCounts: counts, keyCheck: await checkPersonalDataKeys(db, cipher, 'full') };
    });
    return { dataDir: target, keptAs, ...result };
  } catch (error) {
    rmSync(target, { recursive: true, force: true });
    if (keptAs) renameSync(keptAs, target);
    throw error;
  }
}
