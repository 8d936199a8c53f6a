import { Inject, Injectable } from '@nestjs/common';
import { API_SCOPE_TERMS, labelOf } from '@desk/vocabulary';
import { DataSource, type EntityManager } from 'typeorm';
import { hashApiClientSecret, newApiClientSecret } from '../auth/api-client-credentials';
import type { Principal } from '../auth/principal';
import { conflict, invalid, notFound } from '../common/domain-error';
import { isUuid } from '../common/text';
import { APP_CONFIG } from '../common/tokens';
import type { AppConfig } from '../config/app-config';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { newSigningSecret } from './callback-signature';
import type {
  AccessLogEntryDto,
  ApiClientViewDto,
  ApiClientWithSecretDto,
  CreateApiClientDto,
  SubscriptionDto,
  SubscriptionResultDto,
} from './dto/api-client.dto';

interface ClientRow {
  id: string;
  name: string;
  source: string;
  scopes: string[];
  agency: { code: string; name: string };
  agencies: { code: string; name: string }[];
  created_at: Date;
  rotated_at: Date | null;
  previous_secret_expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  subscription: { url: string; events: string[]; updatedAt: string } | null;
}

const CLIENT_SELECT = `
  SELECT cl.id, cl.name, cl.source, cl.scopes, cl.created_at, cl.rotated_at, cl.revoked_at, cl.last_used_at,
         CASE WHEN cl.previous_secret_expires_at > now() THEN cl.previous_secret_expires_at END AS previous_secret_expires_at,
         json_build_object('code', a.code, 'name', a.name) AS agency,
         (SELECT coalesce(json_agg(json_build_object('code', x.code, 'name', x.name) ORDER BY x.code), '[]') FROM agencies x WHERE x.id = ANY(cl.agency_ids)) AS agencies,
         (SELECT json_build_object('url', s.url, 'events', s.events, 'updatedAt', s.updated_at) FROM api_client_subscriptions s WHERE s.client_id = cl.id) AS subscription
    FROM api_clients cl JOIN agencies a ON a.id = cl.agency_id`;

const iso = (date: Date | null) => (date ? new Date(date).toISOString() : null);

/**
 * The platforms' API clients (issue 19), managed by the administrators of the agency that registers them: created with
 * a secret shown once (only its hash is kept), rotated (optionally keeping the old secret for an overlap), revoked
 * (refused from the next call on: the guard reads the client on every call), a callback subscription each, and the
 * access log of their calls.
 */
