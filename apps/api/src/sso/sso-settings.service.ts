import { Inject, Injectable } from '@nestjs/common';
import { labelOf, SSO_MATCH_TERMS } from '@desk/vocabulary';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { DomainError, invalid, notFound } from '../common/domain-error';
import { isUuid } from '../common/text';
import { APP_CONFIG } from '../common/tokens';
import type { AppConfig } from '../config/app-config';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import type { SsoLinkDto, SsoSettingsDto, UpdateSsoSettingsDto } from './dto/sso.dto';
import { SsoProviders } from './sso-providers.service';
import { SsoRepository, type SsoConfiguration } from './sso.repository';

/** Where the provider sends the browser back: one address per agency, registered at its identity system. */
export const ssoCallbackPath = (agencyCode: string) => `/staff/sso/${encodeURIComponent(agencyCode)}/callback`;
export const SIGNED_OUT_PATH = '/staff/sign-in?signed_out=1';

const DEFAULTS = { scopes: 'openid profile', matchBy: 'username', usernameClaim: 'preferred_username', subjectClaim: 'sub', displayNameClaim: 'name' } as const;

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/** The console's address: CONSOLE_BASE_URL, else the address the request came to. */
export function consoleBaseUrl(config: AppConfig, origin: string): string {
  return (config.CONSOLE_BASE_URL ?? origin).replace(/\/+$/, '');
}

/**
 * An agency's single sign-on (统一身份认证, issue 19 item 4), set by its administrators: the provider (issuer, client id
 * and secret, scopes), how its claims map to users, whether a first sign-in may open an account, whether passwords are
 * switched off and who keeps one for emergencies.
 *
 * The client secret is kept in the database encrypted with the personal-data key, like the callbacks' signing keys,
 * not in the environment: one deployment serves several agencies, each with its own provider and secret, which their
 * own administrators set and change without a redeployment; the key rotation (`npm run rotate-key`) re-encrypts it, and
 * the API never returns it.
 */
