import 'reflect-metadata';
import { createLogger } from './common/logger';
import { ConfigError, loadConfig } from './config/app-config';
import { openDatabase, type DatabaseHandle } from './database/database';
import { openReadDatabase } from './database/read-database';
import { backupEmbedded } from './operations/embedded-backup';
import { ControlError, refuseWhileServiceRuns, serveControlSocket, type ControlCommand } from './operations/embedded-control';
import { migrationStatus } from './operations/migration-status';
import { PersonalDataKeyError, personalDataCipherFrom } from './personal-data/personal-data-cipher';
import { checkPersonalDataKeys } from './personal-data/personal-data-keys';
import { createApp } from './app';
import { DEMO_PASSWORD, seedDemo } from './demo/demo-seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (config.NODE_ENV === 'production' && config.seedDemo) {
    throw new ConfigError('Refusing to start: demo accounts (SEED_DEMO or the embedded database) are not allowed when NODE_ENV=production.');
  }
  if (!config.PERSONAL_DATA_KEY && !config.embedded) {
    // The development key is in the source code: numbers encrypted with it are as good as clear.
    logger.warn('PERSONAL_DATA_KEY is not set: identity and phone numbers are encrypted with the PUBLIC development key. Set it (openssl rand -base64 32) before real applications arrive.');
  }
  // One process per embedded database: a second one opening the same directory would corrupt it.
  if (config.embedded) await refuseWhileServiceRuns(config.EMBEDDED_DB_DIR, 'starting another service on it');
  const database = await openDatabase(config);
  logger.info({ embedded: config.embedded }, config.embedded ? `embedded PostgreSQL in ${config.EMBEDDED_DB_DIR}` : 'PostgreSQL at DATABASE_URL');
  // Before any traffic: the configured key must open the stored personal data (a restored backup, a rotated key).
  await checkPersonalDataKeys(database.dataSource, personalDataCipherFrom(config), 'quick');
  const control = database.embedded?.dataDir ? await serveControlSocket(database.embedded.dataDir, controlHandler(database)) : null;
  const reads = await openReadDatabase(config, database.dataSource, logger);
  if (config.DATABASE_READ_URL) logger.info({ standby: reads.usesStandby }, reads.usesStandby ? 'reads go to the standby at DATABASE_READ_URL' : 'the standby at DATABASE_READ_URL does not answer: reads go to the primary until it does');
  const app = await createApp(config, database.dataSource, logger, reads);
  await app.init();
  if (config.NODE_ENV === 'production') {
    const [{ count }] = await database.dataSource.query(`SELECT count(*)::int AS count FROM users WHERE is_demo`);
    if (count > 0) throw new ConfigError(`Refusing to start: ${count} demo account(s) exist; remove them before running in production.`);
  }
  if (config.seedDemo) {
    const seeded = await seedDemo(app);
    logger.info(`demo accounts: ${seeded.accounts.join(', ')} (password: ${DEMO_PASSWORD}); demo cases created: ${seeded.casesCreated}`);
  }
  await app.listen(config.PORT);
  const address = app.getHttpServer().address();
  const url = `http://localhost:${typeof address === 'object' && address ? address.port : config.PORT}`;
  process.stdout.write(
    [
      '',
      '依申请公开 Desk is running',
      `  Portal       ${url}/              (applicants: apply, track, guide)`,
      `  Console      ${url}/staff         (staff: intake, handling, review, reports, administration)`,
      `  API          ${url}/api`,
      `  API docs     ${url}/api/docs`,
      `  Health       ${url}/health`,
      ...(config.seedDemo ? [`  Demo sign-in admin | intake | handler | legal | head, password ${DEMO_PASSWORD}`] : []),
      '',
    ].join('\n') + '\n',
  );
  const shutdown = async (signal: string) => {
    logger.info(`${signal}: shutting down`);
    await app.close();
    control?.close();
    await reads.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/** What the operations tools ask of the running service on its control socket (embedded mode). */
function controlHandler(database: DatabaseHandle) {
  return async (request: ControlCommand): Promise<unknown> => {
    if (request.command === 'backup') return { directory: (await backupEmbedded(() => database.embedded!.dumpDataDir(), request.directory)).directory };
    if (request.command === 'migration-status') return migrationStatus(database.dataSource);
    throw new Error(`unknown command ${(request as { command: string }).command}`);
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  const expected = [ConfigError, PersonalDataKeyError, ControlError].some((type) => error instanceof type);
  if (!expected && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
