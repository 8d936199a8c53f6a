import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../migrations/data-source';
import { createApp } from '../../apps/api/src/app';
import { CalendarService } from '../../apps/api/src/calendar/calendar.service';
import { createLogger } from '../../apps/api/src/common/logger';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { openReadDatabase, type ReadDatabase } from '../../apps/api/src/database/read-database';
import { DEMO_PASSWORD, seedDemo } from '../../apps/api/src/demo/demo-seed';
import { databaseUrl, dropDatabase, TEMPLATE_DATABASE, withAdminClient } from './database';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  dataSource: DataSource;
  /** Where the read-only work goes: DATABASE_READ_URL's standby, or the primary. */
  reads: ReadDatabase;
  databaseName: string;
  /** Everything the service logged, one JSON line each. */
  logLines: string[];
  /** A bearer header for a demo account. */
  as(username: string): Promise<{ Authorization: string }>;
  /** Pin "today" (Asia/Shanghai) for the clock; real calendar dates, no fake timers. */
  setToday(date: string): void;
  close(): Promise<void>;
}

/** The real app module on a database of its own, cloned from the migrated template. */
export interface TestAppOptions {
  /** A second instance on the same database stands for a second service process (jobs must run once between them). */
  shareDatabaseOf?: TestApp;
  /** A database that exists already (a restored one, one on a cluster the test started): used as it is, never dropped here. */
  databaseUrl?: string;
  /** DATABASE_READ_URL: a standby that takes the read-only work (database/read-database.ts). */
  readDatabaseUrl?: string;
}

export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const shared = options.shareDatabaseOf?.databaseName ?? (options.databaseUrl ? new URL(options.databaseUrl).pathname.slice(1) : undefined);
  const name = shared ?? `ogi_desk_test_${randomBytes(6).toString('hex')}`;
  if (!shared) await withAdminClient((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`));
  const url = options.databaseUrl ?? databaseUrl(name);
  const readUrl = options.readDatabaseUrl ? { DATABASE_READ_URL: options.readDatabaseUrl } : {};
  // The tests stand behind a proxy on loopback (X-Forwarded-For picks the address the throttles see), and many files
  // submit far more online applications from that one address than an hour's allowance; tests of those settings pass
  // their own values.
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    LOG_LEVEL: 'info',
    TRUST_PROXY: 'loopback',
    ONLINE_APPLICATIONS_PER_HOUR: '100000',
    ...readUrl,
    ...env,
  });
  const dataSource = new DataSource(dataSourceOptions(url, 5));
  await dataSource.initialize();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger('info', sink);
  const reads = await openReadDatabase(config, dataSource, logger);
  const app = await createApp(config, dataSource, logger, reads);
  await app.init();
  await seedDemo(app, { cases: false });
  const http = request(app.getHttpServer());
  const tokens = new Map<string, string>();
  const calendar = app.get(CalendarService);
  return {
    app,
    http,
    dataSource,
    databaseName: name,
    logLines,
    async as(username: string) {
      if (!tokens.has(username)) {
        const response = await http.post('/api/auth/login').send({ username, password: DEMO_PASSWORD }).expect(200);
        tokens.set(username, response.body.accessToken);
      }
      return { Authorization: `Bearer ${tokens.get(username)}` };
    },
    setToday(date: string) {
      jest.spyOn(calendar, 'today').mockReturnValue(date);
    },
    reads,
    async close() {
      await app.close();
      await reads.close();
      await dataSource.destroy();
      if (!shared) await withAdminClient((client) => dropDatabase(client, name));
    },
  };
}
