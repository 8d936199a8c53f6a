import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_PERSONAL_DATA_KEY, PersonalDataCipher, PersonalDataKeyError, parsePersonalDataKey, personalDataCipherFrom } from './personal-data-cipher';

const ID = '11010519491231002X';

describe('PersonalDataCipher (AES-256-GCM with a blind index)', () => {
  const key = randomBytes(32).toString('base64');
  const cipher = new PersonalDataCipher(key);

  it('round-trips a value and never stores it in clear', () => {
    const stored = cipher.encrypt('applicant_id_number', ID);
    expect(stored).toMatch(/^pd1:[0-9a-f]{8}:[\w-]+:[\w-]+:[\w-]+$/);
    expect(stored).not.toContain(ID);
    expect(stored).not.toContain('19491231');
    expect(cipher.decrypt('applicant_id_number', stored)).toBe(ID);
  });

  it('gives a fresh ciphertext each time (random IV), so equal numbers are not visible as equal', () => {
    expect(cipher.encrypt('applicant_id_number', ID)).not.toBe(cipher.encrypt('applicant_id_number', ID));
  });

  it('refuses a ciphertext moved to another column, or altered', () => {
    const stored = cipher.encrypt('applicant_id_number', ID);
    expect(() => cipher.decrypt('applicant_phone', stored)).toThrow(/integrity check/);
    const parts = stored.split(':');
    const body = Buffer.from(parts[4], 'base64url');
    body[0] ^= 1;
    parts[4] = body.toString('base64url');
    expect(() => cipher.decrypt('applicant_id_number', parts.join(':'))).toThrow(/integrity check/);
    // A truncated authentication tag would weaken GCM to a few bytes of forgery resistance.
    const [format, keyId, iv, tag, body2] = stored.split(':');
    for (const length of [4, 8, 12]) {
      const short = Buffer.from(tag, 'base64url').subarray(0, length).toString('base64url');
      expect(() => cipher.decrypt('applicant_id_number', [format, keyId, iv, short, body2].join(':'))).toThrow(/integrity check/);
    }
  });

  it('names the key mismatch instead of answering garbage', () => {
    const other = new PersonalDataCipher(randomBytes(32).toString('hex'));
    expect(() => other.decrypt('applicant_id_number', cipher.encrypt('applicant_id_number', ID))).toThrow(/encrypted with key [0-9a-f]{8}, but PERSONAL_DATA_KEY is key/);
  });

  it('keys the blind index: equal numbers match under one key, differ under another, and the index is not a plain hash', () => {
    expect(cipher.blindIndex(ID)).toBe(new PersonalDataCipher(key).blindIndex(ID));
    expect(cipher.blindIndex(ID)).not.toBe(cipher.blindIndex('110105194912310021'));
    expect(cipher.blindIndex(ID)).not.toBe(new PersonalDataCipher(randomBytes(32).toString('base64')).blindIndex(ID));
    expect(cipher.blindIndex(ID)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts 32 bytes as base64 or hex and refuses anything else with what to do', () => {
    expect(parsePersonalDataKey(randomBytes(32).toString('hex'))).toHaveLength(32);
    expect(() => parsePersonalDataKey(randomBytes(16).toString('base64'))).toThrow(/openssl rand -base64 32/);
    expect(() => parsePersonalDataKey('not a key at all, not base64!')).toThrow(PersonalDataKeyError);
  });

  it('requires the key in production and uses the development key elsewhere', () => {
    expect(() => personalDataCipherFrom({ NODE_ENV: 'production' })).toThrow(/PERSONAL_DATA_KEY is required/);
    expect(personalDataCipherFrom({ NODE_ENV: 'test' }).keyId).toBe(new PersonalDataCipher(DEVELOPMENT_PERSONAL_DATA_KEY).keyId);
    expect(personalDataCipherFrom({ NODE_ENV: 'production', PERSONAL_DATA_KEY: key }).keyId).toBe(cipher.keyId);
  });
});

describe('PersonalDataCipher with old keys (rotation)', () => {
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('hex');
  const old = new PersonalDataCipher(oldKey);
  const rotating = new PersonalDataCipher(newKey, [oldKey]);

  it('reads values of the old key, writes under the new one', () => {
    const stored = old.encrypt('applicant_id_number', ID);
    expect(rotating.decrypt('applicant_id_number', stored)).toBe(ID);
    expect(rotating.encrypt('applicant_id_number', ID).split(':')[1]).toBe(rotating.keyId);
    expect(rotating.readableKeyIds).toEqual([rotating.keyId, old.keyId]);
  });

  it('re-encrypts an old value under the current key and leaves a current one as it is', () => {
    const stored = old.encrypt('applicant_phone', '13812345678');
    const rewritten = rotating.reencrypt('applicant_phone', stored);
    expect(rewritten.split(':')[1]).toBe(rotating.keyId);
    expect(new PersonalDataCipher(newKey).decrypt('applicant_phone', rewritten)).toBe('13812345678');
    expect(rotating.reencrypt('applicant_phone', rewritten)).toBe(rewritten);
  });

  it('looks a number up under every key’s blind index, the current one first', () => {
    expect(rotating.blindIndexes(ID)).toEqual([new PersonalDataCipher(newKey).blindIndex(ID), old.blindIndex(ID)]);
    expect(rotating.blindIndex(ID)).toBe(new PersonalDataCipher(newKey).blindIndex(ID));
  });

  it('names both the missing key and the PERSONAL_DATA_OLD_KEYS setting when neither key opens a value', () => {
    const stranger = new PersonalDataCipher(randomBytes(32).toString('base64')).encrypt('applicant_id_number', ID);
    expect(() => rotating.decrypt('applicant_id_number', stranger)).toThrow(/encrypted with key [0-9a-f]{8}, but PERSONAL_DATA_KEY is key [0-9a-f]{8} \(PERSONAL_DATA_OLD_KEYS: [0-9a-f]{8}\).*add it to PERSONAL_DATA_OLD_KEYS/);
  });

  it('takes the old keys from PERSONAL_DATA_OLD_KEYS, separated by commas or spaces', () => {
    const third = randomBytes(32).toString('base64');
    const cipher = personalDataCipherFrom({ NODE_ENV: 'production', PERSONAL_DATA_KEY: newKey, PERSONAL_DATA_OLD_KEYS: ` ${oldKey}, ${third} ` });
    expect(cipher.readableKeyIds).toHaveLength(3);
    expect(personalDataCipherFrom({ NODE_ENV: 'test', PERSONAL_DATA_OLD_KEYS: oldKey }).canRead(old.keyId)).toBe(true);
  });
});
