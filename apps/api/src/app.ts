import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ApiModule } from './api.module';
import { noStoreMiddleware, requestLogMiddleware, securityMiddleware } from './common/http-pipeline';
import { inputGuardMiddleware } from './common/input-guard';
import { PinoNestLogger } from './common/logger';
import type { AppConfig } from './config/app-config';
import type { ReadDatabase } from './database/read-database';
import { guardDatabasePool } from './database/pool-guard';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { servePublicTrackingAheadOfExpress } from './public/public-tracking.route';
import { PublicTrackingService } from './public/public-tracking.service';

const PLATFORM_IMPORT_PATH = '/api/integration/applications';

/** Build the Nest application on an open, migrated database. Used by main.ts and by the e2e tests alike. */
export async function createApp(config: AppConfig, dataSource: DataSource, logger: Logger, readDatabase?: ReadDatabase): Promise<NestExpressApplication> {
  // Before the first request: a connection the database drops must never take the process down (pool-guard.ts).
  guardDatabasePool(dataSource, logger);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot({ config, dataSource, logger, readDatabase }), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  // A platform's import carries the applicant's files (base64): its own, larger limit. This parser takes only that
  // route's JSON; the general one below then finds the body read and passes it on.
  app.useBodyParser('json', {
    limit: `${config.PLATFORM_IMPORT_MAX_MB}mb`,
    type: (request) => request.url?.split('?')[0] === PLATFORM_IMPORT_PATH && /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? ''),
  });
  // Applications are text; 1 MB is generous and refuses abuse with 413.
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: false });
  // Only the configured proxies' X-Forwarded-For is believed (TRUST_PROXY; none by default). The throttles, the access
  // log and the tracking route served ahead of Express all read the client address through this one setting.
  app.set('trust proxy', config.trustProxy);
  app.use(securityMiddleware());
  app.use(requestLogMiddleware(logger));
  app.use(noStoreMiddleware());
  // After the body parsers (registered by useBodyParser above): NUL, lone surrogates, absurd nesting → 400.
  app.use(inputGuardMiddleware(logger));
  // The public tracking lookup does not pass through the middleware above or Nest's pipeline: what it needs of them it
  // does itself (public-tracking.route.ts). Middleware added here later does not reach it; add it there too if it must.
  servePublicTrackingAheadOfExpress(app.getHttpServer(), app.getHttpAdapter().getInstance(), app.get(PublicTrackingService), logger);
  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app));
  return app;
}
