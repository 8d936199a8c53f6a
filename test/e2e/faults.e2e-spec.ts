import { Client } from 'pg';
import type { Response, Test } from 'supertest';
import { deskApplication } from '../factories/applications';
import { databaseUrl } from '../setup/database';
import { startTestApp, type TestApp } from '../setup/test-app';

/**
 * Fault: the database connection drops in the middle of a request. Each workflow step is one transaction, so a backend
 * killed after some of its writes must leave nothing behind, and the pool must replace the dead connection.
 *
 * Real PostgreSQL, no mocks: a client of our own holds a table lock that the app's next statement needs; once the
 * app's backend is seen waiting on it (its earlier writes made inside the open transaction), we terminate that backend
 * with pg_terminate_backend and only then release the lock.
 */

// A Monday; the application arrived on the Friday before (both working days).
const TODAY = '2026-03-02';
const RECEIVED_AT = '2026-02-27';
const WAIT_LIMIT_MS = 10_000;

interface Victim {
  pid: number;
  query: string;
  /** Set once the backend's transaction has written anything. */
  xid: string | null;
  /** A multi-statement transaction: it began before the statement that is waiting. */
  inTransactionBlock: boolean;
  /** Ordinary tables the backend has written to in this transaction (RowExclusiveLock granted). */
  writtenTables: string[];
}

interface Fault {
  /** `LOCK TABLE <table> IN <mode> MODE` held by our own transaction. */
  table: string;
  mode: 'EXCLUSIVE' | 'ACCESS EXCLUSIVE';
  /** The statement the app must be found waiting in. */
  waitingIn: RegExp;
}

