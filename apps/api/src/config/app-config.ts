import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, registerDecorator, validateSync } from 'class-validator';
import proxyAddress from 'proxy-addr';

const toBoolean = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** What Express's `trust proxy` takes, from the TRUST_PROXY text: none, a hop count, or addresses / CIDRs / names. */
export type TrustProxy = false | number | string[];

export function parseTrustProxy(text: string): TrustProxy {
  const value = text.trim();
  if (value === '' || value === 'false' || value === 'none') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim()).filter(Boolean);
}

function IsTrustProxy() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTrustProxy',
      target: target.constructor,
      propertyName,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          const parsed = parseTrustProxy(value);
          if (parsed === false || typeof parsed === 'number') return true;
          try {
            // proxy-addr is what Express compiles the setting with: it throws on an address or CIDR it cannot read.
            proxyAddress.compile(parsed);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: () =>
          'TRUST_PROXY must be empty (trust no proxy), a hop count, or a comma-separated list of addresses, CIDRs or the names loopback, linklocal, uniquelocal (true, trusting every peer, is refused: anyone could then choose the address the throttles see)',
      },
    });
}

/** Environment variables, validated at boot; the error lists every bad key. */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsOptional() @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** Where the embedded PostgreSQL (PGlite) keeps its files when DATABASE_URL is absent; memory:// for a throw-away one. */
  @IsString()
  EMBEDDED_DB_DIR = './data';

  /** Seconds a pooled database connection may stay idle before it is closed (pg's own default, 10, churned them). */
  @Transform(toInt) @IsInt() @Min(1) @Max(86_400)
  DATABASE_POOL_IDLE_SECONDS = 60;

  /** Creates the demo accounts and cases (api.md). Defaults to on for the embedded database. */
  @IsOptional() @Transform(toBoolean) @IsBoolean()
  SEED_DEMO?: boolean;

  @Transform(toInt) @IsInt() @Min(5) @Max(7 * 24 * 60)
  TOKEN_TTL_MINUTES = 8 * 60;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  // The default agency (机关) created on first start; further agencies are records like it.
  @IsString() @Matches(/^[a-z0-9-]{2,40}$/)
  AGENCY_CODE = 'default';

  @IsString() @MinLength(2)
  AGENCY_NAME = '上海市某区住房保障和房屋管理局';

  /** Case numbers read `${CASE_NUMBER_PREFIX}〔2026〕第00123号`. */
  @IsString() @MinLength(1)
  CASE_NUMBER_PREFIX = '沪某房依申';

  /**
   * The proxies whose X-Forwarded-For is believed (Express's `trust proxy`): empty trusts none, so the address the
   * throttles and the access log see is the peer's own. Behind nginx on the same host: `loopback`.
   */
  @IsTrustProxy()
  TRUST_PROXY = '';

  /** Public tracking: failed look-ups allowed per address per window before 429. */
  @Transform(toInt) @IsInt() @Min(1)
  PUBLIC_TRACKING_MAX_FAILURES = 10;

  @Transform(toInt) @IsInt() @Min(1)
  PUBLIC_TRACKING_WINDOW_SECONDS = 15 * 60;

  /** Public tracking: failed look-ups of one case, from all addresses, per window before that case is under guard. */
  @Transform(toInt) @IsInt() @Min(1)
  PUBLIC_TRACKING_CASE_MAX_FAILURES = 20;

  /** Sign-in: failures of one account from one address per window before that pair is refused (429). */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  LOGIN_MAX_FAILURES = 5;

  /** Sign-in: failures from one address, all accounts together, per window before that address is refused. */
  @Transform(toInt) @IsInt() @Min(1)
  LOGIN_MAX_FAILURES_PER_ADDRESS = 20;

  @Transform(toInt) @IsInt() @Min(60) @Max(86_400)
  LOGIN_WINDOW_SECONDS = 15 * 60;

  /** Sign-in: failures of one account from all addresses within an hour before every attempt on it is slowed. */
  @Transform(toInt) @IsInt() @Min(1)
  LOGIN_ACCOUNT_BACKOFF_FAILURES = 50;

  /** How long each sign-in attempt on such an account waits before it is checked. */
  @Transform(toInt) @IsInt() @Min(0) @Max(60)
  LOGIN_ACCOUNT_BACKOFF_SECONDS = 3;

  /** Online applications (cases created) per address per hour before 429: each takes an official case number. */
  @Transform(toInt) @IsInt() @Min(1)
  ONLINE_APPLICATIONS_PER_HOUR = 10;

  /** How long an Idempotency-Key of an online application is remembered (its retry answered with the same case). */
  @Transform(toInt) @IsInt() @Min(1) @Max(24 * 30)
  IDEMPOTENCY_KEY_TTL_HOURS = 24;

  /** Run the clock watcher and other jobs in this process (off under NODE_ENV=test, where tests run them directly). */
  @IsOptional() @Transform(toBoolean) @IsBoolean()
  JOBS_ENABLED?: boolean;

  @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  JOBS_POLL_SECONDS = 30;

  /** smtp://user:pass@host:port — deadline warnings are emailed to staff with an address; without it they stay in the console. */
  @IsOptional() @IsString() @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /**
   * 32 random bytes (base64 or hex) that encrypt applicants' identity and phone numbers at rest (AES-256-GCM) and key
   * their blind index. Required in production; development and tests use a fixed key. Losing it loses those numbers.
   */
  @IsOptional() @IsString() @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=?)$/, { message: 'PERSONAL_DATA_KEY must be 32 bytes as base64 (44 characters) or hex (64 characters): openssl rand -base64 32' })
  PERSONAL_DATA_KEY?: string;

  /**
   * Key rotation (docs/operations.md): the previous PERSONAL_DATA_KEY values, comma-separated, still read (never written)
   * until `npm run rotate-key` has re-encrypted every value under the current key.
   */
  @IsOptional() @IsString() @Matches(/^\s*(([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=?)\s*(,\s*|\s+|$))+$/, { message: 'PERSONAL_DATA_OLD_KEYS must be 32-byte keys as base64 or hex, separated by commas' })
  PERSONAL_DATA_OLD_KEYS?: string;

  /**
   * postgres:// URL of a hot standby (a streaming replica of DATABASE_URL): public tracking, the work queues and the
   * reports read from it; everything else, and any read it cannot answer, goes to DATABASE_URL.
   */
  @IsOptional() @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_READ_URL must be a postgres:// URL' })
  DATABASE_READ_URL?: string;

  @IsString()
  SMTP_FROM = '依申请公开 Desk <no-reply@localhost>';

  /**
   * The portal's address as applicants and platforms reach it (https://xxgk.example.gov.cn): the links in the emails and
   * SMS sent to applicants and the verification address and QR code printed on every issued letter (frozen with it: set
   * it before the first letter is issued; default: this service on localhost), and the letter links in platform status
   * callbacks (absolute under it; without it they are paths relative to the address the platform calls).
   */
  @IsOptional() @IsString() @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'PUBLIC_BASE_URL must be an http:// or https:// address without query or fragment' })
  PUBLIC_BASE_URL?: string;

  /** How long a link the portal hands an applicant (a letter, a disclosed file, the page's forms) stays valid. */
  @Transform(toInt) @IsInt() @Min(1) @Max(24 * 60)
  PUBLIC_LINK_TTL_MINUTES = 30;

  /**
   * The SMS gateway applicants' text messages go through: POST {to, text, reference} as JSON (sms/http-sms-gateway.ts).
   * Without it SMS notices wait in the outbox.
   */
  @IsOptional() @IsString() @Matches(/^https?:\/\//, { message: 'SMS_GATEWAY_URL must be an http:// or https:// URL' })
  SMS_GATEWAY_URL?: string;

  /** Sent as `Authorization: Bearer …` to the SMS gateway, when the gateway asks for one. */
  @IsOptional() @IsString()
  SMS_GATEWAY_TOKEN?: string;

  /** No SMS is sent to applicants between these times (Asia/Shanghai), e.g. 21:00-08:00; empty: any time. */
  @IsString() @Matches(/^(|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, { message: 'SMS_QUIET_HOURS must be HH:MM-HH:MM (Asia/Shanghai), e.g. 21:00-08:00, or empty' })
  SMS_QUIET_HOURS = '21:00-08:00';

  /**
   * PAdES signing of issued letters (optional): a PKCS#12 file (certificate and private key) and its password. Only the
   * letters of the agency LETTER_SIGNING_AGENCY (default: AGENCY_CODE) are signed with it; another agency's letters
   * are issued unsigned rather than under a certificate that is not theirs.
   */
  @IsOptional() @IsString() @MinLength(1)
  LETTER_SIGNING_P12_FILE?: string;

  @IsOptional() @IsString()
  LETTER_SIGNING_P12_PASSWORD?: string;

  @IsOptional() @IsString() @Matches(/^[a-z0-9-]{2,40}$/)
  LETTER_SIGNING_AGENCY?: string;

  get publicBaseUrl(): string {
    return (this.PUBLIC_BASE_URL ?? `http://localhost:${this.PORT}`).replace(/\/+$/, '');
  }

  /** Platform import: the largest request body, in MB (the applicant's attachments travel in it, base64-encoded). */
  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  PLATFORM_IMPORT_MAX_MB = 30;

  /** Status callbacks: delivery attempts before a callback is marked dead (an administrator may replay it). */
  @Transform(toInt) @IsInt() @Min(1) @Max(100)
  CALLBACK_MAX_ATTEMPTS = 10;

  /** Status callbacks: the wait after the first failed attempt; each further failure doubles it. */
  @Transform(toInt) @IsInt() @Min(1) @Max(86_400)
  CALLBACK_RETRY_BASE_SECONDS = 30;

  /** Status callbacks: the longest wait between two attempts. */
  @Transform(toInt) @IsInt() @Min(1) @Max(7 * 86_400)
  CALLBACK_RETRY_MAX_SECONDS = 6 * 3600;

  /** Status callbacks: how long one attempt may take before it counts as failed. */
  @Transform(toInt) @IsInt() @Min(1) @Max(120)
  CALLBACK_TIMEOUT_SECONDS = 10;

  /** Status callbacks to http:// addresses (unencrypted); off in production unless set, on elsewhere. */
  @IsOptional() @Transform(toBoolean) @IsBoolean()
  CALLBACK_ALLOW_HTTP?: boolean;

  /**
   * The console's address as staff reach it (https://xxgk.example.gov.cn or an intranet address): the single sign-on
   * callback address registered at the agency's unified identity system is built from it. Without it, from the address
   * the request came to (the Host header, or X-Forwarded-Host/-Proto behind a trusted proxy).
   */
  @IsOptional() @IsString() @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'CONSOLE_BASE_URL must be an http:// or https:// address without query or fragment' })
  CONSOLE_BASE_URL?: string;

  /** Single sign-on: a unified identity system at an http:// address (unencrypted); off in production unless set, on elsewhere. */
  @IsOptional() @Transform(toBoolean) @IsBoolean()
  SSO_ALLOW_HTTP?: boolean;

  /** Single sign-on: how long one request to the identity system (its discovery, token and user-info endpoints) may take. */
  @Transform(toInt) @IsInt() @Min(1) @Max(120)
  SSO_TIMEOUT_SECONDS = 10;

  get trustProxy(): TrustProxy {
    return parseTrustProxy(this.TRUST_PROXY);
  }

  get jobsEnabled(): boolean {
    return this.JOBS_ENABLED ?? this.NODE_ENV !== 'test';
  }

  get embedded(): boolean {
    return !this.DATABASE_URL;
  }

  get ssoMayUseHttp(): boolean {
    return this.SSO_ALLOW_HTTP ?? this.NODE_ENV !== 'production';
  }

  get callbacksMayUseHttp(): boolean {
    return this.CALLBACK_ALLOW_HTTP ?? this.NODE_ENV !== 'production';
  }

  get seedDemo(): boolean {
    return this.SEED_DEMO ?? this.embedded;
  }
}

