import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { signCallback, verifyCallback } from './callback-signature';

/**
 * The README's integration guide: its signature-verification example is run as it stands, and the desk's own signer
 * must give the very signature it shows (so the guide and the service cannot drift apart).
 */
describe('integration guide (README): verifying a callback signature', () => {
  const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
  const block = /<!-- integration-guide:verify-example -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
  type Verify = (secret: string, timestamp: string | undefined, signature: string | undefined, body: string, now?: number) => boolean;

  function run(): { result: unknown; context: { verifyDeskCallback: Verify } } {
    const context = createContext({ require, Buffer });
    // The block's last statement is the worked example's check; `const` bindings stay in the script, read them back.
    const result = runInContext(block!, context);
    const exported = runInContext('({ secret, timestamp, body, signature })', context) as Record<string, string>;
    Object.assign(context, { exported });
    return { result, context: context as unknown as { verifyDeskCallback: Verify } };
  }

  it('the README has the example block', () => {
    expect(block).toBeDefined();
    expect(block).toContain('verifyDeskCallback(secret, timestamp, signature, body, 1764921630)');
  });

  it('runs as written and says true for the worked example', () => {
    expect(run().result).toBe(true);
  });

  it('the desk signs the worked example exactly as the README shows, and the README verifier agrees with the desk’s', () => {
    const { context } = run();
    const { secret, timestamp, body, signature } = (context as unknown as { exported: Record<string, string> }).exported;
    expect(signCallback(secret, timestamp, body)).toBe(signature);
    expect(verifyCallback(secret, { timestamp, signature }, body, 1764921630)).toBe(true);
    // Anything changed fails, in both verifiers alike.
    const cases: [string, string, string, string, number][] = [
      ['ogi-whsec.another', timestamp, signature, body, 1764921630],
      [secret, timestamp, signature, body.replace('已受理', '已答复'), 1764921630],
      [secret, '1764921601', signature, body, 1764921630],
      [secret, timestamp, signature.toUpperCase(), body, 1764921630],
      [secret, timestamp, signature, body, 1764921600 + 301],
      [secret, timestamp, signature, body, 1764921600 - 301],
    ];
    for (const [s, ts, sig, b, now] of cases) {
      expect(context.verifyDeskCallback(s, ts, sig, b, now)).toBe(false);
      expect(verifyCallback(s, { timestamp: ts, signature: sig }, b, now)).toBe(false);
    }
    expect(context.verifyDeskCallback(secret, undefined, signature, body, 1764921630)).toBe(false);
    expect(context.verifyDeskCallback(secret, timestamp, undefined, body, 1764921630)).toBe(false);
  });

  it('the body in the example is the shape the desk sends: no identity number, phone or 查询码', () => {
    const { context } = run();
    const { body } = (context as unknown as { exported: Record<string, string> }).exported;
    const parsed = JSON.parse(body);
    expect(Object.keys(parsed).sort()).toEqual(['case', 'events', 'id', 'occurredAt']);
    expect(body).not.toMatch(/idNumber|queryCode|phone/);
  });
});
