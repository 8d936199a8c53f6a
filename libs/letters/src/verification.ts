// 文书核验: every issued letter carries a short code and a QR code that lead to the public /verify page, where anyone
// holding a printout (the applicant, a court) can confirm the agency, 文号, date and the PDF's SHA-256.

/** Crockford's base 32: no I, L, O or U, so a code read off paper is not mistaken (1/I/L, 0/O). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 characters: 60 bits, far beyond guessing at the /verify page's throttled rate. */
export const VERIFICATION_CODE_LENGTH = 12;

/** A new code from random bytes (the caller supplies them: the library stays pure). */
export function verificationCodeFrom(random: Uint8Array): string {
  if (random.length < VERIFICATION_CODE_LENGTH) throw new RangeError(`need ${VERIFICATION_CODE_LENGTH} random bytes`);
  return Array.from(random.subarray(0, VERIFICATION_CODE_LENGTH), (byte) => ALPHABET[byte & 31]).join('');
}

/** How a code is printed: ABCD-EFGH-JKMN. */
export function formatVerificationCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-');
}

/**
 * A code as a person types it (lower case, dashes, spaces, O for 0, I/L for 1), or null when it cannot be one. Crockford's
 * reading rules, so a printout read aloud still finds its letter.
 */
export function normaliseVerificationCode(input: string): string | null {
  const code = input
    .toUpperCase()
    .replace(/[\s\-－—]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return code.length === VERIFICATION_CODE_LENGTH && [...code].every((character) => ALPHABET.includes(character)) ? code : null;
}

/** The address the QR code carries: `{base}/verify/{code}`. */
export function verificationUrl(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/verify/${code}`;
}

/** The line printed under the letter (HTML, PDF and DOCX alike); the QR code beside it carries the same address. */
export function verificationLine(publicBaseUrl: string, code: string): string {
  return `验证码：${formatVerificationCode(code)}　扫描二维码或访问 ${verificationUrl(publicBaseUrl, code)} 可核验本文书的出具机关、文号、日期和数字指纹（SHA-256）`;
}

/** The address inside a verification line (the QR code is drawn from it). */
export function verificationUrlIn(line: string): string | null {
  return /https?:\/\/\S+\/verify\/[0-9A-Z]+/.exec(line)?.[0] ?? null;
}
