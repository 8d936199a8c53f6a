import { DomainError } from '../common/domain-error';
import { decodeCursor, encodeCursor, orderBy, pastCursor, QUEUE_ORDERS } from './queue-order';

describe('queue cursors', () => {
  const key = [4009123, '2025-12-08T02:03:04.123456', '0373d81b-f8f7-4267-8f61-acf163726808'];

  it('round-trips a cursor of each direction', () => {
    for (const direction of ['after', 'before'] as const) {
      expect(decodeCursor(encodeCursor({ sort: 'urgency', direction, key }), 'urgency')).toEqual({ sort: 'urgency', direction, key });
    }
    const received = [null, '2025-12-08T02:03:04.123456', '0373d81b-f8f7-4267-8f61-acf163726808'];
    expect(decodeCursor(encodeCursor({ sort: 'received_desc', direction: 'after', key: received }), 'received_desc').key).toEqual(received);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['not a list', Buffer.from('{"a":1}').toString('base64url')],
    ['an unknown direction', encodeCursor({ sort: 'urgency', direction: 'after', key }).replace(/^.{4}/, Buffer.from('["x"').toString('base64url').slice(0, 4))],
    ['a key too short', Buffer.from(JSON.stringify(['a', 'urgency', 1])).toString('base64url')],
    ['a rank that is not a whole number', Buffer.from(JSON.stringify(['a', 'urgency', '1 OR 1=1', key[1], key[2]])).toString('base64url')],
    ['a time without microseconds', Buffer.from(JSON.stringify(['a', 'urgency', key[0], '2025-12-08T02:03:04', key[2]])).toString('base64url')],
    ['an id that is no id', Buffer.from(JSON.stringify(['a', 'urgency', key[0], key[1], 'x'])).toString('base64url')],
  ])('refuses %s, naming the field', (_, text) => {
    expect(() => decodeCursor(text, 'urgency')).toThrow(DomainError);
    expect(() => decodeCursor(text, 'urgency')).toThrow(/^翻页位置 /);
  });

  it('refuses a cursor of another order', () => {
    expect(() => decodeCursor(encodeCursor({ sort: 'urgency', direction: 'after', key }), 'case_number')).toThrow('翻页位置 属于另一种排序：请回到第一页重新翻页');
  });

  it('reads past a cursor as one row comparison in the order’s direction, its values as parameters', () => {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const order = QUEUE_ORDERS.received_desc;
    expect(pastCursor(order, { sort: 'received_desc', direction: 'after', key: [null, key[1], key[2]] }, param)).toBe(
      `(COALESCE(c.received_at, 'infinity'::date), c.created_at, c.id) < (COALESCE($1::date, 'infinity'::date), ($2::timestamp AT TIME ZONE 'UTC'), $3::uuid)`,
    );
    expect(pastCursor(order, { sort: 'received_desc', direction: 'before', key: [null, key[1], key[2]] }, param)).toMatch(/\) > \(/);
    expect(params).toEqual([null, key[1], key[2], null, key[1], key[2]]);
    expect(orderBy(order, true)).toBe(`COALESCE(c.received_at, 'infinity'::date) ASC, c.created_at ASC, c.id ASC`);
  });
});
