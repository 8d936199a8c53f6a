import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import type { Logger } from 'pino';
import { forbidden, invalid, tooManyRequests, unauthenticated } from '../common/domain-error';
import { FailureCounter } from '../common/failure-counter';
import { APP_CONFIG, LOGGER } from '../common/tokens';
import { UserEntity } from '../database/entities';
import { preparedQuery } from '../database/prepared';
import { SsoRepository } from '../sso/sso.repository';
import { principalOf, type Principal } from './principal';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verified against when the user does not exist, so both failures take the same time.
const DUMMY_HASH = hashPassword('not-a-real-password-' + randomBytes(8).toString('hex'));

const HOUR_MS = 60 * 60_000;

/** How a session was opened: the user's password, or the agency's unified identity system (统一身份认证). */
export type SignInMethod = 'password' | 'sso';

export interface OpenedSession {
  accessToken: string;
  expiresAt: string;
  user: Omit<Principal, 'sessionId'>;
}
export const MIN_PASSWORD_LENGTH = 10;

/** Said to a user whose agency switched passwords off, when he would change one he no longer uses. */
export const PASSWORDS_OFF_MESSAGE = '本机关已改为通过统一身份认证登录，不再使用本系统的密码，无需在本系统修改密码；统一身份认证的密码请到身份认证平台修改';

/**
 * Guessing passwords, without handing anyone a way to lock others out:
 * - one account from one address: LOGIN_MAX_FAILURES failures in the window refuse that pair (429) — the account
 *   stays open from every other address, so failures sent from elsewhere never lock out its owner (the admin included);
 * - one address, all accounts: LOGIN_MAX_FAILURES_PER_ADDRESS failures refuse that address (spraying many accounts);
 * - one account, all addresses: past LOGIN_ACCOUNT_BACKOFF_FAILURES failures in an hour every attempt on it waits
 *   LOGIN_ACCOUNT_BACKOFF_SECONDS before it is checked — a slower back-off, not a lock: the owner still signs in, only
 *   later; the guesser's attempts cost it that long each, and each address it owns still has only its few failures.
 */
