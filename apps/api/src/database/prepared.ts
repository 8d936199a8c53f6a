import { createHash } from 'node:crypto';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { poolOf } from './pool-guard';

/**
 * The server's answers when a prepared statement is gone or no longer fits: 26000 (a pooler or `DISCARD ALL` dropped
 * it), 0A000 "cached plan must not change result type" (a migration changed a column it reads while this process ran).
 */
const STALE_STATEMENT = new Set(['26000', '0A000']);

/** Statement names by SQL text: a name is the text's hash, so one text is prepared once per connection. */
const names = new Map<string, string>();

function nameOf(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `desk_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    // The texts are the service's own (a handful of variants per statement); the bound only guards against a leak.
    if (names.size > 10_000) names.clear();
    names.set(sql, name);
  }
  return name;
}

/**
 * A statement sent on every request of a busy path (public tracking, recording a step, a signed-in user's session), as
 * a named prepared statement: PostgreSQL parses and plans it once per connection instead of at every call (planning
 * cost more than running them; BENCHMARKS.md). `pg` keeps the names it prepared per connection and sends only
 * Bind/Execute after the first time. TypeORM's `query` cannot prepare, so this does what it does around the call:
 * logged by TypeORM's logger, a failure thrown as its QueryFailedError (the exception filter and the connection-drop
 * handling read it), the rows returned — so for statements that return rows (SELECT, or a write with RETURNING): for a
 * bare UPDATE the fallbacks through `manager.query` would answer TypeORM's `[rows, count]` instead.
 *
 * Prepared only outside a transaction, on a client of the pool released at once: `pg` never prepares a name twice on a
 * connection, so a statement the server no longer holds would fail there for good. That connection is closed when it
 * goes back to the pool and the statement is sent again, unprepared, on another (the other connections holding the
 * same stale statement are found and closed the same way). In a transaction the failure would abort it: there the
 * statement is sent as `manager.query` sends it.
 */
export async function preparedQuery<T>(manager: EntityManager, sql: string, values: unknown[], name = nameOf(sql)): Promise<T[]> {
  if (manager.queryRunner) return manager.query(sql, values);
  const dataSource = manager.dataSource;
  dataSource.logger.logQuery(sql, values);
  // The pool guard (pool-guard.ts) has given every client an error listener for its whole life.
  const client = await poolOf(dataSource).connect();
  try {
    const { rows } = await client.query({ name, text: sql, values });
    client.release();
    return rows as T[];
  } catch (error) {
    dataSource.logger.logQueryError(error as Error, sql, values);
    // A connection whose statement failed is not trusted again: released as broken, the pool closes it.
    client.release(error as Error);
    if (!STALE_STATEMENT.has((error as { code?: string }).code ?? '')) throw new QueryFailedError(sql, values, error as Error);
  }
  return manager.query(sql, values);
}
