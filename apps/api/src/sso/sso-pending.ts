import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The cookie that carries a sign-in from the console to the identity system and back. */
export const SSO_PENDING_COOKIE = 'desk_sso_pending';
/** Only the callbacks see it. */
export const SSO_COOKIE_PATH = '/staff/sso';
/** How long a person has to sign in at the provider before the attempt lapses. */
export const SSO_PENDING_TTL_MS = 10 * 60_000;

/**
 * What the callback must find again: the agency the attempt is for, the state and nonce sent (they must come back
 * unchanged: the library compares them), the PKCE verifier (the code is worth nothing without it), and where the user
 * was going. Kept in the browser, not on the server, so an attempt abandoned halfway leaves nothing to clean up: sealed
 * (AES-256-GCM under a key of its own derived from the personal-data key) so it can be neither read nor altered, and
 * valid for SSO_PENDING_TTL_MS. The callback clears it: a callback replayed in the same browser finds nothing, and a
 * code replayed with a copy of the cookie is refused by the provider (a code is good once).
 */
export interface PendingSignIn {
  agencyCode: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
  expiresAt: number;
}

const AAD = Buffer.from('ogi-desk sso pending sign-in v1');

export function sealPendingSignIn(key: Buffer, pending: PendingSignIn): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(JSON.stringify(pending), 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
}

/** The attempt, or null when the cookie is missing, altered, sealed under another key or past its time. */
export function openPendingSignIn(key: Buffer, sealed: string | null, now = Date.now()): PendingSignIn | null {
  if (!sealed) return null;
  const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part ?? '', 'base64url'));
  if (!iv || !tag || !body || iv.length !== 12 || tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    const pending = JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')) as PendingSignIn;
    return typeof pending.expiresAt === 'number' && pending.expiresAt > now ? pending : null;
  } catch {
    return null;
  }
}
