import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { askService } from '../operations/embedded-control';
import { describeMigrationStatus, migrationStatus, type MigrationStatus } from '../operations/migration-status';
import { parseArguments, runCli } from './cli';
import { openToolDatabase } from './tool-database';

/**
 * npm run migration:status [-- --json] [--check]: applied, pending and unknown migrations of DATABASE_URL's database or
 * the embedded one (asking the running service when there is one). `--check` exits 2 when migrations are pending or
 * the database is newer than this code.
 */
runCli(async () => {
  const args = parseArguments(process.argv.slice(2));
  const config = loadConfig();
  let status = config.DATABASE_URL ? null : ((await askService(config.EMBEDDED_DB_DIR, { command: 'migration-status' })) as MigrationStatus | null);
  if (!status) {
    const database = await openToolDatabase(config, 'reading the migration status');
    try {
      status = await migrationStatus(database.dataSource);
    } finally {
      await database.close();
    }
  }
  process.stdout.write(args.flags.has('json') ? `${JSON.stringify(status, null, 2)}\n` : `${describeMigrationStatus(status)}\n`);
  if (args.flags.has('check') && (status.pending.length || status.unknown.length)) process.exitCode = 2;
});
