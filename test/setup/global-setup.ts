import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../migrations/data-source';
import { databaseUrl, dropDatabase, TEMPLATE_DATABASE, withAdminClient } from './database';

/**
 * Once per run: a fresh template database with every migration applied from zero. Each e2e file clones it
 * (CREATE DATABASE … TEMPLATE …), so files run in parallel on databases of their own.
 */
export default async function globalSetup(): Promise<void> {
  await withAdminClient(async (client) => {
    await dropDatabase(client, TEMPLATE_DATABASE);
    await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  });
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(TEMPLATE_DATABASE), 1));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (!applied.length) throw new Error('no migrations ran on the fresh template database');
  } finally {
    await dataSource.destroy();
  }
}
