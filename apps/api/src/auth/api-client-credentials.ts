import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LOGGER } from '../common/tokens';
import type { ApiClientPrincipal, ApiScope } from './principal';

/**
 * An API client's secret: `ogi-client.` and 32 random bytes (base64url). The prefix tells the guard which table to
 * look in — a staff token is bare base64url, which never holds a `.`, so neither is ever taken for the other —
 * and lets a secret scanner recognise a leaked one.
 */
export const API_CLIENT_SECRET_PREFIX = 'ogi-client.';

export function newApiClientSecret(): string {
  return API_CLIENT_SECRET_PREFIX + randomBytes(32).toString('base64url');
}

export function isApiClientSecret(token: string): boolean {
  return token.startsWith(API_CLIENT_SECRET_PREFIX);
}

/**
 * The stored form of a secret: its SHA-256. Argon2 (the passwords' hash) is slow on purpose, to make guessing a
 * password a person chose expensive; a secret of 256 random bits cannot be guessed at any speed, so a slow hash buys
 * nothing here and would cost every platform call ~50 ms of CPU and 64 MB of memory (a load two cores do not carry).
 * A leaked table still grants nothing: SHA-256 cannot be inverted. The staff's bearer tokens are kept the same way.
 */
export function hashApiClientSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface ApiClientCredential {
  principal: ApiClientPrincipal;
  revoked: boolean;
}

interface ClientRow {
  id: string;
  name: string;
  source: string;
  agency_id: string;
  agency_ids: string[];
  scopes: ApiScope[];
  revoked: boolean;
}

/**
 * The API clients' side of the auth guard: which client a secret names, and the access log of every call a client
 * makes (let through or refused, with the status it was answered).
 */
@Injectable()
export class ApiClientCredentials {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * The client a secret names: its current secret, or the previous one while a rotation's overlap lasts. A revoked
   * client is answered too (so its refused calls are logged); null for a secret nobody holds.
   */
  async clientFor(secret: string): Promise<ApiClientCredential | null> {
    const hash = hashApiClientSecret(secret);
    const [row]: ClientRow[] = await this.dataSource.query(
      `SELECT id, name, source, agency_id, agency_ids::text[] AS agency_ids, scopes, revoked_at IS NOT NULL AS revoked
         FROM api_clients
        WHERE secret_hash = $1 OR (previous_secret_hash = $1 AND previous_secret_expires_at > now())`,
      [hash],
    );
    if (!row) return null;
    return {
      revoked: row.revoked,
      principal: { clientId: row.id, name: row.name, source: row.source, agencyId: row.agency_id, agencyIds: row.agency_ids, scopes: row.scopes },
    };
  }

  /**
   * Log the call once it is answered, whatever answers it (the guard's refusal, a validation error, the route). The log
   * is written after the response: a failure to write it is logged, never turned into a failed call.
   */
  logWhenAnswered(clientId: string, request: Request, response: Response): void {
    const started = process.hrtime.bigint();
    const method = request.method;
    // The path without its query string, as the request log keeps it.
    const path = request.originalUrl.split('?')[0].slice(0, 500);
    const address = request.ip ?? 'unknown';
    response.once('finish', () => {
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
      this.dataSource
        .query(
          `WITH used AS (
             UPDATE api_clients SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
           )
           INSERT INTO api_client_access_log (client_id, method, path, status, address, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
          [clientId, method, path, response.statusCode, address, ms],
        )
        .catch((error: unknown) => this.logger.error({ err: error, clientId, method, path }, 'API client access log not written'));
    });
  }
}
