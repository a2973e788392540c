/** The store the configuration asks for: Redis with REDIS_URL, otherwise this process's memory. */
import { MemoryStore } from "./memory.js";
import { RedisStore } from "./redis.js";
import type { Store } from "./store.js";

export async function openStore(config: { redisUrl?: string }): Promise<Store> {
  return config.redisUrl ? RedisStore.connect(config.redisUrl) : new MemoryStore();
}
