import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { deskApplication, onlineApplication } from '../factories/applications';
import { databaseUrl, dropDatabase, TEMPLATE_DATABASE, withAdminClient } from '../setup/database';

const MAIN = join(__dirname, '../../dist/apps/api/src/main.js');
const IN_FLIGHT = 16;
const ROUNDS = 3;
const CORRELATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Fault: PostgreSQL drops every connection of the service while many requests are in flight (a restart, a failover, an
 * operator's pg_terminate_backend). The service runs as its own process, exactly as `npm start` runs it, so "the process
 * did not exit" is observed from outside: an unhandled 'error' event on a pooled client would end it.
 */
describe('connection drops under concurrent load', () => {
  let child: ChildProcessWithoutNullStreams;
  let output = '';
  let baseUrl: string;
  let databaseName: string;
  let observer: Client;
  let exited: { code: number | null; signal: string | null } | null = null;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm test builds it first (npm run build)`);
    databaseName = `ogi_desk_test_${randomBytes(6).toString('hex')}`;
    await withAdminClient((client) => client.query(`CREATE DATABASE "${databaseName}" TEMPLATE "${TEMPLATE_DATABASE}"`));
    observer = new Client({ connectionString: databaseUrl(databaseName) });
    await observer.connect();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl(databaseName),
      PORT: '0',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
      ONLINE_APPLICATIONS_PER_HOUR: '1000',
    };
    child = spawn(process.execPath, [MAIN], { env });
    child.once('exit', (code, signal) => {
      exited = { code, signal };
    });
    baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), 90_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /API\s+(http:\/\/localhost:\d+)\/api/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`service exited with ${code}:\n${output}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
    await observer?.end();
    if (databaseName) await withAdminClient((client) => dropDatabase(client, databaseName));
  });

  interface Answer {
    status: number;
    body: { correlationId?: string; message?: string; caseNumber?: string };
  }

  async function send(path: string, init: RequestInit = {}): Promise<Answer> {
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }

  function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return send(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  }

  async function terminateServiceBackends(): Promise<number> {
    const { rows } = await observer.query<{ killed: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))::int AS killed FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [databaseName],
    );
    return rows[0].killed;
  }

  /**
   * IN_FLIGHT workers send `request` back to back; every backend of the database (but the observer's) is terminated
   * ROUNDS times with the workers still sending, each round once a few more answers, one a success, have come back and
   * the service holds connections again (so requests are in every stage: waiting for a connection, holding one, in a
   * transaction), then the workers stop.
   */
  async function underLoad(
    request: (worker: number, sequence: number) => Promise<Answer>,
    success: number,
  ): Promise<{ answers: Answer[]; killed: number[] }> {
    const answers: Answer[] = [];
    const killed: number[] = [];
    let stop = false;
    const workers = Array.from({ length: IN_FLIGHT }, async (_unused, worker) => {
      for (let sequence = 0; !stop; sequence++) {
        answers.push(await request(worker, sequence).catch((error: Error) => ({ status: 0, body: { message: error.message } })));
      }
    });
    const answered = async (count: number) => {
      const from = answers.length;
      while (answers.length < from + count || !answers.slice(from).some((answer) => answer.status === success)) {
        if (exited) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const connected = async () => {
      const count = `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`;
      while ((await observer.query<{ count: number }>(count, [databaseName])).rows[0].count === 0) {
        if (exited) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    try {
      for (let round = 0; round < ROUNDS; round++) {
        await answered(4);
        await connected();
        killed.push(await terminateServiceBackends());
      }
      await answered(4);
    } finally {
      stop = true;
      await Promise.all(workers);
    }
    return { answers, killed };
  }

  function expectStillRunning(): void {
    // What the process printed when it exited, so a failure shows why.
    expect({ exited, output: exited ? output.slice(-3000) : '' }).toEqual({ exited: null, output: '' });
  }

  function expectOnlyServiceAnswers(answers: Answer[], success: number): void {
    expectStillRunning();
    // No refused connection (status 0): the process answered every request.
    const statuses = new Set(answers.map((answer) => answer.status));
    expect([...statuses].filter((status) => ![success, 500, 503].includes(status))).toEqual([]);
    expect(answers.filter((answer) => answer.status === success).length).toBeGreaterThan(0);
    for (const failed of answers.filter((answer) => answer.status === 500 || answer.status === 503)) {
      expect(failed.body.correlationId).toMatch(CORRELATION_ID);
      expect(failed.body.message).toContain(failed.body.correlationId);
    }
  }

  async function expectHealthyAfterwards(): Promise<void> {
    expectStillRunning();
    // /health/ready tells the truth: the database answers again on a fresh connection.
    expect((await send('/health/ready')).status).toBe(200);
    expect((await send('/health')).status).toBe(200);
  }

  it('public tracking: the process stays up, failed look-ups answer with a correlation id, the next ones succeed', async () => {
    const pairs: { caseNumber: string; queryCode: string }[] = [];
    for (let index = 0; index < 4; index++) {
      const created = await postJson('/api/public/applications', onlineApplication());
      expect(created.status).toBe(201);
      pairs.push(created.body as { caseNumber: string; queryCode: string });
    }
    const track = ({ caseNumber, queryCode }: { caseNumber: string; queryCode: string }) =>
      send(`/api/public/applications/${encodeURIComponent(caseNumber)}?queryCode=${queryCode}`);

    const { answers, killed } = await underLoad((worker) => track(pairs[worker % pairs.length]), 200);
    expectOnlyServiceAnswers(answers, 200);
    expect(killed.every((count) => count > 0)).toBe(true);
    await expectHealthyAfterwards();
    for (const pair of pairs) expect((await track(pair)).status).toBe(200);
    // Several in flight again, on fresh connections: every one answers.
    const again = await Promise.all(Array.from({ length: IN_FLIGHT }, (_unused, index) => track(pairs[index % pairs.length])));
    expect(again.map((answer) => answer.status)).toEqual(Array(IN_FLIGHT).fill(200));
  });

  it('desk intake: the process stays up, nothing is half-written, the numbering stays gapless', async () => {
    const login = await postJson('/api/auth/login', { username: 'intake', password: 'demo-password' });
    expect(login.status).toBe(200);
    const auth = { Authorization: `Bearer ${(login.body as { accessToken?: string }).accessToken}` };
    const { rows: before } = await observer.query<{ cases: number }>(`SELECT count(*)::int AS cases FROM cases`);

    const { answers, killed } = await underLoad((worker, sequence) =>
      postJson('/api/applications', deskApplication({ description: `断线测试 ${worker}-${sequence}：某街道老旧小区改造项目清单` }), auth),
      201,
    );
    expectOnlyServiceAnswers(answers, 201);
    expect(killed.every((count) => count > 0)).toBe(true);
    await expectHealthyAfterwards();

    const created = answers.filter((answer) => answer.status === 201).map((answer) => answer.body.caseNumber);
    const failed = answers.filter((answer) => answer.status !== 201).length;
    const { rows } = await observer.query<{ cases: number; without_event: number; without_receipt: number; numbers: number; last_value: number }>(
      `SELECT count(*)::int AS cases,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.sequence = 1))::int AS without_event,
              count(*) FILTER (WHERE c.channel <> 'online' AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.case_id = c.id))::int AS without_receipt,
              count(DISTINCT c.case_number)::int AS numbers,
              (SELECT sum(last_value)::int FROM number_sequences WHERE kind = 'case') AS last_value
         FROM cases c`,
    );
    // Every answered 201 is a case; a failed request made none, or a whole one (its commit went through and the
    // connection died while the answer was read back); no case lacks its first event or its receipt; no number is
    // taken twice or lost.
    const { rows: found } = await observer.query(`SELECT case_number FROM cases WHERE case_number = ANY($1)`, [created]);
    expect(found).toHaveLength(created.length);
    expect(rows[0].cases).toBeGreaterThanOrEqual(before[0].cases + created.length);
    expect(rows[0].cases).toBeLessThanOrEqual(before[0].cases + created.length + failed);
    expect(rows[0]).toMatchObject({ without_event: 0, without_receipt: 0, numbers: rows[0].cases, last_value: rows[0].cases });

    const retried = await postJson('/api/applications', deskApplication(), auth);
    expect(retried.status).toBe(201);
  });
});
