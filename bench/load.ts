import { Agent, request } from 'node:http';

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
  };
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
    pending.push(
      task(index)
        .catch(() => false)
        .then((ok) => {
          if (ok) latencies.push(now() - due);
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
