import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** postgres:// URL the ordinary `pg` driver connects to. */
  url: string;
  /** The data directory, absolute; null for memory://. */
  dataDir: string | null;
  /** The whole data directory as a gzipped tar, taken between two queries (backups; operations/embedded-backup.ts). */
  dumpDataDir(): Promise<Buffer>;
  stop(): Promise<void>;
}

/**
 * PostgreSQL without a server to install: PGlite (PostgreSQL compiled to WASM) served over the wire protocol on a
 * local port, so TypeORM talks to it through the same `pg` driver as to a real server.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const inMemory = dataDir === 'memory://' || dataDir === '';
  if (!inMemory) mkdirSync(resolve(dataDir), { recursive: true });
  const db = inMemory ? await PGlite.create() : await PGlite.create({ dataDir: resolve(dataDir) });
  // PGlite runs one query at a time; the socket server queues connections' queries and keeps a transaction on its own connection.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    dataDir: inMemory ? null : resolve(dataDir),
    dumpDataDir: async () => Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer()),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
