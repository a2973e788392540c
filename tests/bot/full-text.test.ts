import type { Bot } from "grammy";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Answerer } from "../../src/answer/answerer.js";
import { createBot, type BotContext } from "../../src/bot/bot.js";
import { TELEGRAM_MAX_CHARS } from "../../src/bot/format.js";
import { ChatEngine } from "../../src/chat/engine.js";
import { FileFeedbackLog } from "../../src/chat/feedback.js";
import { loadConfig } from "../../src/config.js";
import { BOT_USER, callbackUpdate, startFakeBotApi, textUpdate, type FakeBotApi } from "../fakes/bot-api.js";
import { seedIndex, tempDir } from "../helpers.js";

interface Button {
  text: string;
  url?: string;
  callback_data?: string;
}

let api: FakeBotApi;
let answerer: Answerer;

function makeBot(env: Record<string, string>): Bot<BotContext> {
  const config = loadConfig({ BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, RATE_LIMIT_PER_MINUTE: "1000", ...env });
  // The engine builds the sources view's buttons: links with PUBLIC_URL, else 全文 buttons.
  const engine = new ChatEngine(answerer, undefined, config.server.publicUrl);
  return createBot({ engine, config, feedback: new FileFeedbackLog(`${tempDir()}/feedback.jsonl`), botInfo: BOT_USER });
}

const messages = () => api.sent("sendMessage");
const buttons = (m: Record<string, unknown> | undefined): Button[][] => (m?.reply_markup as { inline_keyboard: Button[][] } | undefined)?.inline_keyboard ?? [];

/** Asks, then presses 查看出处: the sources message. */
async function openSources(bot: Bot<BotContext>, question: string): Promise<Record<string, unknown>> {
  await bot.handleUpdate(textUpdate(question) as never);
  const data = buttons(messages().at(-1))[0]![0]!.callback_data!;
  api.calls.length = 0;
  await bot.handleUpdate(callbackUpdate(data) as never);
  return messages().at(-1)!;
}

beforeAll(async () => {
  api = await startFakeBotApi();
  answerer = new Answerer(await seedIndex(), {});
});
afterAll(() => api.close());
beforeEach(() => {
  api.calls.length = 0;
});

describe("reading a cited task whole from the sources", () => {
  it("with PUBLIC_URL, a 阅读全文 link per cited task, link previews off", async () => {
    const bot = makeBot({ PUBLIC_URL: "https://edu.example.cn" });
    const sources = await openSources(bot, "长宁区小学课后服务到几点结束？");
    expect(String(sources.text)).toContain("出处（原文摘录）");
    expect(sources.link_preview_options).toEqual({ is_disabled: true });
    const rows = buttons(sources);
    expect(rows[0]).toEqual([{ text: "阅读全文：长宁区2021 第048项", url: "https://edu.example.cn/documents/%E9%95%BF%E5%AE%812021-%E7%AC%AC048%E9%A1%B9#task-048" }]);
    // One button per task, however many of its parts were quoted.
    const urls = rows.map((r) => r[0]!.url);
    expect(new Set(urls).size).toBe(urls.length);
    expect(rows.every((r) => r.length === 1 && r[0]!.text.startsWith("阅读全文：") && r[0]!.url?.startsWith("https://edu.example.cn/documents/"))).toBe(true);
  });

  it("without PUBLIC_URL, a 全文 button that sends the whole task, split to fit", async () => {
    const bot = makeBot({});
    const sources = await openSources(bot, "043项完成率多少？");
    const first = buttons(sources)[0]![0]!;
    expect(first.text).toBe("全文：长宁区2020 第043项");
    expect(first.callback_data).toMatch(/^full:[\w-]+:043$/u);
    api.calls.length = 0;
    await bot.handleUpdate(callbackUpdate(first.callback_data!) as never);
    const sent = messages().map((m) => String(m.text));
    expect(sent.length).toBeGreaterThan(0);
    for (const t of sent) expect(t.length).toBeLessThanOrEqual(TELEGRAM_MAX_CHARS);
    const whole = sent.join("\n");
    expect(whole).toContain("<b>〔长宁区·2020年重点工作第043项〕</b>");
    expect(whole).toContain("推进教育“优质+均衡”发展三年行动计划落实");
    expect(whole).toContain("根据规划及名年工作计划启动需求及相关后续工作。");
  });
});