@Injectable()
export class ApiClientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(principal: Principal): Promise<ApiClientViewDto[]> {
    const rows: ClientRow[] = await this.dataSource.query(`${CLIENT_SELECT} WHERE cl.agency_id = $1 ORDER BY cl.revoked_at IS NOT NULL, cl.created_at DESC`, [principal.agencyId]);
    return rows.map((row) => this.toView(row));
  }

  async create(principal: Principal, input: CreateApiClientDto): Promise<ApiClientWithSecretDto> {
    const agencyIds = input.agencies ? await this.agencyIds(input.agencies) : [principal.agencyId];
    const secret = newApiClientSecret();
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO api_clients (agency_id, name, source, scopes, agency_ids, secret_hash, created_by)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [principal.agencyId, input.name, input.source, input.scopes, agencyIds, hashApiClientSecret(secret), principal.userId],
    );
    if (!rows.length) throw conflict(`来源平台“${input.source}”已有在用的 API 客户端：请轮换它的密钥，或先停用它再创建`);
    return { ...(await this.one(principal, rows[0].id)), secret };
  }

  /** A new secret, shown once. The old one stops at once, or after `previousSecretValidMinutes` so the platform can switch. */
  async rotate(principal: Principal, id: string, previousSecretValidMinutes = 0): Promise<ApiClientWithSecretDto> {
    const secret = newApiClientSecret();
    await this.dataSource.transaction(async (manager) => {
      await this.activeClient(manager, principal, id);
      await manager.query(
        `UPDATE api_clients
            SET previous_secret_hash = CASE WHEN $3 > 0 THEN secret_hash END,
                previous_secret_expires_at = CASE WHEN $3 > 0 THEN now() + make_interval(mins => $3) END,
                secret_hash = $2, rotated_at = now()
          WHERE id = $1`,
        [id, hashApiClientSecret(secret), previousSecretValidMinutes],
      );
    });
    return { ...(await this.one(principal, id)), secret };
  }

  /** Revoked for good: every secret of the client is refused from the next call on (its callbacks stop too). */
  async revoke(principal: Principal, id: string): Promise<ApiClientViewDto> {
    await this.dataSource.transaction(async (manager) => {
      await this.activeClient(manager, principal, id);
      await manager.query(`UPDATE api_clients SET revoked_at = now(), revoked_by = $2, previous_secret_hash = NULL, previous_secret_expires_at = NULL WHERE id = $1`, [
        id,
        principal.userId,
      ]);
    });
    return this.one(principal, id);
  }

  /**
   * The client's callback subscription. The signing secret is made the first time (and on request), shown once, and
   * kept encrypted with the personal-data key: the service must read it back to sign each callback.
   */
  async subscribe(principal: Principal, id: string, input: SubscriptionDto): Promise<SubscriptionResultDto> {
    const url = URL.canParse(input.url) ? new URL(input.url) : null;
    if (!url) throw invalid('回调地址 不是有效的网址');
    if (url.protocol === 'http:' && !this.config.callbacksMayUseHttp) throw invalid('回调地址 应为 https:// 开头的网址（回调内容须加密传输）');
    return this.dataSource.transaction(async (manager) => {
      await this.activeClient(manager, principal, id);
      const [existing]: { client_id: string }[] = await manager.query(`SELECT client_id FROM api_client_subscriptions WHERE client_id = $1 FOR UPDATE`, [id]);
      const signingSecret = !existing || input.rotateSigningSecret ? newSigningSecret() : null;
      const [row]: { url: string; events: string[]; updated_at: Date }[] = await manager.query(
        `INSERT INTO api_client_subscriptions (client_id, url, events, signing_secret_ciphertext, updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (client_id) DO UPDATE SET url = EXCLUDED.url, events = EXCLUDED.events, updated_at = now(), updated_by = EXCLUDED.updated_by,
           signing_secret_ciphertext = CASE WHEN $6 THEN EXCLUDED.signing_secret_ciphertext ELSE api_client_subscriptions.signing_secret_ciphertext END
         RETURNING url, events, updated_at`,
        [id, input.url, input.events, this.cipher.encrypt('callback_signing_secret', signingSecret ?? newSigningSecret()), principal.userId, signingSecret !== null],
      );
      return { url: row.url, events: row.events, updatedAt: row.updated_at.toISOString(), signingSecret };
    });
  }

  /** No more callbacks: those still pending stop at their next attempt (kept, replayable once subscribed again). */
  async unsubscribe(principal: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.client(manager, principal, id);
      const [, deleted]: [unknown[], number] = await manager.query(`DELETE FROM api_client_subscriptions WHERE client_id = $1`, [id]);
      if (!deleted) throw notFound('该客户端没有订阅回调');
    });
  }

  async accessLog(principal: Principal, id: string, limit = 100): Promise<AccessLogEntryDto[]> {
    await this.client(this.dataSource.manager, principal, id);
    return this.dataSource.query(
      `SELECT at, method, path, status, address, duration_ms AS "durationMs" FROM api_client_access_log WHERE client_id = $1 ORDER BY id DESC LIMIT $2`,
      [id, limit],
    );
  }

  /** Codes of agencies of this deployment → their ids; an unknown code is named. */
  private async agencyIds(codes: string[]): Promise<string[]> {
    const rows: { id: string; code: string }[] = await this.dataSource.query(`SELECT id, code FROM agencies WHERE code = ANY($1::text[])`, [codes]);
    const unknown = codes.filter((code) => !rows.some((row) => row.code === code));
    if (unknown.length) throw invalid(`本系统没有编码为“${unknown.join('”“')}”的机关`);
    return codes.map((code) => rows.find((row) => row.code === code)!.id);
  }

  /** A client of the administrator's agency, locked for the change; another agency's answers like an unknown one. */
  private async client(manager: EntityManager, principal: Principal, id: string): Promise<{ revoked: boolean }> {
    const [row]: { revoked: boolean }[] = isUuid(id)
      ? await manager.query(`SELECT revoked_at IS NOT NULL AS revoked FROM api_clients WHERE id = $1 AND agency_id = $2 FOR UPDATE`, [id, principal.agencyId])
      : [];
    if (!row) throw notFound(`没有编号为 ${id} 的 API 客户端`);
    return row;
  }

  private async activeClient(manager: EntityManager, principal: Principal, id: string): Promise<void> {
    if ((await this.client(manager, principal, id)).revoked) throw conflict('该 API 客户端已停用');
  }

  private async one(principal: Principal, id: string): Promise<ApiClientViewDto> {
    const [row]: ClientRow[] = await this.dataSource.query(`${CLIENT_SELECT} WHERE cl.id = $1 AND cl.agency_id = $2`, [id, principal.agencyId]);
    if (!row) throw notFound(`没有编号为 ${id} 的 API 客户端`);
    return this.toView(row);
  }

  private toView(row: ClientRow): ApiClientViewDto {
    return {
      id: row.id,
      name: row.name,
      source: row.source,
      scopes: row.scopes,
      scopeLabels: row.scopes.map((scope) => labelOf(API_SCOPE_TERMS, scope)),
      agency: row.agency,
      agencies: row.agencies,
      active: row.revoked_at === null,
      createdAt: iso(row.created_at)!,
      rotatedAt: iso(row.rotated_at),
      previousSecretValidUntil: iso(row.previous_secret_expires_at),
      revokedAt: iso(row.revoked_at),
      lastUsedAt: iso(row.last_used_at),
      subscription: row.subscription ? { ...row.subscription, updatedAt: new Date(row.subscription.updatedAt).toISOString() } : null,
    };
  }
}
