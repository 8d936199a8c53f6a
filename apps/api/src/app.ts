import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ApiModule } from './api.module';
import { addEventSchemas } from './cases/event-openapi';
import { requestLogMiddleware, securityMiddleware } from './common/http-pipeline';
import { PinoNestLogger } from './common/logger';
import type { AppConfig } from './config/app-config';
import { servePublicTrackingAheadOfExpress } from './public/public-tracking.route';
import { PublicTrackingService } from './public/public-tracking.service';

/** Build the Nest application on an open, migrated database. Used by main.ts and by the e2e tests alike. */
export async function createApp(config: AppConfig, dataSource: DataSource, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot({ config, dataSource, logger }), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  // Applications are text; 1 MB is generous and refuses abuse with 413.
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: false });
  app.set('trust proxy', 'loopback');
  app.use(securityMiddleware());
  app.use(requestLogMiddleware(logger));
  // The public tracking lookup does not pass through the middleware above or Nest's pipeline: what it needs of them it
  // does itself (public-tracking.route.ts). Middleware added here later does not reach it; add it there too if it must.
  servePublicTrackingAheadOfExpress(app.getHttpServer(), app.getHttpAdapter().getInstance(), app.get(PublicTrackingService), logger);
  const document = addEventSchemas(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('依申请公开 Desk API')
      .setDescription('政府信息公开申请办理系统：登记、办理、答复、转主动公开（《政府信息公开条例》2019）')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  ));
  SwaggerModule.setup('api/docs', app, document);
  return app;
}
