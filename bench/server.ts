import 'reflect-metadata';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { createApp } from '../apps/api/src/app';
import { createLogger } from '../apps/api/src/common/logger';
import { loadConfig } from '../apps/api/src/config/app-config';
import { dataSourceOptions } from '../migrations/data-source';

/**
 * The real service in a process of its own, as in production: the load generator (bench/run.ts) must not share its
 * event loop, or the client's work would be counted as the server's latency. Started by run.ts with `fork`.
 */

export type ServerMessage = { type: 'ready'; port: number } | { type: 'capturing' } | { type: 'captured'; queries: CapturedQuery[] };
export type ClientMessage = { type: 'capture'; on: boolean };

export interface CapturedQuery {
  sql: string;
  parameters: unknown[];
}

/** Records the SQL the service sends while capture is on, so the benchmark can EXPLAIN exactly those statements. */
class CapturingLogger implements TypeOrmLogger {
  capturing = false;
  queries: CapturedQuery[] = [];

  logQuery(query: string, parameters?: unknown[]): void {
    // A copy: the service may push more parameters into the same array for its next statement (list()'s page).
    if (this.capturing) this.queries.push({ sql: query, parameters: [...(parameters ?? [])] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', JOBS_ENABLED: 'false', LOG_LEVEL: 'info' });
  // Production logs one JSON line per request; the lines are produced (their cost counts) and dropped.
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const capture = new CapturingLogger();
  const dataSource = new DataSource({ ...dataSourceOptions(config.DATABASE_URL!), logger: capture });
  await dataSource.initialize();
  const app = await createApp(config, dataSource, createLogger(config.LOG_LEVEL, sink));
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  process.on('message', (message: ClientMessage) => {
    if (message.type !== 'capture') return;
    if (message.on) {
      capture.queries = [];
      capture.capturing = true;
      // Acknowledged, so the request to capture cannot overtake the message on another channel.
      process.send!({ type: 'capturing' } satisfies ServerMessage);
    } else {
      capture.capturing = false;
      process.send!({ type: 'captured', queries: capture.queries } satisfies ServerMessage);
    }
  });
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => dataSource.destroy())
      .finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', port } satisfies ServerMessage);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
