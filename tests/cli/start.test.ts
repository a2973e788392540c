import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBotApi, textUpdate, type FakeBotApi } from "../fakes/bot-api.js";
import { ROOT, tempDir } from "../helpers.js";

const baseEnv: NodeJS.ProcessEnv = { ...process.env, INDEX_DIR: tempDir("epb-start-"), LOG_LEVEL: "error", FEEDBACK_LOG: `${tempDir()}/fb.jsonl` };
delete baseEnv.BOT_TOKEN;

let api: FakeBotApi;
beforeAll(async () => {
  api = await startFakeBotApi();
});
afterAll(() => api.close());

describe("npm start", () => {
  it("without BOT_TOKEN opens the conversation in the terminal: ask, follow up, /task, Ctrl-D", () => {
    const r = spawnSync("npm", ["start", "--silent"], {
      cwd: ROOT,
      env: baseEnv,
      input: "长宁的操场周末开放吗？\n那闵行呢？\n/sources\n/task 青浦 2019 26\n",
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("设置 BOT_TOKEN");
    expect(r.stdout).toContain("〔长宁2023·第16项〕");
    expect(r.stdout).toContain("〔闵行2021下半年·第5项〕");
    expect(r.stdout).toContain("出处（原文摘录）");
    expect(r.stdout).toContain("牵头部门：局信息办");
    expect(r.stdout.trimEnd().endsWith("再见！")).toBe(true);
  }, 120_000);

  it("with BOT_TOKEN runs the Telegram bot against TELEGRAM_API_ROOT, and stops on SIGTERM", async () => {
    const child = spawn("npm", ["start", "--silent"], {
      cwd: ROOT,
      env: { ...baseEnv, BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += String(d)));
    const [commands] = await api.waitFor("setMyCommands", 1, 90_000);
    expect((commands!.commands as { command: string; description: string }[]).map((c) => c.command)).toEqual(["start", "help", "task", "about"]);
    expect((commands!.commands as { description: string }[])[0]!.description).toMatch(/\p{Script=Han}/u);
    await api.waitFor("getUpdates");
    api.queueUpdate(textUpdate("043项完成率多少？", { chatId: 777 }));
    const sent = await api.waitFor("sendMessage");
    expect(sent[0]).toMatchObject({ chat_id: 777, parse_mode: "HTML" });
    expect(String(sent[0]!.text)).toContain("完成率已达 100%");

    const stopped = Date.now();
    const exited = new Promise<number | null>((ok) => child.on("exit", (code) => ok(code)));
    process.kill(-child.pid!, "SIGTERM");
    const code = await exited;
    expect(Date.now() - stopped).toBeLessThan(5000);
    expect(code === 0 || code === null).toBe(true);
    expect(stderr).not.toContain(api.token);
  }, 120_000);

  it("on SIGTERM stops fetching, finishes the answer in flight, and exits within seconds", async () => {
    // Every Bot API call takes 400 ms: the answer is still being sent when the signal comes.
    const slow = await startFakeBotApi(undefined, { delayMs: 400 });
    // What `npm start` runs, without npm: npm exits on SIGTERM at once, and the bot's own exit is what counts.
    const child = spawn(process.execPath, ["scripts/run.mjs", "start"], {
      cwd: ROOT,
      env: { ...baseEnv, BOT_TOKEN: slow.token, TELEGRAM_API_ROOT: slow.apiRoot },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    try {
      await slow.waitFor("getUpdates", 1, 90_000);
      slow.queueUpdate(textUpdate("043项完成率多少？", { chatId: 778 }));
      await slow.waitFor("sendChatAction");
      const exited = new Promise<number | null>((ok) => child.on("exit", (code) => ok(code)));
      const stopped = Date.now();
      process.kill(-child.pid!, "SIGTERM");
      const polls = slow.sent("getUpdates").length;
      const code = await exited;
      expect(Date.now() - stopped).toBeLessThan(5000);
      expect(code === 0 || code === null).toBe(true);
      const [answer] = slow.sent("sendMessage");
      expect(answer).toMatchObject({ chat_id: 778 });
      expect(String(answer!.text)).toContain("完成率已达 100%");
      // No new poll after the signal (one already on its way may arrive).
      expect(slow.sent("getUpdates").length).toBeLessThanOrEqual(polls + 1);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
      await slow.close();
    }
  }, 120_000);

  it("with BOT_MODE=webhook serves a webhook on 127.0.0.1:PORT, checks the secret token and survives bad bodies", async () => {
    const port = await new Promise<number>((ok) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => ok(p));
      });
    });
    const child = spawn("npm", ["start", "--silent"], {
      cwd: ROOT,
      env: { ...baseEnv, BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, BOT_MODE: "webhook", WEBHOOK_URL: "https://bot.example.org/hook", WEBHOOK_SECRET: "s3cret-token", PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const [hook] = await api.waitFor("setWebhook", 1, 90_000);
    expect(hook).toMatchObject({ url: "https://bot.example.org/hook", secret_token: "s3cret-token" });
    const post = (secret: string) =>
      fetch(`http://127.0.0.1:${port}/`, {
        method: "POST",
        headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret },
        body: JSON.stringify(textUpdate("教育信息化由哪个部门牵头？", { chatId: 31337 })),
      });
    expect((await post("wrong")).status).toBe(401);
    // The right secret with a body that is no update: refused, and the process lives on.
    for (const body of ["", "null", "{oops"]) {
      const r = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret-token" }, body });
      expect(r.status).toBe(400);
    }
    const before = api.sent("sendMessage").length;
    expect((await post("s3cret-token")).status).toBe(200);
    const sent = await api.waitFor("sendMessage", before + 1);
    expect(sent.at(-1)).toMatchObject({ chat_id: 31337 });
    expect(String(sent.at(-1)!.text)).toContain("由局信息办牵头");
    const exited = new Promise((ok) => child.on("exit", ok));
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  }, 120_000);
});
