import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
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
 * PostgreSQL without a server to install: PGlite (PostgreSQL compiled to WASM) served over the wire protocol, so TypeORM
 * talks to it through the same `pg` driver as to a real server.
 *
 * On a Unix socket in a directory of its own (mode 0700, made fresh at each start), not on a TCP port: PGlite asks no
 * password, so on 127.0.0.1 any local process — another user's included — could read and change the whole database.
 * pglite-socket has no authentication to offer (it answers every startup with "authentication ok"); a socket only this
 * service's user can reach is the access control. `pg` finds it the PostgreSQL way: host = the directory, and the file
 * `.s.PGSQL.<port>` in it.
 */
const SOCKET_PORT = 5432;

/**
 * The extensions the migrations create, loaded into every PGlite that opens the data (PGlite's WASM build can create
 * only those given to its constructor; the service and the backup tool alike, so no statement finds an index whose
 * operators are missing): btree_gist for the report's per-agency GiST index (migration 1796800000010), pg_trgm for the
 * work queues' search index (migration 1796800000021).
 */
export const EMBEDDED_EXTENSIONS = { btree_gist, pg_trgm };

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const inMemory = dataDir === 'memory://' || dataDir === '';
  if (!inMemory) mkdirSync(resolve(dataDir), { recursive: true });
  const extensions = EMBEDDED_EXTENSIONS;
  const db = inMemory ? await PGlite.create({ extensions }) : await PGlite.create({ dataDir: resolve(dataDir), extensions });
  const socketDirectory = mkdtempSync(join(tmpdir(), 'ogi-desk-db-'));
  // PGlite runs one query at a time; the socket server queues connections' queries and keeps a transaction on its own connection.
  const server = new PGLiteSocketServer({ db, path: join(socketDirectory, `.s.PGSQL.${SOCKET_PORT}`), maxConnections: 8 });
  try {
    await server.start();
  } catch (error) {
    rmSync(socketDirectory, { recursive: true, force: true });
    await db.close();
    throw error;
  }
  return {
    url: `postgres://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(socketDirectory)}`,
    dataDir: inMemory ? null : resolve(dataDir),
    dumpDataDir: async () => Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer()),
    async stop() {
      await server.stop();
      await db.close();
      rmSync(socketDirectory, { recursive: true, force: true });
    },
  };
}
