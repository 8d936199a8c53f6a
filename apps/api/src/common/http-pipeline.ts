import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';

/** Security headers; the pages keep their script and style inline, nothing is loaded from elsewhere. */
export function securityMiddleware() {
  return helmet({
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
  });
}

/**
 * The headers `securityMiddleware` sets, read once by running it against a recording response: for a route served
 * ahead of Express (public-tracking.route.ts), so both paths send the same headers from one configuration.
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers[name] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name];
    },
  };
  let finished = false;
  securityMiddleware()({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // helmet's middleware is synchronous; if a future version is not, fail loudly rather than send no headers.
  if (!finished) throw new Error('helmet did not finish synchronously');
  return headers;
}

/** One line per request: method, path without its query string (the 查询码 travels there), status, duration. */
export function logRequest(logger: Logger, method: string, path: string, status: number, started: bigint): void {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  logger.info({ method, path, status, ms: Math.round(ms) }, 'request');
}

export function requestLogMiddleware(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.on('finish', () => logRequest(logger, request.method, request.path, response.statusCode, started));
    next();
  };
}

/**
 * Public answers any cache may keep: impersonal pages and documents. Everything else — every staff answer (case views,
 * lists, personal data, letters, attachments, evidence bundles, the access log) and every public answer keyed by a case
 * number and 查询码 or a link signed after them (tracking, the case page and its forms, letter and file downloads, the
 * confirmation page) — is `Cache-Control: no-store`: a shared
 * computer's browser or a proxy must not keep an applicant's data. A rule for all, so a new route is covered by default.
 */
const CACHEABLE = [/^\/api\/public\/proactive$/, /^\/api\/docs(-json|-yaml)?(\/|$)/, /^\/assets\//, /^\/(guide|proactive)?$/, /^\/guide\/application-form\.pdf$/];

export function noStoreMiddleware() {
  return (request: Request, response: Response, next: NextFunction) => {
    const cacheable = (request.method === 'GET' || request.method === 'HEAD') && CACHEABLE.some((pattern) => pattern.test(request.path));
    if (!cacheable) response.setHeader('Cache-Control', 'no-store');
    next();
  };
}
