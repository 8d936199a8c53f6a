import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';

/** Latencies of one measured series, in milliseconds, and the throughput it reached. */
export interface Series {
  label: string;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** Every latency measured, for `combine`. */
  latencies: number[];
}

function percentile(sorted: number[], fraction: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

export function summarise(label: string, latencies: number[], errors: number, seconds: number): Series {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    label,
    requests: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.reduce((acc, value) => acc + value, 0) / (sorted.length || 1),
    latencies,
  };
}

/** Several rounds of one series as one: latencies pooled, requests per second over the rounds' time together. */
export function combine(label: string, rounds: Series[]): Series {
  return summarise(
    label,
    rounds.flatMap((round) => round.latencies),
    rounds.reduce((acc, round) => acc + round.errors, 0),
    rounds.reduce((acc, round) => acc + round.seconds, 0),
  );
}

/**
 * Runs the series of each round in turn (A, B, A, B, …) and pools each series over the rounds, so that a change in the
 * machine's load (a shared VM, a neighbour's job) falls on the compared series alike instead of on one of them. Each
 * turn starts with the series' warm-up, not measured.
 */
export async function interleave(
  rounds: number,
  series: { label: string; run: () => Promise<Series>; warmUp?: () => Promise<unknown> }[],
): Promise<Series[]> {
  const results = series.map(() => [] as Series[]);
  for (let round = 0; round < rounds; round++) {
    for (const [index, entry] of series.entries()) {
      // A series idle through the others' turn starts cold (sockets, caches, a sleeping core): warm it, unmeasured.
      await entry.warmUp?.();
      results[index].push(await entry.run());
    }
  }
  return series.map((entry, index) => combine(entry.label, results[index]));
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Closed loop: `concurrency` workers, each sending its next request as soon as the last one answered, for `seconds`.
 * Gives the throughput the system sustains; a task returns false (or throws) for a failed request.
 */
export async function closedLoop(label: string, concurrency: number, seconds: number, task: (worker: number, index: number) => Promise<boolean>): Promise<Series> {
  const latencies: number[] = [];
  let errors = 0;
  const started = now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let index = 0; now() < deadline; index++) {
        const sent = now();
        const ok = await task(worker, index).catch(() => false);
        if (ok) latencies.push(now() - sent);
        else errors++;
      }
    }),
  );
  return summarise(label, latencies, errors, (now() - started) / 1000);
}

/**
 * Open loop: requests start at a fixed offered rate whatever the answers do, and each latency is counted from the
 * moment the request was due, so a stall shows in the percentiles instead of quietly lowering the rate (coordinated
 * omission).
 */
export async function openLoop(label: string, ratePerSecond: number, seconds: number, task: (index: number) => Promise<boolean>): Promise<Series> {
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round(ratePerSecond * seconds);
  const interval = 1000 / ratePerSecond;
  const started = now();
  const pending: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = started + index * interval;
    if (due > now()) await sleep(due - now());
    // A timer may fire a little early (libuv keeps milliseconds): then the request is timed from when it was sent.
    const from = Math.min(due, now());
    pending.push(
      task(index)
        .catch(() => false)
        .then((ok) => {
          if (ok) latencies.push(now() - from);
          else errors++;
        }),
    );
  }
  await Promise.all(pending);
  return summarise(label, latencies, errors, (now() - started) / 1000);
}

