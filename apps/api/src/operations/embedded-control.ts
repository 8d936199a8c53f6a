import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { resolve } from 'node:path';

/**
 * The embedded database lives inside the service's process and only one process may open its directory. While the
 * service runs, the operations tools (`npm run backup`, `migration:status`) ask it through a Unix socket beside the
 * data directory (`<EMBEDDED_DB_DIR>.sock`, mode 0600: the service's own user only), one JSON line each way; with no
 * answer the service is stopped and the tool opens the directory itself. Restore, key rotation and migrations refuse
 * to run while it answers. A second service started on a directory whose socket answers refuses too.
 */
export function controlSocketPath(dataDir: string): string {
  return `${resolve(dataDir)}.sock`;
}

export type ControlCommand = { command: 'ping' } | { command: 'backup'; directory: string } | { command: 'migration-status' };
type Handler = (request: ControlCommand) => Promise<unknown>;

export class ControlError extends Error {}

/** Ask the running service; null when none answers (no socket, or a stale one left by a crash). */
export function askService(dataDir: string, request: ControlCommand, timeoutMs = 10 * 60_000): Promise<unknown | null> {
  const path = controlSocketPath(dataDir);
  if (!existsSync(path)) return Promise.resolve(null);
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(path);
    let answer = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new ControlError(`the service did not answer within ${timeoutMs / 1000} s`)));
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolvePromise(null);
      else reject(error);
    });
    socket.on('end', () => {
      try {
        const parsed = JSON.parse(answer) as { ok: boolean; result?: unknown; error?: string };
        if (parsed.ok) resolvePromise(parsed.result ?? {});
        else reject(new ControlError(parsed.error ?? 'the service refused'));
      } catch {
        reject(new ControlError(`unreadable answer from the service: ${answer.slice(0, 200)}`));
      }
    });
  });
}

/** Refuse when a service runs on the directory: tools that write to it, or open it, need it to themselves. */
export async function refuseWhileServiceRuns(dataDir: string, what: string): Promise<void> {
  const answer = (await askService(dataDir, { command: 'ping' }, 5_000)) as { pid?: number } | null;
  if (answer) throw new ControlError(`the service (process ${answer.pid}) is running on ${resolve(dataDir)}: stop it before ${what}`);
}

/** Started by the service in embedded mode, before it accepts traffic. */
export async function serveControlSocket(dataDir: string, handle: Handler): Promise<Server> {
  const path = controlSocketPath(dataDir);
  if (existsSync(path)) {
    if (await askService(dataDir, { command: 'ping' }, 5_000)) {
      throw new ControlError(`another service is already running on ${resolve(dataDir)}: one embedded database serves one process`);
    }
    unlinkSync(path);
  }
  const server = createServer((socket) => {
    let buffer = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      const line = buffer.slice(0, newline);
      buffer = '';
      void (async () => {
        try {
          const request = JSON.parse(line) as ControlCommand;
          const result = request.command === 'ping' ? { pid: process.pid } : await handle(request);
          socket.end(`${JSON.stringify({ ok: true, result })}\n`);
        } catch (error) {
          socket.end(`${JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) })}\n`);
        }
      })();
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolvePromise());
  });
  chmodSync(path, 0o600);
  return server;
}
