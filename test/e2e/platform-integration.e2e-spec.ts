import { createHash } from 'node:crypto';
import { hashPassword } from '../../apps/api/src/auth/auth.service';
import { DEFAULT_AGENCY_SETTINGS } from '../../apps/api/src/database/entities';
import { CALLBACK_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyCallback } from '../../apps/api/src/integration/callback-signature';
import { PlatformCallbacks } from '../../apps/api/src/integration/platform-callbacks.service';
import { JobRunnerService } from '../../apps/api/src/jobs/job-runner.service';
import { startTestApp, type TestApp } from '../setup/test-app';
import { eventSender } from '../support/http';
import { CallbackReceiver, integrationAdmin, platformApplication, platformClient } from '../support/integration-client';

/** Retry an assertion for up to two seconds: for what is written after a response is sent (the access log). */
async function eventually(assertion: () => Promise<void>): Promise<void> {
  for (let tries = 0; ; tries++) {
    try {
      return await assertion();
    } catch (error) {
      if (tries >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Issue 19: the platforms around the office — API clients, the import of their applications, status callbacks.
 * On real PostgreSQL, with a real HTTP receiver for the callbacks; the calls go through integration-client.ts, shaped
 * like the OpenAPI operations.
 */
describe('platform integration', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof integrationAdmin>>;
  const send = eventSender(() => t);
  let secondAgencyId: string;

  /** A client of the demo agency for platform `source`, with `agencies` it may address; its secret and id. */
  async function newClient(source: string, body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
    const response = await admin.createClient({ name: `${source} 平台`, source, scopes: ['applications:import', 'cases:status'], ...body }).expect(201);
    return { id: response.body.id, secret: response.body.secret };
  }

  /** The service's own log of a 500 (by its correlation id), so a failure says what went wrong; null for any other answer. */
  const loggedError = (body: { correlationId?: string }) => (body.correlationId ? (t.logLines.find((line) => line.includes(body.correlationId!)) ?? 'not logged') : null);
  const casesOfRef = async (source: string, externalRef: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM platform_imports p JOIN cases c ON c.id = p.case_id WHERE p.source = $1 AND p.external_ref = $2`, [source, externalRef]))[0].n;
  const caseCount = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM cases`))[0].n;
  const caseIdOf = async (caseNumber: string) => (await t.dataSource.query(`SELECT id FROM cases WHERE case_number = $1`, [caseNumber]))[0].id as string;

  beforeAll(async () => {
    t = await startTestApp({ CALLBACK_MAX_ATTEMPTS: '3', CALLBACK_RETRY_BASE_SECONDS: '60', CALLBACK_RETRY_MAX_SECONDS: '3600' });
    // A second agency on this deployment, with its own case numbers and its own desk officer.
    // Letter numbers (文号) are unique across the deployment: each agency has its own 机关代字.
    const letterNumberPrefixes = Object.fromEntries(Object.entries(DEFAULT_AGENCY_SETTINGS.letterNumberPrefixes).map(([kind, prefix]) => [kind, `沪某规${prefix}`]));
    const [agency] = await t.dataSource.query(`INSERT INTO agencies (code, name, settings) VALUES ('second', '上海市某区规划和自然资源局', $1) RETURNING id`, [
      JSON.stringify({ caseNumberPrefix: '沪某规依申', replyNumberPrefix: '沪某规信复', letterNumberPrefixes }),
    ]);
    secondAgencyId = agency.id;
    admin = await integrationAdmin(t);
    const [department] = await t.dataSource.query(`INSERT INTO departments (agency_id, name) VALUES ($1, '政府信息公开办公室') RETURNING id`, [secondAgencyId]);
    await t.dataSource.query(
      `INSERT INTO users (agency_id, department_id, username, display_name, password_hash, roles, is_demo) VALUES ($1, $2, 'second-intake', '规划局登记员', $3, '{intake}', true)`,
      [secondAgencyId, department.id, await hashPassword('demo-password')],
    );
  });
  afterAll(() => t?.close());

  describe('API clients', () => {
    it('the secret is shown once and kept only as its SHA-256; the list never shows it', async () => {
      const created = await admin.createClient({ name: '一网通办', source: 'ywtb', scopes: ['cases:status'] }).expect(201);
      expect(created.body).toMatchObject({ name: '一网通办', source: 'ywtb', scopes: ['cases:status'], scopeLabels: ['查询办理进度'], active: true, agencies: [{ code: 'default' }] });
      expect(created.body.secret).toMatch(/^ogi-client\.[A-Za-z0-9_-]{43}$/);
      const [row] = await t.dataSource.query(`SELECT to_jsonb(c)::text AS everything, secret_hash FROM api_clients c WHERE id = $1`, [created.body.id]);
      expect(row.everything).not.toContain(created.body.secret);
      expect(row.secret_hash).toBe(createHash('sha256').update(created.body.secret).digest('hex'));
      const list = await admin.listClients().expect(200);
      expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
      expect(list.body.find((client: { id: string }) => client.id === created.body.id)).not.toHaveProperty('secret');
    });

    it('refuses bad input in words, a second active client of one platform, an agency not on this deployment', async () => {
      const bad = await admin.createClient({ name: '', source: 'Bad Source', scopes: ['cases:write'] }).expect(400);
      expect(bad.body.message).toMatch(/客户端名称 不能为空/);
      expect(bad.body.message).toMatch(/来源平台 应为/);
      expect(bad.body.message).toMatch(/授权范围 应为以下之一或几项：转入申请、查询办理进度/);
      await newClient('dup-platform');
      const twice = await admin.createClient({ name: '重复', source: 'dup-platform', scopes: ['cases:status'] }).expect(409);
      expect(twice.body.message).toMatch(/已有在用的 API 客户端/);
      const unknown = await admin.createClient({ name: '外地', source: 'far', scopes: ['cases:status'], agencies: ['default', 'nowhere'] }).expect(400);
      expect(unknown.body.message).toBe('本系统没有编码为“nowhere”的机关');
    });

    it('another agency’s administrator neither sees nor manages the client', async () => {
      const { id } = await newClient('own-agency');
      const [department] = await t.dataSource.query(`SELECT id FROM departments WHERE agency_id = $1`, [secondAgencyId]);
      await t.dataSource.query(
        `INSERT INTO users (agency_id, department_id, username, display_name, password_hash, roles, is_demo) VALUES ($1, $2, 'second-admin', '规划局管理员', $3, '{admin}', true)`,
        [secondAgencyId, department.id, await hashPassword('demo-password')],
      );
      const other = await integrationAdmin(t, 'second-admin');
      expect((await other.listClients().expect(200)).body).toEqual([]);
      await other.revoke(id).expect(404);
      await other.rotate(id).expect(404);
      await other.accessLog(id).expect(404);
    });

    it('a revoked client is refused at once, its refused call is in the access log, and it cannot be revived', async () => {
      const { id, secret } = await newClient('revoked-platform');
      const platform = platformClient(t, secret);
      await platform.applicationStatus('NOTHING-1').expect(404);
      await admin.revoke(id).expect(200);
      const refused = await platform.applicationStatus('NOTHING-1').expect(401);
      expect(refused.body.message).toBe('该 API 客户端已停用，请联系本机关管理员');
      await platform.importApplication(platformApplication({ source: 'revoked-platform' })).expect(401);
      await admin.rotate(id).expect(409);
      await admin.revoke(id).expect(409);
      // The log is written once each call is answered.
      await eventually(async () => expect((await admin.accessLog(id).expect(200)).body).toHaveLength(3));
      const log = (await admin.accessLog(id).expect(200)).body;
      expect(log.map((entry: { method: string; path: string; status: number }) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
        'POST /api/integration/applications 401',
        'GET /api/integration/applications/NOTHING-1 401',
        'GET /api/integration/applications/NOTHING-1 404',
      ]);
      // A new client may now serve the same platform.
      await newClient('revoked-platform');
    });

    it('rotation: the old secret stops at once, or after the overlap the administrator gives', async () => {
      const { id, secret: first } = await newClient('rotating');
      const rotated = await admin.rotate(id).expect(200);
      const second = rotated.body.secret as string;
      expect(second).not.toBe(first);
      await platformClient(t, first).applicationStatus('R-1').expect(401);
      await platformClient(t, second).applicationStatus('R-1').expect(404);
      const overlap = await admin.rotate(id, { previousSecretValidMinutes: 60 }).expect(200);
      expect(Date.parse(overlap.body.previousSecretValidUntil) - Date.now()).toBeGreaterThan(59 * 60_000);
      await platformClient(t, second).applicationStatus('R-1').expect(404);
      await platformClient(t, overlap.body.secret).applicationStatus('R-1').expect(404);
      await t.dataSource.query(`UPDATE api_clients SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
      await platformClient(t, second).applicationStatus('R-1').expect(401);
      await admin.rotate(id, { previousSecretValidMinutes: -1 }).expect(400);
    });

    it('callback addresses must be https:// unless http is allowed (CALLBACK_ALLOW_HTTP; off in production)', async () => {
      const { id } = await newClient('https-only');
      const strict = await startTestApp({ CALLBACK_ALLOW_HTTP: 'false' }, { shareDatabaseOf: t });
      try {
        const strictAdmin = await integrationAdmin(strict);
        const refused = await strictAdmin.subscribe(id, { url: 'http://platform.example.org/cb', events: ['concluded'] }).expect(400);
        expect(refused.body.message).toBe('回调地址 应为 https:// 开头的网址（回调内容须加密传输）');
        const taken = await strictAdmin.subscribe(id, { url: 'https://platform.example.org/cb', events: ['concluded'] }).expect(200);
        expect(taken.body).toMatchObject({ url: 'https://platform.example.org/cb', events: ['concluded'], signingSecret: expect.stringMatching(/^ogi-whsec\./) });
      } finally {
        await strict.close();
      }
    });

    it('a client holds only its scopes; staff tokens and client secrets never reach each other’s routes', async () => {
      const created = await admin.createClient({ name: '只查进度', source: 'status-only', scopes: ['cases:status'] }).expect(201);
      const platform = platformClient(t, created.body.secret);
      const refused = await platform.importApplication(platformApplication({ source: 'status-only' })).expect(403);
      expect(refused.body.message).toBe('该 API 客户端未获授权：转入申请');
      const staffRoute = await t.http.get('/api/cases').set({ Authorization: `Bearer ${created.body.secret}` }).expect(403);
      expect(staffRoute.body.message).toBe('API 客户端不能访问工作人员接口');
      const staffToken = await t.http.post('/api/integration/applications').set(await t.as('admin')).send(platformApplication()).expect(403);
      expect(staffToken.body.message).toBe('此接口仅供政务服务平台的 API 客户端调用');
      await t.http.post('/api/integration/applications').send(platformApplication()).expect(401);
      await t.http.post('/api/integration/applications').set({ Authorization: 'Bearer ogi-client.not-a-secret' }).send(platformApplication()).expect(401);
    });
  });

  describe('import', () => {
    let platform: ReturnType<typeof platformClient>;
    let platformSecret: string;

    beforeAll(async () => {
      platformSecret = (await newClient('zlgk', { agencies: ['default', 'second'] })).secret;
      platform = platformClient(t, platformSecret);
    });
    afterEach(() => jest.restoreAllMocks());

    it('the same application imported three times makes one case, answered each time', async () => {
      t.setToday('2025-10-09');
      const body = platformApplication({ externalRef: 'ZJ-2025-THREE', confirmedAt: '2025-09-26' });
      const before = await caseCount();
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await platform.importApplication(body).expect(201)).body);
      expect(answers.map((answer) => answer.created)).toEqual([true, false, false]);
      expect(new Set(answers.map((answer) => answer.caseNumber)).size).toBe(1);
      expect(await caseCount()).toBe(before + 1);
      expect(await casesOfRef('zlgk', 'ZJ-2025-THREE')).toBe(1);
      // The platform confirmed receipt on 2025-09-26: that is the receipt date (Art. 31(3)), the receipt letter is issued.
      expect(answers[0]).toMatchObject({
        source: 'zlgk',
        externalRef: 'ZJ-2025-THREE',
        agency: { code: 'default' },
        state: '已受理，正在办理',
        receivedAt: '2025-09-26',
        dueDate: '2025-10-30',
        concluded: false,
        letters: [{ title: '政府信息公开申请接收回执', issuedAt: '2025-09-26' }],
      });
      const text = JSON.stringify(answers);
      expect(text).not.toContain('11010519491231002X');
      expect(text).not.toMatch(/queryCode|idNumber|13812345678/);
      const view = await t.http.get(`/api/cases/${await caseIdOf(answers[0].caseNumber)}`).set(await t.as('intake')).expect(200);
      expect(view.body).toMatchObject({ channel: 'platform_import', state: 'registered', receivedAt: '2025-09-26' });
      expect(view.body.events[0]).toMatchObject({ type: 'REGISTER', by: 'zlgk 平台', source: 'zlgk', externalRef: 'ZJ-2025-THREE', channel: 'platform_import' });
    });

    it('identical imports in flight at once, in two service instances, make one case and take one case number', async () => {
      const body = platformApplication({ externalRef: 'ZJ-2025-BURST' });
      const caseNumbersTaken = async () => (await t.dataSource.query(`SELECT coalesce(sum(last_value), 0)::int AS n FROM number_sequences WHERE kind = 'case'`))[0].n;
      const numberBefore = await caseNumbersTaken();
      // A second instance on the same database: only the database's claim keeps the two from making a case each.
      const other = await startTestApp({}, { shareDatabaseOf: t });
      const elsewhere = platformClient(other, platformSecret);
      let answers;
      try {
        answers = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? elsewhere : platform).importApplication(body)));
      } finally {
        await other.close();
      }
      expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
      expect(answers.filter((answer) => answer.body.created)).toHaveLength(1);
      expect(new Set(answers.map((answer) => answer.body.caseNumber)).size).toBe(1);
      expect(await casesOfRef('zlgk', 'ZJ-2025-BURST')).toBe(1);
      expect(await caseNumbersTaken()).toBe(numberBefore + 1);
    });

    it('the same reference with another body is refused, naming the case it made', async () => {
      const first = await platform.importApplication(platformApplication({ externalRef: 'ZJ-2025-CHANGED' })).expect(201);
      const changed = await platform.importApplication(platformApplication({ externalRef: 'ZJ-2025-CHANGED', description: '另一份不同的申请内容描述' })).expect(422);
      expect(changed.body.message).toContain(first.body.caseNumber);
      expect(await casesOfRef('zlgk', 'ZJ-2025-CHANGED')).toBe(1);
    });

    it('without the platform’s confirmation the case waits for the office, whose confirmation day is the receipt date', async () => {
      t.setToday('2025-09-25');
      const imported = await platform.importApplication(platformApplication({ externalRef: 'ZJ-2025-UNCONFIRMED' })).expect(201);
      expect(imported.body).toMatchObject({ state: '已提交，等待政府信息公开工作机构确认收到', receivedAt: null, dueDate: null, letters: [], submittedOn: expect.any(String) });
      const id = await caseIdOf(imported.body.caseNumber);
      const view = await t.http.get(`/api/cases/${id}`).set(await t.as('intake')).expect(200);
      expect(view.body).toMatchObject({ channel: 'platform_import', state: 'received', availableEvents: ['CONFIRM_RECEIPT', 'WITHDRAW'] });
      t.setToday('2025-09-26');
      await send('intake', id, { type: 'CONFIRM_RECEIPT', at: '2025-09-26' });
      const status = await platform.applicationStatus('ZJ-2025-UNCONFIRMED').expect(200);
      expect(status.body).toMatchObject({ state: '已受理，正在办理', receivedAt: '2025-09-26', dueDate: '2025-10-30', letters: [{ title: '政府信息公开申请接收回执' }] });
    });

    it('a second agency’s code routes the application to that agency: its numbering, its staff', async () => {
      const imported = await platform.importApplication(platformApplication({ externalRef: 'ZJ-2025-SECOND', agency: 'second', confirmedAt: '2025-09-26' })).expect(201);
      expect(imported.body.agency).toEqual({ code: 'second', name: '上海市某区规划和自然资源局' });
      expect(imported.body.caseNumber).toMatch(/^沪某规依申〔\d{4}〕第\d{5}号$/);
      const [row] = await t.dataSource.query(`SELECT id, agency_id FROM cases WHERE case_number = $1`, [imported.body.caseNumber]);
      expect(row.agency_id).toBe(secondAgencyId);
      await t.http.get(`/api/cases/${row.id}`).set(await t.as('second-intake')).expect(200);
      await t.http.get(`/api/cases/${row.id}`).set(await t.as('intake')).expect(404);
    });

    it('an agency not on this deployment is refused in words the platform can show; one the client may not address too', async () => {
      const unknown = await platform.importApplication(platformApplication({ externalRef: 'ZJ-2025-NOWHERE', agency: 'hangzhou-edu' })).expect(400);
      expect(unknown.body.message).toBe('受理机关编码“hangzhou-edu”不在本系统中：本系统不办理该机关的政府信息公开申请，请向该机关提出申请，或重新选择受理机关');
      const { secret } = await newClient('default-only');
      const notAllowed = await platformClient(t, secret).importApplication(platformApplication({ source: 'default-only', externalRef: 'D-1', agency: 'second' })).expect(403);
      expect(notAllowed.body.message).toBe('本客户端未获准向“上海市某区规划和自然资源局”转入申请，请联系该机关开通');
      const wrongSource = await platform.importApplication(platformApplication({ source: 'ywtb', externalRef: 'ZJ-2025-SOURCE' })).expect(403);
      expect(wrongSource.body.message).toBe('本客户端登记的来源平台为“zlgk”，不能以来源平台“ywtb”转入申请');
      expect(await t.dataSource.query(`SELECT 1 FROM platform_imports WHERE external_ref IN ('ZJ-2025-NOWHERE', 'D-1', 'ZJ-2025-SOURCE')`)).toEqual([]);
    });

    it('bad input names each field by its label, and nothing is written', async () => {
      const before = await caseCount();
      const bad = await platform
        .importApplication(platformApplication({ externalRef: 'has space', confirmedAt: '2025-02-30', deliveryForm: 'fax', applicant: { category: 'natural_person', name: '王五', idType: 'id_card', idNumber: '123' } }))
        .expect(400);
      expect(bad.body.message).toMatch(/平台申请编号 应为/);
      expect(bad.body.message).toMatch(/平台确认收到之日 应为有效日期/);
      expect(bad.body.message).toMatch(/获取信息的方式 应为以下之一/);
      expect(bad.body.message).toMatch(/证件号码/);
      t.setToday('2025-10-09');
      const future = await platform.importApplication(platformApplication({ externalRef: 'ZJ-FUTURE', confirmedAt: '2025-10-10' })).expect(400);
      expect(future.body.message).toBe('平台确认收到之日（2025-10-10）不能晚于今天（2025-10-09）');
      await platform.importApplication({ ...platformApplication({ externalRef: 'ZJ-EXTRA' }), queryCode: 'X' }).expect(400);
      expect(await caseCount()).toBe(before);
    });

    it('the applicant’s files come with the application, checked against their digests', async () => {
      const pdf = Buffer.from('%PDF-1.4 身份证明材料');
      const photo = Buffer.alloc(200_000, 7);
      const imported = await platform
        .importApplication(
          platformApplication({
            externalRef: 'ZJ-2025-FILES',
            attachments: [
              { filename: '身份证明.pdf', contentType: 'application/pdf', content: pdf.toString('base64'), sha256: createHash('sha256').update(pdf).digest('hex') },
              { filename: '现场照片.jpg', contentType: 'image/jpeg', content: photo.toString('base64') },
            ],
          }),
        )
        .expect(201);
      const id = await caseIdOf(imported.body.caseNumber);
      const list = await t.http.get(`/api/cases/${id}/attachments`).set(await t.as('intake')).expect(200);
      expect(list.body).toEqual([
        expect.objectContaining({ filename: '身份证明.pdf', mimeType: 'application/pdf', sizeBytes: pdf.length, uploadedBy: null, importedFrom: 'zlgk 平台' }),
        expect.objectContaining({ filename: '现场照片.jpg', sizeBytes: photo.length, sha256: createHash('sha256').update(photo).digest('hex') }),
      ]);
      const download = await t.http.get(`/api/attachments/${list.body[0].id}`).set(await t.as('intake')).buffer(true).expect(200);
      expect(Buffer.from(download.body).equals(pdf)).toBe(true);

      const corrupt = await platform
        .importApplication(platformApplication({ externalRef: 'ZJ-2025-CORRUPT', attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', content: pdf.toString('base64'), sha256: 'a'.repeat(64) }] }))
        .expect(400);
      expect(corrupt.body.message).toBe('第 1 个附件（a.pdf）的文件摘要与文件内容不符，文件可能在传输中损坏，请重新发送');
      const notBase64 = await platform.importApplication(platformApplication({ externalRef: 'ZJ-2025-B64', attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', content: '这不是base64' }] })).expect(400);
      expect(notBase64.body.message).toMatch(/文件内容 应为 Base64 编码/);
      expect(await t.dataSource.query(`SELECT 1 FROM platform_imports WHERE external_ref IN ('ZJ-2025-CORRUPT', 'ZJ-2025-B64')`)).toEqual([]);
    });

    it('an import larger than the 1 MB of other requests is taken, up to its own limit', async () => {
      // Near the 10 MB of one attachment: a regular expression over its base64 text once overflowed V8's stack here.
      const big = Buffer.alloc(9 * 1024 * 1024, 1);
      const imported = await platform
        .importApplication(platformApplication({ externalRef: 'ZJ-2025-BIG', attachments: [{ filename: '扫描件.pdf', contentType: 'application/pdf', content: big.toString('base64') }] }));
      expect({ status: imported.status, logged: loggedError(imported.body) }).toEqual({ status: 201, logged: null });
      expect(imported.body.created).toBe(true);
      await t.http.post('/api/public/applications').set('content-type', 'application/json').send(JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) })).expect(413);
    });

    it('a platform sees only its own applications', async () => {
      await platform.importApplication(platformApplication({ externalRef: 'ZJ-2025-MINE' })).expect(201);
      const { secret } = await newClient('other-platform');
      await platformClient(t, secret).applicationStatus('ZJ-2025-MINE').expect(404);
      await platform.applicationStatus('ZJ-2025-MINE').expect(200);
    });
  });

  describe('status callbacks', () => {
    const receiver = new CallbackReceiver();
    let clientId: string;
    let signingSecret: string;
    let platform: ReturnType<typeof platformClient>;
    const deliver = () => t.app.get(PlatformCallbacks).deliverDue();

    beforeAll(async () => {
      await receiver.start();
      const client = await newClient('callbacks-platform');
      clientId = client.id;
      platform = platformClient(t, client.secret);
      const subscribed = await admin.subscribe(clientId, { url: receiver.url, events: ['state_changed', 'letter_issued', 'due_date_changed', 'concluded'] }).expect(200);
      signingSecret = subscribed.body.signingSecret;
      expect(signingSecret).toMatch(/^ogi-whsec\./);
      const [row] = await t.dataSource.query(`SELECT signing_secret_ciphertext FROM api_client_subscriptions WHERE client_id = $1`, [clientId]);
      expect(row.signing_secret_ciphertext).toMatch(/^pd1:/);
    });
    afterAll(() => receiver.stop());
    afterEach(() => jest.restoreAllMocks());

    it('each change the applicant sees is called back once, signed, with no identity number or 查询码', async () => {
      t.setToday('2025-09-26');
      const imported = await platform.importApplication(platformApplication({ source: 'callbacks-platform', externalRef: 'CB-1' })).expect(201);
      const id = await caseIdOf(imported.body.caseNumber);
      await deliver();
      expect(receiver.received).toHaveLength(0);

      await send('intake', id, { type: 'CONFIRM_RECEIPT', at: '2025-09-26' });
      await send('intake', id, { type: 'ASSIGN', at: '2025-09-26', handler: 'handler' });
      // Steps the applicant does not see call nobody back.
      await send('handler', id, { type: 'RECORD_SEARCH', at: '2025-09-26', scope: '公文系统', terms: '保障性租赁住房 认定书', result: '检得认定书一份' });
      // The job runner's poll delivers them (the service runs it every JOBS_POLL_SECONDS).
      await t.app.get(JobRunnerService).tick();
      const bodies = receiver.bodies();
      expect(bodies.map((body) => [body.events, body.case.state])).toEqual([
        [['state_changed', 'letter_issued', 'due_date_changed'], '已受理，正在办理'],
        [['state_changed'], '正在办理'],
      ]);
      expect(bodies[0].case).toMatchObject({ externalRef: 'CB-1', caseNumber: imported.body.caseNumber, receivedAt: '2025-09-26', dueDate: '2025-10-30' });
      const [receipt] = bodies[0].case.letters as { url: string; title: string }[];
      expect(receipt.title).toBe('政府信息公开申请接收回执');
      for (const callback of receiver.received) {
        const headers = { timestamp: callback.headers[TIMESTAMP_HEADER.toLowerCase()] as string, signature: callback.headers[SIGNATURE_HEADER.toLowerCase()] as string };
        expect(verifyCallback(signingSecret, headers, callback.body, Math.floor(Date.now() / 1000))).toBe(true);
        // Another key, an altered body or an old timestamp fail.
        expect(verifyCallback('ogi-whsec.wrong', headers, callback.body, Math.floor(Date.now() / 1000))).toBe(false);
        expect(verifyCallback(signingSecret, headers, callback.body.replace('正在办理', '已经办结'), Math.floor(Date.now() / 1000))).toBe(false);
        expect(verifyCallback(signingSecret, headers, callback.body, Math.floor(Date.now() / 1000) + 3600)).toBe(false);
        expect(callback.headers[CALLBACK_ID_HEADER.toLowerCase()]).toBe(JSON.parse(callback.body).id);
        expect(callback.body).not.toMatch(/11010519491231002X|13812345678|queryCode|idNumber|杭州市西湖区/);
      }
      // The letter link works with the platform's own credentials, and only with them.
      const pdf = await platform.letter(receipt.url).expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      await t.http.get(receipt.url).set(await t.as('admin')).expect(403);
      const { secret: stranger } = await newClient('stranger-platform');
      await platformClient(t, stranger).letter(receipt.url).expect(404);
      // Nothing is sent twice.
      await deliver();
      expect(receiver.received).toHaveLength(2);
    });

    it('a receiver down for a while gets the retries, with back-off, in the order the steps happened', async () => {
      receiver.received.length = 0;
      t.setToday('2025-09-26');
      const imported = await platform.importApplication(platformApplication({ source: 'callbacks-platform', externalRef: 'CB-2', confirmedAt: '2025-09-26' })).expect(201);
      const id = await caseIdOf(imported.body.caseNumber);
      await receiver.stop();
      await send('intake', id, { type: 'ASSIGN', at: '2025-09-26', handler: 'handler' });
      await send('handler', id, { type: 'REQUEST_SUPPLEMENT', at: '2025-09-26', items: ['请写明所需认定书的项目名称'] });
      expect(await deliver()).toEqual({ delivered: 0, failed: 1, dead: 0 });
      const rows = async () =>
        t.dataSource.query(
          `SELECT status, attempts, last_error, round(extract(epoch FROM next_attempt_at - last_attempt_at))::int AS wait FROM platform_callbacks WHERE case_id = $1 ORDER BY id`,
          [id],
        );
      // The first waits CALLBACK_RETRY_BASE_SECONDS; the second waits behind it (one case's callbacks go in order).
      expect(await rows()).toEqual([
        { status: 'pending', attempts: 1, last_error: '无法连接对方：对方拒绝连接（服务未运行或端口未开放）', wait: 60 },
        { status: 'pending', attempts: 0, last_error: null, wait: null },
      ]);
      expect(await deliver()).toEqual({ delivered: 0, failed: 0, dead: 0 });
      // A while later (its back-off run out): still down, the wait doubles.
      await t.dataSource.query(`UPDATE platform_callbacks SET next_attempt_at = now() WHERE case_id = $1 AND status = 'pending'`, [id]);
      expect(await deliver()).toEqual({ delivered: 0, failed: 1, dead: 0 });
      expect((await rows())[0]).toMatchObject({ attempts: 2, wait: 120 });
      // Back up: the retries come, in order, once each.
      await receiver.start();
      await t.dataSource.query(`UPDATE platform_callbacks SET next_attempt_at = now() WHERE case_id = $1 AND status = 'pending'`, [id]);
      await deliver();
      await deliver();
      expect(await rows()).toEqual([expect.objectContaining({ status: 'delivered' }), expect.objectContaining({ status: 'delivered', attempts: 1 })]);
      const bodies = receiver.bodies();
      expect(bodies.map((body) => body.case.state)).toEqual(['正在办理', '需要补正申请内容，请按补正告知书办理']);
      expect(bodies[0].case.sequence).toBeLessThan(bodies[1].case.sequence);
      expect(bodies[1].events).toEqual(['state_changed', 'letter_issued']);
    });

    it('a callback refused until it is dead is listed to the administrator, and replayed', async () => {
      receiver.received.length = 0;
      receiver.status = 500;
      t.setToday('2025-09-26');
      const imported = await platform.importApplication(platformApplication({ source: 'callbacks-platform', externalRef: 'CB-3', confirmedAt: '2025-09-26' })).expect(201);
      const id = await caseIdOf(imported.body.caseNumber);
      await send('intake', id, { type: 'WITHDRAW', at: '2025-09-26' });
      for (let attempt = 1; attempt <= 3; attempt++) {
        await t.dataSource.query(`UPDATE platform_callbacks SET next_attempt_at = now() WHERE case_id = $1 AND status = 'pending'`, [id]);
        expect(await deliver()).toEqual(attempt < 3 ? { delivered: 0, failed: 1, dead: 0 } : { delivered: 0, failed: 0, dead: 1 });
      }
      expect(receiver.received).toHaveLength(3);
      const dead = await admin.callbacks({ status: 'dead' }).expect(200);
      const entry = dead.body.find((callback: { caseNumber: string }) => callback.caseNumber === imported.body.caseNumber);
      expect(entry).toMatchObject({ status: 'dead', statusLabel: '发送失败，已停止重试', attempts: 3, lastStatus: 500, lastError: '对方返回 HTTP 500', externalRef: 'CB-3', events: ['state_changed', 'concluded'] });
      // Nothing more happens to a dead callback on its own.
      await t.dataSource.query(`UPDATE platform_callbacks SET next_attempt_at = now() WHERE case_id = $1`, [id]);
      await deliver();
      expect(receiver.received).toHaveLength(3);

      receiver.status = 200;
      const replayed = await admin.replay(entry.id).expect(200);
      expect(replayed.body).toMatchObject({ status: 'pending', attempts: 0, replayedAt: expect.any(String) });
      await admin.replay(entry.id).expect(409);
      await deliver();
      expect(receiver.received).toHaveLength(4);
      const last = receiver.bodies()[3];
      expect(last).toMatchObject({ id: entry.id, events: ['state_changed', 'concluded'], case: { state: '申请已撤回', concluded: true, dueDate: null } });
      expect((await admin.callbacks({ status: 'delivered', clientId }).expect(200)).body.map((callback: { id: string }) => callback.id)).toContain(entry.id);
      await admin.replay('12345678').expect(404);
      await admin.replay(entry.id).expect(409);
    });

    it('a receiver that hangs past CALLBACK_TIMEOUT_SECONDS, or redirects, has not taken the callback', async () => {
      receiver.received.length = 0;
      t.setToday('2025-09-26');
      const imported = await platform.importApplication(platformApplication({ source: 'callbacks-platform', externalRef: 'CB-SLOW', confirmedAt: '2025-09-26' })).expect(201);
      const id = await caseIdOf(imported.body.caseNumber);
      await send('intake', id, { type: 'ASSIGN', at: '2025-09-26', handler: 'handler' });
      const impatient = await startTestApp({ CALLBACK_TIMEOUT_SECONDS: '1' }, { shareDatabaseOf: t });
      try {
        receiver.delayMs = 3000;
        expect(await impatient.app.get(PlatformCallbacks).deliverDue()).toEqual({ delivered: 0, failed: 1, dead: 0 });
        expect(await t.dataSource.query(`SELECT status, last_error FROM platform_callbacks WHERE case_id = $1`, [id])).toEqual([{ status: 'pending', last_error: '对方 1 秒内未答复' }]);
        receiver.delayMs = 0;
        receiver.status = 302;
        await t.dataSource.query(`UPDATE platform_callbacks SET next_attempt_at = now() WHERE case_id = $1`, [id]);
        expect(await impatient.app.get(PlatformCallbacks).deliverDue()).toEqual({ delivered: 0, failed: 1, dead: 0 });
        expect(await t.dataSource.query(`SELECT status, last_status, last_error FROM platform_callbacks WHERE case_id = $1`, [id])).toEqual([
          { status: 'pending', last_status: 302, last_error: '对方返回 HTTP 302' },
        ]);
      } finally {
        receiver.status = 200;
        receiver.delayMs = 0;
        await impatient.close();
      }
      await t.dataSource.query(`UPDATE platform_callbacks SET next_attempt_at = now() WHERE case_id = $1`, [id]);
      expect(await deliver()).toMatchObject({ delivered: 1 });
    });

    it('two instances delivering at once send each callback once', async () => {
      receiver.received.length = 0;
      t.setToday('2025-09-26');
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const imported = await platform.importApplication(platformApplication({ source: 'callbacks-platform', externalRef: `CB-PAR-${i}`, confirmedAt: '2025-09-26' })).expect(201);
        ids.push(await caseIdOf(imported.body.caseNumber));
      }
      for (const id of ids) await send('intake', id, { type: 'ASSIGN', at: '2025-09-26', handler: 'handler' });
      const other = await startTestApp({}, { shareDatabaseOf: t });
      try {
        await Promise.all([deliver(), other.app.get(PlatformCallbacks).deliverDue(), deliver()]);
      } finally {
        await other.close();
      }
      const received = receiver.bodies().map((body) => body.id);
      expect(received).toHaveLength(6);
      expect(new Set(received).size).toBe(6);
    });

    it('a subscription asks for some events only; an unsubscribed or revoked client gets nothing', async () => {
      receiver.received.length = 0;
      await admin.subscribe(clientId, { url: receiver.url, events: ['concluded'] }).expect(200).expect((response) => expect(response.body.signingSecret).toBeNull());
      t.setToday('2025-09-26');
      const imported = await platform.importApplication(platformApplication({ source: 'callbacks-platform', externalRef: 'CB-4', confirmedAt: '2025-09-26' })).expect(201);
      const id = await caseIdOf(imported.body.caseNumber);
      await send('intake', id, { type: 'ASSIGN', at: '2025-09-26', handler: 'handler' });
      await send('intake', id, { type: 'WITHDRAW', at: '2025-09-26' });
      await deliver();
      expect(receiver.bodies().map((body) => body.events)).toEqual([['concluded']]);
      const http = await admin.subscribe(clientId, { url: 'ftp://example.org/x', events: ['concluded'] }).expect(400);
      expect(http.body.message).toMatch(/回调地址 应为/);
      const broken = await admin.subscribe(clientId, { url: 'http://[::1/x', events: ['concluded'] }).expect(400);
      expect(broken.body.message).toBe('回调地址 不是有效的网址');
      const noEvents = await admin.subscribe(clientId, { url: receiver.url, events: [] }).expect(400);
      expect(noEvents.body.message).toBe('至少需要一项回调事项');

      // A callback still pending when its client is revoked stops there, and the revoked client gets no new ones.
      const pending = await platform.importApplication(platformApplication({ source: 'callbacks-platform', externalRef: 'CB-5', confirmedAt: '2025-09-26' })).expect(201);
      const pendingId = await caseIdOf(pending.body.caseNumber);
      await send('intake', pendingId, { type: 'WITHDRAW', at: '2025-09-26' });
      await admin.unsubscribe(clientId).expect(204);
      await admin.unsubscribe(clientId).expect(404);
      await deliver();
      expect(receiver.received).toHaveLength(1);
      const [stopped] = await t.dataSource.query(`SELECT status, last_error FROM platform_callbacks WHERE case_id = $1`, [pendingId]);
      expect(stopped).toEqual({ status: 'dead', last_error: '该客户端已取消订阅' });
      await admin.replay(String((await t.dataSource.query(`SELECT id::text FROM platform_callbacks WHERE case_id = $1`, [pendingId]))[0].id)).expect(409);

      const again = await platform.importApplication(platformApplication({ source: 'callbacks-platform', externalRef: 'CB-6', confirmedAt: '2025-09-26' })).expect(201);
      await send('intake', await caseIdOf(again.body.caseNumber), { type: 'WITHDRAW', at: '2025-09-26' });
      expect(await t.dataSource.query(`SELECT 1 FROM platform_callbacks WHERE case_id = $1`, [await caseIdOf(again.body.caseNumber)])).toEqual([]);

      const revoked = await newClient('revoked-callbacks');
      await admin.subscribe(revoked.id, { url: receiver.url, events: ['state_changed'] }).expect(200);
      const third = await platformClient(t, revoked.secret).importApplication(platformApplication({ source: 'revoked-callbacks', externalRef: 'RC-1', confirmedAt: '2025-09-26' })).expect(201);
      const thirdId = await caseIdOf(third.body.caseNumber);
      await send('intake', thirdId, { type: 'ASSIGN', at: '2025-09-26', handler: 'handler' });
      await admin.revoke(revoked.id).expect(200);
      await send('intake', thirdId, { type: 'WITHDRAW', at: '2025-09-26' });
      await deliver();
      expect(receiver.received).toHaveLength(1);
      expect(await t.dataSource.query(`SELECT status, last_error FROM platform_callbacks WHERE case_id = $1`, [thirdId])).toEqual([{ status: 'dead', last_error: '该客户端已停用' }]);
    });
  });

  it('the OpenAPI document declares the platforms’ routes with their bodies, answers and security scheme', async () => {
    const docs = (await t.http.get('/api/docs-json').expect(200)).body;
    const schemaName = (ref: string) => ref.replace('#/components/schemas/', '');
    const imports = docs.paths['/api/integration/applications'].post;
    expect(imports.security).toEqual([{ 'api-client': [] }]);
    expect(schemaName(imports.requestBody.content['application/json'].schema.$ref)).toBe('PlatformApplicationDto');
    expect(schemaName(imports.responses['201'].content['application/json'].schema.$ref)).toBe('PlatformImportResultDto');
    expect(docs.paths['/api/integration/applications/{externalRef}'].get.responses['200'].content['application/json'].schema.$ref).toMatch(/PlatformCaseDto$/);
    expect(docs.components.securitySchemes['api-client']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(docs.components.schemas)).toEqual(expect.arrayContaining(['PlatformCallbackDto', 'ApiClientWithSecretDto', 'SubscriptionResultDto', 'CallbackViewDto']));
    for (const [path, method] of [
      ['/api/admin/api-clients', 'post'],
      ['/api/admin/api-clients/{id}/rotate', 'post'],
      ['/api/admin/api-clients/{id}/subscription', 'put'],
      ['/api/admin/callbacks', 'get'],
      ['/api/admin/callbacks/{id}/replay', 'post'],
    ]) {
      const responses = docs.paths[path][method].responses;
      expect(JSON.stringify(responses['200'] ?? responses['201'])).toMatch(/#\/components\/schemas\/\w+Dto/);
    }
    // Every field a platform's answer carries is declared, and nothing declared is missing from it.
    const answer = (await platformClient(t, (await newClient('openapi-check')).secret).importApplication(platformApplication({ source: 'openapi-check', externalRef: 'OA-1', confirmedAt: '2025-09-26' })).expect(201)).body;
    expect(Object.keys(answer).sort()).toEqual(Object.keys(docs.components.schemas.PlatformImportResultDto.properties).sort());
    expect(Object.keys(answer.letters[0]).sort()).toEqual(Object.keys(docs.components.schemas.PlatformLetterDto.properties).sort());
    const client = (await admin.listClients().expect(200)).body[0];
    expect(Object.keys(client).sort()).toEqual(Object.keys(docs.components.schemas.ApiClientViewDto.properties).sort());
  });
});
