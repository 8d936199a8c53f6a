import { ArgumentsHost, Catch, Inject, Injectable, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { errorBody } from '../common/exception.filter';
import { LOGGER } from '../common/tokens';
import { PortalPages } from './portal-pages.service';

/**
 * The portal answers people, not programs: an error on its routes (a file too large for the upload, an expired link, a
 * fault) is a page in words with a way back, never JSON. The status and message are the ones the API filter gives.
 */
@Catch()
@Injectable()
export class PortalErrorFilter implements ExceptionFilter {
  constructor(
    private readonly pages: PortalPages,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const response = host.switchToHttp().getResponse<Response>();
    const body = errorBody(exception, this.logger);
    if (response.headersSent) return void response.end();
    try {
      const page = await this.pages.errorPage(body.statusCode, body.message);
      response.status(page.status).type('html').send(page.html);
    } catch (error) {
      this.logger.error({ err: error }, 'portal error page failed');
      response.status(body.statusCode).json(body);
    }
  }
}
