import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FORMAT, newerThanBackup, pruneBackups, writeManifest, type BackupManifest } from './backup-manifest';

const manifest = (createdAt: string, latestWrites: Record<string, string> = {}): BackupManifest => ({
  format: MANIFEST_FORMAT,
  mode: 'server',
  createdAt,
  file: 'database.dump',
  sizeBytes: 0,
  sha256: '',
  serverVersion: '15',
  migrations: [],
  tableCounts: {},
  latestWrites,
  personalDataKeys: {},
});

describe('backup retention and the newer-database check', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'ogi-desk-retention-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the newest N backups by their manifest and never touches anything without one', () => {
    for (const day of ['01', '02', '03', '04']) {
      mkdirSync(join(root, `b-${day}`));
      writeManifest(join(root, `b-${day}`), manifest(`2026-03-${day}T02:00:00.000Z`));
    }
    mkdirSync(join(root, 'unfinished.partial'));
    writeFileSync(join(root, 'notes.txt'), 'x');
    const removed = pruneBackups(root, 2);
    expect(removed.map((path) => path.slice(root.length + 1)).sort()).toEqual(['b-01', 'b-02']);
    expect(readdirSync(root).sort()).toEqual(['b-03', 'b-04', 'notes.txt', 'unfinished.partial']);
  });

  it('calls a database newer when any table holds a record written after the backup’s latest', () => {
    const backup = manifest('2026-03-05T00:00:00.000Z', { cases: '2026-03-04T10:00:00.000000Z', letters: '2026-03-04T11:00:00.000000Z' });
    expect(newerThanBackup(backup, { cases: '2026-03-04T10:00:00.000000Z', letters: '2026-03-04T11:00:00.000000Z' })).toEqual([]);
    expect(newerThanBackup(backup, { cases: '2026-03-04T09:00:00.000000Z' })).toEqual([]);
    expect(newerThanBackup(backup, { cases: '2026-03-06T08:00:00.000000Z', letters: '2026-03-04T11:00:00.000000Z' })).toEqual(['cases (2026-03-06T08:00:00.000000Z)']);
    // An empty backup: anything written is newer.
    expect(newerThanBackup(manifest('2026-03-05T00:00:00.000Z'), { agencies: '2026-01-01T00:00:00.000000Z' })).toHaveLength(1);
  });
});
