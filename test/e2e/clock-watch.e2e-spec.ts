import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { CLOCK_SWEEP_JOB, JobRunnerService } from '../../apps/api/src/jobs/job-runner.service';
import { JobsService } from '../../apps/api/src/jobs/jobs.service';
import { NotificationsService } from '../../apps/api/src/notifications/notifications.service';
import { deskApplication } from '../factories/applications';
import { binaryParser } from '../support/http';
import { pdfText } from '../support/pdf-text';
import { startTestApp, type TestApp } from '../setup/test-app';

async function register(t: TestApp, receivedAt: string): Promise<string> {
  const response = await t.http.post('/api/applications').set(await t.as('intake')).send(deskApplication({ receivedAt })).expect(201);
  return response.body.id;
}

async function send(t: TestApp, username: string, id: string, body: Record<string, unknown>) {
  const response = await t.http.post(`/api/cases/${id}/events`).set(await t.as(username)).send(body);
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
  return response.body;
}

describe('watching the clocks: the daily sweep', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('warns, marks overdue, records lapses as system events, and does each once', async () => {
    t.setToday('2025-10-20');
    const dueSoon = await register(t, '2025-09-26'); // due 2025-10-30
    await send(t, 'intake', dueSoon, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
    const overdue = await register(t, '2025-09-01'); // due 2025-10-09 (9-28 and 10-11 worked; 10-1..8 off)
    const supplement = await register(t, '2025-09-26');
    await send(t, 'intake', supplement, { type: 'REQUEST_SUPPLEMENT', at: '2025-09-29', items: ['文号'], periodWorkingDays: 5 });
    // 9-30 = 1, 10-9 = 2, 10-10 = 3, 10-11 = 4, 10-13 = 5: the period ends 10-13.
    const fee = await register(t, '2025-09-26');
    await send(t, 'intake', fee, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
    // 250 pages: 70×10 + 100×20 + 50×40 = 4 700 元.
    await send(t, 'handler', fee, { type: 'SEND_FEE_NOTICE', at: '2025-09-29', method: 'per_page', pages: 250 });
    // 20 working days after 9-29: 9-30 = 1, 10-9..11 = 2..4, 10-13..17 = 5..9, 10-20..24 = 10..14, 10-27..31 = 15..19, 11-3 = 20.
    const consulting = await register(t, '2025-09-26');
    await send(t, 'intake', consulting, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
    await send(t, 'handler', consulting, { type: 'START_CONSULTATION', at: '2025-09-29', kind: 'agency', party: '区规划资源局' });
    // 15 working days after 9-29: ... 10-17 = 9, 10-20..24 = 10..14, 10-27 = 15.

    t.setToday('2025-10-27');
    const runner = t.app.get(JobRunnerService);
    expect(await runner.scheduleDailySweep()).not.toBeNull();
    expect(await runner.scheduleDailySweep()).toBeNull();
    const ran = await runner.runDue();
    expect(ran).toHaveLength(1);
    const [job] = await t.dataSource.query(`SELECT kind, status, result FROM jobs WHERE id = $1`, [ran[0]]);
    expect(job).toMatchObject({ kind: CLOCK_SWEEP_JOB, status: 'done' });
    expect(job.result.casesChecked).toBe(5);

    const notices: { case_id: string; kind: string; username: string }[] = await t.dataSource.query(
      `SELECT n.case_id, n.kind, u.username FROM notifications n JOIN users u ON u.id = n.recipient_id ORDER BY n.kind, u.username`,
    );
    const of = (caseId: string) => notices.filter((notice) => notice.case_id === caseId).map((notice) => `${notice.kind}→${notice.username}`);
    // 10-27: three working days before the due date 10-30.
    expect(of(dueSoon)).toEqual(['due_soon→handler']);
    // Unassigned: the intake desk is told; overdue also goes to the heads.
    expect(of(overdue).sort()).toEqual(['overdue→admin', 'overdue→head', 'overdue→intake']);
    expect(of(supplement).sort()).toEqual(['supplement_lapsed→admin', 'supplement_lapsed→intake']);
    expect(of(fee)).toEqual([]);
    expect(of(consulting)).toEqual([]);

    // Noticed on 10-27, but the period ended with 10-13: the application is deemed abandoned the next day, 10-14
    // (Art. 30), and the applicant is told it is not processed further, in a letter dated that day.
    const lapsed = await t.http.get(`/api/cases/${supplement}`).set(await t.as('intake')).expect(200);
    expect(lapsed.body).toMatchObject({ state: 'abandoned', outcome: 'other.no_supplement', concludedAt: '2025-10-14' });
    expect(lapsed.body.events.at(-1)).toMatchObject({ type: 'SUPPLEMENT_LAPSED', by: 'system', at: '2025-10-14', supplementDueDate: '2025-10-13' });
    const lapseLetters = (await t.http.get(`/api/cases/${supplement}/letters`).set(await t.as('intake')).expect(200)).body;
    expect(lapseLetters.at(-1)).toMatchObject({ kind: 'supplement_lapse_notice', status: 'issued', issuedAt: '2025-10-14', number: expect.stringMatching(/^信息公开终止〔2025〕[1-9]\d*号$/) });
    const lapseText = pdfText(
      (await t.http.get(`/api/letters/${lapseLetters.at(-1).id}`).query({ format: 'pdf' }).set(await t.as('intake')).buffer(true).parse(binaryParser).expect(200)).body,
    );
    expect(lapseText).toContain('补正期限已于2025年10月13日届满');
    expect(lapseText).toContain('根据《中华人民共和国政府信息公开条例》第三十条的规定，您的申请视为放弃，本机关不再处理该政府信息公开申请。');
    expect(lapseText).toContain('如对本告知书不服');

    // A week later: the fee period and the consultation limit have run out, the due-soon case is overdue; nothing is sent twice.
    t.setToday('2025-11-04');
    await runner.scheduleDailySweep();
    await runner.runDue();
    const feeView = await t.http.get(`/api/cases/${fee}`).set(await t.as('handler')).expect(200);
    // The payment period's last day was 11-03: deemed abandoned on 11-04, the day after.
    expect(feeView.body).toMatchObject({ state: 'abandoned', outcome: 'other.fee_unpaid', concludedAt: '2025-11-04' });
    const feeLetters = (await t.http.get(`/api/cases/${fee}/letters`).set(await t.as('handler')).expect(200)).body;
    expect(feeLetters.at(-1)).toMatchObject({ kind: 'fee_lapse_notice', status: 'issued', issuedAt: '2025-11-04' });
    const kinds: { kind: string; n: number }[] = await t.dataSource.query(
      `SELECT kind, count(*)::int AS n FROM notifications GROUP BY kind ORDER BY kind`,
    );
    expect(kinds).toEqual([
      { kind: 'consultation_limit_reached', n: 1 },
      { kind: 'due_soon', n: 1 },
      { kind: 'fee_lapsed', n: 1 },
      // The first overdue case to intake, head and admin; the formerly due-soon one to its handler, head and admin.
      { kind: 'overdue', n: 6 },
      { kind: 'supplement_lapsed', n: 2 },
    ]);
    const mine = await t.http.get('/api/notifications').set(await t.as('handler')).expect(200);
    expect(mine.body.unread).toBe(4);
    await t.http.post(`/api/notifications/${mine.body.items[0].id}/read`).set(await t.as('handler')).expect(204);
    await t.http.post(`/api/notifications/${mine.body.items[0].id}/read`).set(await t.as('intake')).expect(404);
    expect((await t.http.get('/api/notifications').set(await t.as('handler'))).body.unread).toBe(3);
  });
});

describe('two service instances on one database', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp({}, { shareDatabaseOf: first });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('race for the same jobs: each runs once', async () => {
    const jobsA = first.app.get(JobsService);
    for (let i = 0; i < 6; i++) await jobsA.enqueue(CLOCK_SWEEP_JOB, { n: i });
    const [ranA, ranB] = await Promise.all([
      first.app.get(JobRunnerService).runDue('instance-a'),
      second.app.get(JobRunnerService).runDue('instance-b'),
    ]);
    expect(ranA.length + ranB.length).toBe(6);
    expect(new Set([...ranA, ...ranB]).size).toBe(6);
    const rows: { status: string; attempts: number; locked_by: string }[] = await first.dataSource.query(`SELECT status, attempts, locked_by FROM jobs`);
    expect(rows.every((row) => row.status === 'done' && row.attempts === 1)).toBe(true);
  });

  it('schedule the daily sweep once between them', async () => {
    first.setToday('2025-12-01');
    second.setToday('2025-12-01');
    const keys = await Promise.all([first.app.get(JobRunnerService).scheduleDailySweep(), second.app.get(JobRunnerService).scheduleDailySweep()]);
    expect(keys.filter(Boolean)).toHaveLength(1);
  });

  it('a failing job is retried later with its error kept, then given up', async () => {
    const jobs = first.app.get(JobsService);
    const id = await jobs.enqueue('no-such-kind', {});
    await first.app.get(JobRunnerService).runDue('instance-a');
    const [row] = await first.dataSource.query(`SELECT status, attempts, last_error, run_at > now() AS later FROM jobs WHERE id = $1`, [id]);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, later: true });
    expect(row.last_error).toMatch(/unknown job kind/);
  });
});

describe('email delivery through SMTP', () => {
  let t: TestApp;
  let smtp: SMTPServer;
  const received: { to: string; data: string }[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    await t.dataSource.query(`UPDATE users SET email = username || '@agency.example' WHERE username = 'handler'`);
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  it('emails each warning once to staff with an address', async () => {
    t.setToday('2025-10-27');
    const id = await register(t, '2025-09-26');
    await send(t, 'intake', id, { type: 'ASSIGN', at: '2025-09-29', handler: 'handler' });
    const runner = t.app.get(JobRunnerService);
    await runner.scheduleDailySweep();
    await runner.runDue();
    const notifications = t.app.get(NotificationsService);
    expect(await notifications.deliverPending()).toEqual({ sent: 1, failed: 0 });
    expect(await notifications.deliverPending()).toEqual({ sent: 0, failed: 0 });
    expect(received).toHaveLength(1);
    expect(received[0].to).toBe('handler@agency.example');
    expect(received[0].data).toMatch(/Subject: =\?UTF-8\?/);
  });
});
