import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../common/tokens';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';

/**
 * What a signed link opens: the case's page and its forms (`case`), one issued letter (`letter`) or one file given with
 * a reply (`file`).
 */
export type LinkPurpose = 'case' | 'letter' | 'file';

export interface LinkClaims {
  purpose: LinkPurpose;
  caseId: string;
  /** The letter's or the file's id; absent for `case`. */
  documentId: string | null;
}

const PURPOSES: readonly LinkPurpose[] = ['case', 'letter', 'file'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Short-lived signed links instead of the 查询码 in a URL (issue 17): once an applicant has proved the case number and
 * 查询码 (in a POST body), the page's links to letters and files, and its forms, carry a token that names the case, the
 * document and an expiry (PUBLIC_LINK_TTL_MINUTES), signed with HMAC-SHA256 under a key derived from PERSONAL_DATA_KEY.
 * It also carries a mark of the case's stored 查询码 hash, so a code the office renews ends every link made with the old
 * one. A token is not a secret worth guessing (the signature is 256 bits), and it travels in the query string, which the
 * request log never writes.
 */
@Injectable()
export class PublicLinks {
  private readonly key: Buffer;

  constructor(
    cipher: PersonalDataCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = cipher.subKey('public link tokens v1');
  }

  /** A token for `claims`, valid PUBLIC_LINK_TTL_MINUTES from `now`, bound to the case's current 查询码 (its stored hash). */
  sign(claims: LinkClaims, queryCodeHash: string, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + this.config.PUBLIC_LINK_TTL_MINUTES * 60;
    const body = [claims.purpose, claims.caseId, claims.documentId ?? '-', String(expires), codeMark(queryCodeHash)].join('.');
    return `${Buffer.from(body).toString('base64url')}.${this.signature(body)}`;
  }

  /**
   * The claims of a well-signed, unexpired token of `purpose`, with the 查询码 mark to compare against the case's; null
   * for anything else (forged, expired, malformed, another purpose).
   */
  read(token: unknown, purpose: LinkPurpose, now = Date.now()): (LinkClaims & { mark: string }) | null {
    if (typeof token !== 'string' || token.length > 400) return null;
    const [encoded, signature, extra] = token.split('.');
    if (!encoded || !signature || extra !== undefined) return null;
    const body = Buffer.from(encoded, 'base64url').toString('utf8');
    const expected = Buffer.from(this.signature(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const [kind, caseId, documentId, expires, mark] = body.split('.');
    if (!PURPOSES.includes(kind as LinkPurpose) || kind !== purpose || !UUID.test(caseId ?? '')) return null;
    if (!/^\d+$/.test(expires ?? '') || Number(expires) * 1000 < now) return null;
    if (purpose !== 'case' && !UUID.test(documentId ?? '')) return null;
    return { purpose, caseId, documentId: purpose === 'case' ? null : documentId, mark };
  }

  /** Whether a token's mark still matches the case's 查询码 (a renewed code ends the old links). */
  matchesCode(mark: string, queryCodeHash: string): boolean {
    return mark === codeMark(queryCodeHash);
  }

  private signature(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** 12 hex digits of the SHA-256 of the stored (salted) hash: ties a link to the code without revealing anything of it. */
function codeMark(queryCodeHash: string): string {
  return createHash('sha256').update(queryCodeHash).digest('hex').slice(0, 12);
}
