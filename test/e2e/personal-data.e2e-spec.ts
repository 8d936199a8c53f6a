import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../migrations/data-source';
import { MIGRATIONS } from '../../migrations';
import { personalDataCipherFrom } from '../../apps/api/src/personal-data/personal-data-cipher';
import { deskApplication, PERSON_ID, PERSON_PHONE, personApplicant } from '../factories/applications';
import { databaseUrl, dropDatabase, withAdminClient } from '../setup/database';
import { startTestApp, type TestApp } from '../setup/test-app';
import { eventSender } from '../support/http';

const MASKED_ID = '110105********002X';
const MASKED_PHONE = '138****5678';

describe('applicants’ identity and phone numbers: encrypted at rest, masked, revealed with a reason, every access logged', () => {
  let t: TestApp;
  const send = eventSender(() => t);
  let caseId: string;
  let caseNumber: string;
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2026-02-27');
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt: '2026-02-26' })).expect(201);
    caseId = created.body.id;
    caseNumber = created.body.caseNumber;
  });
  afterAll(() => t.close());

  const auditRows = async (action: string) =>
    t.dataSource.query(`SELECT username, action, case_ids::text[] AS case_ids, detail, address FROM personal_data_access WHERE action = $1 ORDER BY id`, [action]);

  it('stores neither number in clear anywhere in the case row or its events', async () => {
    const [row] = await t.dataSource.query(`SELECT to_jsonb(c)::text AS everything FROM cases c WHERE id = $1`, [caseId]);
    expect(row.everything).not.toContain(PERSON_ID);
    expect(row.everything).not.toContain('19491231');
    expect(row.everything).not.toContain(PERSON_PHONE);
    const [events] = await t.dataSource.query(`SELECT string_agg(payload::text, ' ') AS payloads FROM case_events WHERE case_id = $1`, [caseId]);
    expect(events.payloads).not.toContain(PERSON_ID);
    const [columns] = await t.dataSource.query(
      `SELECT array_agg(column_name::text) AS names FROM information_schema.columns WHERE table_name = 'cases' AND column_name LIKE 'applicant_%'`,
    );
    expect(columns.names).not.toContain('applicant_id_number');
    expect(columns.names).not.toContain('applicant_phone');
    // What is stored decrypts with the service's key to what the applicant gave.
    const [stored] = await t.dataSource.query(`SELECT applicant_id_number_ciphertext AS id, applicant_phone_ciphertext AS phone FROM cases WHERE id = $1`, [caseId]);
    const cipher = personalDataCipherFrom({ NODE_ENV: 'test' });
    expect(cipher.decrypt('applicant_id_number', stored.id)).toBe(PERSON_ID);
    expect(cipher.decrypt('applicant_phone', stored.phone)).toBe(PERSON_PHONE);
  });

  it('masks both numbers in the case view and the work queue, and logs who looked', async () => {
    const view = await t.http.get(`/api/cases/${caseId}`).set(await t.as('legal')).set('X-Forwarded-For', '198.51.100.7').expect(200);
    expect(view.body.applicant).toMatchObject({ name: '张三', idNumber: MASKED_ID, phone: MASKED_PHONE });
    expect(JSON.stringify(view.body)).not.toContain(PERSON_ID);
    const list = await t.http.get('/api/cases').set(await t.as('intake')).expect(200);
    const item = list.body.items.find((entry: { id: string }) => entry.id === caseId);
    expect(item.applicantIdNumber).toBe(MASKED_ID);
    expect(JSON.stringify(list.body)).not.toContain(PERSON_ID);

    expect(await auditRows('view_case')).toContainEqual({ username: 'legal', action: 'view_case', case_ids: [caseId], detail: null, address: '198.51.100.7' });
    const listed = (await auditRows('list_cases')).filter((entry: { username: string }) => entry.username === 'intake');
    expect(listed.at(-1).case_ids).toContain(caseId);
  });

  it('reveals the clear numbers only with a stated reason, and records the reason first', async () => {
    const missing = await t.http.get(`/api/cases/${caseId}/personal-data`).set(await t.as('intake')).expect(400);
    expect(missing.body.message).toBe('用途 不能为空');
    await t.http.get(`/api/cases/${caseId}/personal-data?reason=x`).set(await t.as('intake')).expect(400);
    expect(await auditRows('reveal_identity')).toEqual([]);

    const revealed = await t.http.get(`/api/cases/${caseId}/personal-data`).query({ reason: '领取答复时核验身份' }).set(await t.as('intake')).expect(200);
    expect(revealed.body).toEqual({ idType: 'id_card', idNumber: PERSON_ID, phone: PERSON_PHONE });
    expect(await auditRows('reveal_identity')).toEqual([{ username: 'intake', action: 'reveal_identity', case_ids: [caseId], detail: '领取答复时核验身份', address: expect.any(String) }]);
  });

  it('hides a case outside the user’s department as if unknown, and records nothing for it', async () => {
    // The demo handler sees its department's cases only; this one is not yet assigned.
    await t.http.get(`/api/cases/${caseId}/personal-data`).query({ reason: '核验身份' }).set(await t.as('handler')).expect(404);
    expect((await auditRows('reveal_identity')).filter((entry: { username: string }) => entry.username === 'handler')).toEqual([]);
  });

  it('logs letters viewed, attachments downloaded and evidence bundles exported', async () => {
    await send('intake', caseId, { type: 'ASSIGN', handler: 'handler', at: '2026-02-27' });
    const letters = await t.http.get(`/api/cases/${caseId}/letters`).set(await t.as('handler')).expect(200);
    const receipt = letters.body[0];
    await t.http.get(`/api/letters/${receipt.id}?format=html`).set(await t.as('handler')).expect(200);
    expect(await auditRows('view_letter')).toEqual([{ username: 'handler', action: 'view_letter', case_ids: [caseId], detail: `${receipt.id} html`, address: expect.any(String) }]);

    const upload = await t.http.post(`/api/cases/${caseId}/attachments`).set(await t.as('handler')).attach('file', Buffer.from('检索登记表'), '检索登记表.txt').expect(201);
    await t.http.get(`/api/attachments/${upload.body.id}`).set(await t.as('legal')).expect(200);
    expect(await auditRows('download_attachment')).toEqual([
      { username: 'legal', action: 'download_attachment', case_ids: [caseId], detail: `${upload.body.id} 检索登记表.txt`, address: expect.any(String) },
    ]);

    const dispute = await t.http
      .post(`/api/cases/${caseId}/disputes`)
      .set(await t.as('legal'))
      .send({ kind: 'review', afterReview: false, filedAt: '2026-02-27', body: '上海市某区人民政府', reference: '某复〔2026〕1号' })
      .expect(201);
    await t.http.get(`/api/disputes/${dispute.body.id}/evidence`).set(await t.as('legal')).expect(200);
    expect(await auditRows('export_evidence_bundle')).toEqual([
      { username: 'legal', action: 'export_evidence_bundle', case_ids: [caseId], detail: dispute.body.id, address: expect.any(String) },
    ]);
  });

  it('answers the audit log to the administrator only, filtered by case, user and date', async () => {
    await t.http.get('/api/audit/personal-data').set(await t.as('intake')).expect(403);
    await t.http.get('/api/audit/personal-data').expect(401);
    const byCase = await t.http.get('/api/audit/personal-data').query({ caseNumber }).set(await t.as('admin')).expect(200);
    expect(byCase.body.total).toBeGreaterThanOrEqual(5);
    expect(byCase.body.items.every((entry: { caseNumbers: string[] }) => entry.caseNumbers.includes(caseNumber))).toBe(true);
    const byUser = await t.http.get('/api/audit/personal-data').query({ username: 'intake', caseNumber }).set(await t.as('admin')).expect(200);
    expect(byUser.body.items.map((entry: { action: string }) => entry.action)).toEqual(expect.arrayContaining(['reveal_identity', 'list_cases']));
    expect(byUser.body.items.every((entry: { username: string }) => entry.username === 'intake')).toBe(true);
    // Newest first.
    const times = byCase.body.items.map((entry: { at: string }) => entry.at);
    expect([...times].sort().reverse()).toEqual(times);
    const [{ today }] = await t.dataSource.query(`SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS today`);
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect((await t.http.get('/api/audit/personal-data').query({ caseNumber, from: today, to: today }).set(await t.as('admin')).expect(200)).body.total).toBe(byCase.body.total);
    expect((await t.http.get('/api/audit/personal-data').query({ caseNumber, to: yesterday }).set(await t.as('admin')).expect(200)).body.total).toBe(0);
    const bad = await t.http.get('/api/audit/personal-data').query({ from: '2026-02-30' }).set(await t.as('admin')).expect(400);
    expect(bad.body.message).toContain('起始日期 应为有效日期');
  });

  it('keeps the audit log append-only', async () => {
    await expect(t.dataSource.query(`UPDATE personal_data_access SET username = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM personal_data_access`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`TRUNCATE personal_data_access`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`TRUNCATE case_events CASCADE`)).rejects.toThrow(/append-only/);
  });

  it('logs the case view that answers an event, as any other', async () => {
    const before = (await auditRows('view_case')).length;
    await send('handler', caseId, { type: 'RECORD_SEARCH', at: '2026-02-27', scope: '档案室', terms: '补偿方案', result: '找到1份' });
    const after = await auditRows('view_case');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ username: 'handler', case_ids: [caseId] });
  });

  it('shows nothing when the access cannot be recorded (fails closed)', async () => {
    await t.dataSource.query(`
      CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$;
      CREATE TRIGGER tr_refuse_audit BEFORE INSERT ON personal_data_access FOR EACH ROW EXECUTE FUNCTION refuse_audit();`);
    try {
      const refused = await t.http.get(`/api/cases/${caseId}/personal-data`).query({ reason: '核验身份' }).set(await t.as('intake'));
      expect(refused.status).toBe(500);
      expect(JSON.stringify(refused.body)).not.toContain(PERSON_ID);
      const view = await t.http.get(`/api/cases/${caseId}`).set(await t.as('intake'));
      expect(view.status).toBe(500);
      expect(view.body.applicant).toBeUndefined();
    } finally {
      await t.dataSource.query(`DROP TRIGGER tr_refuse_audit ON personal_data_access; DROP FUNCTION refuse_audit();`);
    }
  });

  it('reads from and to as Asia/Shanghai calendar dates', async () => {
    const [{ id: userId }] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'head'`);
    const [{ agency_id: agencyId }] = await t.dataSource.query(`SELECT agency_id FROM cases WHERE id = $1`, [caseId]);
    // 2026-02-26 23:30 and 2026-02-27 00:30 in Shanghai (UTC+8).
    for (const at of ['2026-02-26T15:30:00Z', '2026-02-26T16:30:00Z']) {
      await t.dataSource.query(
        `INSERT INTO personal_data_access (agency_id, user_id, username, action, case_ids, address, at) VALUES ($1, $2, 'head', 'view_case', $3::uuid[], 'x', $4)`,
        [agencyId, userId, [caseId], at],
      );
    }
    const on = async (from: string, to: string) =>
      (await t.http.get('/api/audit/personal-data').query({ username: 'head', from, to }).set(await t.as('admin')).expect(200)).body.items.map((entry: { at: string }) => new Date(entry.at).toISOString());
    expect(await on('2026-02-26', '2026-02-26')).toEqual(['2026-02-26T15:30:00.000Z']);
    expect(await on('2026-02-27', '2026-02-27')).toEqual(['2026-02-26T16:30:00.000Z']);
    expect(await on('2026-02-25', '2026-02-27')).toHaveLength(2);
  });

  it('still finds one applicant’s other requests through the blind index (Art. 35 volume, fees by the month)', async () => {
    const other = await t.http
      .post('/api/applications')
      .set(await t.as('intake'))
      .send(deskApplication({ receivedAt: '2026-02-27', applicant: personApplicant({ idNumber: PERSON_ID.toLowerCase(), name: '张三' }) }))
      .expect(201);
    const stranger = await t.http
      .post('/api/applications')
      .set(await t.as('intake'))
      .send(deskApplication({ receivedAt: '2026-02-27', applicant: personApplicant({ idType: 'passport', idNumber: 'E12345678', name: '李四' }) }))
      .expect(201);
    const view = await t.http.get(`/api/cases/${other.body.id}`).set(await t.as('intake')).expect(200);
    expect(view.body.applicantHistory.recent.map((entry: { caseNumber: string }) => entry.caseNumber)).toEqual([caseNumber]);
    expect(view.body.applicantHistory.sameMonth).toBe(1);
    const strangerView = await t.http.get(`/api/cases/${stranger.body.id}`).set(await t.as('intake')).expect(200);
    expect(strangerView.body.applicantHistory.total).toBe(0);
    // The desk finds an applicant's cases by the whole number, typed in any case, without the number stored in clear.
    const found = await t.http.get('/api/cases').query({ q: ` ${PERSON_ID.toLowerCase()} ` }).set(await t.as('intake')).expect(200);
    expect(found.body.items.map((item: { caseNumber: string }) => item.caseNumber).sort()).toEqual([caseNumber, other.body.caseNumber].sort());
    const partial = await t.http.get('/api/cases').query({ q: PERSON_ID.slice(0, 10) }).set(await t.as('intake')).expect(200);
    expect(partial.body.total).toBe(0);
  });
});

describe('the encryption migration on a database holding clear-text numbers', () => {
  const name = `ogi_desk_test_pd_${randomBytes(5).toString('hex')}`;
  afterAll(() => withAdminClient((client) => dropDatabase(client, name)));

  it('encrypts every existing row, indexes it, and drops the clear-text columns', async () => {
    await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
    const before = MIGRATIONS.findIndex((migration) => migration.name === 'PersonalDataEncryption1764403200000');
    expect(before).toBeGreaterThan(0);
    const old = new DataSource({ ...dataSourceOptions(databaseUrl(name), 1), migrations: MIGRATIONS.slice(0, before) });
    await old.initialize();
    await old.runMigrations({ transaction: 'each' });
    const [agency] = await old.query(`INSERT INTO agencies (code, name) VALUES ('m', '某局') RETURNING id`);
    for (const [number, idNumber, phone] of [
      ['A1', PERSON_ID, PERSON_PHONE],
      ['A2', 'E12345678', null],
    ]) {
      await old.query(
        `INSERT INTO cases (agency_id, case_number, channel, received_at, submitted_at, applicant_category, applicant_name, applicant_id_type,
                            applicant_id_number, applicant_phone, description, delivery_form, query_code_hash, state, snapshot, version, last_event_at)
         VALUES ($1, $2, 'in_person', '2025-09-26', now(), 'natural_person', '张三', 'id_card', $3, $4, '某信息', 'paper_pickup', 'x', 'registered', '{}', 1, '2025-09-26')`,
        [agency.id, number, idNumber, phone],
      );
    }
    await old.destroy();

    const current = new DataSource(dataSourceOptions(databaseUrl(name), 1));
    await current.initialize();
    try {
      await current.runMigrations({ transaction: 'each' });
      const rows = await current.query(`SELECT case_number, to_jsonb(c)::text AS everything, applicant_id_number_ciphertext AS id, applicant_phone_ciphertext AS phone, applicant_id_blind_index AS idx FROM cases c ORDER BY case_number`);
      const cipher = personalDataCipherFrom({ NODE_ENV: 'test' });
      expect(rows.map((row: { id: string }) => cipher.decrypt('applicant_id_number', row.id))).toEqual([PERSON_ID, 'E12345678']);
      expect(cipher.decrypt('applicant_phone', rows[0].phone)).toBe(PERSON_PHONE);
      expect(rows[1].phone).toBeNull();
      expect(rows[0].idx).toBe(cipher.blindIndex(PERSON_ID));
      expect(rows[0].everything).not.toContain(PERSON_ID);
      expect(rows[0].everything).not.toContain(PERSON_PHONE);
      // Not even in the table's file: a dropped column and old row versions keep their bytes until the table is rewritten.
      await current.query('CHECKPOINT');
      const [{ path }] = await current.query(`SELECT pg_relation_filepath('cases') AS path`);
      const [{ bytes }] = await current.query(`SELECT pg_read_binary_file($1) AS bytes`, [path]);
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes.includes(Buffer.from('张三'))).toBe(true);
      expect(bytes.includes(Buffer.from(PERSON_ID))).toBe(false);
      expect(bytes.includes(Buffer.from(PERSON_PHONE))).toBe(false);
    } finally {
      await current.destroy();
    }
  });
});
