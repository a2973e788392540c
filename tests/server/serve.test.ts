import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../helpers.js";

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null) p.kill("SIGKILL");
});

/** `npm run serve` as a person runs it (through the bundle), until it says it listens or exits. */
function serve(port: number): Promise<{ child: ChildProcess; stderr: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ["scripts/run.mjs", "serve"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), INDEX_DIR: tempDir("epb-serve-"), LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let err = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve) => {
    const ready = () => resolve({ child, stderr: () => err, exited });
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString("utf8");
      if (err.includes("问答服务已启动")) ready();
    });
    void exited.then(ready);
  });
}

describe("npm run serve", () => {
  it("serves on the configured loopback port and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const { child, stderr, exited } = await serve(port);
    expect(stderr()).toContain(`问答服务已启动：http://127.0.0.1:${port}（已收录 5 份文件；Ctrl-C 停止）`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", documents: 5 });
    const a = (await (await fetch(`http://127.0.0.1:${port}/api/ask`, { method: "POST", body: JSON.stringify({ question: "长宁区小学课后服务到几点结束？" }) })).json()) as {
      citations: { task: string; district: string }[];
    };
    expect(a.citations[0]).toMatchObject({ task: "048", district: "长宁区" });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);

  it("says in Chinese when the port is taken, and exits non-zero", async () => {
    const port = await freePort();
    const first = await serve(port);
    const second = await serve(port);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`端口 ${port} 已被占用（127.0.0.1），请用 PORT 换一个端口。`);
    expect(second.stderr()).not.toMatch(/\n\s+at /u);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  }, 60_000);
});
