import { Inject, Injectable } from '@nestjs/common';
import { CALLBACK_STATUS_TERMS, labelOf } from '@desk/vocabulary';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { conflict, notFound } from '../common/domain-error';
import { APP_CONFIG, LOGGER } from '../common/tokens';
import type { AppConfig } from '../config/app-config';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { callbackEventsBetween, type CallbackEvent } from './callback-changes';
import { CALLBACK_ID_HEADER, SIGNATURE_HEADER, signCallback, TIMESTAMP_HEADER } from './callback-signature';
import type { PlatformCallbackDto, PlatformCaseDto } from './dto/platform.dto';
import type { CallbackViewDto } from './dto/api-client.dto';
import { PlatformCaseView } from './platform-case-view';

/** A step on a platform's case, seen before its changes: whom to call back, for what, and what the platform saw. */
export interface CallbackWatch {
  caseId: string;
  clientId: string;
  events: readonly CallbackEvent[];
  before: PlatformCaseDto;
}

interface ClaimedCallback {
  id: string;
  client_id: string;
  payload: Omit<PlatformCallbackDto, 'id'>;
  attempts: number;
}

interface Destination {
  client_id: string;
  url: string | null;
  signing_secret_ciphertext: string | null;
  revoked: boolean;
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/** Why a connection failed, in the administrator's words (the system's code kept for the rarer ones). */
const CONNECTION_FAILURES: Record<string, string> = {
  ECONNREFUSED: '对方拒绝连接（服务未运行或端口未开放）',
  ECONNRESET: '连接被对方中断',
  ENOTFOUND: '找不到对方的域名',
  EAI_AGAIN: '域名解析暂时失败',
  ETIMEDOUT: '连接超时',
  UND_ERR_CONNECT_TIMEOUT: '连接超时',
  UND_ERR_SOCKET: '连接被对方中断',
  CERT_HAS_EXPIRED: '对方的 HTTPS 证书已过期',
  DEPTH_ZERO_SELF_SIGNED_CERT: '对方的 HTTPS 证书不受信任（自签名）',
  SELF_SIGNED_CERT_IN_CHAIN: '对方的 HTTPS 证书不受信任（自签名）',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: '对方的 HTTPS 证书无法验证',
  ERR_TLS_CERT_ALTNAME_INVALID: '对方的 HTTPS 证书与域名不符',
};

const CALLBACK_COLUMNS = `cb.id::text AS id, cl.id AS "clientId", cl.name AS "clientName", c.case_number AS "caseNumber", p.external_ref AS "externalRef",
  cb.sequence, cb.events, cb.status, cb.attempts, cb.last_status AS "lastStatus", cb.last_error AS "lastError", cb.last_attempt_at AS "lastAttemptAt",
  CASE WHEN cb.status = 'pending' THEN cb.next_attempt_at END AS "nextAttemptAt", cb.delivered_at AS "deliveredAt", cb.created_at AS "createdAt",
  cb.replayed_at AS "replayedAt"`;

const CALLBACK_FROM = `platform_callbacks cb JOIN api_clients cl ON cl.id = cb.client_id JOIN cases c ON c.id = cb.case_id
  LEFT JOIN platform_imports p ON p.case_id = cb.case_id`;

/**
 * Status callbacks to the platforms (issue 19), through an outbox:
 * - a step on a case a platform imported writes its callback in the step's own transaction (RecordEventService), so a
 *   step that is refused or rolled back calls nobody back, and one that commits is never forgotten;
 * - the job runner delivers them (JobRunnerService.tick): signed (callback-signature.ts), one at a time per case and in
 *   the order the steps happened, retried with exponential back-off, and marked dead after CALLBACK_MAX_ATTEMPTS;
 * - an administrator lists the dead ones and replays them. Several instances may deliver from one database: a callback
 *   is leased by one of them with SKIP LOCKED.
 */
@Injectable()
export class PlatformCallbacks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly view: PlatformCaseView,
    private readonly cipher: PersonalDataCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Before a step's changes: the case as its platform sees it, when a platform imported the case and subscribed to
   * callbacks; null otherwise (the common case: one indexed look-up, nothing more).
   */
  async watch(manager: EntityManager, caseId: string): Promise<CallbackWatch | null> {
    const [subscriber]: { client_id: string; events: CallbackEvent[] }[] = await manager.query(
      `SELECT cl.id AS client_id, s.events FROM platform_imports p
         JOIN api_clients cl ON cl.source = p.source AND cl.revoked_at IS NULL
         JOIN api_client_subscriptions s ON s.client_id = cl.id
        WHERE p.case_id = $1`,
      [caseId],
    );
    if (!subscriber) return null;
    return { caseId, clientId: subscriber.client_id, events: subscriber.events, before: await this.view.of(caseId, manager) };
  }

