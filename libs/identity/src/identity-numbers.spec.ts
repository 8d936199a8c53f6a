import {
  identityNumberProblem,
  maskIdentityNumber,
  maskPhone,
  residentIdProblem,
  unifiedSocialCreditCodeProblem,
} from './identity-numbers';

describe('resident identity number (GB 11643)', () => {
  it('accepts the standard example with its check digit', () => {
    // The GB 11643-1999 worked example: 11010519491231002X.
    expect(residentIdProblem('11010519491231002X')).toBeNull();
    expect(residentIdProblem('11010519491231002x')).toBeNull();
    // Same algorithm, a birth date before 1900 is refused as implausible.
    expect(residentIdProblem('440524188001010014')).toMatch(/出生日期/);
  });

  it('refuses a wrong check digit, naming it', () => {
    expect(residentIdProblem('110105194912310021')).toMatch(/校验位/);
  });

  it('refuses an impossible birth date', () => {
    // 1949-02-30 does not exist; the check digit is irrelevant then.
    expect(residentIdProblem('110105194902300021')).toMatch(/出生日期/);
  });

  it('refuses the wrong length or letters', () => {
    expect(residentIdProblem('11010519491231002')).toMatch(/18位/);
    expect(residentIdProblem('1101051949123100AX')).toMatch(/18位/);
  });
});

describe('unified social credit code (GB 32100)', () => {
  it('accepts real codes', () => {
    expect(unifiedSocialCreditCodeProblem('91350100M000100Y43')).toBeNull();
    expect(unifiedSocialCreditCodeProblem('91110000802100433B')).toBeNull();
  });

  it('refuses a wrong check character', () => {
    expect(unifiedSocialCreditCodeProblem('91350100M000100Y44')).toMatch(/校验位/);
  });

  it('refuses forbidden letters', () => {
    expect(unifiedSocialCreditCodeProblem('91350100M000100I43')).toMatch(/不含I、O、Z、S、V/);
  });
});

describe('identityNumberProblem', () => {
  it('dispatches on the type', () => {
    expect(identityNumberProblem('id_card', '11010519491231002X')).toBeNull();
    expect(identityNumberProblem('uscc', '11010519491231002X')).toMatch(/统一社会信用代码/);
    expect(identityNumberProblem('passport', 'E12345678')).toBeNull();
    expect(identityNumberProblem('passport', 'E1')).toMatch(/4至40位/);
  });
});

describe('masking', () => {
  it('keeps the region and the last four digits of an ID', () => {
    expect(maskIdentityNumber('11010519491231002X')).toBe('110105********002X');
  });
  it('masks every length of number an applicant may give, never failing on a short one', () => {
    expect(maskIdentityNumber('E12345678')).toBe('E1*****78'); // passport, 9
    expect(maskIdentityNumber('H1234567801')).toBe('H1*******01'); // 回乡证, 11
    expect(maskIdentityNumber('ORG100001')).toBe('OR*****01');
    expect(maskIdentityNumber('ABCD')).toBe('A**D');
    for (let length = 1; length <= 40; length++) {
      const masked = maskIdentityNumber('A'.repeat(length));
      expect(masked).toMatch(/\*/);
      expect(masked.replace(/\*/g, '').length).toBeLessThan(length);
    }
  });
  it('masks the middle of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 13812345678')).toBe('+86********5678');
    expect(maskPhone('62345678')).toBe('******78');
    expect(maskPhone('6234567')).toBe('*****67');
    for (let length = 1; length <= 20; length++) {
      const visible = maskPhone('9'.repeat(length)).replace(/\*/g, '').length;
      expect(visible).toBeLessThanOrEqual(Math.floor((length * 2) / 3));
    }
  });
});
