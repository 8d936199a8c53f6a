import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuthService, hashPassword, type OpenedSession } from '../auth/auth.service';
import { DomainError, forbidden, invalid, notFound, unauthenticated } from '../common/domain-error';
import { APP_CONFIG, LOGGER } from '../common/tokens';
import type { AppConfig } from '../config/app-config';
import { safeNext } from '../console/console-error.filter';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { openPendingSignIn, sealPendingSignIn, SSO_PENDING_TTL_MS, type PendingSignIn } from './sso-pending';
import { describeProviderFailure, errorChain, SsoProviders } from './sso-providers.service';
import { consoleBaseUrl, SIGNED_OUT_PATH, ssoCallbackPath } from './sso-settings.service';
import { SsoRepository, type SsoConfiguration, type SsoUser } from './sso.repository';

type Claims = Record<string, unknown>;

/** A claim as text: strings as they are, numbers written out; anything else (absent, an object) is no value. */
function claimText(claims: Claims, name: string): string | null {
  const value = claims[name];
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * Staff sign-in through the agency's unified identity system (统一身份认证), OpenID Connect's authorization code flow
 * with PKCE, state and nonce, through openid-client:
 * 1. start: a sealed cookie remembers the state, nonce, PKCE verifier and where the user was going; the browser goes to
 *    the provider;
 * 2. callback: the library checks the state, exchanges the code with the verifier and the client secret, and checks the
 *    ID token (its issuer, audience, nonce, lifetime and signature); the claims are matched to a user of the agency
 *    (SsoRepository), and a session is opened exactly as a password sign-in opens one (AuthService.openSession).
 * Every refusal is a DomainError in words; the controller shows it as a page.
 */
@Injectable()
export class SsoSignInService {
  private readonly pendingKey: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SsoRepository,
    private readonly providers: SsoProviders,
    private readonly auth: AuthService,
    cipher: PersonalDataCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.pendingKey = cipher.subKey('sso pending sign-in');
  }

  /** The sign-in page's buttons (the agencies that sign in through their identity system), and whether any agency still takes passwords. */
  async signInOptions() {
    const [agencies, passwordsOffEverywhere] = await Promise.all([this.repository.enabledAgencies(), this.repository.passwordsOffEverywhere()]);
    return { agencies, passwordsOffEverywhere };
  }

  /** Where the browser goes to sign in at the agency's provider, and the sealed cookie that remembers the attempt. */
  async start(agencyCode: string, next: unknown, origin: string): Promise<{ redirectTo: string; pendingCookie: string }> {
    const sso = await this.enabled(agencyCode);
    const configuration = await this.providers.configurationFor(sso);
    const pending: PendingSignIn = {
      agencyCode: sso.agencyCode,
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      next: safeNext(next),
      expiresAt: Date.now() + SSO_PENDING_TTL_MS,
    };
    const redirectTo = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(sso, origin),
      scope: sso.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { redirectTo: redirectTo.href, pendingCookie: sealPendingSignIn(this.pendingKey, pending) };
  }

  /** The provider sent the browser back: checked, matched to a user, a session opened — or refused in words. */
  async complete(agencyCode: string, query: string, pendingCookie: string | null, origin: string): Promise<{ session: OpenedSession; next: string }> {
    const sso = await this.enabled(agencyCode);
    const pending = openPendingSignIn(this.pendingKey, pendingCookie);
    if (!pending || pending.agencyCode !== sso.agencyCode) {
      throw invalid('这次登录请求已失效（超过 10 分钟未完成、已经用过，或不是从本浏览器发起的）。请回到登录页重新登录。');
    }
    const configuration = await this.providers.configurationFor(sso);
    let claims: Claims;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, new URL(`${this.redirectUri(sso, origin)}${query ? `?${query}` : ''}`), {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      // The claims the mapping needs may come from the user-info endpoint only (a provider keeps the ID token small).
      const wanted = [sso.matchBy === 'subject' ? sso.subjectClaim : null, sso.usernameClaim, sso.selfRegistration ? sso.displayNameClaim : null].filter((name): name is string => !!name);
      if (wanted.some((name) => claimText(claims, name) === null) && configuration.serverMetadata().userinfo_endpoint) {
        claims = { ...(await oidc.fetchUserInfo(configuration, tokens.access_token, String(claims.sub))), ...claims };
      }
    } catch (error) {
      throw this.refusal(sso, error);
    }
    const user = await this.userFor(sso, claims);
    const session = await this.auth.openSession(user.id, 'sso');
    await this.repository.recordSignIn(this.dataSource.manager, sso.agencyId);
    this.logger.info({ agencyId: sso.agencyId, userId: user.id }, 'staff signed in through the unified identity system');
    return { session, next: pending.next };
  }

  /**
   * The staff user the provider's claims stand for (see SSO_MATCH_TERMS): by username, or by the linked identity (the
   * first sign-in links the user of that username). Nobody matching: refused, unless the agency lets a first sign-in
   * open an account — with no role until an administrator grants one. Two first sign-ins at once link or open once.
   */
  async userFor(sso: SsoConfiguration, claims: Claims): Promise<SsoUser> {
    const username = claimText(claims, sso.usernameClaim);
    const subject = sso.matchBy === 'subject' ? claimText(claims, sso.subjectClaim) : null;
    if (sso.matchBy === 'subject' && !subject) throw this.refused(sso, 'missing subject claim', '身份认证平台没有提供身份标识，无法确认您是本系统的哪位用户。请联系本机关的系统管理员核对设置。');
    if (sso.matchBy === 'username' && !username) throw this.refused(sso, 'missing username claim', '身份认证平台没有提供用户名，无法确认您是本系统的哪位用户。请联系本机关的系统管理员核对设置。');
    const user = await this.dataSource.transaction(async (manager) => {
      if (subject) {
        const linked = await this.repository.linkedUser(manager, sso.agencyId, sso.issuer, subject);
        if (linked) return linked;
      }
      let found = username ? await this.repository.userByUsername(manager, sso.agencyId, username) : null;
      if (!found && sso.selfRegistration) {
        if (!username) throw this.refused(sso, 'no username to register', '身份认证平台没有提供用户名，无法为您开通账号。请联系本机关的系统管理员。');
        const unusable = await hashPassword(randomBytes(32).toString('base64url'));
        found = (await this.repository.createUser(manager, sso.agencyId, username, claimText(claims, sso.displayNameClaim) ?? username, unusable)) ??
          (await this.repository.userByUsername(manager, sso.agencyId, username));
        if (!found) throw this.refused(sso, 'username taken by another agency', `用户名“${username}”已被本系统其他机关的用户使用，无法为您开通账号。请联系本机关的系统管理员。`);
        this.logger.info({ agencyId: sso.agencyId, userId: found.id }, 'account opened at its first sign-in through the unified identity system (no roles)');
      }
      if (!found) {
        throw this.refused(
          sso,
          'no such user',
          `身份认证平台已确认您的身份${username ? `（用户名 ${username}）` : ''}，但本系统中没有与之对应的工作人员账号。请联系本机关的系统管理员为您开通。`,
        );
      }
      if (subject && !(await this.repository.link(manager, sso.agencyId, sso.issuer, subject, found.id))) {
        // Another sign-in of the same identity linked it meanwhile (then it is this user), or the user is linked to another identity.
        const again = await this.repository.linkedUser(manager, sso.agencyId, sso.issuer, subject);
        if (again?.id === found.id) return again;
        throw this.refused(sso, 'user linked to another identity', `本系统的用户“${found.username}”已与统一身份认证的另一身份关联。请联系本机关的系统管理员解除原有关联。`);
      }
      return found;
    });
    if (!user.active) throw this.refused(sso, 'user deactivated', '您在本系统的账号已停用，不能登录。请联系本机关的系统管理员。');
    return user;
  }

  /** Where the browser goes after signing out of an SSO session: the provider's logout, when the agency wants it and the provider has one. */
  async signOutUrl(agencyId: string, origin: string): Promise<string | null> {
    const sso = await this.repository.configuration(agencyId);
    if (!sso?.enabled || !sso.providerSignOut) return null;
    try {
      const configuration = await this.providers.configurationFor(sso);
      if (!configuration.serverMetadata().end_session_endpoint) return null;
      return oidc.buildEndSessionUrl(configuration, { post_logout_redirect_uri: `${consoleBaseUrl(this.config, origin)}${SIGNED_OUT_PATH}` }).href;
    } catch (error) {
      // Signed out here already: a provider out of reach only means its own session lives on.
      this.logger.warn({ agencyId, error: error instanceof Error ? error.message : String(error) }, 'single sign-out at the provider skipped');
      return null;
    }
  }

  private redirectUri(sso: SsoConfiguration, origin: string): string {
    return `${consoleBaseUrl(this.config, origin)}${ssoCallbackPath(sso.agencyCode)}`;
  }

  private async enabled(agencyCode: string): Promise<SsoConfiguration> {
    const sso = await this.repository.enabledByAgencyCode(agencyCode);
    if (!sso) throw notFound('该机关没有启用统一身份认证登录，请使用本系统的用户名和密码登录');
    return sso;
  }

  private refused(sso: SsoConfiguration, reason: string, message: string): DomainError {
    this.logger.warn({ agencyId: sso.agencyId, reason }, 'sign-in through the unified identity system refused');
    return forbidden(message);
  }

  /** What the library refused, in words: the person is told what happened and what to do; the log keeps the detail. */
  private refusal(sso: SsoConfiguration, error: unknown): DomainError {
    const detail = errorChain(error);
    this.logger.warn({ agencyId: sso.agencyId, detail }, 'sign-in through the unified identity system failed');
    if (error instanceof oidc.AuthorizationResponseError) {
      return unauthenticated('身份认证平台没有完成这次登录（已取消，或平台拒绝了请求）。请回到登录页重新登录。');
    }
    if (error instanceof oidc.ResponseBodyError) {
      return unauthenticated('身份认证平台没有接受这次登录的凭据：它已经用过或已过期。请回到登录页重新登录。');
    }
    if (error instanceof oidc.ClientError) {
      if (/"state"/.test(error.cause instanceof Error ? error.cause.message : error.message)) {
        return invalid('身份认证平台返回的登录请求与本浏览器发起的不符（可能已被篡改），未予登录。请回到登录页重新登录。');
      }
      if (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
        return new DomainError('unavailable', `身份认证平台暂时无法完成登录：${describeProviderFailure(error)}。请稍后再试。`);
      }
      return unauthenticated('身份认证平台返回的身份信息未通过核验（签发方、接收方、随机数、有效期或签名不符），未予登录。请回到登录页重新登录，仍不行时请联系本机关的系统管理员。');
    }
    return new DomainError('unavailable', `暂时无法连接身份认证平台：${describeProviderFailure(error)}。请稍后再试。`);
  }
}
