/**
 * Per-chat context in memory, bounded and expiring: a busy bot cannot grow without limit, and an
 * idle chat's context is forgotten. Behind grammY's StorageAdapter, so a shared store (Redis, a
 * database) replaces it without code changes.
 */
import type { StorageAdapter } from "grammy";

export class BoundedMemoryStorage<T> implements StorageAdapter<T> {
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
