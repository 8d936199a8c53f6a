import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ApiModule } from './api.module';
import { PinoNestLogger } from './common/logger';
import type { AppConfig } from './config/app-config';

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
  // Security headers; the pages keep their script and style inline, nothing is loaded from elsewhere.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", "'unsafe-inline'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );
  // One line per request: method, path without its query string (the 查询码 travels there), status, duration.
  app.use((request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: request.method, path: request.path, status: response.statusCode, ms: Math.round(ms) }, 'request');
    });
    next();
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('依申请公开 Desk API')
      .setDescription('政府信息公开申请办理系统：登记、办理、答复、转主动公开（《政府信息公开条例》2019）')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  return app;
}
