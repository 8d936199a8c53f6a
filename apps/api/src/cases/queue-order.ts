import { isIsoDate } from '@desk/calendar';
import { invalid } from '../common/domain-error';
import { isUuid } from '../common/text';

/**
 * The orders a queue may be read in, and the cursor that pages through one (keyset paging).
 *
 * Each order is a list of keys read in ONE direction, ending with the case's id, so that every case has a place of its
 * own (two cases due the same day and created in the same microsecond still come one after the other) and "the cases
 * after this one" is a single row comparison — `(k1, k2, …, id) > ($1, $2, …, $n)` — which PostgreSQL answers as a range
 * of an index on the same expressions (migrations/1796800000020-queue-keyset-indexes.ts) instead of reading and
 * discarding every case before it as OFFSET does (166 ms for page 50 at 100 000 cases; BENCHMARKS.md). A missing date is
 * a key of infinity (or a rank past every date), so NULLS LAST/FIRST needs no second direction.
 */
interface QueueKey {
  /** The key as the index holds it (an expression over the alias `c`). */
  expression: string;
  /** The key as the cursor carries it: text that round-trips exactly (microseconds included), or null. */
  select: string;
  /** The cursor's value as the key's expression compares it. */
  parameter: (placeholder: string) => string;
  /** Whether a value read back from a cursor is one this key can hold. */
  valid: (value: unknown) => boolean;
}

const dateOrNull = (value: unknown) => value === null || (typeof value === 'string' && isIsoDate(value));
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

/** The urgency order's first key (see KEYS.urgency); the same expression as the queue indexes of migration 1796800000020. */
export const URGENCY_RANK = `((c.concluded_at IS NOT NULL)::integer * 4000000 + COALESCE(c.due_date - DATE '2000-01-01', 2000000))`;

/**
 * The concluded cases as a range of that rank: 已办结 starts where the open cases end in the urgency indexes, instead
 * of reading past every open case to find its first page (a condition on concluded_at alone is no range of them).
 */
export const CONCLUDED_BY_RANK = `${URGENCY_RANK} >= 4000000`;

