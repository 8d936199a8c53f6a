import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface JobRow {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export const MAX_JOB_ATTEMPTS = 5;

/**
 * A job table locked by PostgreSQL itself: a worker claims a row with FOR UPDATE SKIP LOCKED, so with several service
 * instances on one database every job runs once. It works the same on the embedded database.
 */
@Injectable()
export class JobsService {
  readonly workerId = `${hostname()}:${process.pid}`;

  constructor(private readonly dataSource: DataSource) {}

  /** Enqueue; with a dedupe key an existing job of that key wins and null is returned. */
  async enqueue(
    kind: string,
    payload: Record<string, unknown>,
    options: { dedupeKey?: string; runAt?: Date; manager?: EntityManager } = {},
  ): Promise<string | null> {
    const manager = options.manager ?? this.dataSource.manager;
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO jobs (kind, payload, dedupe_key, run_at) VALUES ($1, $2, $3, COALESCE($4, now()))
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [kind, JSON.stringify(payload), options.dedupeKey ?? null, options.runAt ?? null],
    );
    return rows[0]?.id ?? null;
  }

  async claimNext(workerId = this.workerId): Promise<JobRow | null> {
    const [rows]: [JobRow[], number] = await this.dataSource.query(
      `UPDATE jobs SET status = 'running', locked_by = $1, locked_at = now(), attempts = attempts + 1
        WHERE id = (SELECT id FROM jobs WHERE status = 'pending' AND run_at <= now() ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING id, kind, payload, attempts`,
      [workerId],
    );
    return rows[0] ?? null;
  }

  async complete(id: string, result: unknown): Promise<void> {
    await this.dataSource.query(`UPDATE jobs SET status = 'done', finished_at = now(), result = $2, last_error = NULL WHERE id = $1`, [
      id,
      JSON.stringify(result ?? null),
    ]);
  }

  /** Retry with exponential backoff (1, 2, 4, 8 minutes), then give up and keep the error for an administrator. */
  async fail(job: JobRow, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const final = job.attempts >= MAX_JOB_ATTEMPTS;
    await this.dataSource.query(
      `UPDATE jobs SET status = $2, last_error = $3, locked_by = NULL, locked_at = NULL,
              run_at = now() + make_interval(mins => $4), finished_at = CASE WHEN $2 = 'failed' THEN now() END
        WHERE id = $1`,
      [job.id, final ? 'failed' : 'pending', message, 2 ** (job.attempts - 1)],
    );
  }

  /** A worker that died mid-job leaves it running; after 15 minutes it is handed back. */
  async releaseStale(): Promise<number> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `UPDATE jobs SET status = 'pending', locked_by = NULL, locked_at = NULL
        WHERE status = 'running' AND locked_at < now() - interval '15 minutes'`,
    );
    return count;
  }
}
