import { randomBytes } from 'node:crypto';
import { openPendingSignIn, sealPendingSignIn, type PendingSignIn } from './sso-pending';

describe('the sealed cookie of a sign-in under way', () => {
  const key = randomBytes(32);
  const pending: PendingSignIn = { agencyCode: 'default', state: 's', nonce: 'n', codeVerifier: 'v', next: '/staff/queue', expiresAt: Date.now() + 60_000 };

  it('opens under its key while it lasts', () => {
    expect(openPendingSignIn(key, sealPendingSignIn(key, pending))).toEqual(pending);
  });

  it('is unreadable: nothing of the state, nonce or verifier shows in it', () => {
    const sealed = sealPendingSignIn(key, { ...pending, codeVerifier: 'VERIFIER-IN-CLEAR' });
    expect(Buffer.from(sealed.split('.')[2], 'base64url').toString('latin1')).not.toContain('VERIFIER');
  });

  it('refuses one altered by a single bit, one sealed under another key, one past its time, and garbage', () => {
    const sealed = sealPendingSignIn(key, pending);
    const [iv, tag, body] = sealed.split('.');
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] ^= 1;
    expect(openPendingSignIn(key, [iv, tag, bytes.toString('base64url')].join('.'))).toBeNull();
    expect(openPendingSignIn(randomBytes(32), sealed)).toBeNull();
    expect(openPendingSignIn(key, sealed, pending.expiresAt + 1)).toBeNull();
    expect(openPendingSignIn(key, 'not.a.cookie')).toBeNull();
    expect(openPendingSignIn(key, null)).toBeNull();
  });
});
