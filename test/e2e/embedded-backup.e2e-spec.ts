import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { deskApplication } from '../factories/applications';
import { apiOf, fingerprintRecords, seedAgencyHistory, type RecordFingerprint } from '../support/agency-history';
import { runBuilt, runTool, startService, type RunningService } from '../support/cli';

/**
 * The embedded database (PGlite in the service's process): backed up while the service serves, through the service
 * itself; restored with the service stopped; the same proofs as on a server. Run as processes, as an operator does
 * (PGlite cannot load inside Jest's module VM).
 */
describe('the restore drill on the embedded database', () => {
  const root = mkdtempSync(join(tmpdir(), 'ogi-desk-embedded-'));
  const dataDir = join(root, 'data');
  const backups = join(root, 'backups');
  const env = { EMBEDDED_DB_DIR: dataDir };
  let service: RunningService | null = null;
  let caseIds: string[];
  let before: RecordFingerprint;
  let backupDirectory: string;

  beforeAll(async () => {
    service = await startService(env);
    const api = apiOf(request(service.baseUrl));
    ({ caseIds } = await seedAgencyHistory(api));
    before = await fingerprintRecords(api, caseIds);
  }, 240_000);

  afterAll(async () => {
    await service?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a second service on the same directory (two processes would corrupt it)', async () => {
    const second = await runBuilt('main.js', [], { ...env, NODE_ENV: 'development', PORT: '0', JOBS_ENABLED: 'false' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/is running on .*data: stop it before starting another service on it/);
  });

  it('backs up while the service serves, through the service, from one instant', async () => {
    const api = apiOf(request(service!.baseUrl));
    const intake = await api.as('intake');
    const writes = Promise.all(
      Array.from({ length: 4 }, (_, index) => api.http.post('/api/applications').set(intake).send(deskApplication({ receivedAt: '2026-01-05', description: `备份期间登记的申请 ${index}` }))),
    );
    const run = await runTool('backup', ['--dir', backups], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const response of await writes) expect(response.status).toBe(201);
    [backupDirectory] = readdirSync(backups).map((name) => join(backups, name));
    const manifest = JSON.parse(readFileSync(join(backupDirectory, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ mode: 'embedded', file: 'pgdata.tar.gz', serverVersion: expect.stringContaining('PGlite') });
    expect(manifest.tableCounts.cases).toBeGreaterThanOrEqual(caseIds.length);
    expect(Object.keys(manifest.personalDataKeys)).toHaveLength(1);
  });

  it('refuses to restore while the service runs', async () => {
    const run = await runTool('restore', [backupDirectory], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is running on .*: stop it before restoring/);
  });

  it('after the directory is lost, restores it and the service serves the same records', async () => {
    expect(await service!.stop()).toBe(0);
    service = null;
    rmSync(dataDir, { recursive: true, force: true });
    const wrongKey = await runTool('restore', [backupDirectory], { ...env, PERSONAL_DATA_KEY: randomBytes(32).toString('base64') });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/encrypted with key [0-9a-f]{8}, but PERSONAL_DATA_KEY is key/);
    expect(existsSync(dataDir)).toBe(false);

    const run = await runTool('restore', [backupDirectory], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    service = await startService(env);
    const after = await fingerprintRecords(apiOf(request(service.baseUrl)), caseIds);
    expect(after).toEqual(before);
  });

  it('refuses to overwrite newer records without --force, and keeps the replaced directory when forced', async () => {
    const api = apiOf(request(service!.baseUrl));
    const newer = await api.http.post('/api/applications').set(await api.as('intake')).send(deskApplication({ receivedAt: '2025-12-20' })).expect(201);
    expect(await service!.stop()).toBe(0);
    service = null;
    const refused = await runTool('restore', [backupDirectory], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing to restore: .* holds records written after the backup .*cases/);
    const forced = await runTool('restore', [backupDirectory, '--force'], env);
    expect(forced.code).toBe(0);
    expect(readdirSync(root).some((name) => name.startsWith('data.before-restore-'))).toBe(true);
    service = await startService(env);
    const found = await request(service.baseUrl).get('/api/cases').query({ q: newer.body.caseNumber }).set(await apiOf(request(service.baseUrl)).as('intake')).expect(200);
    expect(found.body.total).toBe(0);
  });
});