const KEYS = {
  // Open before concluded, each by due date, none last — as ONE number: open cases rank by their due date's day number
  // (from 2000-01-01; no due date yet: 2 000 000, after any date until the year 7475), concluded cases the same plus
  // 4 000 000. One key and not two because the planner estimates a row comparison by its first column alone: with the
  // boolean "concluded" first it judged every page past the open cases empty (`> true`) and read a department's
  // cases through the agency's index (5 s at 100 000 cases); a number spread like the due dates is estimated right.
  urgency: {
    expression: URGENCY_RANK,
    select: URGENCY_RANK,
    parameter: (p: string) => `${p}::integer`,
    valid: (value: unknown) => Number.isInteger(value),
  },
  // Not yet received (an online request awaiting confirmation): after every date — last when the oldest come first,
  // first when the newest do (it is the newest request) — so both orders read one index, forwards or backwards.
  received: {
    expression: `COALESCE(c.received_at, 'infinity'::date)`,
    select: `to_char(c.received_at, 'YYYY-MM-DD')`,
    parameter: (p: string) => `COALESCE(${p}::date, 'infinity'::date)`,
    valid: dateOrNull,
  },
  // In UTC with microseconds: the exact value, whatever the session's time zone or date style.
  created: {
    expression: `c.created_at`,
    select: `to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
    parameter: (p: string) => `(${p}::timestamp AT TIME ZONE 'UTC')`,
    valid: (value: unknown) => typeof value === 'string' && TIMESTAMP.test(value),
  },
  caseNumber: {
    expression: `c.case_number`,
    select: `c.case_number`,
    parameter: (p: string) => `${p}::text`,
    valid: (value: unknown) => typeof value === 'string' && value.length > 0 && value.length <= 100,
  },
  id: {
    expression: `c.id`,
    select: `c.id::text`,
    parameter: (p: string) => `${p}::uuid`,
    valid: (value: unknown) => typeof value === 'string' && isUuid(value),
  },
} satisfies Record<string, QueueKey>;

export interface QueueOrder {
  direction: 'ASC' | 'DESC';
  keys: readonly QueueKey[];
}

export const QUEUE_ORDERS = {
  // Most urgent first: open before concluded, then by due date (ix_cases_agency_urgency, ix_cases_department_urgency).
  urgency: { direction: 'ASC', keys: [KEYS.urgency, KEYS.created, KEYS.id] },
  // ix_cases_agency_received_queue, ix_cases_department_received_queue (backwards for the newest first).
  received_desc: { direction: 'DESC', keys: [KEYS.received, KEYS.created, KEYS.id] },
  received_asc: { direction: 'ASC', keys: [KEYS.received, KEYS.created, KEYS.id] },
  case_number: { direction: 'ASC', keys: [KEYS.caseNumber, KEYS.id] },
} as const satisfies Record<string, QueueOrder>;

export type QueueSort = keyof typeof QUEUE_ORDERS;

/** Where a page starts: after a case (the next page) or before one (the previous page), in one order. */
export interface QueueCursor {
  sort: QueueSort;
  direction: 'after' | 'before';
  key: unknown[];
}

/** The label the API and the console name the cursor by in their messages. */
export const CURSOR_LABEL = '翻页位置';

/** ORDER BY of an order, read forwards or (for the page before a cursor) backwards. */
export function orderBy(order: QueueOrder, backwards = false): string {
  const direction = (order.direction === 'ASC') !== backwards ? 'ASC' : 'DESC';
  return order.keys.map((key) => `${key.expression} ${direction}`).join(', ');
}

/** The cases past a cursor in its direction: one row comparison, an index range. */
export function pastCursor(order: QueueOrder, cursor: QueueCursor, param: (value: unknown) => string): string {
  const forwards = order.direction === 'ASC' ? '>' : '<';
  const operator = cursor.direction === 'after' ? forwards : forwards === '>' ? '<' : '>';
  const keys = order.keys.map((key) => key.expression).join(', ');
  const values = order.keys.map((key, index) => key.parameter(param(cursor.key[index]))).join(', ');
  return `(${keys}) ${operator} (${values})`;
}

/**
 * The key columns a page selects: k0, k1, … as the cursors of its first and last case carry them, and o0, o1, … as
 * they sort, by which the scope halves are merged.
 */
export function keyColumns(order: QueueOrder): string {
  return order.keys.map((key, index) => `${key.select} AS k${index}, ${key.expression} AS o${index}`).join(', ');
}

export function keyOf(order: QueueOrder, row: Record<string, unknown>): unknown[] {
  return order.keys.map((_, index) => row[`k${index}`] ?? null);
}

/** A cursor as the address carries it: opaque, URL-safe. */
export function encodeCursor(cursor: QueueCursor): string {
  return Buffer.from(JSON.stringify([cursor.direction === 'after' ? 'a' : 'b', cursor.sort, ...cursor.key])).toString('base64url');
}

/**
 * A cursor read back from an address, checked against the order the page is read in; anything else is a 400 naming the
 * field (a cursor is made by the service, so a bad one is a mangled or stale address: the message says what to do).
 */
export function decodeCursor(text: string, sort: QueueSort): QueueCursor {
  const refuse = () => invalid(`${CURSOR_LABEL} 无效：请回到第一页重新翻页`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || (parsed[0] !== 'a' && parsed[0] !== 'b')) throw refuse();
  const [direction, cursorSort, ...key] = parsed as unknown[];
  if (cursorSort !== sort) throw invalid(`${CURSOR_LABEL} 属于另一种排序：请回到第一页重新翻页`);
  const order = QUEUE_ORDERS[sort];
  if (key.length !== order.keys.length || !order.keys.every((entry, index) => entry.valid(key[index]))) throw refuse();
  return { sort, direction: direction === 'a' ? 'after' : 'before', key };
}
