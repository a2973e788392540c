/**
 * The shared store: Redis through ioredis. Every bot process pointed at the same REDIS_URL sees
 * the same chats, answers, counters and feedback, and a restart loses none of them.
 */
import { Redis } from "ioredis";
import { log } from "../log.js";
import type { Store } from "./store.js";

export class RedisStore implements Store {
  private constructor(
    readonly client: Redis,
    private readonly prefix: string,
  ) {}

  /** Connects and checks the server answers, so a wrong REDIS_URL stops the program at start. */
  static async connect(url: string, prefix = "epb:"): Promise<RedisStore> {
    const client = new Redis(url, {
      // A request waits through a short outage, then fails (the update's error boundary answers).
      maxRetriesPerRequest: 2,
      connectTimeout: 5000,
      lazyConnect: true,
    });
    // Without a listener ioredis prints every reconnect error itself; ours go to the log.
    client.on("error", (e: Error) => log().warn({ err: e.message }, "redis connection error"));
    try {
      await client.connect();
      await client.ping();
    } catch (e) {
      client.disconnect();
      throw new Error(`cannot reach Redis at REDIS_URL (${redactUrl(url)}): ${(e as Error).message}`);
    }
    return new RedisStore(client, prefix);
  }

  private k(key: string): string {
    return `${this.prefix}${key}`;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.client.get(this.k(key));
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.client.set(this.k(key), JSON.stringify(value), "PX", ttlMs);
  }

  async setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean> {
    return (await this.client.set(this.k(key), JSON.stringify(value), "PX", ttlMs, "NX")) === "OK";
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.k(key));
  }

  async hit(key: string, windowMs: number): Promise<number> {
    // The window starts with the first event (SET NX with its expiry), then INCR counts within it.
    const out = await this.client.multi().set(this.k(key), "0", "PX", windowMs, "NX").incr(this.k(key)).exec();
    const incr = out?.[1];
    if (!incr || incr[0]) throw incr?.[0] ?? new Error("redis transaction aborted");
    return Number(incr[1]);
  }

  async append(key: string, value: unknown, maxLength: number): Promise<void> {
    await this.client.multi().rpush(this.k(key), JSON.stringify(value)).ltrim(this.k(key), -maxLength, -1).exec();
  }

  async entries<T>(key: string): Promise<T[]> {
    return (await this.client.lrange(this.k(key), 0, -1)).map((s) => JSON.parse(s) as T);
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(not a URL)";
  }
}
