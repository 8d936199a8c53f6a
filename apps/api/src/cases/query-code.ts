import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

// 查询码: ten characters without look-alikes (no 0/O, 1/I/L), so it can be read out over the phone; shown once and kept
// only as a salted SHA-256, compared in constant time, typed case- and space-insensitively.
const QUERY_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newQueryCode(): string {
  return Array.from({ length: 10 }, () => QUERY_CODE_ALPHABET[randomInt(QUERY_CODE_ALPHABET.length)]).join('');
}

/** Full-width letters and digits (typed with a Chinese input method) fold to their ASCII forms (NFKC). */
export function normaliseQueryCode(code: string): string {
  return code.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
}

export function hashQueryCode(code: string, salt = randomBytes(16).toString('hex')): string {
  const digest = createHash('sha256').update(`${salt}:${normaliseQueryCode(code)}`).digest('hex');
  return `sha256:${salt}:${digest}`;
}

export function queryCodeMatches(code: string, stored: string): boolean {
  const [, salt, digest] = stored.split(':');
  if (!salt || !digest) return false;
  const candidate = hashQueryCode(code, salt).split(':')[2];
  return timingSafeEqual(Buffer.from(candidate, 'hex'), Buffer.from(digest, 'hex'));
}
