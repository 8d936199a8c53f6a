import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { selfSignedP12 } from '../../../../test/support/certificate';
import { documentPdf } from './letter-layout';
import { LetterSigning } from './letter-signing';

function pdfsig(pdf: Buffer): string {
  const directory = mkdtempSync(join(tmpdir(), 'ogi-sig-'));
  try {
    writeFileSync(join(directory, 'letter.pdf'), pdf);
    // pdfsig exits 0 when every signature is valid; its report says how it judged each.
    return execFileSync('pdfsig', [join(directory, 'letter.pdf')], { encoding: 'utf8' });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** pdfsig's report whether or not it exits 0 (it exits non-zero when a signature fails). */
function pdfsigOrFailure(pdf: Buffer): string {
  try {
    return pdfsig(pdf);
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

describe('PAdES signing of issued letters (optional, per agency)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ogi-p12-'));
  const p12File = join(directory, 'agency.p12');
  writeFileSync(p12File, selfSignedP12('上海市某区住房保障和房屋管理局', 'secret-pass'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('signs the agency’s PDF with a CAdES signature that poppler verifies', async () => {
    const signing = new LetterSigning(loadConfig({ LETTER_SIGNING_P12_FILE: p12File, LETTER_SIGNING_P12_PASSWORD: 'secret-pass', AGENCY_CODE: 'sh-fgj' }));
    const pdf = await documentPdf('政府信息公开申请答复书', ['本机关于2025年9月26日收到您的申请。'], '2025-10-23');
    const signed = await signing.sign(pdf, { code: 'sh-fgj', name: '上海市某区住房保障和房屋管理局' }, '政府信息公开申请答复书');
    const report = pdfsig(signed);
    expect(report).toMatch(/Signature #1/);
    expect(report).toMatch(/Signature Type: ETSI\.CAdES\.detached/);
    expect(report).toMatch(/Signature Validation: Signature is Valid\./);
    expect(report).toMatch(/Signer Certificate Common Name: 上海市某区住房保障和房屋管理局/);
    // One byte of the signed range altered: the signature no longer holds.
    const tampered = Buffer.from(signed);
    tampered[tampered.indexOf(Buffer.from('/Title')) + 1] = 'X'.charCodeAt(0);
    expect(pdfsigOrFailure(tampered)).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
  });

  it('leaves another agency’s letters unsigned, and signs nothing without a certificate', async () => {
    const pdf = await documentPdf('答复书', ['正文'], '2025-10-23');
    const signing = new LetterSigning(loadConfig({ LETTER_SIGNING_P12_FILE: p12File, LETTER_SIGNING_P12_PASSWORD: 'secret-pass', AGENCY_CODE: 'sh-fgj' }));
    expect(await signing.sign(pdf, { code: 'other-agency', name: '另一机关' }, '答复书')).toBe(pdf);
    expect(await new LetterSigning(loadConfig({})).sign(pdf, { code: 'default', name: '机关' }, '答复书')).toBe(pdf);
  });

  it('refuses to start with a wrong password, naming the setting', () => {
    expect(() => new LetterSigning(loadConfig({ LETTER_SIGNING_P12_FILE: p12File, LETTER_SIGNING_P12_PASSWORD: 'wrong' }))).toThrow(/LETTER_SIGNING_P12_FILE/);
    expect(() => loadConfig({ LETTER_SIGNING_P12_FILE: p12File })).toThrow(/LETTER_SIGNING_P12_PASSWORD/);
  });
});