export class ConfigError extends Error {}

// Keys without a default (absent from a fresh instance's own keys).
const OPTIONAL_KEYS = [
  'SEED_DEMO',
  'DATABASE_URL',
  'JOBS_ENABLED',
  'SMTP_URL',
  'PERSONAL_DATA_KEY',
  'PERSONAL_DATA_OLD_KEYS',
  'DATABASE_READ_URL',
  'PUBLIC_BASE_URL',
  'SMS_GATEWAY_URL',
  'SMS_GATEWAY_TOKEN',
  'CALLBACK_ALLOW_HTTP',
  'LETTER_SIGNING_P12_FILE',
  'LETTER_SIGNING_P12_PASSWORD',
  'LETTER_SIGNING_AGENCY',
  'CONSOLE_BASE_URL',
  'SSO_ALLOW_HTTP',
];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const picked = Object.fromEntries(Object.entries(env).filter(([key]) => known.includes(key) || OPTIONAL_KEYS.includes(key)));
  const config = plainToInstance(AppConfig, picked);
  const errors = validateSync(config, { whitelist: true });
  if (errors.length) {
    const lines = errors.map((error) => `  ${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (config.NODE_ENV === 'production' && !config.PERSONAL_DATA_KEY) {
    throw new ConfigError('Invalid configuration:\n  PERSONAL_DATA_KEY: required when NODE_ENV=production (openssl rand -base64 32); keep it safe, the encrypted identity numbers cannot be read without it');
  }
  if (config.LETTER_SIGNING_P12_FILE && config.LETTER_SIGNING_P12_PASSWORD === undefined) {
    throw new ConfigError('Invalid configuration:\n  LETTER_SIGNING_P12_PASSWORD: required with LETTER_SIGNING_P12_FILE (the PKCS#12 file\'s password; empty if it has none)');
  }
  if (config.DATABASE_READ_URL && !config.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_READ_URL: a standby replicates a server: set DATABASE_URL to its primary (the embedded database has no standby)');
  }
  return config;
}