@Injectable()
export class AuthService {
  private readonly failures: FailureCounter;
  private readonly accountFailures = new FailureCounter(HOUR_MS);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sso: SsoRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.failures = new FailureCounter(config.LOGIN_WINDOW_SECONDS * 1000);
  }

  async login(username: string, password: string, address = 'unknown'): Promise<OpenedSession> {
    const user = await this.checkPassword(username, password, address);
    // Same answer whether the user exists or not (api.md).
    const refusedDemo = user?.isDemo && this.config.NODE_ENV === 'production';
    if (!user || !user.active || refusedDemo) {
      if (user) this.recordFailure(username, address);
      throw unauthenticated('用户名或密码错误');
    }
    await this.checkPasswordsAllowed(user);
    return this.openSession(user.id, 'password');
  }

  /**
   * A session for a user whose identity has been proven — by his password (login) or by the agency's unified identity
   * system (sso/sso-sign-in.service.ts): the same opaque, expiring, revocable token either way, as a bearer token for
   * the API or in the console's cookie. `method` is recorded so that signing out of an SSO session can end it at the
   * provider too, and switching passwords off can end the password sessions.
   */
  async openSession(userId: string, method: SignInMethod): Promise<OpenedSession> {
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { id: userId } });
    if (!user || !user.active || (user.isDemo && this.config.NODE_ENV === 'production')) throw unauthenticated('该账号已停用，不能登录');
    const accessToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.TOKEN_TTL_MINUTES * 60_000);
    await this.dataSource.query(`INSERT INTO auth_sessions (user_id, token_hash, expires_at, sign_in_method) VALUES ($1, $2, $3, $4)`, [
      user.id,
      hashToken(accessToken),
      expiresAt,
      method === 'password' ? null : method,
    ]);
    const { sessionId: _sessionId, ...principal } = principalOf(user, '');
    return { accessToken, expiresAt: expiresAt.toISOString(), user: principal };
  }

  /**
   * An agency that signs its staff in through its unified identity system may switch passwords off: the right password
   * then opens nothing, except for the one break-glass administrator it named (for the day the identity system is down
   * or misconfigured), whose every use is recorded for the other administrators to see. Asked only once the password
   * is proven right, so it tells nothing to someone guessing.
   */
  private async checkPasswordsAllowed(user: UserEntity): Promise<void> {
    const policy = await this.sso.passwordPolicy(user.agencyId);
    if (!policy?.passwordsDisabled) return;
    if (policy.breakGlassUserId === user.id && user.roles.includes('admin')) {
      await this.sso.recordBreakGlassUse(user.agencyId);
      this.logger.warn({ userId: user.id, agencyId: user.agencyId }, 'break-glass administrator signed in with a password while passwords are switched off');
      return;
    }
    throw forbidden('本机关已改为通过统一身份认证登录，不再使用本系统的密码：请点击“通过统一身份认证登录”');
  }

  /**
   * A signed-in user changes his own password: the current one is asked again (a token left open on a desk must not be
   * enough to take the account over), with the sign-in's throttles. Every other sign-in of the user ends.
   */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string, address: string): Promise<void> {
    if (!(await this.signsInWithPassword(principal))) throw forbidden(PASSWORDS_OFF_MESSAGE);
    if (newPassword.length < MIN_PASSWORD_LENGTH) throw invalid(`新密码至少 ${MIN_PASSWORD_LENGTH} 位`);
    if (newPassword === currentPassword) throw invalid('新密码不能与当前密码相同');
    const user = await this.checkPassword(principal.username, currentPassword, address);
    if (!user || user.id !== principal.userId) throw invalid('当前密码不正确');
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [user.id, await hashPassword(newPassword)]);
      await manager.query(`UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL`, [user.id, principal.sessionId]);
    });
  }

  /**
   * Whether the user signs in with a password at all: not when his agency signs its staff in through its unified
   * identity system with passwords switched off — except its break-glass administrator (checkPasswordsAllowed).
   */
  async signsInWithPassword(principal: Pick<Principal, 'userId' | 'agencyId' | 'roles'>): Promise<boolean> {
    const policy = await this.sso.passwordPolicy(principal.agencyId);
    if (!policy?.passwordsDisabled) return true;
    return policy.breakGlassUserId === principal.userId && principal.roles.includes('admin');
  }

  /** The user when the password is right, else null and the failure counted; 429 while a throttle refuses the attempt. */
  private async checkPassword(username: string, password: string, address: string): Promise<UserEntity | null> {
    const pair = this.pairKey(username, address);
    if (this.failures.count(pair) >= this.config.LOGIN_MAX_FAILURES || this.failures.count(`address:${address}`) >= this.config.LOGIN_MAX_FAILURES_PER_ADDRESS) {
      throw tooManyRequests(`登录失败次数过多，请 ${Math.ceil(this.config.LOGIN_WINDOW_SECONDS / 60)} 分钟后再试`);
    }
    if (this.accountFailures.count(this.accountKey(username)) >= this.config.LOGIN_ACCOUNT_BACKOFF_FAILURES) {
      await new Promise((resolve) => setTimeout(resolve, this.config.LOGIN_ACCOUNT_BACKOFF_SECONDS * 1000));
    }
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { username } });
    const valid = await argon2.verify(user?.passwordHash ?? (await DUMMY_HASH), password).catch(() => false);
    if (!user || !valid) {
      this.recordFailure(username, address);
      return null;
    }
    this.failures.clear(pair);
    return user;
  }

  private recordFailure(username: string, address: string): void {
    this.failures.fail(this.pairKey(username, address));
    this.failures.fail(`address:${address}`);
    this.accountFailures.fail(this.accountKey(username));
  }

  private pairKey(username: string, address: string): string {
    return `account:${username.toLowerCase()}@${address}`;
  }

  private accountKey(username: string): string {
    return `account:${username.toLowerCase()}`;
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
    }[] = await preparedQuery(
      this.dataSource.manager,
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
    await this.endSession(principal);
  }

  /** Ends the session; says how it was opened (null when it had ended already). */
  async endSession(principal: Principal): Promise<SignInMethod | null> {
    const [rows]: [{ sign_in_method: string | null }[], number] = await this.dataSource.query(
      `UPDATE auth_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING sign_in_method`,
      [principal.sessionId],
    );
    if (!rows.length) return null;
    return rows[0].sign_in_method === 'sso' ? 'sso' : 'password';
  }
}
