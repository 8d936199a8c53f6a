import { withinQuietHours } from './sms-gateway';

describe('SMS quiet hours (Asia/Shanghai)', () => {
  const at = (shanghai: string) => new Date(`${shanghai}+08:00`);

  it('a window across midnight holds the evening and the early morning', () => {
    expect(withinQuietHours('21:00-08:00', at('2026-03-05T21:00:00'))).toBe(true);
    expect(withinQuietHours('21:00-08:00', at('2026-03-05T23:59:00'))).toBe(true);
    expect(withinQuietHours('21:00-08:00', at('2026-03-06T07:59:00'))).toBe(true);
    expect(withinQuietHours('21:00-08:00', at('2026-03-06T08:00:00'))).toBe(false);
    expect(withinQuietHours('21:00-08:00', at('2026-03-05T20:59:00'))).toBe(false);
  });

  it('a window within one day, and none', () => {
    expect(withinQuietHours('12:00-13:30', at('2026-03-05T12:45:00'))).toBe(true);
    expect(withinQuietHours('12:00-13:30', at('2026-03-05T13:30:00'))).toBe(false);
    expect(withinQuietHours('', at('2026-03-05T03:00:00'))).toBe(false);
  });

  it('reads the time in Shanghai whatever the server’s zone (UTC 14:00 is 22:00 there)', () => {
    expect(withinQuietHours('21:00-08:00', new Date('2026-03-05T14:00:00Z'))).toBe(true);
  });
});
