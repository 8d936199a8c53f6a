import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool, PoolClient } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { deskApplication, onlineApplication, PERSON_ID, PERSON_PHONE } from '../factories/applications';
import { PublicTrackingService } from '../../apps/api/src/public/public-tracking.service';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('GET /api/public/applications/{caseNumber}?queryCode= (public tracking)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_TRACKING_MAX_FAILURES: '5' });
    t.setToday('2025-10-09');
  });
  afterAll(() => t.close());

  const track = (caseNumber: string, queryCode?: string, ip = '203.0.113.7') =>
    t.http.get(`/api/public/applications/${encodeURIComponent(caseNumber)}`).query(queryCode === undefined ? {} : { queryCode }).set('X-Forwarded-For', ip);

  it('shows the state in plain words, the receipt and due dates, and nothing personal', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
    const response = await track(created.body.caseNumber, created.body.queryCode).expect(200);
    expect(response.body).toEqual({
      caseNumber: created.body.caseNumber,
      state: '已受理，正在办理',
      submittedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      receivedAt: '2025-09-26',
      dueDate: '2025-10-30',
      dueDateProvisional: false,
      concludedAt: null,
      letters: [
        {
          id: expect.any(String),
          kind: 'receipt',
          title: '政府信息公开申请接收回执',
          number: expect.stringMatching(/^信息公开收〔2025〕[1-9]\d*号$/),
          issuedAt: '2025-09-26',
        },
      ],
    });
    const text = JSON.stringify(response.body);
    for (const secret of [PERSON_ID, PERSON_PHONE, '张三', '示例路', created.body.queryCode]) expect(text).not.toContain(secret);
  });

  it('accepts the query code typed in lower case or with spaces', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    const typed = `${created.body.queryCode.slice(0, 5).toLowerCase()} ${created.body.queryCode.slice(5)}`;
    const response = await track(created.body.caseNumber, typed, '203.0.113.8').expect(200);
    expect(response.body.state).toBe('已提交，等待政府信息公开工作机构确认收到');
    expect(response.body.receivedAt).toBeNull();
  });

  it('answers a wrong code exactly like an unknown case (404)', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    const wrong = await track(created.body.caseNumber, 'AAAAAAAAAA', '203.0.113.9').expect(404);
    const unknown = await track('沪某房依申〔2025〕第99999号', 'AAAAAAAAAA', '203.0.113.9').expect(404);
    const missing = await track(created.body.caseNumber, undefined, '203.0.113.9').expect(404);
    expect(wrong.body).toEqual(unknown.body);
    expect(missing.body).toEqual(unknown.body);
  });

  it('rate-limits repeated failures per address (429), the right pair included, other addresses unaffected', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    for (let i = 0; i < 5; i++) await track(created.body.caseNumber, `WRONG${i}CODE`, '198.51.100.1').expect(404);
    const limited = await track(created.body.caseNumber, created.body.queryCode, '198.51.100.1').expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(limited.body.message).toMatch(/分钟后再试/);
    await track(created.body.caseNumber, created.body.queryCode, '198.51.100.2').expect(200);
  });

  it('tells a withdrawn case in plain words and shows no due date', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
    await t.http.post(`/api/cases/${created.body.id}/events`).set(await t.as('intake')).send({ type: 'WITHDRAW', at: '2025-10-09' }).expect(200);
    const response = await track(created.body.caseNumber, created.body.queryCode, '203.0.113.10').expect(200);
    expect(response.body).toMatchObject({ state: '申请已撤回', dueDate: null, concludedAt: '2025-10-09' });
  });
});

describe('case numbers as applicants type them: read before the lookup and before a failure is counted', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_TRACKING_CASE_MAX_FAILURES: '2' });
    t.setToday('2025-10-09');
  });
  afterAll(() => t.close());

  const track = (caseNumber: string, queryCode: string, ip: string) =>
    t.http.get(`/api/public/applications/${encodeURIComponent(caseNumber)}`).query({ queryCode }).set('X-Forwarded-For', ip);

  it('finds the case however the number is typed, and answers the number as the office writes it', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
    const [, year, serial] = /〔(\d{4})〕第(\d{5})号/.exec(created.body.caseNumber)!;
    const n = String(Number(serial));
    for (const typed of [`沪某房依申[${year}]第${n}号`, `沪某房依申(${year})${serial}号`, `沪某房依申（${year}）第${n}号`, `${year}-${n}`, `${year}年第${serial}号`]) {
      const response = await track(typed, created.body.queryCode, '203.0.113.30').expect(200);
      expect(response.body.caseNumber).toBe(created.body.caseNumber);
    }
    // Full-width letters of a code typed with a Chinese input method are the same code.
    const fullWidth = created.body.queryCode.replace(/[A-Z0-9]/g, (char: string) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
    await track(created.body.caseNumber, fullWidth, '203.0.113.30').expect(200);
  });

  it('failures of one number typed three ways count against that one case; the right pair still answers', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
    const [, year, serial] = /〔(\d{4})〕第(\d{5})号/.exec(created.body.caseNumber)!;
    const n = String(Number(serial));
    await track(`沪某房依申[${year}]第${n}号`, 'WRONGCODE1', '198.51.100.31').expect(404);
    await track(`(${year})${serial}`, 'WRONGCODE2', '198.51.100.32').expect(404);
    // The third failure, from a third address and typed a third way, is past the case's allowance of 2: under guard.
    await track(`${year}-${n}`, 'WRONGCODE3', '198.51.100.33').expect(429);
    // Someone else's failures never lock the applicant out: the right pair, however typed, is answered.
    await track(`${year}-${n}`, created.body.queryCode, '198.51.100.34').expect(200);
    await track(created.body.caseNumber, created.body.queryCode, '198.51.100.33').expect(429);
  });
});

