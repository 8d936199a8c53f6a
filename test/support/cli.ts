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
