import 'reflect-metadata';
import { createLogger } from './common/logger';
import { ConfigError, loadConfig } from './config/app-config';
import { openDatabase } from './database/database';
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
  const database = await openDatabase(config);
  logger.info({ embedded: config.embedded }, config.embedded ? `embedded PostgreSQL in ${config.EMBEDDED_DB_DIR}` : 'PostgreSQL at DATABASE_URL');
  const app = await createApp(config, database.dataSource, logger);
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
      `  API          ${url}/api`,
      `  API docs     ${url}/api/docs`,
      `  Health       ${url}/health`,
      `  Public track ${url}/api/public/applications/{caseNumber}?queryCode=…`,
      ...(config.seedDemo ? [`  Demo sign-in admin | intake | handler | legal | head, password ${DEMO_PASSWORD}`] : []),
      '',
    ].join('\n') + '\n',
  );
  const shutdown = async (signal: string) => {
    logger.info(`${signal}: shutting down`);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (!(error instanceof ConfigError) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