@Injectable()
export class SsoSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SsoRepository,
    private readonly providers: SsoProviders,
    private readonly cipher: PersonalDataCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async view(principal: Principal, origin: string): Promise<SsoSettingsDto> {
    const [agency]: { code: string }[] = await this.dataSource.query(`SELECT code FROM agencies WHERE id = $1`, [principal.agencyId]);
    return this.toView(await this.repository.configuration(principal.agencyId), agency.code, origin);
  }

  async update(principal: Principal, input: UpdateSsoSettingsDto, origin: string): Promise<SsoSettingsDto> {
    const scopes = (input.scopes ?? DEFAULTS.scopes).trim().split(/\s+/);
    if (!scopes.includes('openid')) throw invalid('申请的权限范围 须包含 openid（OpenID Connect 登录必需）');
    const issuer = input.issuer.trim().replace(/\/+$/, '');
    if (issuer.startsWith('http://') && !this.config.ssoMayUseHttp) throw invalid('签发方地址 应为 https:// 开头的网址（登录凭据须加密传输）');
    const existing = await this.repository.configuration(principal.agencyId);
    const secret = input.clientSecret?.trim() ? input.clientSecret.trim() : existing ? this.cipher.decrypt('sso_client_secret', existing.clientSecretCiphertext) : null;
    if (secret === null) throw invalid('客户端密钥 不能为空（首次设置时必填）');
    const breakGlass = input.breakGlassUsername?.trim() ? await this.repository.activeAdministrator(principal.agencyId, input.breakGlassUsername.trim()) : null;
    if (input.breakGlassUsername?.trim() && !breakGlass) throw invalid(`应急管理员 应为本机关在用的管理员的用户名，“${input.breakGlassUsername.trim()}”不是`);
    const passwordsDisabled = input.passwordsDisabled ?? false;
    if (passwordsDisabled && !input.enabled) throw invalid('关闭密码登录 须同时启用统一身份认证登录，否则谁也不能登录');
    if (passwordsDisabled && !breakGlass) throw invalid('关闭密码登录 须指定应急管理员：身份认证平台出故障时，由他用密码登录处理');
    if (input.enabled) {
      // Saved only once the provider answers as the issuer it was given: a typo shows now, not at the first sign-in.
      try {
        await this.providers.discover(issuer, input.clientId, secret);
      } catch (error) {
        if (error instanceof DomainError) throw invalid(`签发方地址 ${error.message}`);
        throw error;
      }
    }
    await this.dataSource.transaction(async (manager) => {
      const before = await this.repository.configuration(principal.agencyId, manager, true);
      await this.repository.save(
        manager,
        principal.agencyId,
        {
          enabled: input.enabled,
          providerName: input.providerName.trim(),
          issuer,
          clientId: input.clientId.trim(),
          clientSecretCiphertext: this.cipher.encrypt('sso_client_secret', secret),
          scopes: scopes.join(' '),
          matchBy: input.matchBy,
          usernameClaim: input.usernameClaim ?? DEFAULTS.usernameClaim,
          subjectClaim: input.subjectClaim ?? DEFAULTS.subjectClaim,
          displayNameClaim: input.displayNameClaim ?? DEFAULTS.displayNameClaim,
          selfRegistration: input.selfRegistration ?? false,
          passwordsDisabled,
          breakGlassUserId: breakGlass?.id ?? null,
          providerSignOut: input.providerSignOut ?? true,
        },
        principal.userId,
      );
      // Switching passwords off ends the password sessions; so does naming another break-glass administrator while they
      // stay off (the one relieved of it must not keep a password session the rule no longer allows).
      const breakGlassChanged = before?.breakGlass?.userId !== breakGlass?.id;
      if (passwordsDisabled && (!before?.passwordsDisabled || breakGlassChanged)) await this.repository.endPasswordSessions(manager, principal.agencyId, breakGlass!.id);
    });
    this.providers.forget(principal.agencyId);
    return this.view(principal, origin);
  }

  async links(principal: Principal): Promise<SsoLinkDto[]> {
    const rows = await this.repository.links(principal.agencyId);
    return rows.map((row) => ({ ...row, linkedAt: iso(row.linkedAt)!, lastSignInAt: iso(row.lastSignInAt) }));
  }

  /** The user's link ends: his next sign-in links him afresh (by username), e.g. after the provider re-issued his identity. */
  async unlink(principal: Principal, userId: string): Promise<void> {
    if (!isUuid(userId) || !(await this.repository.unlink(principal.agencyId, userId))) throw notFound('该用户没有关联的统一身份认证身份');
  }

  private toView(sso: SsoConfiguration | null, agencyCode: string, origin: string): SsoSettingsDto {
    const base = consoleBaseUrl(this.config, origin);
    const addresses = { redirectUri: `${base}${ssoCallbackPath(agencyCode)}`, postLogoutRedirectUri: `${base}${SIGNED_OUT_PATH}` };
    if (!sso) {
      return {
        configured: false,
        enabled: false,
        providerName: '',
        issuer: '',
        clientId: '',
        clientSecretSet: false,
        ...DEFAULTS,
        matchByLabel: labelOf(SSO_MATCH_TERMS, DEFAULTS.matchBy),
        selfRegistration: false,
        passwordsDisabled: false,
        breakGlass: null,
        providerSignOut: true,
        ...addresses,
        updatedAt: null,
        updatedBy: null,
        lastSignInAt: null,
        breakGlassUsedAt: null,
      };
    }
    return {
      configured: true,
      enabled: sso.enabled,
      providerName: sso.providerName,
      issuer: sso.issuer,
      clientId: sso.clientId,
      clientSecretSet: true,
      scopes: sso.scopes,
      matchBy: sso.matchBy,
      matchByLabel: labelOf(SSO_MATCH_TERMS, sso.matchBy),
      usernameClaim: sso.usernameClaim,
      subjectClaim: sso.subjectClaim,
      displayNameClaim: sso.displayNameClaim,
      selfRegistration: sso.selfRegistration,
      passwordsDisabled: sso.passwordsDisabled,
      breakGlass: sso.breakGlass ? { username: sso.breakGlass.username, displayName: sso.breakGlass.displayName } : null,
      providerSignOut: sso.providerSignOut,
      ...addresses,
      updatedAt: iso(sso.updatedAt),
      updatedBy: sso.updatedBy,
      lastSignInAt: iso(sso.lastSignInAt),
      breakGlassUsedAt: iso(sso.breakGlassUsedAt),
    };
  }
}
