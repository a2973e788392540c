/**
 * Requests per client per minute, counted in fixed one-minute windows. In memory and bounded:
 * a flood of distinct clients evicts the oldest windows instead of growing without limit.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly maxClients = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request: 0 when it may go ahead, otherwise the seconds until the client may ask again. */
  take(client: string): number {
    const t = this.now();
    let w = this.windows.get(client);
    if (!w || w.resetAt <= t) {
      w = { count: 0, resetAt: t + this.windowMs };
      // Re-inserted, so the map's order stays the order windows started in: the first is the oldest.
      this.windows.delete(client);
      this.windows.set(client, w);
      while (this.windows.size > this.maxClients) this.windows.delete(this.windows.keys().next().value!);
    }
    if (w.count >= this.limit) return Math.max(1, Math.ceil((w.resetAt - t) / 1000));
    w.count += 1;
    return 0;
  }
}
