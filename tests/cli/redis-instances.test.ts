/**
 * Two real bot processes behind one webhook URL (as a load balancer would split Telegram's
 * deliveries) sharing one real Redis: they answer as one bot.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callbackUpdate, startFakeBotApi, textUpdate, type FakeBotApi } from "../fakes/bot-api.js";
import { ROOT, tempDir } from "../helpers.js";
import { freePort, startRedis, type RedisServer } from "../redis-server.js";

let api: FakeBotApi;
let redis: RedisServer;
const children: ChildProcess[] = [];
beforeAll(async () => {
  api = await startFakeBotApi();
  redis = await startRedis();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) process.kill(-c.pid!, "SIGKILL");
  await api.close();
  await redis.stop();
});

const SECRET = "two-instances-secret";
const indexDir = tempDir("epb-two-");

async function instance(): Promise<number> {
  const port = await freePort();
  const child = spawn(process.execPath, ["scripts/run.mjs", "start"], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "error", INDEX_DIR: indexDir, BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, BOT_MODE: "webhook", WEBHOOK_URL: "https://bot.example.org/hook", WEBHOOK_SECRET: SECRET, PORT: String(port), REDIS_URL: redis.url },
    stdio: "ignore",
    detached: true,
  });
  children.push(child);
  const until = Date.now() + 90_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/`, { method: "GET" }).then(() => true, () => false);
    if (up) return port;
    if (Date.now() > until) throw new Error("bot did not start");
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

const post = (port: number, update: Record<string, unknown>) =>
  fetch(`http://127.0.0.1:${port}/`, { method: "POST", headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET }, body: JSON.stringify(update) });

describe("two bot processes on one Redis", () => {
  it("A's sources button works on B, and a follow-up sent to B continues A's conversation", async () => {
    const a = await instance();
    const b = await instance();
    expect((await post(a, textUpdate("长宁的操场周末开放吗？", { chatId: 9101 }))).status).toBe(200);
    const [first] = await api.waitFor("sendMessage", 1);
    expect(String(first!.text)).toContain("长宁2023·第16项");
    const data = (first!.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!.callback_data;

    expect((await post(b, callbackUpdate(data, 9101))).status).toBe(200);
    const second = (await api.waitFor("sendMessage", 2))[1]!;
    expect(String(second.text)).toContain("出处（原文摘录）");
    expect(String(second.text)).toContain("每周开放时长不低于20小时");

    expect((await post(b, textUpdate("那闵行呢？", { chatId: 9101 }))).status).toBe(200);
    const third = (await api.waitFor("sendMessage", 3))[2]!;
    expect(String(third.text)).toContain("闵行2021下半年·第5项");
  }, 180_000);
});
