/**
 * The default store: one process's memory, bounded and expiring, so a busy bot cannot grow without
 * limit and an idle chat's context is forgotten. Nothing to install; lost on restart.
 */
import type { Store } from "./store.js";

export class MemoryStore implements Store {
  private readonly values = new Map<string, { value: unknown; expires: number }>();
  private readonly logs = new Map<string, unknown[]>();

  constructor(
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  private live(key: string): { value: unknown; expires: number } | undefined {
    const e = this.values.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.values.delete(key);
      return undefined;
    }
    // Refresh its place: the least recently used entry is the one evicted.
    this.values.delete(key);
    this.values.set(key, e);
    return e;
  }

  private put(key: string, value: unknown, ttlMs: number): void {
    this.values.delete(key);
    // A stored copy, as Redis would keep: a caller changing its object later changes nothing here.
    this.values.set(key, { value: structuredClone(value), expires: this.now() + ttlMs });
    while (this.values.size > this.maxEntries) this.values.delete(this.values.keys().next().value!);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const e = this.live(key);
    return e ? (structuredClone(e.value) as T) : undefined;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.put(key, value, ttlMs);
  }

  async setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.put(key, value, ttlMs);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const e = this.live(key);
    if (!e) {
      this.put(key, 1, windowMs);
      return 1;
    }
    e.value = (e.value as number) + 1;
    return e.value as number;
  }

  async append(key: string, value: unknown, maxLength: number): Promise<void> {
    const log = this.logs.get(key) ?? [];
    log.push(structuredClone(value));
    if (log.length > maxLength) log.splice(0, log.length - maxLength);
    this.logs.set(key, log);
  }

  async entries<T>(key: string): Promise<T[]> {
    return structuredClone(this.logs.get(key) ?? []) as T[];
  }

  async close(): Promise<void> {}

  get size(): number {
    return this.values.size;
  }
}
