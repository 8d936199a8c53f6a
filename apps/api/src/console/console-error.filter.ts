import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { errorBody } from '../common/exception.filter';
import { LOGGER } from '../common/tokens';
import { ConsoleViews } from './console-views';
import { CONSOLE_PATH } from './console-session';

const TITLES: Record<number, string> = {
  400: '填写的内容有误',
  403: '无权进行此操作',
  404: '找不到该页面',
  409: '现在不能进行此操作',
  413: '文件过大',
  429: '操作过于频繁',
  503: '暂时无法完成',
};

/** Where a signed-out user goes back to after signing in: only a console path of this site. */
export function safeNext(path: unknown): string {
  return typeof path === 'string' && path.startsWith(`${CONSOLE_PATH}`) && !path.startsWith('//') && !/[\r\n]/.test(path) ? path : CONSOLE_PATH;
}

/**
 * Errors on console pages answer as pages, in words: signed out → the sign-in page (and back afterwards); anything else
 * → a page that says what went wrong and what to do, with the same status the API would give.
 */
@Catch()
export class ConsoleErrorFilter implements ExceptionFilter {
  constructor(
    private readonly views: ConsoleViews,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const body = errorBody(exception, this.logger);
    if (body.statusCode === 401) {
      const next = request.method === 'GET' ? request.originalUrl : (request.headers['hx-current-url'] as string | undefined) ?? CONSOLE_PATH;
      const target = `${CONSOLE_PATH}/sign-in?next=${encodeURIComponent(safeNext(next.replace(/^https?:\/\/[^/]+/, '')))}`;
      if (request.headers['hx-request']) {
        response.setHeader('HX-Redirect', target);
        response.status(401).end();
        return;
      }
      response.redirect(303, target);
      return;
    }
    const data = { status: body.statusCode, heading: TITLES[body.statusCode] ?? '出错了', message: body.message, details: body.details ?? [] };
    if (request.headers['hx-request']) {
      // htmx swaps only successful answers: the error goes into the page's message area instead.
      response.setHeader('HX-Retarget', '#messages');
      response.setHeader('HX-Reswap', 'innerHTML');
      response.status(200).type('html').send(this.views.fragment('error-banner', data));
      return;
    }
    response
      .status(body.statusCode)
      .type('html')
      .send(this.views.page('error', { title: data.heading, agencyName: '', principal: null }, data));
  }
}
