import { Writable } from 'node:stream';
import { createLogger } from './logger';

const ID = '11010519491231002X';
const PHONE = '13812345678';

function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

/** What PostgreSQL (through pg and TypeORM) puts into an error: the values can be in the message, detail, where, a cause. */
function databaseError(): Error {
  const driverError = Object.assign(new Error(`invalid input syntax for type bigint: "${PHONE}"`), {
    code: '22P02',
    detail: `Key (applicant_address)=(身份证${ID}) already exists.`,
    where: `PL/pgSQL function check_applicant() line 3 at RAISE: ${ID}`,
    internalQuery: `SELECT '${PHONE}'`,
  });
  return Object.assign(new Error(`duplicate key value: ${ID} / ${PHONE}`, { cause: driverError }), {
    driverError,
    detail: driverError.detail,
    where: driverError.where,
    parameters: [ID, PHONE],
  });
}

describe('logger: identity and phone numbers never reach a log line', () => {
  it('scrubs every string of a logged error — message, stack, detail, where, its cause — under err and other keys', () => {
    const { lines, logger } = capture();
    logger.error({ err: databaseError() }, 'unhandled error');
    logger.warn({ error: databaseError(), job: { payload: { note: `电话 ${PHONE}` } } }, 'job failed');
    logger.info(`text ${ID}`);
    const output = lines.join('');
    expect(output).not.toContain(ID);
    expect(output).not.toContain(PHONE);
    // Still useful: the code, the kind of failure and a masked hint of the value.
    const first = JSON.parse(lines[0]);
    expect(first.err.message).toContain('duplicate key value');
    expect(JSON.stringify(first)).toContain('22P02');
    expect(output).toContain('110***2X');
  });
});