  /** After the step's changes, in its transaction: the callback, when the step changed something the platform asked for. */
  async afterStep(manager: EntityManager, watch: CallbackWatch): Promise<void> {
    const after = await this.view.of(watch.caseId, manager);
    const events = callbackEventsBetween(watch.before, after).filter((event) => watch.events.includes(event));
    if (!events.length) return;
    const payload: Omit<PlatformCallbackDto, 'id'> = { events, occurredAt: new Date().toISOString(), case: after };
    await manager.query(`INSERT INTO platform_callbacks (client_id, case_id, sequence, events, payload) VALUES ($1, $2, $3, $4, $5)`, [
      watch.clientId,
      watch.caseId,
      after.sequence,
      events,
      JSON.stringify(payload),
    ]);
  }

  /**
   * Deliver the callbacks that are due, a few at a time, until none is left (at most `limit`). A callback waits while an
   * earlier one of the same case for the same client is still pending (it may be backing off): the platform receives a
   * case's changes in order, so each round takes at most one per case, and the next round its successor.
   */
  async deliverDue(limit = 200, concurrency = 4): Promise<{ delivered: number; failed: number; dead: number }> {
    const counts = { delivered: 0, failed: 0, dead: 0 };
    for (let taken = 0; taken < limit; ) {
      const claimed = await this.claim(Math.min(50, limit - taken));
      if (!claimed.length) break;
      taken += claimed.length;
      const destinations = await this.destinations(claimed);
      const queue = [...claimed];
      const worker = async () => {
        for (let callback = queue.shift(); callback; callback = queue.shift()) counts[await this.attempt(callback, destinations.get(callback.client_id))]++;
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    }
    return counts;
  }

  /** Lease due callbacks (the first pending one of each case) to this instance for the length of an attempt. */
  private async claim(limit: number): Promise<ClaimedCallback[]> {
    const [claimed]: [ClaimedCallback[], number] = await this.dataSource.query(
      `UPDATE platform_callbacks SET attempts = attempts + 1, last_attempt_at = now(), leased_until = now() + make_interval(secs => $2)
        WHERE id IN (
          SELECT cb.id FROM platform_callbacks cb
           WHERE cb.status = 'pending' AND cb.next_attempt_at <= now() AND (cb.leased_until IS NULL OR cb.leased_until < now())
             AND NOT EXISTS (SELECT 1 FROM platform_callbacks earlier
                              WHERE earlier.client_id = cb.client_id AND earlier.case_id = cb.case_id AND earlier.status = 'pending' AND earlier.id < cb.id)
           ORDER BY cb.next_attempt_at, cb.id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id::text AS id, client_id, payload, attempts`,
      [limit, this.config.CALLBACK_TIMEOUT_SECONDS + 60],
    );
    return claimed;
  }

  /** Where each client's callbacks go now: its subscription's address and signing key, unless it was revoked. */
  private async destinations(claimed: ClaimedCallback[]): Promise<Map<string, Destination>> {
    const rows: Destination[] = await this.dataSource.query(
      `SELECT cl.id AS client_id, s.url, s.signing_secret_ciphertext, cl.revoked_at IS NOT NULL AS revoked
         FROM api_clients cl LEFT JOIN api_client_subscriptions s ON s.client_id = cl.id WHERE cl.id = ANY($1::uuid[])`,
      [[...new Set(claimed.map((callback) => callback.client_id))]],
    );
    return new Map(rows.map((row) => [row.client_id, row]));
  }

  private async attempt(callback: ClaimedCallback, destination: Destination | undefined): Promise<'delivered' | 'failed' | 'dead'> {
    // Nobody to call any more: the callback stops here, kept for the administrator (replayable once there is again).
    if (!destination || destination.revoked || !destination.url || !destination.signing_secret_ciphertext) {
      await this.settle(callback, { ok: false, status: null, error: destination?.revoked ? '该客户端已停用' : '该客户端已取消订阅' }, true);
      return 'dead';
    }
    const outcome = await this.post(destination.url, this.cipher.decrypt('callback_signing_secret', destination.signing_secret_ciphertext), callback);
    const dead = !outcome.ok && callback.attempts >= this.config.CALLBACK_MAX_ATTEMPTS;
    await this.settle(callback, outcome, dead);
    if (!outcome.ok) this.logger.warn({ callbackId: callback.id, attempts: callback.attempts, status: outcome.status, dead }, `platform callback failed: ${outcome.error}`);
    return outcome.ok ? 'delivered' : dead ? 'dead' : 'failed';
  }

  /** One attempt: a 2xx answer within CALLBACK_TIMEOUT_SECONDS delivers it; a redirect is not followed (it fails). */
  private async post(url: string, secret: string, callback: ClaimedCallback): Promise<Outcome> {
    const body = JSON.stringify({ id: callback.id, ...callback.payload } satisfies PlatformCallbackDto);
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.CALLBACK_TIMEOUT_SECONDS * 1000),
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'ogi-desk-callbacks/1',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signCallback(secret, timestamp, body),
          [CALLBACK_ID_HEADER]: callback.id,
        },
        body,
      });
      // Only the status matters; the body is let go so the connection is freed.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
      return { ok: false, status: response.status, error: `对方返回 HTTP ${response.status}` };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { name?: string }).name ?? 'Error';
      if (cause === 'TimeoutError') return { ok: false, status: null, error: `对方 ${this.config.CALLBACK_TIMEOUT_SECONDS} 秒内未答复` };
      return { ok: false, status: null, error: `无法连接对方：${CONNECTION_FAILURES[cause] ?? `连接失败（${cause}）`}` };
    }
  }

  /** Record an attempt: delivered; dead; or pending again after base × 2^(attempts − 1) seconds, at most the maximum. */
  private async settle(callback: ClaimedCallback, outcome: Outcome, dead: boolean): Promise<void> {
    const wait = Math.min(this.config.CALLBACK_RETRY_BASE_SECONDS * 2 ** (callback.attempts - 1), this.config.CALLBACK_RETRY_MAX_SECONDS);
    await this.dataSource.query(
      `UPDATE platform_callbacks
          SET status = $2, leased_until = NULL, last_status = $3, last_error = $4,
              delivered_at = CASE WHEN $2 = 'delivered' THEN now() END,
              next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + make_interval(secs => $5) ELSE next_attempt_at END
        WHERE id = $1`,
      [callback.id, outcome.ok ? 'delivered' : dead ? 'dead' : 'pending', outcome.status, outcome.ok ? null : outcome.error, wait],
    );
  }

  /** The callbacks of the administrator's agency's clients, newest first; by status (all when none given) and client. */
  async list(principal: Principal, filter: { status?: string; clientId?: string }): Promise<CallbackViewDto[]> {
    const rows: Omit<CallbackViewDto, 'statusLabel'>[] = await this.dataSource.query(
      `SELECT ${CALLBACK_COLUMNS} FROM ${CALLBACK_FROM}
        WHERE cl.agency_id = $1 AND ($2::text IS NULL OR cb.status = $2) AND ($3::uuid IS NULL OR cb.client_id = $3)
        ORDER BY cb.id DESC LIMIT 200`,
      [principal.agencyId, filter.status ?? null, filter.clientId ?? null],
    );
    return rows.map((row) => this.withLabel(row));
  }

  /**
   * Send a dead callback again, from its first attempt (the full series of retries). Its body is the one written with
   * its step; the case's `sequence` in it lets the platform drop it if a later change has already reached it.
   */
  async replay(principal: Principal, id: string): Promise<CallbackViewDto> {
    const [row]: { status: string; revoked: boolean; subscribed: boolean }[] = /^\d{1,18}$/.test(id)
      ? await this.dataSource.query(
          `SELECT cb.status, cl.revoked_at IS NOT NULL AS revoked, EXISTS (SELECT 1 FROM api_client_subscriptions s WHERE s.client_id = cl.id) AS subscribed
             FROM platform_callbacks cb JOIN api_clients cl ON cl.id = cb.client_id WHERE cb.id = $1 AND cl.agency_id = $2`,
          [id, principal.agencyId],
        )
      : [];
    if (!row) throw notFound(`没有编号为 ${id} 的回调`);
    if (row.status !== 'dead') throw conflict(`只能重发发送失败、已停止重试的回调；这个回调${labelOf(CALLBACK_STATUS_TERMS, row.status)}`);
    if (row.revoked) throw conflict('该客户端已停用，不能重发回调');
    if (!row.subscribed) throw conflict('该客户端没有订阅回调，请先设置订阅');
    const [, updated]: [unknown[], number] = await this.dataSource.query(
      `UPDATE platform_callbacks SET status = 'pending', attempts = 0, next_attempt_at = now(), leased_until = NULL, replayed_at = now(), replayed_by = $2
        WHERE id = $1 AND status = 'dead'`,
      [id, principal.userId],
    );
    if (!updated) throw conflict('这个回调已被他人同时重发');
    return this.one(principal, id);
  }

  private async one(principal: Principal, id: string): Promise<CallbackViewDto> {
    const [row]: Omit<CallbackViewDto, 'statusLabel'>[] = await this.dataSource.query(`SELECT ${CALLBACK_COLUMNS} FROM ${CALLBACK_FROM} WHERE cb.id = $1 AND cl.agency_id = $2`, [
      id,
      principal.agencyId,
    ]);
    if (!row) throw notFound(`没有编号为 ${id} 的回调`);
    return this.withLabel(row);
  }

  private withLabel(row: Omit<CallbackViewDto, 'statusLabel'>): CallbackViewDto {
    return { ...row, statusLabel: labelOf(CALLBACK_STATUS_TERMS, row.status) };
  }
}