describe('faults: the database connection drops mid-request', () => {
  let t: TestApp;
  // Holds the lock (its pg_stat_activity would be a cached snapshot inside its transaction, so it does not poll).
  let locker: Client;
  // Polls pg_stat_activity, probes row locks, kills the backend, reads the tables; always outside a transaction.
  let observer: Client;
  let intake: { Authorization: string };

  beforeAll(async () => {
    t = await startTestApp();
    t.setToday(TODAY);
    locker = new Client({ connectionString: databaseUrl(t.databaseName) });
    observer = new Client({ connectionString: databaseUrl(t.databaseName) });
    await Promise.all([locker.connect(), observer.connect()]);
    // Signed in up front: the faulted request is the only thing that runs while the lock is held.
    intake = await t.as('intake');
  });
  afterAll(async () => {
    await Promise.all([locker?.end(), observer?.end()]);
    await t?.close();
  });

  async function register(description = deskApplication().description): Promise<{ id: string; caseNumber: string }> {
    const response = await t.http.post('/api/applications').set(intake).send(deskApplication({ receivedAt: RECEIVED_AT, description })).expect(201);
    return { id: response.body.id, caseNumber: response.body.caseNumber };
  }

  /** Every row of every table, as a digest per table: any write that survived shows up as a difference. */
  async function fingerprint(): Promise<Record<string, string>> {
    const { rows: tables } = await observer.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const digests: Record<string, string> = {};
    for (const { name } of tables) {
      const { rows } = await observer.query<{ rows: number; digest: string }>(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`,
      );
      digests[name] = `${rows[0].rows}:${rows[0].digest}`;
    }
    return digests;
  }

  async function caseRow(id: string): Promise<Record<string, unknown>> {
    const { rows } = await observer.query(`SELECT to_jsonb(c) AS row FROM cases c WHERE id = $1`, [id]);
    return rows[0].row;
  }

  async function counts(caseId?: string): Promise<{ cases: number; events: number; letters: number; caseEvents: number; caseLetters: number }> {
    const { rows } = await observer.query(
      `SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM case_events) AS events, (SELECT count(*)::int FROM letters) AS letters,
              (SELECT count(*)::int FROM case_events WHERE case_id = $1) AS "caseEvents", (SELECT count(*)::int FROM letters WHERE case_id = $1) AS "caseLetters"`,
      [caseId ?? null],
    );
    return rows[0];
  }

  async function sequences(): Promise<Record<string, number>> {
    const { rows } = await observer.query<{ kind: string; year: number; last_value: number }>(`SELECT kind, year, last_value FROM number_sequences`);
    return Object.fromEntries(rows.map((row) => [`${row.kind}@${row.year}`, row.last_value]));
  }

  /**
   * Hold the fault's lock, start the request, wait until the app's backend is stuck on that lock in the expected
   * statement, let `beforeKill` inspect it, terminate it, then release the lock. Returns the request's answer.
   */
  async function dropConnection(fault: Fault, request: Test, beforeKill: (victim: Victim) => Promise<void> = async () => undefined): Promise<Response> {
    const { rows: lockerRows } = await locker.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
    const lockerPid = lockerRows[0].pid;
    await locker.query('BEGIN');
    let victim: Victim | undefined;
    let answer: Promise<Response> | undefined;
    try {
      await locker.query(`LOCK TABLE ${fault.table} IN ${fault.mode} MODE`);
      let settled = false;
      answer = request.then((response) => {
        settled = true;
        return response;
      });
      const deadline = Date.now() + WAIT_LIMIT_MS;
      while (!victim) {
        if (settled) throw new Error(`the request finished (${(await answer).status}) without waiting on the lock on ${fault.table}`);
        if (Date.now() > deadline) throw new Error(`no backend waited on the lock on ${fault.table} within ${WAIT_LIMIT_MS} ms`);
        const { rows } = await observer.query<Victim>(
          `SELECT a.pid, a.query, a.backend_xid::text AS xid, a.xact_start < a.query_start AS "inTransactionBlock",
                  ARRAY(SELECT DISTINCT c.relname::text FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                         WHERE l.pid = a.pid AND l.granted AND l.locktype = 'relation' AND l.mode = 'RowExclusiveLock' AND c.relkind = 'r'
                         ORDER BY 1) AS "writtenTables"
             FROM pg_stat_activity a
            WHERE a.datname = current_database() AND a.wait_event_type = 'Lock' AND $1 = ANY(pg_blocking_pids(a.pid))`,
          [lockerPid],
        );
        if (rows.length > 1) throw new Error(`expected one backend waiting on ${fault.table}, found ${rows.length}: ${rows.map((row) => row.query).join(' / ')}`);
        if (rows.length === 1) victim = rows[0];
        // Yield to the event loop so the request can make progress; the next poll is a round trip to the server anyway.
        else await new Promise((resolve) => setImmediate(resolve));
      }
      expect(victim.query).toMatch(fault.waitingIn);
      await beforeKill(victim);
      // With a timeout, pg_terminate_backend waits until the backend has exited: it can never be granted our lock.
      const { rows: killed } = await observer.query<{ terminated: boolean }>(`SELECT pg_terminate_backend($1, 5000) AS terminated`, [victim.pid]);
      expect(killed[0].terminated).toBe(true);
      const { rows: gone } = await observer.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [victim.pid]);
      expect(gone).toEqual([]);
    } finally {
      await locker.query('ROLLBACK');
    }
    return answer;
  }

  /** A lost connection: 503 with a correlation id in the body and in the log line, no stack, no SQL. */
  function expectUnknownError(response: Response): void {
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: expect.stringContaining(response.body.correlationId),
      correlationId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    });
    const logged = t.logLines.map((line) => JSON.parse(line)).find((line) => line.correlationId === response.body.correlationId);
    // 57P01 admin_shutdown: "terminating connection due to administrator command".
    expect(logged).toMatchObject({ msg: 'database connection lost', err: { code: '57P01' } });
    // The failed statement's bound values (the applicant's name and address, letter data) never reach the log.
    expect(logged.err.parameters).toBe('[redacted]');
    expect(JSON.stringify(logged)).not.toContain('张三');
  }

  /** The pool lost a connection: every slot must be usable again, none leaked to the dead client. */
  async function expectFullPool(): Promise<void> {
    const size = (t.dataSource.options as { extra?: { max?: number } }).extra?.max;
    expect(size).toBe(5);
    const runners = Array.from({ length: size ?? 0 }, () => t.dataSource.createQueryRunner());
    try {
      let timer: NodeJS.Timeout | undefined;
      const leaked = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('a pool slot is still held by the dead connection')), WAIT_LIMIT_MS);
      });
      const pids = await Promise.race([
        Promise.all(runners.map(async (runner) => (await runner.query(`SELECT pg_backend_pid() AS pid`))[0].pid as number)),
        leaked,
      ]).finally(() => clearTimeout(timer));
      expect(new Set(pids).size).toBe(size);
    } finally {
      await Promise.all(runners.map((runner) => runner.release()));
    }
  }

  describe('a workflow event (POST /api/cases/{id}/events)', () => {
    it.each<[string, Fault, Record<string, unknown>, string[]]>([
      // The step's own writes — the case, its event and the record of the view the POST answers with — are one statement
      // (CaseRepository.recordStep), so the first point between two writes is after it, before the step's letters.
      [
        'after the event and the notice number, waiting to write the supplement notice',
        { table: 'letters', mode: 'EXCLUSIVE', waitingIn: /^INSERT INTO letters/ },
        { type: 'REQUEST_SUPPLEMENT', at: TODAY, items: ['请写明所需信息的文号或名称'], periodWorkingDays: 15 },
        ['case_events', 'cases', 'number_sequences', 'personal_data_access'],
      ],
    ])('killed %s: nothing half-written, and the retry records the event once', async (_label, fault, body, written) => {
      const { id } = await register();
      const row = await caseRow(id);
      const before = await counts(id);
      const numbers = await sequences();
      const database = await fingerprint();

      const response = await dropConnection(fault, t.http.post(`/api/cases/${id}/events`).set(intake).send(body), async (victim) => {
        // The step's writes were made in the killed transaction: it has an xid, holds the tables and the case row.
        expect(victim).toMatchObject({ inTransactionBlock: true, xid: expect.stringMatching(/^\d+$/), writtenTables: expect.arrayContaining(written) });
        await expect(observer.query(`SELECT 1 FROM cases WHERE id = $1 FOR NO KEY UPDATE NOWAIT`, [id])).rejects.toMatchObject({ code: '55P03' });
      });
      expectUnknownError(response);

      // The whole case row (version, state, due date, handler, snapshot, updated_at), then every table of the database.
      expect(await caseRow(id)).toEqual(row);
      expect(await counts(id)).toEqual(before);
      expect(await sequences()).toEqual(numbers);
      expect(await fingerprint()).toEqual(database);

      await expectFullPool();
      const retried = await t.http.post(`/api/cases/${id}/events`).set(intake).send(body).expect(200);
      expect(retried.body).toMatchObject({ version: 2, events: [{ sequence: 1, type: 'REGISTER' }, { sequence: 2, type: body.type }] });
      expect(await counts(id)).toMatchObject({ events: before.events + 1, caseEvents: before.caseEvents + 1 });
    });

    it('killed at its first SELECT, before any write: nothing changes and the retry succeeds', async () => {
      const { id } = await register();
      const row = await caseRow(id);
      const database = await fingerprint();
      const body = { type: 'ASSIGN', at: TODAY, handler: 'handler' };

      // ACCESS EXCLUSIVE blocks even reads: the step waits in its read of the case (pg_stat_activity cuts the text at
      // 1 kB, before its FROM) — outside any transaction, since an assignment writes nothing but its one statement.
      const fault: Fault = { table: 'cases', mode: 'ACCESS EXCLUSIVE', waitingIn: /^SELECT c\.id AS "id"/ };
      const response = await dropConnection(fault, t.http.post(`/api/cases/${id}/events`).set(intake).send(body), async (victim) => {
        expect(victim).toMatchObject({ inTransactionBlock: false, xid: null, writtenTables: [] });
      });
      expectUnknownError(response);
      expect(await caseRow(id)).toEqual(row);
      expect(await fingerprint()).toEqual(database);

      await expectFullPool();
      const retried = await t.http.post(`/api/cases/${id}/events`).set(intake).send(body).expect(200);
      expect(retried.body).toMatchObject({ version: 2, state: 'handling.active', events: [{ type: 'REGISTER' }, { type: 'ASSIGN' }] });
    });
  });

  describe('intake (POST /api/applications)', () => {
    it.each<[string, Fault, string[]]>([
      [
        'after the case number and the case row, waiting to append the first event',
        { table: 'case_events', mode: 'EXCLUSIVE', waitingIn: /^INSERT INTO case_events/ },
        ['cases', 'number_sequences'],
      ],
      [
        'after the first event and the receipt number, waiting to write the receipt',
        { table: 'letters', mode: 'EXCLUSIVE', waitingIn: /^INSERT INTO letters/ },
        ['case_events', 'cases', 'number_sequences'],
      ],
    ])('killed %s: no case, no number consumed, and the retry takes that number', async (_label, fault, written) => {
      const earlier = await register();
      const description = `故障测试 ${fault.table}：某街道2025年度老旧小区改造项目清单`;
      const before = await counts();
      const numbers = await sequences();
      const database = await fingerprint();
      const year = TODAY.slice(0, 4);
      expect(numbers[`case@${year}`]).toBeGreaterThan(0);

      const application = deskApplication({ receivedAt: RECEIVED_AT, description });
      const response = await dropConnection(fault, t.http.post('/api/applications').set(intake).send(application), async (victim) => {
        expect(victim).toMatchObject({ inTransactionBlock: true, xid: expect.stringMatching(/^\d+$/), writtenTables: expect.arrayContaining(written) });
        // The case number was taken in the killed transaction: its counter row is locked by it.
        await expect(
          observer.query(`SELECT 1 FROM number_sequences WHERE kind = 'case' AND year = $1 FOR UPDATE NOWAIT`, [Number(year)]),
        ).rejects.toMatchObject({ code: '55P03' });
      });
      expectUnknownError(response);

      const { rows: leftovers } = await observer.query(`SELECT id FROM cases WHERE description = $1`, [description]);
      expect(leftovers).toEqual([]);
      expect(await counts()).toMatchObject({ cases: before.cases, events: before.events, letters: before.letters });
      expect(await sequences()).toEqual(numbers);
      expect(await fingerprint()).toEqual(database);

      await expectFullPool();
      const retried = await t.http.post('/api/applications').set(intake).send(application).expect(201);
      // Gapless: the retry gets the number the killed request would have had, right after the earlier case's.
      expect(retried.body.caseNumber).toBe(nextCaseNumber(earlier.caseNumber));
      expect(retried.body.events).toEqual([expect.objectContaining({ type: 'REGISTER', at: RECEIVED_AT })]);
      expect(await counts(retried.body.id)).toEqual({
        cases: before.cases + 1,
        events: before.events + 1,
        letters: before.letters + 1,
        caseEvents: 1,
        caseLetters: 1,
      });
    });
  });
});

/** 沪某房依申〔2026〕第00007号 → 沪某房依申〔2026〕第00008号 */
function nextCaseNumber(caseNumber: string): string {
  const match = /^(.*第)(\d+)(号)$/.exec(caseNumber);
  if (!match) throw new Error(`unexpected case number ${caseNumber}`);
  return `${match[1]}${String(Number(match[2]) + 1).padStart(match[2].length, '0')}${match[3]}`;
}
