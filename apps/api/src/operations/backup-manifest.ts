import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { PersonalDataKeyError } from '../personal-data/personal-data-cipher';
import type { KeySample } from './database-facts';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'ogi-desk-backup/1';

/**
 * What a backup directory says of itself (`manifest.json` beside the data): enough to check the copy is whole, that
 * the configured key opens it, and whether restoring it would overwrite something newer — all before a database is
 * touched. It never holds a key, a clear identity number or a query code.
 */
export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  /** `server`: a pg_dump archive (custom format); `embedded`: the PGlite data directory as a gzipped tar. */
  mode: 'server' | 'embedded';
  createdAt: string;
  file: string;
  sizeBytes: number;
  sha256: string;
  serverVersion: string;
  /** The migrations applied in the backed-up database, in order (the last names its schema version). */
  migrations: string[];
  /** Rows per table at the backup's snapshot: a restore gives back exactly these. */
  tableCounts: Record<string, number>;
  /** Per table, the latest record written (database-facts.ts latestWrites): "is the target newer?" compares these. */
  latestWrites: Record<string, string>;
  /** The personal-data key ids the data needs, each with one ciphertext to prove a key opens it. */
  personalDataKeys: Record<string, KeySample>;
}

export class BackupError extends Error {}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function writeManifest(directory: string, manifest: BackupManifest): void {
  writeFileSync(join(directory, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

export function readManifest(directory: string): BackupManifest {
  const path = join(directory, MANIFEST_FILE);
  if (!existsSync(path)) throw new BackupError(`${directory} is not a backup: it has no ${MANIFEST_FILE}`);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  if (manifest.format !== MANIFEST_FORMAT) throw new BackupError(`${path}: unknown backup format ${String(manifest.format)}`);
  return manifest;
}

/** The data file is the one the manifest describes: same size, same SHA-256. */
export async function verifyBackupFile(directory: string, manifest: BackupManifest): Promise<string> {
  const path = join(directory, manifest.file);
  if (!existsSync(path)) throw new BackupError(`${path} is missing`);
  const size = statSync(path).size;
  const sha256 = await sha256OfFile(path);
  if (size !== manifest.sizeBytes || sha256 !== manifest.sha256) {
    throw new BackupError(`${path} is damaged: ${size} bytes with SHA-256 ${sha256}, the manifest says ${manifest.sizeBytes} bytes with ${manifest.sha256}`);
  }
  return path;
}

/**
 * The configured keys open a value of every key id the backup needs: checked before a restore touches anything, so a
 * wrong PERSONAL_DATA_KEY fails at once with the key id it lacks.
 */
export function checkKeysOpenBackup(manifest: BackupManifest, cipher: PersonalDataCipher): void {
  for (const [keyId, sample] of Object.entries(manifest.personalDataKeys)) {
    if (!cipher.canRead(keyId)) {
      throw new PersonalDataKeyError(
        `the backup's personal data is encrypted with key ${keyId}, but PERSONAL_DATA_KEY is key ${cipher.keyId}${cipher.readableKeyIds.length > 1 ? ` (old keys ${cipher.readableKeyIds.slice(1).join(', ')})` : ''}: restore with the key the backup was written with (keep every key as long as a backup needs it)`,
      );
    }
    cipher.decrypt(sample.field, sample.value);
  }
}

/**
 * The tables in which `current` holds records written after the backup's latest write: what a restore would lose.
 * A database with no records, or only older ones, gives none.
 */
export function newerThanBackup(manifest: BackupManifest, current: Record<string, string>): string[] {
  const backupLatest = Object.values(manifest.latestWrites).sort().at(-1) ?? '';
  return Object.entries(current)
    .filter(([, at]) => at > backupLatest)
    .map(([table, at]) => `${table} (${at})`);
}

/** `YYYYMMDDTHHMMSSmmmZ`: sorts as it reads, safe in a file name. */
export function backupStamp(at = new Date()): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/**
 * Retention: keep the newest `keep` backups of the directory (those with a manifest, by creation time) and delete the
 * older ones. Directories without a manifest — an unfinished backup, anything else — are never touched.
 */
export function pruneBackups(root: string, keep: number): string[] {
  if (!existsSync(root)) return [];
  const backups = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, MANIFEST_FILE)))
    .map((entry) => {
      try {
        return { path: join(root, entry.name), createdAt: readManifest(join(root, entry.name)).createdAt };
      } catch {
        return null;
      }
    })
    .filter((entry): entry is { path: string; createdAt: string } => entry !== null)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const removed = backups.slice(keep).map((entry) => entry.path);
  for (const path of removed) rmSync(path, { recursive: true, force: true });
  return removed;
}
