import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A self-signed certificate with its RSA key in a PKCS#12 file, made by OpenSSL as an agency's certificate would come
 * (OpenSSL 3's defaults: AES-256 and a SHA-256 MAC), with a Chinese common name.
 */
export function selfSignedP12(commonName: string, password: string): Buffer {
  const directory = mkdtempSync(join(tmpdir(), 'ogi-cert-'));
  try {
    const key = join(directory, 'key.pem');
    const certificate = join(directory, 'certificate.pem');
    const p12 = join(directory, 'agency.p12');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-days', '30', '-utf8', '-subj', `/C=CN/CN=${commonName}`], { stdio: 'ignore' });
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', certificate, '-out', p12, '-passout', `pass:${password}`], { stdio: 'ignore' });
    return readFileSync(p12);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
