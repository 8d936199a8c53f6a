/**
 * Failures (or other events) per key within a window of fixed start: the basis of the 429s that stop guessing
 * (passwords at sign-in, 查询码 at public tracking) and floods (online applications). In memory, per process.
 */
export class FailureCounter {
  private readonly entries = new Map<string, { count: number; since: number }>();

  constructor(private readonly windowMs: number) {}

  count(key: string): number {
    const entry = this.entries.get(key);
    if (!entry || Date.now() - entry.since > this.windowMs) return 0;
    return entry.count;
  }

  fail(key: string, weight = 1): void {
    const entry = this.entries.get(key);
    if (!entry || Date.now() - entry.since > this.windowMs) this.entries.set(key, { count: weight, since: Date.now() });
    else entry.count += weight;
    if (this.entries.size > 100_000) this.entries.clear();
  }

  /** Takes one back: a count reserved for something that then did not happen. */
  undo(key: string): void {
    const entry = this.entries.get(key);
    if (entry && entry.count > 0) entry.count--;
  }

  clear(key: string): void {
    this.entries.delete(key);
  }
}
