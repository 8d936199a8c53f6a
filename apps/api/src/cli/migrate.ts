import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { openDatabase } from '../database/database';
import { refuseWhileServiceRuns } from '../operations/embedded-control';

/** npm run migration:run — applies pending migrations (the service also does this at start). */
async function main(): Promise<void> {
  const config = loadConfig();
  // The embedded database belongs to the running service: opening its directory a second time would corrupt it.
  if (config.embedded) await refuseWhileServiceRuns(config.EMBEDDED_DB_DIR, 'running migrations (the service applies them at start)');
  const database = await openDatabase(config);
  const [{ count }] = await database.dataSource.query(`SELECT count(*)::int AS count FROM typeorm_migrations`);
  process.stdout.write(`migrations applied: ${count}\n`);
  await database.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
