import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { unavailable } from '../common/domain-error';
import type { Logger } from 'pino';
import { APP_CONFIG, LOGGER } from '../common/tokens';
import type { AppConfig } from '../config/app-config';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import type { SsoConfiguration } from './sso.repository';

/** How long a provider's discovered metadata (endpoints, keys' address) is reused before it is read again. */
const DISCOVERY_TTL_MS = 10 * 60_000;

/**
 * The agencies' identity systems through openid-client (a certified OpenID Connect relying party): the provider's
 * metadata discovered from its issuer (the issuer it names must be the one configured), the client secret decrypted
 * only here, and every ID token's signature checked against the provider's published keys (enableNonRepudiationChecks:
 * the library would otherwise rely on TLS alone, which a provider reached over http in development does not give).
 */
@Injectable()
export class SsoProviders {
  private readonly discovered = new Map<string, { key: string; at: number; configuration: oidc.Configuration }>();

  constructor(
    private readonly cipher: PersonalDataCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The provider's configuration for the agency's client; 503 in words when the provider cannot be reached. */
  async configurationFor(sso: SsoConfiguration): Promise<oidc.Configuration> {
    const key = [sso.issuer, sso.clientId, sso.clientSecretCiphertext].join('\n');
    const cached = this.discovered.get(sso.agencyId);
    if (cached && cached.key === key && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.configuration;
    const configuration = await this.discover(sso.issuer, sso.clientId, this.cipher.decrypt('sso_client_secret', sso.clientSecretCiphertext));
    this.discovered.set(sso.agencyId, { key, at: Date.now(), configuration });
    return configuration;
  }

  /** Reads the provider's metadata (also when an administrator saves the settings, to say at once what is wrong). */
  async discover(issuer: string, clientId: string, clientSecret: string): Promise<oidc.Configuration> {
    const insecure = issuer.startsWith('http://');
    try {
      return await oidc.discovery(new URL(issuer), clientId, clientSecret, undefined, {
        timeout: this.config.SSO_TIMEOUT_SECONDS,
        execute: [...(insecure ? [oidc.allowInsecureRequests] : []), oidc.enableNonRepudiationChecks],
      });
    } catch (error) {
      this.logger.warn({ issuer, detail: errorChain(error) }, 'unified identity system discovery failed');
      throw unavailable(`暂时无法从身份认证平台（${issuer}）读取它的配置：${describeProviderFailure(error)}`);
    }
  }

  /** Forget what was discovered for the agency (its settings changed). */
  forget(agencyId: string): void {
    this.discovered.delete(agencyId);
  }
}

/** Why the provider could not be used, in words (the library's own message is kept for the log, not shown). */
export function describeProviderFailure(error: unknown): string {
  // The library wraps what failed (a ClientError around fetch's TypeError around the socket's error): read the chain.
  const chain: { name?: unknown; message?: unknown; code?: unknown; cause?: unknown }[] = [];
  for (let current = error as (typeof chain)[number] | undefined, depth = 0; current && typeof current === 'object' && depth < 5; current = current.cause as typeof current, depth += 1) {
    chain.push(current);
  }
  const codes = chain.map((link) => link.code);
  if (codes.includes('OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED')) return '平台给出的签发方与所填的签发方地址不一致';
  if (codes.includes('OAUTH_RESPONSE_IS_NOT_CONFORM') || codes.includes('OAUTH_RESPONSE_IS_NOT_JSON')) return '该地址没有返回身份认证平台的配置，请核对签发方地址';
  if (codes.includes('OAUTH_HTTP_REQUEST_FORBIDDEN')) return '只能使用 https:// 地址';
  if (chain.some((link) => link.name === 'TimeoutError')) return '连接超时';
  // fetch's own failure (refused, reset, unknown host, closed while reused); compared by name, not instanceof: it may
  // come from another realm than this module's TypeError (Jest's sandbox).
  if (chain.some((link) => link.name === 'TypeError' && link.message === 'fetch failed')) return '无法连接该地址';
  return '平台的答复无法识别';
}

/** An error and its causes, one line, for the log. */
export function errorChain(error: unknown): string {
  const parts: string[] = [];
  for (let current = error as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; current = current.cause as typeof current, depth += 1) {
    parts.push(`${String(current.name ?? 'Error')}${current.code ? ` [${String(current.code)}]` : ''}: ${String(current.message ?? current)}`);
  }
  return parts.join(' ← ');
}
