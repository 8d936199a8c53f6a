import { formatVerificationCode, normaliseVerificationCode, verificationCodeFrom, verificationLine, verificationUrlIn } from './verification';

describe('letter verification codes', () => {
  it('twelve characters of Crockford base 32 from random bytes, printed in groups of four', () => {
    const code = verificationCodeFrom(Uint8Array.from([0, 1, 2, 31, 32, 255, 8, 9, 10, 11, 12, 13]));
    expect(code).toBe('012Z0Z89ABCD');
    expect(formatVerificationCode(code)).toBe('012Z-0Z89-ABCD');
    expect(() => verificationCodeFrom(new Uint8Array(4))).toThrow(RangeError);
  });

  it('reads a code as a person types it back from paper', () => {
    expect(normaliseVerificationCode('012z-0z89-abcd')).toBe('012Z0Z89ABCD');
    expect(normaliseVerificationCode(' O1Lz 0Z89 ABCD ')).toBe('011Z0Z89ABCD');
    expect(normaliseVerificationCode('012Z0Z89ABC')).toBeNull();
    expect(normaliseVerificationCode('012Z0Z89ABCU')).toBeNull();
  });

  it('the printed line carries the address the QR code encodes', () => {
    const line = verificationLine('https://ogi.example.gov.cn/', '012Z0Z89ABCD');
    expect(line).toBe('验证码：012Z-0Z89-ABCD　扫描二维码或访问 https://ogi.example.gov.cn/verify/012Z0Z89ABCD 可核验本文书的出具机关、文号、日期和数字指纹（SHA-256）');
    expect(verificationUrlIn(line)).toBe('https://ogi.example.gov.cn/verify/012Z0Z89ABCD');
  });
});
