import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../../migrations/data-source';
import type { AppConfig } from '../config/app-config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { poolOf } from './pool-guard';

export interface DatabaseHandle {
  dataSource: DataSource;
  embedded: EmbeddedPostgres | null;
  close(): Promise<void>;
}

/** DATABASE_URL → that server; none → the embedded PostgreSQL (pool size 1: PGlite runs one query at a time). */
export async function openDatabase(config: AppConfig): Promise<DatabaseHandle> {
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.EMBEDDED_DB_DIR);
  const url = config.DATABASE_URL ?? embedded!.url;
  const dataSource = new DataSource(dataSourceOptions(url, embedded ? 1 : 10, config.DATABASE_POOL_IDLE_SECONDS));
  try {
    await dataSource.initialize();
    if (embedded) resetSessionOnConnect(dataSource);
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    embedded,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/**
 * pglite-socket serves every connection from one PGlite session, and nothing resets it when a connection closes: a
 * statement prepared on an earlier connection is still there for the next, whose `pg` client does not know it, and
 * preparing it again fails (42P05). A new connection starts from a clean session, as on a real server.
 */
function resetSessionOnConnect(dataSource: DataSource): void {
  const pool = poolOf(dataSource);
  // Queued on the client before it is handed out, so it runs before the client's first query.
  pool.on('connect', (client: PoolClient) => void client.query('DEALLOCATE ALL').catch(() => undefined));
}
