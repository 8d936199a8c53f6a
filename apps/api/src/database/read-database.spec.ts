import type { DataSource } from 'typeorm';
import { isStandbyUnavailable, ReadDatabase } from './read-database';

const source = (name: string, initialized = true) => ({ name, isInitialized: initialized }) as unknown as DataSource;
const failure = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('ReadDatabase: the standby for reads, the primary when it cannot answer', () => {
  const primary = source('primary');
  const standby = source('standby');

  it('runs reads on the standby when it is connected, on the primary when there is none', async () => {
    const on = (dataSource: DataSource) => Promise.resolve((dataSource as unknown as { name: string }).name);
    expect(await new ReadDatabase(primary, standby).run(on)).toBe('standby');
    expect(await new ReadDatabase(primary).run(on)).toBe('primary');
  });

  it('answers from the primary when the standby is unreachable, and warns at most once a minute', async () => {
    const warn = jest.fn();
    const reads = new ReadDatabase(primary, standby, { warn });
    const work = jest.fn((dataSource: DataSource) => (dataSource === standby ? Promise.reject(failure('ECONNREFUSED')) : Promise.resolve('from primary')));
    expect(await reads.run(work)).toBe('from primary');
    expect(await reads.run(work)).toBe('from primary');
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('does not hide a bad query behind the primary', async () => {
    const work = jest.fn((dataSource: DataSource) => (dataSource === standby ? Promise.reject(failure('42601', 'syntax error')) : Promise.resolve('primary')));
    await expect(new ReadDatabase(primary, standby).run(work)).rejects.toThrow('syntax error');
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('knows the failures of a standby that is down, starting, shut down or in conflict with replay', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '40001']) expect(isStandbyUnavailable(failure(code))).toBe(true);
    expect(isStandbyUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    for (const code of ['42601', '23505', '22P02']) expect(isStandbyUnavailable(failure(code))).toBe(false);
  });
});
