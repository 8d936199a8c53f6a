import type { DataSource } from 'typeorm';
import { normaliseIdentityNumber } from '@desk/identity';
import type { Queryable } from '../operations/database-facts';
import { PersonalDataKeyError, storedKeyId, type PersonalDataCipher, type PersonalDataField } from './personal-data-cipher';

/**
 * Every column that holds a value encrypted by PersonalDataCipher, with the blind index kept beside it. A table added
 * later with encrypted columns adds its entry here; `unregisteredCiphertextColumns` fails the key check (and so the
 * start of the service and every restore) for a `*_ciphertext` column missing from this list, so a rotation cannot
 * silently leave one behind.
 */
export interface EncryptedColumn {
  table: string;
  column: string;
  field: PersonalDataField;
  /** The blind index column keyed from this value (HMAC of the normalised number), re-keyed with it. */
  blindIndexColumn?: string;
  /** The table's key, by which rotation walks it in batches (default `id`). */
  keyColumn?: string;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'cases', column: 'applicant_id_number_ciphertext', field: 'applicant_id_number', blindIndexColumn: 'applicant_id_blind_index' },
  { table: 'cases', column: 'applicant_phone_ciphertext', field: 'applicant_phone' },
  // An online application's 查询码, kept while its Idempotency-Key lives so a retry answers the same code.
  { table: 'idempotency_keys', column: 'query_code_ciphertext', field: 'idempotent_query_code', keyColumn: 'key' },
  // The key a platform's status callbacks are signed with: the service must read it back to sign, so it is kept encrypted.
  { table: 'api_client_subscriptions', column: 'signing_secret_ciphertext', field: 'callback_signing_secret', keyColumn: 'client_id' },
  // The agency's client secret at its unified identity system (统一身份认证): sent to the provider, so kept encrypted.
  { table: 'sso_configurations', column: 'client_secret_ciphertext', field: 'sso_client_secret', keyColumn: 'agency_id' },
];

/** `*_ciphertext` columns of the database that ENCRYPTED_COLUMNS does not name. */
export async function unregisteredCiphertextColumns(db: Queryable): Promise<string[]> {
  const rows: { name: string }[] = await db.query(
    `SELECT table_name || '.' || column_name AS name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name LIKE '%\\_ciphertext' ORDER BY 1`,
  );
  const known = new Set(ENCRYPTED_COLUMNS.map(({ table, column }) => `${table}.${column}`));
  return rows.map((row) => row.name).filter((name) => !known.has(name));
}

/**
 * The registered columns this database has: a backup taken before a table or column was added (restored, then
 * migrated by the service's start) holds no value in it, so there is nothing in it to check or rotate.
 */
async function presentEncryptedColumns(db: Queryable): Promise<EncryptedColumn[]> {
  const rows: { name: string }[] = await db.query(
    `SELECT table_name || '.' || column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name LIKE '%\\_ciphertext'`,
  );
  const present = new Set(rows.map((row) => row.name));
  return ENCRYPTED_COLUMNS.filter(({ table, column }) => present.has(`${table}.${column}`));
}

/** How many stored values each key id holds, over every encrypted column. */
export async function personalDataKeyUsage(db: Queryable): Promise<Record<string, number>> {
  const usage: Record<string, number> = {};
  for (const { table, column } of await presentEncryptedColumns(db)) {
    const rows: { key_id: string; count: number }[] = await db.query(
      `SELECT split_part(${column}, ':', 2) AS key_id, count(*)::int AS count FROM ${table} WHERE ${column} IS NOT NULL GROUP BY 1`,
    );
    for (const row of rows) usage[row.key_id] = (usage[row.key_id] ?? 0) + row.count;
  }
  return usage;
}

/** The tid of the table's last page's first row: a TID range scan from it reads one page. */
async function lastPage(db: Queryable, table: string): Promise<string> {
  const [{ pages }] = await db.query(`SELECT pg_relation_size($1::regclass) / current_setting('block_size')::int AS pages`, [table]);
  return `(${Math.max(Number(pages) - 1, 0)},0)`;
}

export interface KeyCheck {
  /** Key id → values stored under it (only counted by the full check). */
  usage: Record<string, number>;
  /** Values decrypted to prove the key opens them. */
  decrypted: number;
}

/**
 * Proves that the configured keys open the personal data before anyone relies on it: at the start of the service (a
 * quick check: the oldest and newest value of each column under each key id found there) and after a restore (the full
 * check: every key id in use, and a value of each decrypted). A wrong key throws PersonalDataKeyError naming the key
 * the data needs, so the service stops before it accepts traffic instead of failing on the first case view.
 */
