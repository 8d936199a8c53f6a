import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import type { Express } from 'express';
import proxyAddress from 'proxy-addr';
import type { Logger } from 'pino';
import { errorBody } from '../common/exception.filter';
import { logRequest, securityHeaders } from '../common/http-pipeline';
import type { PublicTrackingService } from './public-tracking.service';

/**
 * GET /api/public/applications/{caseNumber}?queryCode=… served straight off Node's HTTP server, ahead of Express and
 * the Nest pipeline.
 *
 * Why: it is the one route anyone may call without an account, the one applicants refresh and guessers hammer, and
 * Express with the Nest pipeline costs several times the lookup itself on a small server (BENCHMARKS.md, "Public
 * tracking"). Nothing on this route needs the pipeline: no sign-in, no body, no DTO.
 *
 * What stays the same: the service (`PublicTrackingService.track`, its throttling and its one statement), the answer
 * and error bodies (`errorBody`, as AllExceptionsFilter), the security headers (the very helmet configuration, read
 * once), the client address (Express's own `trust proxy` function) and the request log line. PublicController keeps
 * the route too — for the API documentation and for every request this path does not take: anything but a plain
 * lower-case `GET` of exactly this path with no body goes on to Express unchanged. e2e tests compare the two answers.
 */
const TRACKING_PATH = /^\/api\/public\/applications\/([^/]+)$/;

export function servePublicTrackingAheadOfExpress(server: Server, express: Express, tracking: PublicTrackingService, logger: Logger): void {
  const [expressListener, ...others] = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  if (!expressListener || others.length) throw new Error('expected exactly one request listener (Express) on the HTTP server');
  const headers = Object.entries(securityHeaders());
  server.removeListener('request', expressListener);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const lookup = trackingLookup(request);
    if (!lookup) {
      expressListener(request, response);
      return;
    }
    const started = process.hrtime.bigint();
    // Express's own trust-proxy rule, read as Express reads it (a setting changed later applies here too); the
    // fallback is ClientAddress's, so failures of an address-less request are counted in the same place.
    const address = proxyAddress(request, express.get('trust proxy fn') as (address: string, hop: number) => boolean) ?? 'unknown';
    const answer = (status: number, body: unknown) => {
      const json = JSON.stringify(body);
      for (const [name, value] of headers) response.setHeader(name, value);
      // The answer is one applicant's, keyed by a secret in the address: no cache keeps it.
      response.setHeader('Cache-Control', 'no-store');
      response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
      response.end(json);
      logRequest(logger, 'GET', lookup.path, status, started);
    };
    tracking
      .track(lookup.caseNumber, lookup.queryCode, address)
      .then(
        (view) => answer(200, view),
        (error: unknown) => {
          const body = errorBody(error, logger);
          answer(body.statusCode, body);
        },
      )
      // Only the writing itself can fail here (the socket gone mid-answer); never an unhandled rejection.
      .catch((error: unknown) => {
        logger.error({ err: error }, 'public tracking: the answer could not be sent');
        response.destroy();
      });
  });
}

interface TrackingLookup {
  path: string;
  caseNumber: string;
  queryCode: string | undefined;
}

/** The lookup this path serves, or null for anything Express should see (and answer exactly as it always has). */
function trackingLookup(request: IncomingMessage): TrackingLookup | null {
  // A fragment (which a client should not send) is Express's to strip: this path would read it as part of the code.
  if (request.method !== 'GET' || !request.url || request.url.includes('#')) return null;
  if (request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined) return null;
  const queryAt = request.url.indexOf('?');
  const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const match = TRACKING_PATH.exec(path);
  if (!match) return null;
  let caseNumber: string;
  try {
    caseNumber = decodeURIComponent(match[1]);
  } catch {
    return null; // malformed escapes: Express answers them
  }
  // Express's "simple" query parser is node:querystring; a repeated queryCode is an array, which is no code at all.
  const queryCode = queryAt === -1 ? undefined : parseQueryString(request.url.slice(queryAt + 1)).queryCode;
  return { path, caseNumber, queryCode: typeof queryCode === 'string' ? queryCode : undefined };
}