/** Sequential timings of a slow request (a report, a queue page), with one warm-up call first. */
export async function repeat(label: string, times: number, task: () => Promise<boolean>): Promise<Series> {
  await task();
  const latencies: number[] = [];
  let errors = 0;
  const started = now();
  for (let index = 0; index < times; index++) {
    const sent = now();
    if (await task().catch(() => false)) latencies.push(now() - sent);
    else errors++;
  }
  return summarise(label, latencies, errors, (now() - started) / 1000);
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** A small keep-alive HTTP client: the load generator's own cost should stay far below the service's. */
export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly port: number) {}

  send(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: unknown): Promise<HttpAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const call = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: { ...headers, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      call.on('error', reject);
      call.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Requests over kept-alive sockets with nothing else: the request bytes written as they are, the answer read up to its
 * Content-Length. The load generator shares the machine's two cores with the service and the database, so for the
 * many-thousand-a-second lookups its own cost must be as small as a C load generator's, not Node's full HTTP client
 * (which costs about as much as the service's HTTP parsing itself). Answers without a Content-Length are refused.
 */
export class LeanHttpClient {
  private readonly idle: Socket[] = [];
  private readonly sockets = new Set<Socket>();

  constructor(private readonly port: number) {}

  get(path: string): Promise<HttpAnswer> {
    return this.send('GET', path);
  }

  /** A request with headers and a JSON body (a workflow event's POST), answered as `get` is. */
  async send(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: unknown): Promise<HttpAnswer> {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const head = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${this.port}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    if (payload) head.push('Content-Type: application/json', `Content-Length: ${payload.length}`);
    const bytes = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), ...(payload ? [payload] : [])]);
    let socket = this.idle.pop();
    // The server closes a connection idle for its keep-alive timeout (5 s in Node): never reuse a closed one.
    while (socket && (socket.destroyed || !socket.writable)) socket = this.idle.pop();
    socket ??= await this.connect();
    const answer = await new Promise<HttpAnswer>((resolve, reject) => {
      let buffered: Buffer = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        const headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        const answerHead = buffered.subarray(0, headEnd).toString('latin1');
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(answerHead);
        if (!length) return fail(new Error(`no Content-Length in the answer to ${path}`));
        const end = headEnd + 4 + Number(length[1]);
        if (buffered.length < end) return;
        if (buffered.length > end) return fail(new Error(`more bytes than the answer to ${path}`));
        cleanup();
        resolve({ status: Number(answerHead.slice(9, 12)), body: buffered.subarray(headEnd + 4, end).toString('utf8') });
      };
      const fail = (error: Error) => {
        cleanup();
        socket.destroy();
        reject(error);
      };
      const onClose = () => fail(new Error(`the connection closed before the answer to ${path}`));
      const cleanup = () => {
        socket.off('data', onData);
        socket.off('error', fail);
        socket.off('close', onClose);
      };
      socket.on('data', onData);
      socket.once('error', fail);
      socket.once('close', onClose);
      socket.write(bytes);
    });
    this.idle.push(socket);
    return answer;
  }

  private connect(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port: this.port, noDelay: true }, () => {
        socket.off('error', reject);
        this.sockets.add(socket);
        socket.once('close', () => {
          this.sockets.delete(socket);
          const idleAt = this.idle.indexOf(socket);
          if (idleAt !== -1) this.idle.splice(idleAt, 1);
        });
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}

/** CPU time in ms: the service's process, the load generator (this process), and everything else on the machine. */
export interface CpuShare {
  service: number;
  loadGenerator: number;
  /** The machine's busy time less the two processes: PostgreSQL, mostly. */
  rest: number;
  idle: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux.

function readCpu(servicePid: number): { service: number; machineBusy: number; machineIdle: number; own: number } | null {
  try {
    // /proc/<pid>/stat: utime and stime are fields 14 and 15, after the command in parentheses.
    const stat = readFileSync(`/proc/${servicePid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const service = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const ticks = cpu.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const idle = (ticks[3] + ticks[4]) * TICK_MS;
    const busy = (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]) * TICK_MS;
    const usage = process.cpuUsage();
    return { service, machineBusy: busy, machineIdle: idle, own: (usage.user + usage.system) / 1000 };
  } catch {
    return null; // Not Linux: no /proc.
  }
}

/** Runs `work` and tells where the machine's CPU went meanwhile (Linux only; null elsewhere). */
export async function withCpu<T>(servicePid: number, work: () => Promise<T>): Promise<{ result: T; cpu: CpuShare | null }> {
  const before = readCpu(servicePid);
  const result = await work();
  const after = readCpu(servicePid);
  if (!before || !after) return { result, cpu: null };
  const service = after.service - before.service;
  const loadGenerator = after.own - before.own;
  return { result, cpu: { service, loadGenerator, rest: Math.max(0, after.machineBusy - before.machineBusy - service - loadGenerator), idle: after.machineIdle - before.machineIdle } };
}