describe('logs never carry identity numbers, phone numbers or query codes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('after intake, tracking and a refused request', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    await t.http.get(`/api/public/applications/${encodeURIComponent(created.body.caseNumber)}`).query({ queryCode: created.body.queryCode }).expect(200);
    await t.http.post('/api/public/applications').send(onlineApplication({ applicant: { idNumber: PERSON_ID, phone: PERSON_PHONE } })).expect(400);
    const log = t.logLines.join('\n');
    expect(t.logLines.some((line) => line.includes('"path":"/api/public/applications"'))).toBe(true);
    for (const secret of [PERSON_ID, PERSON_PHONE, created.body.queryCode]) expect(log).not.toContain(secret);
  });
});

describe('the tracking lookup served ahead of Express (public-tracking.route.ts) answers as PublicController does', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_TRACKING_MAX_FAILURES: '3' });
    t.setToday('2025-10-09');
  });
  afterAll(() => t.close());

  const path = (caseNumber: string) => `/api/public/applications/${encodeURIComponent(caseNumber)}`;
  /** A GET with the request target sent exactly as given, over a socket of its own. */
  const raw = async (target: string): Promise<{ status: number; etag: string | undefined; body: string }> => {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const call = httpRequest({ host: '127.0.0.1', port, path: target, agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, etag: response.headers.etag, body }));
      });
      call.on('error', reject);
      call.end();
    });
  };
  // The lean path takes exactly `…/applications/{caseNumber}`; with a trailing slash the URL is the same route to Express
  // (non-strict routing), so PublicController answers it: the two answers side by side.
  const both = async (caseNumber: string, query: string, ip: string) => ({
    lean: await t.http.get(`${path(caseNumber)}?${query}`).set('X-Forwarded-For', ip),
    nest: await t.http.get(`${path(caseNumber)}/?${query}`).set('X-Forwarded-For', ip),
  });
  // Headers that differ by nature: the time, and Express's ETag (a revalidation token, moot under no-store).
  const comparable = (headers: Record<string, string>) => {
    const { date: _date, etag: _etag, ...rest } = headers;
    return rest;
  };

  it('the same answer, the same security headers, and no cache keeps it', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
    const { lean, nest } = await both(created.body.caseNumber, `queryCode=${created.body.queryCode}`, '203.0.113.20');
    expect(lean.status).toBe(200);
    expect(nest.status).toBe(200);
    expect(lean.body).toEqual(nest.body);
    expect(lean.body.letters).toHaveLength(1);
    expect(comparable(lean.headers)).toEqual(comparable(nest.headers));
    expect(lean.headers).toMatchObject({
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
      'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
    });
    expect(lean.headers['x-powered-by']).toBeUndefined();
    // The two really took different paths: only Express adds an ETag.
    expect(nest.headers.etag).toBeDefined();
    expect(lean.headers.etag).toBeUndefined();
  });

  it('the same 404 for a wrong code, a missing code and a repeated one, then the same 429 for that address', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    const ip = '198.51.100.30';
    const wrong = await both(created.body.caseNumber, 'queryCode=AAAAAAAAAA', ip);
    const repeated = await both(created.body.caseNumber, `queryCode=${created.body.queryCode}&queryCode=${created.body.queryCode}`, '198.51.100.31');
    for (const answer of [wrong.lean, wrong.nest, repeated.lean, repeated.nest]) {
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ statusCode: 404, error: 'Not Found', message: '案件编号或查询码不正确，请核对接收回执上的编号和查询码' });
    }
    // Two failures so far from this address, one per path: they count together, and the third reaches the limit.
    await t.http.get(`${path(created.body.caseNumber)}?queryCode=BBBBBBBBBB`).set('X-Forwarded-For', ip).expect(404);
    const limited = await both(created.body.caseNumber, `queryCode=${created.body.queryCode}`, ip);
    expect(limited.lean.status).toBe(429);
    expect(limited.lean.body).toEqual(limited.nest.body);
    expect(comparable(limited.lean.headers)).toEqual(comparable(limited.nest.headers));
    // The limit is the forwarded address's (Express's trust-proxy rule), not the proxy's.
    await t.http.get(`${path(created.body.caseNumber)}?queryCode=${created.body.queryCode}`).set('X-Forwarded-For', '198.51.100.32').expect(200);
  });

  it('an unexpected failure is a 500 with a correlation id, logged, as the exception filter answers it', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    jest.spyOn(t.app.get(PublicTrackingService), 'track').mockRejectedValueOnce(new Error('connection terminated unexpectedly'));
    const failed = await t.http.get(`${path(created.body.caseNumber)}?queryCode=${created.body.queryCode}`).expect(500);
    expect(failed.headers.etag).toBeUndefined(); // answered by the lean path, not by Express
    expect(failed.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: `服务器内部错误，请联系管理员（编号 ${failed.body.correlationId}）`,
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const logged = t.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.find((entry) => entry.correlationId === failed.body.correlationId)).toMatchObject({ msg: 'unhandled error' });
    // And the request line, as for every request: the path without its query string (the 查询码 travels there).
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'request', method: 'GET', path: path(created.body.caseNumber), status: 500 }));
    expect(t.logLines.join('\n')).not.toContain(created.body.queryCode);
    // The next lookup is served again.
    await t.http.get(`${path(created.body.caseNumber)}?queryCode=${created.body.queryCode}`).expect(200);
  });

  it('leaves to Express what it does not recognise exactly: HEAD, malformed escapes, a fragment, the letters below it', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    const head = await t.http.head(`${path(created.body.caseNumber)}?queryCode=${created.body.queryCode}`).set('X-Forwarded-For', '203.0.113.40');
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBeDefined();
    const malformed = await t.http.get('/api/public/applications/%E6%B2%AA%E6%9F?queryCode=AAAAAAAAAA').set('X-Forwarded-For', '203.0.113.41');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    // A fragment sent as it is (supertest would strip it): Express drops it and finds the code; it is no failure.
    const fragment = await raw(`${path(created.body.caseNumber)}?queryCode=${created.body.queryCode}#top`);
    expect(fragment.status).toBe(200);
    expect(fragment.etag).toBeDefined();
    expect(JSON.parse(fragment.body).caseNumber).toBe(created.body.caseNumber);
    // The receipt of a desk application, downloaded below the tracked path with the same pair.
    const desk = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
    const tracked = await t.http.get(`${path(desk.body.caseNumber)}?queryCode=${desk.body.queryCode}`).set('X-Forwarded-For', '203.0.113.42').expect(200);
    const receipt = await t.http
      .get(`${path(desk.body.caseNumber)}/letters/${tracked.body.letters[0].id}`)
      .query({ queryCode: desk.body.queryCode, format: 'html' })
      .set('X-Forwarded-For', '203.0.113.42')
      .expect(200);
    expect(receipt.text).toContain('政府信息公开申请接收回执');
  });

  it('survives prepared statements the server dropped (DISCARD ALL, a pooler) or a migration that changed a column', async () => {
    const created = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication()).expect(201);
    const logged = t.logLines.length;
    const lookup = () => t.http.get(`${path(created.body.caseNumber)}?queryCode=${created.body.queryCode}`).set('X-Forwarded-For', '203.0.113.60');
    await lookup().expect(200);
    // Every connection of the pool forgets its prepared statements; `pg` still believes them prepared (26000).
    const pool = (t.dataSource.driver as PostgresDriver).master as Pool;
    const clients: PoolClient[] = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
    for (const client of clients) await client.query('DEALLOCATE ALL');
    for (const client of clients) client.release();
    expect((await lookup().expect(200)).body.caseNumber).toBe(created.body.caseNumber);
    await lookup().expect(200);
    // A column the statement reads changes type while the service runs (0A000: cached plan must not change result type).
    await t.dataSource.query(`ALTER TABLE cases ALTER COLUMN state TYPE varchar(64)`);
    expect((await lookup().expect(200)).body.state).toBe('已受理，正在办理');
    await lookup().expect(200);
    expect(t.logLines.slice(logged).filter((line) => line.includes('unhandled error'))).toEqual([]);
  });

  it('gives the date of submission in Asia/Shanghai, not UTC (01:30 on 1 February in Shanghai is 31 January in UTC)', async () => {
    const created = await t.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    await t.dataSource.query(`UPDATE cases SET submitted_at = '2026-01-31T17:30:00Z' WHERE case_number = $1`, [created.body.caseNumber]);
    const { lean, nest } = await both(created.body.caseNumber, `queryCode=${created.body.queryCode}`, '203.0.113.50');
    expect(lean.body.submittedOn).toBe('2026-02-01');
    expect(nest.body.submittedOn).toBe('2026-02-01');
  });
});
