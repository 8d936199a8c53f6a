import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Application-level encryption of the applicant's identity number and phone number (AES-256-GCM), and a blind index
 * (HMAC-SHA256) so the agency can still find an applicant's other requests (fees by the month, Art. 35 volume,
 * Art. 36(6) duplicates) without the database ever holding the number in clear. A stolen dump or backup reveals
 * neither; only a process holding PERSONAL_DATA_KEY can read them.
 *
 * Two sub-keys are derived from the one configured key (HKDF), so the index key never encrypts and vice versa.
 * Stored form: `pd1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url), where keyId names the key, so a service started with
 * the wrong key fails with a clear message instead of returning garbage.
 */
// idempotent_query_code: the 查询码 of an online application kept while its Idempotency-Key lives (applications.service.ts).
export type PersonalDataField = 'applicant_id_number' | 'applicant_phone' | 'idempotent_query_code';

const FORMAT = 'pd1';

/** A fixed key for development and tests only: production refuses to start without PERSONAL_DATA_KEY (app-config.ts). */
export const DEVELOPMENT_PERSONAL_DATA_KEY = createHash('sha256').update('ogi-desk development personal-data key — never for production').digest('base64');

export class PersonalDataKeyError extends Error {}

/** 32 bytes as base64 (44 characters) or hex (64 characters). */
export function parsePersonalDataKey(material: string): Buffer {
  const text = material.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(text) && key.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, ''))) {
    throw new PersonalDataKeyError('PERSONAL_DATA_KEY must be 32 random bytes, as base64 (44 characters) or hex (64 characters), e.g. `openssl rand -base64 32`');
  }
  return key;
}

export class PersonalDataCipher {
  readonly keyId: string;
  private readonly encryptionKey: Buffer;
  private readonly indexKey: Buffer;

  constructor(keyMaterial: string) {
    const key = parsePersonalDataKey(keyMaterial);
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
    this.encryptionKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'ogi-desk personal data encryption v1', 32));
    this.indexKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'ogi-desk personal data blind index v1', 32));
  }

  /** The field name is authenticated with the value, so a ciphertext moved to another column does not decrypt. */
  encrypt(field: PersonalDataField, plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(field, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  encryptNullable(field: PersonalDataField, plaintext: string | null): string | null {
    return plaintext === null ? null : this.encrypt(field, plaintext);
  }

  decrypt(field: PersonalDataField, stored: string): string {
    const [format, keyId, iv, tag, ciphertext] = stored.split(':');
    if (format !== FORMAT || ciphertext === undefined) throw new PersonalDataKeyError(`${field}: not an encrypted value`);
    if (keyId !== this.keyId) {
      throw new PersonalDataKeyError(`${field} was encrypted with key ${keyId}, but PERSONAL_DATA_KEY is key ${this.keyId}: start the service with the key the data was written with`);
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    // GCM would accept a truncated tag: only the full 16 bytes (and the 12-byte IV we write) are taken.
    if (ivBytes.length !== 12 || tagBytes.length !== 16) throw new PersonalDataKeyError(`${field}: the stored value failed its integrity check (malformed)`);
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, ivBytes, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(field, 'utf8'));
    decipher.setAuthTag(tagBytes);
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new PersonalDataKeyError(`${field}: the stored value failed its integrity check (altered, or moved from another column)`);
    }
  }

  decryptNullable(field: PersonalDataField, stored: string | null): string | null {
    return stored === null ? null : this.decrypt(field, stored);
  }

  /** Deterministic, keyed: equal numbers give equal indexes; without the key the index reveals nothing, not even by guessing. */
  blindIndex(normalisedIdNumber: string): string {
    return createHmac('sha256', this.indexKey).update(normalisedIdNumber, 'utf8').digest('hex');
  }
}

/** The cipher for this process: the configured key, or outside production the development key. */
export function personalDataCipherFrom(env: { PERSONAL_DATA_KEY?: string; NODE_ENV?: string }): PersonalDataCipher {
  if (env.PERSONAL_DATA_KEY) return new PersonalDataCipher(env.PERSONAL_DATA_KEY);
  if (env.NODE_ENV === 'production') throw new PersonalDataKeyError('PERSONAL_DATA_KEY is required when NODE_ENV=production');
  return new PersonalDataCipher(DEVELOPMENT_PERSONAL_DATA_KEY);
}
