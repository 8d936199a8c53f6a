import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { tooManyRequests, unauthenticated } from '../common/domain-error';
import { FailureCounter } from '../common/failure-counter';
import { APP_CONFIG } from '../common/tokens';
import { AuthSessionEntity, UserEntity } from '../database/entities';
import { principalOf, type Principal } from './principal';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verified against when the user does not exist, so both failures take the same time.
const DUMMY_HASH = hashPassword('not-a-real-password-' + randomBytes(8).toString('hex'));

/** Failed sign-ins within a window, per account and per address: 429 after the limit (guessing passwords). */
const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_ADDRESS = 20;

@Injectable()
export class AuthService {
  private readonly failures = new FailureCounter(WINDOW_MS);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string, address = 'unknown'): Promise<{ accessToken: string; expiresAt: string; user: Omit<Principal, 'sessionId'> }> {
    const accountKey = `account:${username.toLowerCase()}`;
    const addressKey = `address:${address}`;
    if (this.failures.count(accountKey) >= MAX_FAILURES_PER_ACCOUNT || this.failures.count(addressKey) >= MAX_FAILURES_PER_ADDRESS) {
      throw tooManyRequests('登录失败次数过多，请 15 分钟后再试');
    }
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { username } });
    const valid = await argon2.verify(user?.passwordHash ?? (await DUMMY_HASH), password).catch(() => false);
    // Same answer whether the user exists or not (api.md).
    const refusedDemo = user?.isDemo && this.config.NODE_ENV === 'production';
    if (!user || !valid || !user.active || refusedDemo) {
      this.failures.fail(accountKey);
      this.failures.fail(addressKey);
      throw unauthenticated('用户名或密码错误');
    }
    this.failures.clear(accountKey);
    const accessToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.TOKEN_TTL_MINUTES * 60_000);
    await this.dataSource.getRepository(AuthSessionEntity).insert({ userId: user.id, tokenHash: hashToken(accessToken), expiresAt, revokedAt: null });
    const { sessionId: _sessionId, ...principal } = principalOf(user, '');
    return { accessToken, expiresAt: expiresAt.toISOString(), user: principal };
  }

  async principalForToken(token: string): Promise<Principal | null> {
    const rows: {
      session_id: string;
      user_id: string;
      username: string;
      display_name: string;
      agency_id: string;
      department_id: string | null;
      roles: Principal['roles'];
      is_demo: boolean;
    }[] = await this.dataSource.query(
      `SELECT s.id AS session_id, u.id AS user_id, u.username, u.display_name, u.agency_id, u.department_id, u.roles, u.is_demo
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`,
      [hashToken(token)],
    );
    const row = rows[0];
    if (!row || (row.is_demo && this.config.NODE_ENV === 'production')) return null;
    return {
      sessionId: row.session_id,
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      agencyId: row.agency_id,
      departmentId: row.department_id,
      roles: row.roles,
    };
  }

  async logout(principal: Principal): Promise<void> {
    await this.dataSource.query(`UPDATE auth_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [principal.sessionId]);
  }
}
