import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// How a status callback is signed (README "Integration guide"): HMAC-SHA256, keyed with the subscription's signing secret
// (its UTF-8 bytes), over `${timestamp}.${body}` — the timestamp header's value, a full stop, and the body's exact bytes.
// The timestamp (Unix seconds) is signed with the body, so a receiver that refuses old timestamps cannot be replayed an
// old callback; the id in the body lets it drop a retry it has already applied.

export const SIGNATURE_HEADER = 'X-OGI-Desk-Signature';
export const TIMESTAMP_HEADER = 'X-OGI-Desk-Timestamp';
export const CALLBACK_ID_HEADER = 'X-OGI-Desk-Callback-Id';
/** The version of the scheme, the signature header's prefix: `v1=<64 hex digits>`. */
export const SIGNATURE_VERSION = 'v1';

export function newSigningSecret(): string {
  return 'ogi-whsec.' + randomBytes(32).toString('base64url');
}

export function signCallback(secret: string, timestamp: string, body: string): string {
  return `${SIGNATURE_VERSION}=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * What a receiver checks: the signature over this timestamp and body, in constant time, and a timestamp within
 * `toleranceSeconds` of its own clock. The desk's own tests verify with it; the README gives the same few lines.
 */
export function verifyCallback(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signCallback(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
