import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { openDatabase } from '../database/database';

/** npm run migration:run — applies pending migrations (the service also does this at start). */
async function main(): Promise<void> {
  const database = await openDatabase(loadConfig());
  const [{ count }] = await database.dataSource.query(`SELECT count(*)::int AS count FROM typeorm_migrations`);
  process.stdout.write(`migrations applied: ${count}\n`);
  await database.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
