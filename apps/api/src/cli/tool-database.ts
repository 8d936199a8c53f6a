import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../../migrations/data-source';
import type { AppConfig } from '../config/app-config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { refuseWhileServiceRuns } from '../operations/embedded-control';

/**
 * The database for an operations tool, without running migrations: DATABASE_URL's server, or the embedded directory
 * opened by the tool itself (refused while the service runs on it: one process per embedded database).
 */
export async function openToolDatabase(config: AppConfig, what: string): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  if (!config.DATABASE_URL) await refuseWhileServiceRuns(config.EMBEDDED_DB_DIR, what);
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.EMBEDDED_DB_DIR);
  const dataSource = new DataSource(dataSourceOptions(config.DATABASE_URL ?? embedded!.url, embedded ? 1 : 4));
  try {
    await dataSource.initialize();
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    async close() {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
