import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { isConnectionFailure } from '../database/pool-guard';
import { DomainError, type DomainErrorCode } from './domain-error';

const STATUS: Record<DomainErrorCode, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  too_many_requests: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

const ERROR_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Every error leaves as { statusCode, error, message } (api.md); unknown errors get a correlation id, never a stack. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = errorBody(exception, this.logger);
    // A file route may have named its file's type before it failed: the error body is JSON all the same, not an attachment.
    response.removeHeader('Content-Disposition');
    response.status(body.statusCode).type('json').json(body);
  }
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: string[];
  correlationId?: string;
}

/** The answer to any error, for the filter and for the route served ahead of Express (public-tracking.route.ts). */
export function errorBody(exception: unknown, logger: Logger): ErrorBody {
  if (exception instanceof DomainError) {
    const statusCode = STATUS[exception.code];
    return { statusCode, error: ERROR_NAMES[statusCode], message: exception.message, ...(exception.details ? { details: exception.details } : {}) };
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const raw = exception.getResponse();
    const rawMessage = typeof raw === 'string' ? raw : (raw as { message?: unknown }).message;
    const details = Array.isArray(rawMessage) ? rawMessage.map(String) : undefined;
    const message = details ? details.join('；') : String(rawMessage ?? exception.message);
    return { statusCode, error: ERROR_NAMES[statusCode] ?? exception.name, message, ...(details ? { details } : {}) };
  }
  // body-parser errors (malformed JSON, too large) carry a status of their own.
  const status = (exception as { status?: unknown; type?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = (exception as { type?: unknown }).type;
    const message =
      type === 'entity.too.large' ? '请求内容过大' : type === 'entity.parse.failed' ? '请求内容不是有效的 JSON' : String((exception as Error).message);
    return { statusCode: status, error: ERROR_NAMES[status] ?? 'Bad Request', message };
  }
  const correlationId = randomUUID();
  if (isConnectionFailure(exception)) {
    // The database dropped the connection (a restart, a failover, pg_terminate_backend): a passing fault, not a bug.
    // The pool replaces the connection; 503 tells the client that trying again later is the remedy.
    logger.error({ err: exception, correlationId }, 'database connection lost');
    return { statusCode: 503, error: ERROR_NAMES[503], message: `数据库连接中断，请稍后重试（编号 ${correlationId}）`, correlationId };
  }
  logger.error({ err: exception, correlationId }, 'unhandled error');
  return { statusCode: 500, error: ERROR_NAMES[500], message: `服务器内部错误，请联系管理员（编号 ${correlationId}）`, correlationId };
}
