import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../migrations/data-source';
import { deskApplication, onlineApplication } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';
import { PostgresCluster, waitFor } from '../support/postgres-cluster';

const DATABASE = 'ogi_desk_test_standby';
const STANDBY_NAME = 'ogi_desk_standby';

/**
 * Streaming replication between two clusters the test starts in temp directories (never the shared server): the
 * service reads from the standby (DATABASE_READ_URL) and writes to the primary; then the primary crashes, the standby is
 * promoted, the service is pointed at it and carries on with every acknowledged write there.
 */
describe('a hot standby: reads on the standby, writes on the primary, and a failover that loses nothing acknowledged', () => {
  let primary: PostgresCluster;
  let standby: PostgresCluster;
  let t: TestApp | null = null;
  let promoted: TestApp | null = null;

  const setSynchronous = async (on: boolean) => {
    await primary.query(`ALTER SYSTEM SET synchronous_standby_names = '${on ? STANDBY_NAME : ''}'`);
    await primary.query(`SELECT pg_reload_conf()`);
    if (on) await waitFor('the standby to be synchronous', async () => (await primary.query<{ sync_state: string }>(`SELECT sync_state FROM pg_stat_replication WHERE application_name = $1`, [STANDBY_NAME]))[0]?.sync_state === 'sync');
  };
  const caughtUp = () =>
    waitFor('the standby to replay everything the primary wrote', async () => {
      const [{ lsn }] = await primary.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`);
      const [{ behind }] = await standby.query<{ behind: boolean }>(`SELECT pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()) > 0 AS behind`, [lsn]);
      return !behind;
    });
  const track = (app: TestApp, caseNumber: string, queryCode: string) => app.http.get(`/api/public/applications/${encodeURIComponent(caseNumber)}`).query({ queryCode });

  beforeAll(async () => {
    primary = await PostgresCluster.primary('primary');
    await primary.start();
    await primary.query(`CREATE DATABASE ${DATABASE}`);
    const migrate = new DataSource(dataSourceOptions(primary.url(DATABASE), 1));
    await migrate.initialize();
    await migrate.runMigrations({ transaction: 'each' });
    await migrate.destroy();
    standby = await PostgresCluster.standbyOf(primary, 'standby', STANDBY_NAME);
    await standby.start();
    await waitFor('the standby to stream', async () => (await primary.query(`SELECT 1 FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'`, [STANDBY_NAME])).length === 1);
    // Commits return once the standby has applied them: no acknowledged write can be missing there, and a read on the
    // standby right after a write sees it (docs/operations.md).
    await primary.query(`ALTER SYSTEM SET synchronous_commit = 'remote_apply'`);
    await setSynchronous(true);
    t = await startTestApp({}, { databaseUrl: primary.url(DATABASE), readDatabaseUrl: standby.url(DATABASE) });
  }, 180_000);

  afterAll(async () => {
    for (const app of [t, promoted]) {
      if (!app) continue;
      await app.app.close().catch(() => undefined);
      await app.reads.close().catch(() => undefined);
      await app.dataSource.destroy().catch(() => undefined);
    }
    await standby?.destroy();
    await primary?.destroy();
  }, 120_000);

  it('sends tracking, the work queue and the report to the standby, and writes to the primary', async () => {
    expect(t!.reads.usesStandby).toBe(true);
    // Replay paused on the standby (replication made asynchronous meanwhile, or commits would wait for it).
    await setSynchronous(false);
    await standby.query(`SELECT pg_wal_replay_pause()`);
    await waitFor('replay to pause', async () => (await standby.query<{ state: string }>(`SELECT pg_get_wal_replay_pause_state() AS state`))[0].state === 'paused');

    const online = await t!.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    const desk = await t!.http.post('/api/applications').set(await t!.as('intake')).send(deskApplication({ receivedAt: '2026-01-05' })).expect(201);
    // The write went to the primary: the case is there, and its own view (a primary read) shows it.
    await t!.http.get(`/api/cases/${desk.body.id}`).set(await t!.as('intake')).expect(200);
    // The reads that go to the standby do not see it yet.
    await track(t!, online.body.caseNumber, online.body.queryCode).expect(404);
    expect((await t!.http.get('/api/cases').query({ q: desk.body.caseNumber }).set(await t!.as('intake')).expect(200)).body.total).toBe(0);
    const report = async () => (await t!.http.get('/api/reports/annual/2026').set(await t!.as('legal')).expect(200)).body.identity.at(-1).new as number;
    expect(await report()).toBe(0);

    await standby.query(`SELECT pg_wal_replay_resume()`);
    await caughtUp();
    await track(t!, online.body.caseNumber, online.body.queryCode).expect(200);
    expect((await t!.http.get('/api/cases').query({ q: desk.body.caseNumber }).set(await t!.as('intake')).expect(200)).body.total).toBe(1);
    expect(await report()).toBe(1);

    // Synchronous again (remote_apply): what was just written is readable on the standby at once.
    await setSynchronous(true);
    const next = await t!.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    await track(t!, next.body.caseNumber, next.body.queryCode).expect(200);
  });

  it('answers reads from the primary while the standby is down, and goes back to it when it returns', async () => {
    const online = await t!.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    await setSynchronous(false);
    await standby.stop('fast');
    await track(t!, online.body.caseNumber, online.body.queryCode).expect(200);
    await t!.http.get('/api/cases').set(await t!.as('intake')).expect(200);
    await t!.http.get('/api/reports/annual/2026').set(await t!.as('legal')).expect(200);
    expect(t!.logLines.some((line) => line.includes('the standby (DATABASE_READ_URL) cannot answer: reads go to the primary'))).toBe(true);

    await standby.start();
    await waitFor('the standby to stream again', async () => (await primary.query(`SELECT 1 FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'`, [STANDBY_NAME])).length === 1);
    await setSynchronous(true);
    const [before] = await standby.query<{ count: number }>(`SELECT sum(xact_commit)::int AS count FROM pg_stat_database WHERE datname = $1`, [DATABASE]);
    await waitFor('reads on the standby again', async () => {
      await track(t!, online.body.caseNumber, online.body.queryCode).expect(200);
      const [now] = await standby.query<{ count: number }>(`SELECT sum(xact_commit)::int AS count FROM pg_stat_database WHERE datname = $1`, [DATABASE]);
      return now.count > before.count;
    });
  });

  it('failover: the primary crashes under load, the standby is promoted, the service pointed at it has every acknowledged write and carries on', async () => {
    const acknowledged: { id: string; caseNumber: string; assigned: boolean }[] = [];
    let crashed = false;
    const intake = await t!.as('intake');
    // Four clerks registering and assigning cases as fast as the service answers; only 2xx answers count as acknowledged.
    const clerk = async () => {
      while (!crashed) {
        const created = await t!.http.post('/api/applications').set(intake).send(deskApplication({ receivedAt: '2026-01-06' }));
        if (created.status !== 201) return;
        const entry = { id: created.body.id as string, caseNumber: created.body.caseNumber as string, assigned: false };
        acknowledged.push(entry);
        const assigned = await t!.http.post(`/api/cases/${entry.id}/events`).set(intake).send({ type: 'ASSIGN', at: '2026-01-06', handler: 'handler' });
        if (assigned.status !== 200) return;
        entry.assigned = true;
      }
    };
    const clerks = Promise.all([clerk(), clerk(), clerk(), clerk()]);
    await waitFor('a dozen acknowledged registrations', async () => acknowledged.length >= 12, 60_000);
    crashed = true;
    await primary.stop('immediate');
    await clerks;

    await standby.promote();
    await waitFor('the promoted standby to accept writes', async () => !(await standby.query<{ recovery: boolean }>(`SELECT pg_is_in_recovery() AS recovery`))[0].recovery);
    const old = t!;
    t = null;
    await old.app.close();
    await old.reads.close();
    await old.dataSource.destroy().catch(() => undefined);

    promoted = await startTestApp({}, { databaseUrl: standby.url(DATABASE) });
    const rows: { id: string; case_number: string; events: string[] }[] = await promoted.dataSource.query(
      `SELECT c.id, c.case_number, array_agg(e.type ORDER BY e.sequence) AS events FROM cases c JOIN case_events e ON e.case_id = c.id GROUP BY c.id, c.case_number`,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const entry of acknowledged) {
      expect(byId.get(entry.id)?.case_number).toBe(entry.caseNumber);
      if (entry.assigned) expect(byId.get(entry.id)?.events).toContain('ASSIGN');
    }
    // Case numbers stay gapless on the new primary: a number is taken in the transaction that writes its case.
    const numbers = rows.map((row) => Number(/第(\d{5})号/.exec(row.case_number)![1])).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, index) => index + 1));

    // And the service goes on: a new case takes the next number, events apply, the applicant can track it.
    const next = await promoted.http.post('/api/public/applications').send(onlineApplication()).expect(201);
    expect(Number(/第(\d{5})号/.exec(next.body.caseNumber)![1])).toBe(numbers.length + 1);
    await track(promoted, next.body.caseNumber, next.body.queryCode).expect(200);
    const desk = await promoted.http.post('/api/applications').set(await promoted.as('intake')).send(deskApplication({ receivedAt: '2026-01-07' })).expect(201);
    await promoted.http.post(`/api/cases/${desk.body.id}/events`).set(await promoted.as('intake')).send({ type: 'ASSIGN', at: '2026-01-07', handler: 'handler' }).expect(200);
  });
});
