/** A real server on a free loopback port, over the seeds' index, configured like `npm run serve`; or the command itself. */
import { spawn, type ChildProcess } from "node:child_process";
import { Answerer } from "../../src/answer/answerer.js";
import { ChatEngine } from "../../src/chat/engine.js";
import { loadConfig } from "../../src/config.js";
import { createApp } from "../../src/server/app.js";
import { listen, type RunningServer } from "../../src/server/listen.js";
import { ROOT, seedIndex, tempDir } from "../helpers.js";

export interface TestServer extends RunningServer {
  engine: ChatEngine;
  /** POST a JSON (or raw string) body. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
}

/** `env` as the process would see it; questions are not rate limited unless the test says so. */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({ RATE_LIMIT_PER_MINUTE: "10000", ...env });
  const answerer = new Answerer(await seedIndex(), config);
  const engine = new ChatEngine(answerer);
  const running = await listen(createApp({ engine, server: config.server }), { host: "127.0.0.1", port: 0 });
  return {
    ...running,
    engine,
    post: (path, body, headers = {}) =>
      fetch(`${running.url}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    get: (path, headers = {}) => fetch(`${running.url}${path}`, { headers }),
  };
}

/** The document ids as the seeds are parsed, percent-encoded as the routes want them. */
export const DOC_048 = "长宁2021-第048项";
export const DOC_PLAN_2023 = "长宁2023-要点";
export const enc = encodeURIComponent;

/** The body as JSON, loosely typed the way JSON.parse is: the tests assert on its shape. */
export async function body(res: Response) {
  return JSON.parse(await res.text());
}

export interface ServeProcess {
  child: ChildProcess;
  /** Everything it has written to stderr so far (its log and its messages). */
  stderr: () => string;
  exited: Promise<number | null>;
}

const spawned = new Set<ChildProcess>();

/** Kills what spawnServe started and is still running (for afterEach). */
export function stopSpawned(): void {
  for (const p of spawned) if (p.exitCode === null) p.kill("SIGKILL");
  spawned.clear();
}

/** `npm run serve` as a person runs it (through the bundle), until it says it listens or exits; `env` adds to this process's. */
export function spawnServe(port: number, env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, ["scripts/run.mjs", "serve"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), INDEX_DIR: tempDir("epb-serve-"), LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  spawned.add(child);
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
