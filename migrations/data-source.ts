import { types } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from '../apps/api/src/database/entities';
import { MIGRATIONS } from './index';

// A PostgreSQL `date` is a calendar date (Asia/Shanghai): keep it the 'YYYY-MM-DD' string, never a JS Date.
types.setTypeParser(1082, (value: string) => value);

/** The one data-source definition, shared by the app, the migration CLI and the tests. `synchronize` is never on. */
export function dataSourceOptions(url: string, poolSize = 10, idleSeconds = 60): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // A connection idle for a minute is closed (pg's default is 10 s): closing and reopening them between bursts of
    // requests made the service stall for 100–300 ms on a small VM (BENCHMARKS.md, "Public tracking").
    extra: { max: poolSize, idleTimeoutMillis: idleSeconds * 1000 },
  };
}

/** For the TypeORM CLI (`typeorm migration:show -d dist/migrations/data-source.js`). */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'));
