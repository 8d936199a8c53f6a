// Relative, not @desk/vocabulary: a migration reads this library outside the module mapping.
import { codesOf, ID_TYPE_TERMS } from '../../vocabulary/src';
// Checks for the identity numbers an application must carry (Art. 29 ¶2(1): 身份证明).
// Pure functions: they answer with a reason a person can act on, or null when the number is valid.

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_ID_CHECK_CHARS = '10X98765432';

/** GB 11643-1999 居民身份号码: 6-digit region, 8-digit birth date, 3-digit sequence, ISO 7064 MOD 11-2 check character. */
export function residentIdProblem(value: string): string | null {
  const id = value.trim().toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) {
    return '居民身份证号码应为18位，前17位为数字，最后一位为数字或X';
  }
  const birth = id.slice(6, 14);
  const year = Number(birth.slice(0, 4));
  const month = Number(birth.slice(4, 6));
  const day = Number(birth.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return `居民身份证号码中的出生日期 ${birth} 不是有效日期`;
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * RESIDENT_ID_WEIGHTS[i];
  const expected = RESIDENT_ID_CHECK_CHARS[sum % 11];
  if (id[17] !== expected) {
    return '居民身份证号码校验位不正确，请核对号码';
  }
  return null;
}

// GB 32100-2015 统一社会信用代码: 31 characters, no I, O, Z, S, V.
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export function unifiedSocialCreditCodeProblem(value: string): string | null {
  const code = value.trim().toUpperCase();
  if (code.length !== 18 || [...code].some((c) => !USCC_CHARSET.includes(c))) {
    return '统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、Z、S、V）';
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(code[i]) * USCC_WEIGHTS[i];
  const check = (31 - (sum % 31)) % 31;
  if (code[17] !== USCC_CHARSET[check]) {
    return '统一社会信用代码校验位不正确，请核对代码';
  }
  return null;
}

export const ID_TYPES = codesOf(ID_TYPE_TERMS);
export type IdType = (typeof ID_TYPE_TERMS)[number]['code'];

/** The problem with an identity number of the given type, or null. Types without a check digit need 4–40 visible characters. */
export function identityNumberProblem(idType: IdType, idNumber: string): string | null {
  switch (idType) {
    case 'id_card':
      return residentIdProblem(idNumber);
    case 'uscc':
      return unifiedSocialCreditCodeProblem(idNumber);
    default:
      return /^[\p{L}\p{N}()（）-]{4,40}$/u.test(idNumber.trim()) ? null : '证件号码应为4至40位字母或数字';
  }
}

/** Normalised form used for storage and for matching one applicant's requests. */
export function normaliseIdentityNumber(idNumber: string): string {
  return idNumber.trim().toUpperCase();
}

/** 110105********1234 — what staff lists show (issue: personal data masked in every list). */
export function maskIdentityNumber(idNumber: string): string {
  const id = normaliseIdentityNumber(idNumber);
  if (id.length <= 2) return '*'.repeat(id.length);
  if (id.length <= 8) return `${id.slice(0, 1)}${'*'.repeat(Math.max(id.length - 2, 1))}${id.slice(-1)}`;
  // Passports and permits (9–14 characters): too short to keep the resident ID's six + four.
  if (id.length <= 14) return `${id.slice(0, 2)}${'*'.repeat(id.length - 4)}${id.slice(-2)}`;
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** 138****5678; a shorter number (a landline without its area code) keeps only its last two digits. */
export function maskPhone(phone: string): string {
  const p = phone.trim();
  if (p.length >= 11) return `${p.slice(0, 3)}${'*'.repeat(p.length - 7)}${p.slice(-4)}`;
  if (p.length <= 4) return '*'.repeat(p.length);
  return `${'*'.repeat(p.length - 2)}${p.slice(-2)}`;
}
