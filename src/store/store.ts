/**
 * The state that must outlive a process or be shared by several: per-chat context, the answers
 * behind buttons, rate-limit counters, votes and the feedback log. One small interface, in memory
 * by default and in Redis when REDIS_URL is set, so two bot processes behind one webhook answer as
 * one bot. Values are JSON; keys are namespaced by the caller ("chat:…", "answer:…").
 */
export interface Store {
  /** The value, or undefined when it is absent or has expired. */
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Sets the value only when the key is absent; true when this call set it. */
  setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Counts one more event in a fixed window that starts with the first event; returns the count so far. */
  hit(key: string, windowMs: number): Promise<number>;
  /** Appends to an ordered log, keeping at most the newest `maxLength` entries. */
  append(key: string, value: unknown, maxLength: number): Promise<void>;
  /** A log's entries, oldest first. */
  entries<T>(key: string): Promise<T[]>;
  close(): Promise<void>;
}
