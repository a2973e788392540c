/**
 * Accepted messages wait here to be answered after the callback has been acknowledged: each
 * person's messages in the order they came (a follow-up needs the answer before it), at most
 * `concurrency` answers at once across everyone.
 */
import { log } from "../../log.js";

export class PerUserQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private queued = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  /** Accepted and not yet finished. */
  get pending(): number {
    return this.queued;
  }

  push(user: string, job: () => Promise<void>): void {
    this.queued++;
    const tail = (this.tails.get(user) ?? Promise.resolve())
      .then(() => this.inSlot(job))
      .catch((e: unknown) => log().error({ err: (e as Error).message }, "wecom job failed outside its own error handling"))
      .finally(() => {
        if (this.tails.get(user) === tail) this.tails.delete(user);
        if (--this.queued === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
    this.tails.set(user, tail);
  }

  /** Resolves when nothing is pending, or after `graceMs`, whichever comes first. */
  async idle(graceMs: number): Promise<void> {
    if (this.queued === 0) return;
    await Promise.race([new Promise<void>((ok) => this.idleWaiters.push(ok)), new Promise((ok) => setTimeout(ok, graceMs).unref())]);
  }

  private async inSlot(job: () => Promise<void>): Promise<void> {
    if (this.running < this.concurrency) this.running++;
    // A finished job hands its slot straight to the first waiter, so no newcomer can take it between.
    else await new Promise<void>((ok) => this.waiting.push(ok));
    try {
      await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
