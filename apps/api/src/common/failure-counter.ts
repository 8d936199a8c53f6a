/**
 * Failures per key within a sliding window of fixed start: the basis of the 429s that stop guessing (passwords at
 * sign-in, 查询码 at public tracking). In memory, per process.
 */
export class FailureCounter {
  private readonly entries = new Map<string, { count: number; since: number }>();

  constructor(private readonly windowMs: number) {}

  count(key: string): number {
    const entry = this.entries.get(key);
    if (!entry || Date.now() - entry.since > this.windowMs) return 0;
    return entry.count;
  }

  fail(key: string): void {
    const entry = this.entries.get(key);
    if (!entry || Date.now() - entry.since > this.windowMs) this.entries.set(key, { count: 1, since: Date.now() });
    else entry.count++;
    if (this.entries.size > 100_000) this.entries.clear();
  }

  clear(key: string): void {
    this.entries.delete(key);
  }
}
