import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { deskApplication } from '../factories/applications';
import { databaseUrl, dropDatabase, withAdminClient } from '../setup/database';
import { startTestApp, type TestApp } from '../setup/test-app';
import { apiOf, fingerprintRecords, seedAgencyHistory, type RecordFingerprint } from '../support/agency-history';
import { runBuilt, runTool } from '../support/cli';

/**
 * The event log of the given cases (every column of every event, in order), their issued letters' and attachments'
 * hashes, straight from SQL.
 */
async function storedRecords(url: string, caseIds: string[]) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const events = await client.query(
      `SELECT c.case_number, count(*)::int AS count, md5(string_agg(to_jsonb(e)::text, E'\\n' ORDER BY e.sequence)) AS digest
         FROM cases c JOIN case_events e ON e.case_id = c.id WHERE c.id = ANY($1::uuid[]) GROUP BY c.case_number ORDER BY 1`,
      [caseIds],
    );
    const letters = await client.query(
      `SELECT id, kind, number, sha256, encode(sha256(content_pdf), 'hex') AS actual FROM letters WHERE status = 'issued' AND case_id = ANY($1::uuid[]) ORDER BY id`,
      [caseIds],
    );
    const attachments = await client.query(`SELECT id, filename, sha256, encode(sha256(content), 'hex') AS actual FROM attachments WHERE case_id = ANY($1::uuid[]) ORDER BY id`, [caseIds]);
    // The cases registered while the backup ran: each is in the backup whole (its event and receipt) or not at all.
    const others = await client.query(
      `SELECT c.case_number, (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id) AS events,
              (SELECT count(*)::int FROM letters l WHERE l.case_id = c.id AND l.kind = 'receipt' AND l.status = 'issued') AS receipts
         FROM cases c WHERE NOT (c.id = ANY($1::uuid[]))`,
      [caseIds],
    );
    return { events: events.rows, letters: letters.rows, attachments: attachments.rows, others: others.rows as { events: number; receipts: number }[] };
  } finally {
    await client.end();
  }
}

