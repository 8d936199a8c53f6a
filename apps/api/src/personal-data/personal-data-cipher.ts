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
 *
 * Key rotation (docs/operations.md): the service runs with the new key as PERSONAL_DATA_KEY and the previous ones in
 * PERSONAL_DATA_OLD_KEYS. It writes under the new key, reads a value under whichever key its id names, and looks an
 * applicant up under every key's blind index, so nothing is missed while `npm run rotate-key` re-encrypts the rows.
 */
// idempotent_query_code: the 查询码 of an online application kept while its Idempotency-Key lives (applications.service.ts).
// callback_signing_secret: the key a platform's status callbacks are signed with (integration/platform-callbacks.service.ts).
// sso_client_secret: the agency's client secret at its unified identity system (sso/sso-settings.service.ts).
export type PersonalDataField = 'applicant_id_number' | 'applicant_phone' | 'idempotent_query_code' | 'callback_signing_secret' | 'sso_client_secret';

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

interface DerivedKeys {
  keyId: string;
  encryptionKey: Buffer;
  indexKey: Buffer;
}

function deriveKeys(keyMaterial: string): DerivedKeys {
  const key = parsePersonalDataKey(keyMaterial);
  return {
    keyId: personalDataKeyId(key),
    encryptionKey: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'ogi-desk personal data encryption v1', 32)),
    indexKey: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'ogi-desk personal data blind index v1', 32)),
  };
}

/** The id stored in each value: the first 8 hex digits of the key's SHA-256 (it names the key, and reveals nothing of it). */
export function personalDataKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The key id that a stored value names, or null for something that is not a stored value. */
export function storedKeyId(stored: string): string | null {
  const [format, keyId] = stored.split(':');
  return format === FORMAT && keyId ? keyId : null;
}

export class PersonalDataCipher {
  /** The key new values are written under. */
  readonly keyId: string;
  private readonly current: DerivedKeys;
  /** Every key this process can read with, the current one first. */
  private readonly keys: Map<string, DerivedKeys>;

  private readonly currentKeyMaterial: Buffer;

  constructor(keyMaterial: string, oldKeyMaterials: readonly string[] = []) {
    this.current = deriveKeys(keyMaterial);
    this.currentKeyMaterial = parsePersonalDataKey(keyMaterial);
    this.keyId = this.current.keyId;
    this.keys = new Map([[this.current.keyId, this.current]]);
    for (const material of oldKeyMaterials) {
      const old = deriveKeys(material);
      if (!this.keys.has(old.keyId)) this.keys.set(old.keyId, old);
    }
  }

  /**
   * A key of its own for another purpose (HKDF of the current key with `purpose`): e.g. the portal's short-lived signed
   * links. It changes when the key is rotated, which only ends links that were short-lived anyway.
   */
  subKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.currentKeyMaterial, Buffer.alloc(0), `ogi-desk ${purpose}`, 32));
  }

  /** The ids of the keys this process reads with, the current one first. */
  get readableKeyIds(): string[] {
    return [...this.keys.keys()];
  }

  canRead(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** The field name is authenticated with the value, so a ciphertext moved to another column does not decrypt. */
  encrypt(field: PersonalDataField, plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.encryptionKey, iv);
    cipher.setAAD(Buffer.from(field, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.current.keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  encryptNullable(field: PersonalDataField, plaintext: string | null): string | null {
    return plaintext === null ? null : this.encrypt(field, plaintext);
  }

  decrypt(field: PersonalDataField, stored: string): string {
    const [format, keyId, iv, tag, ciphertext] = stored.split(':');
    if (format !== FORMAT || ciphertext === undefined) throw new PersonalDataKeyError(`${field}: not an encrypted value`);
    const keys = this.keys.get(keyId);
    if (!keys) {
      const readable = this.keys.size > 1 ? ` (PERSONAL_DATA_OLD_KEYS: ${this.readableKeyIds.slice(1).join(', ')})` : '';
      throw new PersonalDataKeyError(
        `${field} was encrypted with key ${keyId}, but PERSONAL_DATA_KEY is key ${this.keyId}${readable}: start the service with the key the data was written with, or add it to PERSONAL_DATA_OLD_KEYS`,
      );
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    // GCM would accept a truncated tag: only the full 16 bytes (and the 12-byte IV we write) are taken.
    if (ivBytes.length !== 12 || tagBytes.length !== 16) throw new PersonalDataKeyError(`${field}: the stored value failed its integrity check (malformed)`);
    const decipher = createDecipheriv('aes-256-gcm', keys.encryptionKey, ivBytes, { authTagLength: 16 });
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
    return createHmac('sha256', this.current.indexKey).update(normalisedIdNumber, 'utf8').digest('hex');
  }

  /**
   * The number's blind index under every readable key, the current one first: while a rotation is under way an
   * applicant's earlier cases carry the old key's index until `npm run rotate-key` reaches them.
   */
  blindIndexes(normalisedIdNumber: string): string[] {
    return [...this.keys.values()].map((keys) => createHmac('sha256', keys.indexKey).update(normalisedIdNumber, 'utf8').digest('hex'));
  }

  /**
   * An applicant's blind index under every key the service reads with, from a stored identity number: during a key
   * rotation the applicant's other cases may still carry the old key's index. With one key it is the stored index.
   */
  /** Whether the stored blind index is an applicant's only one (a single key in use): applicantIndexes needs no decryption. */
  get storedIndexSuffices(): boolean {
    return this.keys.size === 1;
  }

  applicantIndexes(stored: { applicantIdBlindIndex: string; applicantIdNumberCiphertext: string }): string[] {
    if (this.storedIndexSuffices) return [stored.applicantIdBlindIndex];
    return this.blindIndexes(this.decrypt('applicant_id_number', stored.applicantIdNumberCiphertext));
  }

  /** The value re-encrypted under the current key (unchanged when it already is). */
  reencrypt(field: PersonalDataField, stored: string): string {
    return storedKeyId(stored) === this.keyId ? stored : this.encrypt(field, this.decrypt(field, stored));
  }
}

/** PERSONAL_DATA_OLD_KEYS: the keys of earlier rotations, separated by commas or spaces. */
export function parseOldKeys(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

/** The cipher for this process: the configured key, or outside production the development key; plus the old keys it still reads. */
export function personalDataCipherFrom(env: { PERSONAL_DATA_KEY?: string; PERSONAL_DATA_OLD_KEYS?: string; NODE_ENV?: string }): PersonalDataCipher {
  const oldKeys = parseOldKeys(env.PERSONAL_DATA_OLD_KEYS);
  if (env.PERSONAL_DATA_KEY) return new PersonalDataCipher(env.PERSONAL_DATA_KEY, oldKeys);
  if (env.NODE_ENV === 'production') throw new PersonalDataKeyError('PERSONAL_DATA_KEY is required when NODE_ENV=production');
  return new PersonalDataCipher(DEVELOPMENT_PERSONAL_DATA_KEY, oldKeys);
}
