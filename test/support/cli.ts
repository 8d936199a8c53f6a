import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const DIST = join(__dirname, '../../dist/apps/api/src');

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A built command-line tool (`npm run backup` and the like) or the service, in its own process, as an operator runs it. */
export function runBuilt(relative: string, args: string[], env: Record<string, string | undefined>): Promise<ToolRun> {
  const script = join(DIST, relative);
  if (!existsSync(script)) throw new Error(`${script} is missing: npm test builds it first (npm run build)`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn' };
  for (const key of ['DATABASE_URL', 'DATABASE_READ_URL', 'PERSONAL_DATA_KEY', 'PERSONAL_DATA_OLD_KEYS', 'EMBEDDED_DB_DIR', 'BACKUP_DIR', 'BACKUP_KEEP', 'SEED_DEMO']) delete childEnv[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) childEnv[key] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export const runTool = (name: string, args: string[], env: Record<string, string | undefined>) => runBuilt(`cli/${name}.js`, args, env);

export interface RunningService {
  baseUrl: string;
  output(): string;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
}

/** The built service (`npm start`'s main.js) in its own process; resolves once it prints its URLs. */
export function startService(env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<RunningService> {
  const script = join(DIST, 'main.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: npm test builds it first (npm run build)`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', PORT: '0', JOBS_ENABLED: 'false' };
  for (const key of ['DATABASE_URL', 'DATABASE_READ_URL', 'PERSONAL_DATA_KEY', 'PERSONAL_DATA_OLD_KEYS', 'EMBEDDED_DB_DIR', 'SEED_DEMO']) delete childEnv[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) childEnv[key] = value;
  const child = spawn(process.execPath, [script], { env: childEnv });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /API\s+(http:\/\/localhost:\d+)\/api/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          baseUrl: match[1],
          output: () => output,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${output}`));
    });
  });
}
