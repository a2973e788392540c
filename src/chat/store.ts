/**
 * State kept between requests (a chat's follow-up context), behind one small interface so that
 * a shared store (Redis, a database) can replace the in-memory default without touching the
 * surfaces. The shape is grammY's StorageAdapter, so the bot's sessions use it as it is.
 */

export interface KeyValueStore<T> {
  read(key: string): T | undefined | Promise<T | undefined>;
  write(key: string, value: T): void | Promise<void>;
  delete(key: string): void | Promise<void>;
}

/** In memory, bounded and expiring: a busy server cannot grow without limit, and an idle chat's context is forgotten. */
export class BoundedMemoryStorage<T> implements KeyValueStore<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 30 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  read(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh its place: the least recently used entry is the one evicted.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  write(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
