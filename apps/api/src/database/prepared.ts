import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';

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
 * A statement the service sends on every request of a busy path (recording a step, a signed-in user's session), as a
 * named prepared statement: PostgreSQL parses and plans it once per connection instead of at every call (the step's
 * read took 1 ms to plan and 0.7 ms to run; BENCHMARKS.md, issue 20). `pg` keeps the names it prepared per
 * connection and sends only Bind/Execute after the first time.
 *
 * Otherwise as `manager.query`: on the manager's connection (its transaction, if any), logged by TypeORM's logger, and
 * a failure thrown as TypeORM's QueryFailedError (the exception filter and the connection-drop handling read it).
 * The rows only (a writing statement's RETURNING rows).
 */
export async function preparedQuery<T>(manager: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    manager.connection.logger.logQuery(sql, parameters, runner);
    try {
      const result = await client.query({ name: nameOf(sql), text: sql, values: parameters });
      return result.rows as T[];
    } catch (error) {
      manager.connection.logger.logQueryError(error as Error, sql, parameters, runner);
      throw new QueryFailedError(sql, parameters, error as Error);
    }
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
