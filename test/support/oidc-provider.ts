import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface TestAccount {
  sub: string;
  claims: Record<string, string>;
}

export interface TestProviderSettings {
  clients: { client_id: string; client_secret: string; redirect_uris: string[]; post_logout_redirect_uris?: string[] }[];
  /** login → account */
  accounts: Record<string, TestAccount>;
}

export interface TestProvider {
  issuer: string;
  password: string;
  /** What the provider wrote to its standard error (its warnings), for a failing test to show. */
  errors: string[];
  /** Publish another key under the signing key's id (the ID tokens then fail their signature check), or the real one again. */
  publishRogueKey(rogue: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** A real OpenID provider (oidc-provider-process.mjs) on 127.0.0.1 in a child process of its own. */
export async function startTestProvider(settings: TestProviderSettings): Promise<TestProvider> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider-process.mjs'), JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString('utf8')));
  const issuer = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { issuer: string }).issuer));
    child.once('exit', (code) => reject(new Error(`the test OpenID provider stopped (${code}): ${errors.join('')}`)));
  });
  return {
    issuer,
    password: 'idp-password',
    errors,
    publishRogueKey: async (rogue) => {
      const response = await fetch(`${issuer}/__test/jwks`, { method: 'POST', body: rogue ? 'rogue' : 'genuine' });
      if (response.status !== 204) throw new Error(`the test provider did not switch its keys: ${response.status}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
