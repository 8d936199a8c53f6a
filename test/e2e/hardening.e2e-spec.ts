import { deskApplication, onlineApplication, PERSON_ID, PERSON_PHONE } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';

/**
 * Input shaped to crash a service, and what a running service leaks: each answered 500 (or leaked) before.
 */
describe('crash-shaped input answers 400 in Chinese, never 500', () => {
  let t: TestApp;
  let caseId: string;
  let intake: { Authorization: string };

  beforeAll(async () => {
    t = await startTestApp();
    intake = await t.as('intake');
    caseId = (await t.http.post('/api/applications').set(intake).send(deskApplication()).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  const CHINESE = /[\u4e00-\u9fff]/;

  function expectRefused(response: { status: number; body: { message?: string } }, status = 400): void {
    expect({ status: response.status, chinese: CHINESE.test(response.body.message ?? '') }).toEqual({ status, chinese: true });
  }

  it.each(['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'])('an event type %s', async (type) => {
    const response = await t.http.post(`/api/cases/${caseId}/events`).set(intake).send({ type });
    expectRefused(response);
    expect(response.body.message).toContain('不认识的办理事项类型');
  });

  const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
  const deepArray = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

  it.each([
    ['POST', '/api/public/applications'],
    ['POST', '/api/auth/login'],
    ['POST', '/api/cases/:id/events'],
    ['POST', '/api/applications'],
    ['PATCH', '/api/admin/users/:id'],
  ])('JSON nested 10 000 levels: %s %s', async (method, path) => {
    const url = path.replace(':id', caseId);
    const admin = await t.as('admin');
    for (const body of [deep(10_000), deepArray(10_000), `{"description":${deepArray(10_000)}}`]) {
      const request = method === 'POST' ? t.http.post(url) : t.http.patch(url);
      const response = await request.set(admin).set('Content-Type', 'application/json').send(body);
      expectRefused(response);
    }
  });

  it('a NUL character in a body, a query, a path; a lone surrogate in a body', async () => {
    const nulBody = await t.http.post('/api/public/applications').send(onlineApplication({ description: '本区2024年度\u0000公共租赁住房房源' }));
    expectRefused(nulBody);
    expect(nulBody.body.message).toContain('无法处理的字符');
    const nulKey = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send('{"username":"a","password":"b","x\\u0000":1}');
    expectRefused(nulKey);
    // A lone surrogate escaped in JSON (no client library sends one unescaped).
    const surrogate = await t.http
      .post('/api/public/applications')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(onlineApplication({ description: 'PLACEHOLDER' })).replace('PLACEHOLDER', '本区2024年度公共租赁住房\\ud800房源'));
    expectRefused(surrogate);
    expectRefused(await t.http.post(`/api/cases/${caseId}/events`).set(intake).set('Content-Type', 'application/json').send('{"type":"WITHDRAW","reason":"\\udc00撤回"}'));
    expectRefused(await t.http.get('/api/cases?q=%00').set(intake));
    expectRefused(await t.http.get('/api/cases?q=abc%00def').set(intake));
    expectRefused(await t.http.get(`/api/cases/${caseId}/personal-data?reason=${encodeURIComponent('核对身份')}%00`).set(intake));
    // Public tracking, served ahead of Express, and the same path through Express (HEAD), and the portal's page.
    expectRefused(await t.http.get('/api/public/applications/%00?queryCode=ABCDEFGHJK'));
    expectRefused(await t.http.get('/api/public/applications/X?queryCode=AB%00CD'));
    expect((await t.http.head('/api/public/applications/%00?queryCode=ABCDEFGHJK')).status).toBe(400);
    expect((await t.http.get('/track?caseNumber=%00&queryCode=ABCDEFGHJK')).status).toBe(400);
    // Nothing was logged as an unknown error.
    expect(t.logLines.filter((line) => line.includes('unhandled error'))).toEqual([]);
  });

  it('odd names wherever a value picks an entry: report cells, formats, states, outcomes', async () => {
    const admin = await t.as('admin');
    for (const name of ['__proto__', 'constructor', 'toString']) {
      for (const url of [
        `/api/reports/annual/2025/drilldown?cell=${name}`,
        `/api/reports/annual/2025/drilldown?cell=${name}|${name}`,
        `/api/reports/annual/2025?format=${name}`,
        `/api/cases?state=${name}`,
        `/api/letters/00000000-0000-4000-8000-000000000000?format=${name}`,
      ]) {
        const response = await t.http.get(url).set(admin);
        // Refused, or an empty answer (no case is in a state of that name): never a 500.
        expect({ url, status: response.status, answered: [200, 400, 404].includes(response.status) }).toMatchObject({ url, answered: true });
      }
      const decide = await t.http.post(`/api/cases/${caseId}/events`).set(admin).send({ type: 'DECIDE', outcome: name });
      expect([400, 409]).toContain(decide.status);
    }
    expect(t.logLines.filter((line) => line.includes('unhandled error'))).toEqual([]);
  });

  it('a PostgreSQL error detail that quotes an identity number or a phone is scrubbed before it is logged', async () => {
    // A unique index on a column that holds what an applicant typed: its violation's detail quotes the value.
    await t.dataSource.query(`CREATE UNIQUE INDEX uq_test_applicant_address ON cases (applicant_address)`);
    try {
      const address = `上海市示例路1号 身份证${PERSON_ID} 电话${PERSON_PHONE}`;
      const application = deskApplication({ applicant: { ...deskApplication().applicant, address } });
      await t.http.post('/api/applications').set(intake).send(application).expect(201);
      const failed = await t.http.post('/api/applications').set(intake).send(application).expect(500);
      const logged = t.logLines.find((line) => line.includes(failed.body.correlationId));
      expect(logged).toBeDefined();
      expect(logged).toContain("23505"); if (process.env.SHOW_LOG) process.stdout.write(logged + "\n");
      expect(t.logLines.join('\n')).not.toContain(PERSON_ID);
      expect(t.logLines.join('\n')).not.toContain(PERSON_PHONE);
    } finally {
      await t.dataSource.query(`DROP INDEX uq_test_applicant_address`);
    }
  });
});

describe('what a response and the database keep', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.setToday('2025-12-31');
  });
  afterAll(() => t?.close());

  it('every staff answer with personal data, and the public letter download, is Cache-Control: no-store', async () => {
    const intake = await t.as('intake');
    const legal = await t.as('legal');
    const admin = await t.as('admin');
    const created = await t.http.post('/api/applications').set(intake).send(deskApplication({ receivedAt: '2025-12-01' })).expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const id = created.body.id;
    const upload = await t.http.post(`/api/cases/${id}/attachments`).set(intake).attach('file', Buffer.from('检索登记表'), '检索登记表.txt').expect(201);
    const dispute = await t.http.post(`/api/cases/${id}/disputes`).set(legal).send({ kind: 'review', filedAt: '2025-12-20', body: '上海市某区人民政府' }).expect(201);
    const letters = (await t.http.get(`/api/cases/${id}/letters`).set(intake).expect(200)).body as { id: string }[];
    const staff: [string, { Authorization: string }][] = [
      ['/api/cases', intake],
      [`/api/cases/${id}`, intake],
      [`/api/cases/${id}/personal-data?reason=${encodeURIComponent('核对申请人身份')}`, intake],
      [`/api/cases/${id}/letters`, intake],
      [`/api/letters/${letters[0].id}?format=html`, intake],
      [`/api/letters/${letters[0].id}?format=pdf`, intake],
      [`/api/cases/${id}/attachments`, intake],
      [`/api/attachments/${upload.body.id}`, intake],
      [`/api/disputes/${dispute.body.id}/evidence`, legal],
      ['/api/disputes', legal],
      [`/api/cases/${id}/disputes`, legal],
      ['/api/audit/personal-data', admin],
      ['/api/admin/users', admin],
      ['/api/auth/me', intake],
      ['/api/reports/annual/2025', admin],
    ];
    for (const [url, header] of staff) {
      const response = await t.http.get(url).set(header);
      expect({ url, status: response.status, cacheControl: response.headers['cache-control'] }).toEqual({ url, status: 200, cacheControl: 'no-store' });
    }
    const publicLetter = await t.http
      .get(`/api/public/applications/${encodeURIComponent(created.body.caseNumber)}/letters/${letters[0].id}`)
      .query({ queryCode: created.body.queryCode, format: 'pdf' })
      .expect(200);
    expect(publicLetter.headers['cache-control']).toBe('no-store');
    const trackPage = await t.http.get('/track').query({ caseNumber: created.body.caseNumber, queryCode: created.body.queryCode }).expect(200);
    expect(trackPage.headers['cache-control']).toBe('no-store');
    // The case page answered to the pair in a POST body, and its signed download links.
    const casePage = await t.http.post('/track').type('form').send({ caseNumber: created.body.caseNumber, queryCode: created.body.queryCode }).expect(200);
    expect(casePage.headers['cache-control']).toBe('no-store');
    const link = /<a href="(\/track\/document\?token=[^"]+)">/.exec(casePage.text.replace(/&#x3D;/g, '='))![1];
    expect((await t.http.get(link).expect(200)).headers['cache-control']).toBe('no-store');
    // What anyone may keep: the public proactive list, the documentation, the font.
    expect((await t.http.get('/api/public/proactive').expect(200)).headers['cache-control']).toBeUndefined();
    expect((await t.http.get('/assets/fonts/desk-sans.otf').expect(200)).headers['cache-control']).toContain('max-age');
    expect((await t.http.get('/assets/portal.js').expect(200)).headers['cache-control']).toContain('max-age');
    expect((await t.http.get('/guide/application-form.pdf').expect(200)).headers['cache-control']).toBeUndefined();
  });

  it('refuses TRUNCATE on letters, as on the event log and the access log', async () => {
    await expect(t.dataSource.query(`TRUNCATE letters CASCADE`)).rejects.toThrow(/TRUNCATE refused/);
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM letters`);
    expect(count).toBeGreaterThan(0);
  });
});
