import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A `pg` client emits 'error' when its server ends the connection (a restart, a failover, pg_terminate_backend), and an
 * 'error' event with no listener ends the Node process. The pool listens only while a client is idle; TypeORM only
 * while one of its query runners holds it. In between — a client just handed to a waiting request, or held by a route
 * of our own (public tracking) — nobody listened, and under load one dropped connection took the whole service down.
 *
 * So every client gets a listener of its own the first time the pool hands it out, kept for its whole life; a client
 * whose server said FATAL or whose socket failed is marked broken, and when it comes back to the pool it is closed
 * instead of being handed to the next request (which would fail at once on a dead socket).
 */
const guardedPools = new WeakSet<Pool>();
const watchedClients = new WeakSet<PoolClient>();
const brokenClients = new WeakSet<PoolClient>();

interface ServerMessage {
  severity?: string;
}

export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}

export function guardDatabasePool(dataSource: DataSource, logger: Logger): void {
  const pool = poolOf(dataSource);
  if (guardedPools.has(pool)) return;
  guardedPools.add(pool);
  // 'acquire' fires for every hand-out, new clients and idle ones alike, before the client leaves the pool.
  pool.on('acquire', (client: PoolClient) => watch(client, logger));
  pool.on('release', (error: Error | undefined, client: PoolClient) => {
    // Ending it here marks it as ending, and the pool then drops it rather than keep it idle (pg-pool's `_release`).
    if (!error && brokenClients.has(client)) void client.end().catch(() => undefined);
  });
}

/** True when the client's connection failed: release it as broken (`release(error)`), never back into the pool. */
export function isBroken(client: PoolClient): boolean {
  return brokenClients.has(client);
}

function watch(client: PoolClient, logger: Logger): void {
  if (watchedClients.has(client)) return;
  watchedClients.add(client);
  client.on('error', (error: Error) => {
    brokenClients.add(client);
    logger.warn({ err: error }, 'database: a connection failed; it is closed and replaced');
  });
  // A FATAL message (57P01 on pg_terminate_backend) reaches the query in progress first, and the socket closes a
  // moment later: mark the client now, so that whoever releases it after its failed query does not return it to use.
  const connection = (client as PoolClient & { connection?: { on(event: string, listener: (message: ServerMessage) => void): void } }).connection;
  connection?.on('errorMessage', (message: ServerMessage) => {
    if (message.severity === 'FATAL' || message.severity === 'PANIC') brokenClients.add(client);
  });
}

/** A failure of the connection itself (not of a statement): the database went away, the request may be retried. */
export function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const cause = (error as { driverError?: unknown }).driverError ?? error;
  const { code, message, severity } = cause as { code?: unknown; message?: unknown; severity?: unknown };
  if (typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P'))) return true;
  if (severity === 'FATAL') return true;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  return typeof message === 'string' && /Connection terminated|not queryable|timeout exceeded when trying to connect/.test(message);
}
