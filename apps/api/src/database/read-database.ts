import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../../migrations/data-source';
import type { AppConfig } from '../config/app-config';

/**
 * Where read-only work goes (public tracking, the work queues, the reports): the hot standby of DATABASE_READ_URL when
 * one is configured, else the primary. Only reads that may be a moment behind the primary belong here — with the
 * standby in synchronous `remote_apply` mode (docs/operations.md) they are not behind at all. A read the standby cannot
 * answer (down, restarting, promoted away, a query cancelled by replay) is answered by the primary, with a warning, so
 * losing the standby never costs the service its reads.
 */
export class ReadDatabase {
  private connecting: Promise<void> | null = null;
  private lastAttempt = 0;
  private lastWarning = 0;

  constructor(
    readonly primary: DataSource,
    private readonly standby: DataSource | null = null,
    private readonly logger: Pick<Logger, 'warn'> | null = null,
  ) {}

  /** True when reads go to a standby (it is configured and connected). */
  get usesStandby(): boolean {
    return Boolean(this.standby?.isInitialized);
  }

  /** Runs `work` on the standby, or on the primary when there is none or it fails with a connection-level error. */
  async run<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
    const standby = this.connectedStandby();
    if (!standby) return work(this.primary);
    try {
      return await work(standby);
    } catch (error) {
      if (!isStandbyUnavailable(error)) throw error;
      this.warn(error);
      return work(this.primary);
    }
  }

  query<T = unknown[]>(sql: string, parameters?: unknown[]): Promise<T> {
    return this.run((dataSource) => dataSource.query(sql, parameters));
  }

  async close(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    if (this.standby?.isInitialized) await this.standby.destroy();
  }

  /** The standby if connected; otherwise (re)connect in the background, at most every 5 s, and answer from the primary meanwhile. */
  private connectedStandby(): DataSource | null {
    if (!this.standby) return null;
    if (this.standby.isInitialized) return this.standby;
    if (!this.connecting && Date.now() - this.lastAttempt > 5_000) this.connect();
    return null;
  }

  /** Connects the standby (at start, awaited, so the first reads already go there). */
  connect(): Promise<void> {
    if (!this.standby || this.standby.isInitialized) return Promise.resolve();
    this.lastAttempt = Date.now();
    this.connecting ??= this.standby
      .initialize()
      .then(() => undefined)
      .catch((error: unknown) => this.warn(error))
      .finally(() => (this.connecting = null));
    return this.connecting;
  }

  private warn(error: unknown): void {
    // One line a minute at most: a standby that is down would otherwise log on every read.
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger?.warn({ err: { message: (error as Error)?.message, code: (error as { code?: string })?.code } }, 'the standby (DATABASE_READ_URL) cannot answer: reads go to the primary');
  }
}

/**
 * A connection that failed or was refused, a server shutting down or starting (57P01–57P03), a connection-class error
 * (08xxx), or a query cancelled by a conflict with recovery on the standby (40001 there): the primary answers instead.
 * A statement error (a bad query) is not retried.
 */
export function isStandbyUnavailable(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  const message = (error as Error)?.message ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '40001'].includes(code) ||
    code.startsWith('08') ||
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(message)
  );
}

/** The read side of the service: the standby of DATABASE_READ_URL, or the primary itself. */
export async function openReadDatabase(config: AppConfig, primary: DataSource, logger: Pick<Logger, 'warn'>): Promise<ReadDatabase> {
  if (!config.DATABASE_READ_URL) return new ReadDatabase(primary);
  const standby = new DataSource(dataSourceOptions(config.DATABASE_READ_URL, 10, config.DATABASE_POOL_IDLE_SECONDS));
  const reads = new ReadDatabase(primary, standby, logger);
  await reads.connect();
  return reads;
}
