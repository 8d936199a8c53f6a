import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../../migrations/data-source';
import type { AppConfig } from '../config/app-config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

export interface DatabaseHandle {
  dataSource: DataSource;
  embedded: EmbeddedPostgres | null;
  close(): Promise<void>;
}

/** DATABASE_URL → that server; none → the embedded PostgreSQL (pool size 1: PGlite runs one query at a time). */
export async function openDatabase(config: AppConfig): Promise<DatabaseHandle> {
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.EMBEDDED_DB_DIR);
  const url = config.DATABASE_URL ?? embedded!.url;
  const dataSource = new DataSource(dataSourceOptions(url, embedded ? 1 : 10));
  try {
    await dataSource.initialize();
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
