import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A PostgreSQL cluster of the test's own, in a temp directory, from Debian's binaries (PG_BIN_DIR, else the newest
 * /usr/lib/postgresql/<version>/bin), on a free port of 127.0.0.1: the shared server on 5432 is never reconfigured.
 * PostgreSQL refuses to run as root, so as root the programs run as the postgres user (`runuser -u postgres --`).
 */
function binDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((version) => existsSync(join(root, version, 'bin', 'initdb'))) : [];
  if (!versions.length) throw new Error('no PostgreSQL server binaries in /usr/lib/postgresql/<version>/bin (set PG_BIN_DIR): the standby tests start clusters of their own');
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

const asRoot = process.getuid?.() === 0;

function run(program: string, args: string[]): Promise<string> {
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(binDir(), program), ...args]] : [join(binDir(), program), args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${program} ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Clusters still running when the process exits (a test killed mid-way) are stopped and deleted all the same. */
const live = new Set<PostgresCluster>();
process.once('exit', () => {
  for (const cluster of live) {
    try {
      const stop = [join(binDir(), 'pg_ctl'), '-D', cluster.dataDir, '-m', 'immediate', 'stop'];
      execFileSync(asRoot ? 'runuser' : stop[0], asRoot ? ['-u', 'postgres', '--', ...stop] : stop.slice(1), { stdio: 'ignore' });
    } catch {
      // Not running.
    }
    rmSync(cluster.root, { recursive: true, force: true });
  }
});

export class PostgresCluster {
  private running = false;

  private constructor(
    readonly name: string,
    readonly root: string,
    readonly port: number,
  ) {}

  get dataDir(): string {
    return join(this.root, 'data');
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private static async directory(name: string): Promise<{ root: string; port: number }> {
    const root = mkdtempSync(join(tmpdir(), `ogi-desk-${name}-`));
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(root, uid, gid);
    }
    return { root, port: await freePort() };
  }

  /** A new primary: initdb, settings for streaming replication and a small footprint. */
  static async primary(name: string): Promise<PostgresCluster> {
    const { root, port } = await PostgresCluster.directory(name);
    const cluster = new PostgresCluster(name, root, port);
    await run('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
    // initdb --auth=trust already lets 127.0.0.1 connect for replication (pg_hba.conf).
    cluster.configure({
      wal_level: 'replica',
      max_wal_senders: '5',
      wal_keep_size: "'64MB'",
      shared_buffers: "'32MB'",
      max_connections: '40',
      hot_standby: 'on',
      hot_standby_feedback: 'on',
    });
    return cluster;
  }

  /** A hot standby of `primary`, copied by pg_basebackup and streaming from it under `applicationName`. */
  static async standbyOf(primary: PostgresCluster, name: string, applicationName: string): Promise<PostgresCluster> {
    const { root, port } = await PostgresCluster.directory(name);
    const cluster = new PostgresCluster(name, root, port);
    await run('pg_basebackup', ['-D', cluster.dataDir, '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-X', 'stream', '-c', 'fast', '-R']);
    // -R wrote standby.signal and a primary_conninfo; this one (later in the file, so it wins) names the standby.
    appendFileSync(join(cluster.dataDir, 'postgresql.auto.conf'), `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=${applicationName}'\n`);
    return cluster;
  }

  private configure(settings: Record<string, string>): void {
    appendFileSync(join(this.dataDir, 'postgresql.conf'), `\n${Object.entries(settings).map(([key, value]) => `${key} = ${value}`).join('\n')}\n`);
  }

  async start(): Promise<void> {
    live.add(this);
    await run('pg_ctl', ['-D', this.dataDir, '-l', join(this.root, 'server.log'), '-w', '-t', '60', '-o', `-p ${this.port} -k ${this.root} -c listen_addresses=127.0.0.1`, 'start']);
    this.running = true;
  }

  /** `immediate` is a crash: no shutdown checkpoint, the clients' connections cut. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!this.running) return;
    await run('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
    this.running = false;
  }

  async promote(): Promise<void> {
    await run('pg_ctl', ['-D', this.dataDir, '-w', '-t', '60', 'promote']);
  }

  async query<T = Record<string, unknown>>(sql: string, parameters: unknown[] = [], database = 'postgres'): Promise<T[]> {
    const client = new Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query(sql, parameters)).rows as T[];
    } finally {
      await client.end();
    }
  }

  log(): string {
    const path = join(this.root, 'server.log');
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  }

  /** Stops the cluster (a crash if need be) and deletes its directory; safe to call whatever state it is in. */
  async destroy(): Promise<void> {
    try {
      if (this.running || existsSync(join(this.dataDir, 'postmaster.pid'))) await run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped.
    }
    this.running = false;
    rmSync(this.root, { recursive: true, force: true });
    live.delete(this);
  }
}

/** Polls until `check` holds (or throws after `timeoutMs`). */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // Not yet.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