export async function checkPersonalDataKeys(db: Queryable, cipher: PersonalDataCipher, mode: 'quick' | 'full'): Promise<KeyCheck> {
  const unregistered = await unregisteredCiphertextColumns(db);
  if (unregistered.length) {
    throw new PersonalDataKeyError(`encrypted columns not registered for key checks and rotation (personal-data-keys.ts ENCRYPTED_COLUMNS): ${unregistered.join(', ')}`);
  }
  const usage = mode === 'full' ? await personalDataKeyUsage(db) : {};
  let decrypted = 0;
  for (const { table, column, field } of await presentEncryptedColumns(db)) {
    // Quick (at every start, so it reads a page or two whatever the table's size): the first value stored and one on the
    // table's last page, the oldest and the newest as rows are appended. Full: one value per key id.
    const samples: { value: string }[] =
      mode === 'full'
        ? await db.query(`SELECT DISTINCT ON (split_part(${column}, ':', 2)) ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL ORDER BY split_part(${column}, ':', 2)`)
        : await db.query(
            `(SELECT ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL LIMIT 1)
             UNION ALL (SELECT ${column} FROM ${table} WHERE ctid >= $1::tid AND ${column} IS NOT NULL LIMIT 1)`,
            [await lastPage(db, table)],
          );
    for (const { value } of samples) {
      const keyId = storedKeyId(value);
      if (keyId === null) throw new PersonalDataKeyError(`${table}.${column} holds a value that is not encrypted`);
      cipher.decrypt(field, value);
      decrypted += 1;
    }
  }
  const unreadable = Object.keys(usage).filter((keyId) => !cipher.canRead(keyId));
  if (unreadable.length) {
    throw new PersonalDataKeyError(
      `personal data is encrypted with key ${unreadable.join(', ')}, which neither PERSONAL_DATA_KEY (key ${cipher.keyId}) nor PERSONAL_DATA_OLD_KEYS holds: configure the key the data was written with`,
    );
  }
  return { usage, decrypted };
}

export interface RotationResult {
  /** Rows whose values were re-encrypted under the current key. */
  rewritten: number;
  /** Values per key id once the pass is over: only the current key's, when the rotation is complete. */
  usage: Record<string, number>;
}

/**
 * `npm run rotate-key`: one pass over each table holding encrypted columns, in primary-key order and batches of its
 * own transactions, re-encrypting under the current key every value written under an old one and re-keying its blind
 * index. It runs while the service serves (the service already writes under the new key and reads under both). A row
 * is written only if it still holds what was read (compare-and-set), so a concurrent change is never overwritten; a row
 * skipped that way was just written by the service, hence under the current key.
 */
export async function rotatePersonalDataKey(
  dataSource: DataSource,
  cipher: PersonalDataCipher,
  options: { batchSize?: number; onBatch?: (rewritten: number) => void } = {},
): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 500;
  const present = await presentEncryptedColumns(dataSource);
  const tables = [...new Set(present.map((column) => column.table))];
  let rewritten = 0;
  for (const table of tables) {
    const columns = present.filter((column) => column.table === table);
    const key = columns[0].keyColumn ?? 'id';
    const selected = columns.flatMap((column) => [column.column, ...(column.blindIndexColumn ? [column.blindIndexColumn] : [])]);
    let after: string | null = null;
    for (;;) {
      const rows: Record<string, string | null>[] = await dataSource.query(
        `SELECT ${key}::text AS id, ${selected.join(', ')} FROM ${table} ${after === null ? '' : `WHERE ${key}::text > $2`} ORDER BY ${key}::text LIMIT $1`,
        after === null ? [batchSize] : [batchSize, after],
      );
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      const stale = rows.filter((row) => columns.some(({ column }) => row[column] !== null && storedKeyId(row[column]!) !== cipher.keyId));
      if (stale.length) {
        await dataSource.transaction(async (manager) => {
          for (const row of stale) {
            const assignments: string[] = [];
            const conditions: string[] = [`${key}::text = $1`];
            const values: unknown[] = [row.id];
            for (const { column, field, blindIndexColumn } of columns) {
              const stored = row[column];
              if (stored === null) continue;
              values.push(stored);
              conditions.push(`${column} = $${values.length}`);
              if (storedKeyId(stored) === cipher.keyId) continue;
              const clear = cipher.decrypt(field, stored);
              values.push(cipher.encrypt(field, clear));
              assignments.push(`${column} = $${values.length}`);
              if (blindIndexColumn) {
                values.push(cipher.blindIndex(field === 'applicant_id_number' ? normaliseIdentityNumber(clear) : clear));
                assignments.push(`${blindIndexColumn} = $${values.length}`);
              }
            }
            const result: [unknown[], number] = await manager.query(`UPDATE ${table} SET ${assignments.join(', ')} WHERE ${conditions.join(' AND ')}`, values);
            rewritten += result[1];
          }
        });
        options.onBatch?.(rewritten);
      }
      if (rows.length < batchSize) break;
    }
  }
  return { rewritten, usage: await personalDataKeyUsage(dataSource) };
}