const databaseExists = (name: string) => withAdminClient(async (client) => (await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1);

describe('the restore drill on a PostgreSQL server: seed through the API, back up, destroy, restore into a new database, nothing lost', () => {
  const root = mkdtempSync(join(tmpdir(), 'ogi-desk-backups-'));
  const suffix = randomBytes(4).toString('hex');
  const restoredName = `ogi_desk_test_restored_${suffix}`;
  const otherName = `ogi_desk_test_restored_other_${suffix}`;
  const created = new Set<string>([restoredName, otherName]);
  let original: TestApp | null = null;
  let restored: TestApp | null = null;
  let caseIds: string[];
  let before: RecordFingerprint;
  let storedBefore: Awaited<ReturnType<typeof storedRecords>>;
  let backupDirectory: string;

  beforeAll(async () => {
    original = await startTestApp();
    ({ caseIds } = await seedAgencyHistory(apiOf(original.http)));
    before = await fingerprintRecords(apiOf(original.http), caseIds);
    storedBefore = await storedRecords(databaseUrl(original.databaseName), caseIds);
  }, 180_000);

  afterAll(async () => {
    await original?.close();
    if (restored) {
      await restored.app.close();
      await restored.reads.close();
      await restored.dataSource.destroy();
    }
    await withAdminClient(async (client) => {
      const kept = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`ogi_desk_test_restored_%${suffix}%`]);
      for (const name of [...created, ...kept.rows.map((row: { datname: string }) => row.datname)]) await dropDatabase(client, name);
    });
    rmSync(root, { recursive: true, force: true });
  });

  it('seeds every letter kind the workflow issues, attachments and disputes', () => {
    expect(before.letterKinds).toEqual(
      [
        'agency_consultation',
        'consultation_notice',
        'correction_reply',
        'delay_notice',
        'disclosure_decision_notice',
        'extension_notice',
        'fee_notice',
        'reasons_request',
        'receipt',
        'reply',
        'supplement_notice',
        'third_party_consultation',
      ].sort(),
    );
    expect(Object.keys(before.attachments)).toHaveLength(2);
    expect(Object.values(before.disputes).flat()).toHaveLength(2);
    expect(Object.values(before.letters).filter((letter) => letter.status === 'issued').length).toBeGreaterThanOrEqual(15);
    // What the API serves is what was frozen.
    for (const letter of Object.values(before.letters)) expect(letter.servedSha256).toBe(letter.sha256);
  });

  it('backs up while the service keeps registering cases: one consistent snapshot, counted in the manifest', async () => {
    const api = apiOf(original!.http);
    const intake = await api.as('intake');
    const writes = Promise.all(
      Array.from({ length: 6 }, (_, index) => original!.http.post('/api/applications').set(intake).send(deskApplication({ receivedAt: '2026-01-05', description: `备份期间登记的申请 ${index}` }))),
    );
    const run = await runTool('backup', ['--dir', root], { DATABASE_URL: databaseUrl(original!.databaseName) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const response of await writes) expect(response.status).toBe(201);
    [backupDirectory] = readdirSync(root).map((name) => join(root, name));
    expect(run.stdout).toContain(backupDirectory);
    const manifest = JSON.parse(readFileSync(join(backupDirectory, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'ogi-desk-backup/1', mode: 'server', file: 'database.dump' });
    // The migrations applied: every one this release has, the last named last.
    expect(manifest.migrations.at(-1)).toBe(MIGRATIONS.at(-1)!.name);
    expect(manifest.tableCounts.cases).toBeGreaterThanOrEqual(caseIds.length);
    expect(manifest.tableCounts.cases).toBeLessThanOrEqual(caseIds.length + 6);
    // A key id and a ciphertext to test a key with; never a clear number or the key.
    expect(Object.keys(manifest.personalDataKeys)).toHaveLength(1);
    expect(JSON.stringify(manifest)).not.toContain('11010519491231002X');
  });

  it('destroys the database and restores into a new one: same event log, letters, attachments, disputes and annual report', async () => {
    const originalName = original!.databaseName;
    await original!.close();
    original = null;
    expect(await databaseExists(originalName)).toBe(false);

    const run = await runTool('restore', [backupDirectory], { DATABASE_URL: databaseUrl(restoredName) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/as the manifest counted/);
    expect(run.stdout).toMatch(/personal data opens with the configured key/);

    restored = await startTestApp({}, { databaseUrl: databaseUrl(restoredName) });
    const after = await fingerprintRecords(apiOf(restored.http), caseIds);
    expect(after).toEqual(before);
    const { others, ...storedAfter } = await storedRecords(databaseUrl(restoredName), caseIds);
    expect({ ...storedAfter, others: [] }).toEqual(storedBefore);
    expect(others.length).toBeLessThanOrEqual(6);
    for (const other of others) expect(other).toMatchObject({ events: 1, receipts: 1 });
    for (const letter of storedAfter.letters) expect(letter.actual).toBe(letter.sha256);
    for (const attachment of storedAfter.attachments) expect(attachment.actual).toBe(attachment.sha256);
    // The restored service goes on: numbering continues, the event log is still append-only.
    const next = await restored.http.post('/api/applications').set(await restored.as('intake')).send(deskApplication({ receivedAt: '2025-12-16' })).expect(201);
    expect(next.body.caseNumber).toMatch(/第\d{5}号/);
    await expect(restored.dataSource.query(`DELETE FROM case_events`)).rejects.toThrow(/append-only/);
  });

  it('refuses to restore over a database that is in use, or holds newer records, unless --force; a forced restore keeps the replaced database', async () => {
    const url = databaseUrl(restoredName);
    const busy = await runTool('restore', [backupDirectory], { DATABASE_URL: url });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/open connection\(s\): stop the service/);

    // The restored database has the case registered after the backup: stop the service, then try.
    await restored!.app.close();
    await restored!.reads.close();
    await restored!.dataSource.destroy();
    restored = null;
    const refused = await runTool('restore', [backupDirectory], { DATABASE_URL: url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing to restore: database ogi_desk_test_restored_\w+ holds records written after the backup .* in .*cases/);
    expect(refused.stderr).toContain('--force');
    const countCases = async (name: string) => {
      const client = new Client({ connectionString: databaseUrl(name) });
      await client.connect();
      try {
        return (await client.query(`SELECT count(*)::int AS count FROM cases`)).rows[0].count as number;
      } finally {
        await client.end();
      }
    };
    const withNewer = await countCases(restoredName);

    const forced = await runTool('restore', [backupDirectory, '--force'], { DATABASE_URL: url });
    expect(forced.code).toBe(0);
    const keptAs = /kept as (\S+)/.exec(forced.stdout)![1];
    created.add(keptAs);
    expect(await countCases(restoredName)).toBe(withNewer - 1);
    expect(await countCases(keptAs)).toBe(withNewer);
  });

  it('fails before touching anything when PERSONAL_DATA_KEY does not open the backup, or the archive is damaged', async () => {
    const wrongKey = randomBytes(32).toString('base64');
    const run = await runTool('restore', [backupDirectory], { DATABASE_URL: databaseUrl(otherName), PERSONAL_DATA_KEY: wrongKey });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the backup's personal data is encrypted with key [0-9a-f]{8}, but PERSONAL_DATA_KEY is key [0-9a-f]{8}/);
    expect(await databaseExists(otherName)).toBe(false);

    const damaged = join(root, 'damaged');
    cpSync(backupDirectory, damaged, { recursive: true });
    const archive = readFileSync(join(damaged, 'database.dump'));
    archive[archive.length >> 1] ^= 0xff;
    writeFileSync(join(damaged, 'database.dump'), archive);
    const broken = await runTool('restore', [damaged], { DATABASE_URL: databaseUrl(otherName) });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/database\.dump is damaged/);
    expect(await databaseExists(otherName)).toBe(false);
    rmSync(damaged, { recursive: true });
  });

  it('the service refuses to start on restored data its key does not open, before it listens', async () => {
    const wrongKey = randomBytes(32).toString('hex');
    const run = await runBuilt('main.js', [], { DATABASE_URL: databaseUrl(restoredName), PERSONAL_DATA_KEY: wrongKey, NODE_ENV: 'development', PORT: '0', SEED_DEMO: 'false' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/applicant_id_number was encrypted with key [0-9a-f]{8}, but PERSONAL_DATA_KEY is key [0-9a-f]{8}/);
    expect(run.stdout).not.toContain('is running');
  });
});
