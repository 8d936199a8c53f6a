import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_PERSONAL_DATA_KEY, PersonalDataCipher } from '../../apps/api/src/personal-data/personal-data-cipher';
import { checkPersonalDataKeys, personalDataKeyUsage } from '../../apps/api/src/personal-data/personal-data-keys';
import { deskApplication, PERSON_ID, PERSON_PHONE, personApplicant } from '../factories/applications';
import { databaseUrl } from '../setup/database';
import { startTestApp, type TestApp } from '../setup/test-app';
import { runTool } from '../support/cli';

const NEW_KEY = randomBytes(32).toString('base64');
const oldCipher = new PersonalDataCipher(DEVELOPMENT_PERSONAL_DATA_KEY);
const newCipher = new PersonalDataCipher(NEW_KEY);
const SSO_SECRET = 'client-secret-issued-by-the-identity-system';

/**
 * PERSONAL_DATA_KEY rotation while the service serves: restarted with the new key and the old one in
 * PERSONAL_DATA_OLD_KEYS, it reads everything and finds every applicant; `npm run rotate-key` re-encrypts and re-keys
 * the blind index; then the old key can go.
 */
describe('rotating PERSONAL_DATA_KEY', () => {
  let before: TestApp;
  let during: TestApp | null = null;
  let after: TestApp | null = null;
  const caseIds: string[] = [];

  beforeAll(async () => {
    before = await startTestApp();
    for (const day of ['03', '04', '05']) {
      const created = await before.http.post('/api/applications').set(await before.as('intake')).send(deskApplication({ receivedAt: `2025-11-${day}` })).expect(201);
      caseIds.push(created.body.id);
    }
    const other = await before.http
      .post('/api/applications')
      .set(await before.as('intake'))
      .send(deskApplication({ receivedAt: '2025-11-05', applicant: personApplicant({ idType: 'passport', idNumber: 'E12345678', name: '李四', phone: undefined }) }))
      .expect(201);
    caseIds.push(other.body.id);
    // The agency's single sign-on client secret is kept under the same key (not enabled: saved without its provider).
    await before.http
      .put('/api/admin/sso')
      .set(await before.as('admin'))
      .send({ enabled: false, providerName: '统一身份认证平台', issuer: 'https://ids.example.gov.cn', clientId: 'ogi-desk', clientSecret: SSO_SECRET, matchBy: 'username' })
      .expect(200);
  });

  afterAll(async () => {
    for (const t of [during, after]) await t?.close();
    await before.close();
  });

  it('runs on the new key with the old one still read: views, reveals, search and the applicant’s history work across both keys', async () => {
    during = await startTestApp({ PERSONAL_DATA_KEY: NEW_KEY, PERSONAL_DATA_OLD_KEYS: DEVELOPMENT_PERSONAL_DATA_KEY }, { shareDatabaseOf: before });
    const revealed = await during.http.get(`/api/cases/${caseIds[0]}/personal-data`).query({ reason: '核验身份' }).set(await during.as('intake')).expect(200);
    expect(revealed.body).toMatchObject({ idNumber: PERSON_ID, phone: PERSON_PHONE });
    // Written now: under the new key, with the new key's blind index.
    const fresh = await during.http.post('/api/applications').set(await during.as('intake')).send(deskApplication({ receivedAt: '2025-11-06' })).expect(201);
    caseIds.push(fresh.body.id);
    const [row] = await during.dataSource.query(`SELECT applicant_id_number_ciphertext AS id, applicant_id_blind_index AS blind FROM cases WHERE id = $1`, [fresh.body.id]);
    expect(row.id.split(':')[1]).toBe(newCipher.keyId);
    expect(row.blind).toBe(newCipher.blindIndex(PERSON_ID));
    // The applicant's three earlier cases (old key's index) are found from the new one, and by a search for the number.
    const view = await during.http.get(`/api/cases/${fresh.body.id}`).set(await during.as('intake')).expect(200);
    expect(view.body.applicantHistory.total).toBe(3);
    expect(view.body.applicantHistory.sameMonth).toBe(3);
    const found = await during.http.get('/api/cases').query({ q: PERSON_ID }).set(await during.as('intake')).expect(200);
    expect(found.body.total).toBe(4);
    expect(await personalDataKeyUsage(during.dataSource)).toEqual({ [oldCipher.keyId]: 8, [newCipher.keyId]: 2 });
  });

  it('npm run rotate-key re-encrypts every value and re-keys the blind index while the service writes', async () => {
    const env = { DATABASE_URL: databaseUrl(before.databaseName), PERSONAL_DATA_KEY: NEW_KEY, PERSONAL_DATA_OLD_KEYS: DEVELOPMENT_PERSONAL_DATA_KEY };
    const writes = Promise.all(
      Array.from({ length: 4 }, async () => during!.http.post('/api/applications').set(await during!.as('intake')).send(deskApplication({ receivedAt: '2025-11-07' }))),
    );
    const run = await runTool('rotate-key', ['--batch', '2'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/rows re-encrypted/);
    for (const response of await writes) {
      expect(response.status).toBe(201);
      caseIds.push(response.body.id);
    }
    expect(Object.keys(await personalDataKeyUsage(during!.dataSource))).toEqual([newCipher.keyId]);
    const rows: { id: string; blind: string }[] = await during!.dataSource.query(`SELECT applicant_id_number_ciphertext AS id, applicant_id_blind_index AS blind FROM cases`);
    for (const row of rows) expect(row.blind).toBe(newCipher.blindIndex(newCipher.decrypt('applicant_id_number', row.id)));
    const [sso] = await during!.dataSource.query(`SELECT client_secret_ciphertext AS secret FROM sso_configurations`);
    expect(newCipher.decrypt('sso_client_secret', sso.secret)).toBe(SSO_SECRET);
    const check = await runTool('rotate-key', ['--check'], env);
    expect(check.stdout).toMatch(new RegExp(`${newCipher.keyId} \\(current\\): \\d+`));
    expect(check.stdout).not.toContain(oldCipher.keyId);
  });

  it('then runs on the new key alone, and the old key alone is refused before traffic', async () => {
    after = await startTestApp({ PERSONAL_DATA_KEY: NEW_KEY }, { shareDatabaseOf: before });
    const found = await after.http.get('/api/cases').query({ q: PERSON_ID.toLowerCase() }).set(await after.as('intake')).expect(200);
    expect(found.body.total).toBe(8);
    const revealed = await after.http.get(`/api/cases/${caseIds[3]}/personal-data`).query({ reason: '核验身份' }).set(await after.as('intake')).expect(200);
    expect(revealed.body).toMatchObject({ idType: 'passport', idNumber: 'E12345678', phone: null });
    const view = await after.http.get(`/api/cases/${caseIds[0]}`).set(await after.as('intake')).expect(200);
    expect(view.body.applicantHistory.total).toBe(7);
    await expect(checkPersonalDataKeys(after.dataSource, oldCipher, 'quick')).rejects.toThrow(/encrypted with key [0-9a-f]{8}, but PERSONAL_DATA_KEY is key [0-9a-f]{8}.*PERSONAL_DATA_OLD_KEYS/);
    await expect(checkPersonalDataKeys(after.dataSource, oldCipher, 'full')).rejects.toThrow(/encrypted with key/);
    await expect(checkPersonalDataKeys(after.dataSource, newCipher, 'full')).resolves.toMatchObject({ usage: { [newCipher.keyId]: expect.any(Number) } });
  });

  it('refuses to start over an encrypted column that rotation and the key check do not know', async () => {
    await after!.dataSource.query(`ALTER TABLE agencies ADD COLUMN contact_ciphertext text`);
    try {
      await expect(checkPersonalDataKeys(after!.dataSource, newCipher, 'quick')).rejects.toThrow(/not registered .* agencies\.contact_ciphertext/);
    } finally {
      await after!.dataSource.query(`ALTER TABLE agencies DROP COLUMN contact_ciphertext`);
    }
  });
});
