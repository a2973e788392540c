import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store/memory.js";
import { RedisStore } from "../../src/store/redis.js";
import type { Store } from "../../src/store/store.js";
import { useRedis } from "../redis-server.js";

const redis = useRedis();

let n = 0;
const stores: [string, () => Promise<Store>][] = [
  ["memory", async () => new MemoryStore()],
  [
    "redis",
    // Each test its own prefix: one server, no state shared between tests.
    () => redis.connect(`t${n++}:`),
  ],
];

describe.each(stores)("%s store", (_name, open) => {
  it("keeps JSON values until they expire", async () => {
    const s = await open();
    await s.set("a", { q: "课后服务", n: [1, 2] }, 60_000);
    expect(await s.get("a")).toEqual({ q: "课后服务", n: [1, 2] });
    await s.set("short", 1, 50);
    await new Promise((ok) => setTimeout(ok, 120));
    expect(await s.get("short")).toBeUndefined();
    await s.delete("a");
    expect(await s.get("a")).toBeUndefined();
  });

  it("sets a key only once (one vote per user per answer)", async () => {
    const s = await open();
    expect(await s.setIfAbsent("vote", "up", 60_000)).toBe(true);
    expect(await s.setIfAbsent("vote", "down", 60_000)).toBe(false);
    expect(await s.get("vote")).toBe("up");
  });

  it("counts hits in a window that starts afresh after it ends", async () => {
    const s = await open();
    expect([await s.hit("r", 150), await s.hit("r", 150), await s.hit("r", 150)]).toEqual([1, 2, 3]);
    await new Promise((ok) => setTimeout(ok, 250));
    expect(await s.hit("r", 150)).toBe(1);
  });

  it("keeps the newest entries of a log, in order", async () => {
    const s = await open();
    for (let i = 0; i < 5; i++) await s.append("log", { i }, 3);
    expect(await s.entries("log")).toEqual([{ i: 2 }, { i: 3 }, { i: 4 }]);
    expect(await s.entries("none")).toEqual([]);
  });
});

describe("memory store", () => {
  it("is bounded: the least recently used entry goes first", async () => {
    const s = new MemoryStore(2);
    await s.set("a", 1, 60_000);
    await s.set("b", 2, 60_000);
    await s.get("a");
    await s.set("c", 3, 60_000);
    expect(await s.get("b")).toBeUndefined();
    expect(await s.get("a")).toBe(1);
    expect(s.size).toBe(2);
  });

  it("keeps a copy, not the caller's object", async () => {
    const s = new MemoryStore();
    const v = { lastQuestion: "a" };
    await s.set("c", v, 60_000);
    v.lastQuestion = "b";
    expect(await s.get("c")).toEqual({ lastQuestion: "a" });
  });
});

describe("redis store", () => {
  it("names REDIS_URL when the server cannot be reached, without the password", async () => {
    await expect(RedisStore.connect("redis://:hunter22@127.0.0.1:1")).rejects.toThrow(/REDIS_URL \(redis:\/\/:\*\*\*@127\.0\.0\.1:1\)/u);
    await expect(RedisStore.connect("redis://:hunter22@127.0.0.1:1")).rejects.not.toThrow(/hunter22/u);
  });
});
