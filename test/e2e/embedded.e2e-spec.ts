import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { deskApplication, onlineApplication } from '../factories/applications';

const MAIN = join(__dirname, '../../dist/apps/api/src/main.js');

/**
 * `npm start` with no DATABASE_URL: the built service on PGlite served over the wire protocol. Run as its own process
 * (PGlite loads its WASM through dynamic import, which Jest's module VM does not allow), exactly as a user runs it.
 */
describe('embedded mode: no DATABASE_URL → the same API on PGlite', () => {
  let child: ChildProcessWithoutNullStreams;
  let baseUrl: string;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm test builds it first (npm run build)`);
    // Connections idle for a second are closed, so the tests see the pool reconnect to the one PGlite session.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      EMBEDDED_DB_DIR: 'memory://',
      PORT: '0',
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_IDLE_SECONDS: '1',
    };
    delete env.DATABASE_URL;
    delete env.SEED_DEMO;
    child = spawn(process.execPath, [MAIN], { env });
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
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('prints the URLs and the demo accounts', () => {
    expect(output).toContain('/api/docs');
    expect(output).toMatch(/admin \| intake \| handler \| legal \| head, password demo-password/);
  });

  it('serves health, OpenAPI docs, sign-in, the demo cases, intake and tracking', async () => {
    const http = request(baseUrl);
    await http.get('/health').expect(200, { status: 'ok' });
    const docs = await http.get('/api/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/applications', '/api/cases/{id}/events', '/api/public/applications/{caseNumber}']));
    const login = await http.post('/api/auth/login').send({ username: 'admin', password: 'demo-password' }).expect(200);
    const header = { Authorization: `Bearer ${login.body.accessToken}` };
    const list = await http.get('/api/cases').set(header).expect(200);
    expect(list.body.total).toBe(5);
    expect(new Set(list.body.items.map((item: { state: string }) => item.state))).toEqual(
      new Set(['received', 'registered', 'handling.active', 'decided.legalReview', 'closed']),
    );
    // Spring Festival 2026: 2-14 and 2-28 (Saturdays) worked, 2-15..2-23 off.
    const registered = await http.post('/api/applications').set(header).send(deskApplication({ receivedAt: '2026-02-13' })).expect(201);
    expect(registered.body.clock.dueDate).toBe('2026-03-19');
    const online = await http.post('/api/public/applications').send(onlineApplication()).expect(201);
    await http.get(`/api/public/applications/${encodeURIComponent(online.body.caseNumber)}`).query({ queryCode: online.body.queryCode }).expect(200);
    await http.post(`/api/cases/${registered.body.id}/events`).set(header).send({ type: 'APPROVE' }).expect(409);
  });

  it('tracks a case again after the pool reconnected (PGlite keeps one session for every connection)', async () => {
    const http = request(baseUrl);
    const online = await http.post('/api/public/applications').send(onlineApplication()).expect(201);
    const track = () => http.get(`/api/public/applications/${encodeURIComponent(online.body.caseNumber)}`).query({ queryCode: online.body.queryCode });
    await track().expect(200);
    // The connection closes after a second idle; the next lookup prepares its statement on a new one.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await track().expect(200)).body.caseNumber).toBe(online.body.caseNumber);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await track().expect(200);
  });

  it('serves the database on a socket only the service can reach: no TCP port but HTTP, a private directory', async () => {
    const sockets = ownSockets(child.pid!);
    // Listening TCP sockets of the process (state 0A): the HTTP port alone.
    const httpPort = Number(new URL(baseUrl).port);
    expect(sockets.tcpListening).toEqual([httpPort]);
    // The database's Unix socket sits in a directory of mode 0700 (owner only), named for this start.
    const databaseSocket = sockets.unixPaths.find((path) => path.endsWith('.s.PGSQL.5432'));
    expect(databaseSocket).toBeDefined();
    expect(statSync(dirname(databaseSocket!)).mode & 0o777).toBe(0o700);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

/** The sockets a process holds, read from /proc: the ports it listens on over TCP, and the paths of its Unix sockets. */
function ownSockets(pid: number): { tcpListening: number[]; unixPaths: string[] } {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`)
      .map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        } catch {
          return undefined;
        }
      })
      .filter((inode): inode is string => inode !== undefined),
  );
  const tcpListening = ['tcp', 'tcp6'].flatMap((table) =>
    readFileSync(`/proc/${pid}/net/${table}`, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length > 9 && fields[3] === '0A' && inodes.has(fields[9]))
      .map((fields) => parseInt(fields[1].split(':')[1], 16)),
  );
  const unixPaths = readFileSync(`/proc/${pid}/net/unix`, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 8 && inodes.has(fields[6]))
    .map((fields) => fields[7]);
  return { tcpListening: [...new Set(tcpListening)], unixPaths };
}
