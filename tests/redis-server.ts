/**
 * A real redis-server for the tests (the Debian package; `.ci/run` installs it): started on a free
 * loopback port with nothing saved to disk, stopped after.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { RedisStore } from "../src/store/redis.js";

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on("error", fail);
  });
}

export async function startRedis(): Promise<RedisServer> {
  if (spawnSync("redis-server", ["--version"]).error) {
    throw new Error("redis-server is not installed: apt-get install -y redis-server (.ci/run does this)");
  }
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.stdout!.on("data", (d) => {
      out += String(d);
      if (out.includes("Ready to accept connections")) {
        clearTimeout(timer);
        ok();
      }
    });
    child.on("exit", (code) => fail(new Error(`redis-server exited (${code}): ${out}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once("exit", () => ok());
        child.kill("SIGTERM");
      }),
  };
}

/** A redis-server for the file's tests, and connections to it that are closed when they end. */
export function useRedis(): { url(): string; connect(prefix?: string): Promise<RedisStore> } {
  let server: RedisServer | undefined;
  const opened: RedisStore[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await server?.stop();
  });
  return {
    url: () => server!.url,
    async connect(prefix) {
      const s = await RedisStore.connect(server!.url, prefix);
      opened.push(s);
      return s;
    },
  };
}
