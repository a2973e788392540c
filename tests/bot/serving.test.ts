/**
 * Serving many people: the rate limit counts questions only, buttons and inline queries are
 * always answered, long tasks are summarised, groups and captions are read as people use them,
 * and two bot processes sharing one Redis answer as one bot.
 */
import { run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Answerer } from "../../src/answer/answerer.js";
import { createBot, type BotContext } from "../../src/bot/bot.js";
import { decodeButton, encodeButton } from "../../src/chat/buttons.js";
import { ChatEngine } from "../../src/chat/engine.js";
import { FileFeedbackLog, StoreFeedbackLog } from "../../src/chat/feedback.js";
import { loadConfig } from "../../src/config.js";
import { buildIndex } from "../../src/index/open.js";
import { MemoryStore } from "../../src/store/memory.js";
import type { Store } from "../../src/store/store.js";
import { BOT_USER, callbackUpdate, inlineUpdate, photoUpdate, startFakeBotApi, textUpdate, type FakeBotApi } from "../fakes/bot-api.js";
import { seedIndex, tempDir } from "../helpers.js";
import { useRedis } from "../redis-server.js";

let api: FakeBotApi;
beforeAll(async () => {
  api = await startFakeBotApi();
});
afterAll(() => api.close());
beforeEach(() => {
  api.calls.length = 0;
});

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const messages = () => api.sent("sendMessage");
const lastText = () => String(messages().at(-1)?.text ?? "");
/** Handles an update and checks that the bot said nothing. */
async function staysSilent(bot: Bot<BotContext>, update: Record<string, unknown>): Promise<void> {
  const n = messages().length;
  await bot.handleUpdate(update as never);
  expect(messages()).toHaveLength(n);
}
const buttonsOf = (m: Record<string, unknown> | undefined) => (m?.reply_markup as Keyboard | undefined)?.inline_keyboard.flat() ?? [];

async function makeBot(store: Store = new MemoryStore(), env: Record<string, string> = {}, engine?: ChatEngine): Promise<Bot<BotContext>> {
  const config = loadConfig({ BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ADMIN_IDS: "7001", ...env });
  return createBot({ engine: engine ?? new ChatEngine(new Answerer(await seedIndex(), {}), store), config, store, feedback: new FileFeedbackLog(`${tempDir()}/fb.jsonl`), botInfo: BOT_USER });
}

describe("the rate limit", () => {
  it("counts only messages addressed to the bot: group chatter does not silence a private question", async () => {
    const bot = await makeBot(new MemoryStore(), { RATE_LIMIT_PER_MINUTE: "3" });
    for (let i = 0; i < 13; i++) await bot.handleUpdate(textUpdate(`大家好，今天开家长会 ${i}`, { group: true, userId: 6001 }) as never);
    expect(messages()).toHaveLength(0);
    await bot.handleUpdate(textUpdate("043项完成率多少？", { userId: 6001, chatId: 6001 }) as never);
    expect(lastText()).toContain("完成率已达 100%");
  });

  it("answers a limited user's button press and inline query with a short note, never a hanging spinner", async () => {
    const bot = await makeBot(new MemoryStore(), { RATE_LIMIT_PER_MINUTE: "1" });
    await bot.handleUpdate(textUpdate("043项完成率多少？", { userId: 6002, chatId: 6002 }) as never);
    const sources = buttonsOf(messages()[0]).find((b) => b.text === "查看出处")!;
    await bot.handleUpdate(textUpdate("托育", { userId: 6002, chatId: 6002 }) as never);
    expect(lastText()).toBe("问得太快了，请稍等一分钟再问。");

    // Asking again through an example button: limited, and told so on the button itself.
    await bot.handleUpdate(callbackUpdate(encodeButton({ kind: "example", index: 0 }), 6002, 6002) as never);
    expect(api.sent("answerCallbackQuery").at(-1)).toMatchObject({ text: "问得太快了，请稍等一分钟再问。" });
    // Opening the sources of an answer already given is not a question: it still works.
    const before = messages().length;
    await bot.handleUpdate(callbackUpdate(sources.callback_data, 6002, 6002) as never);
    expect(api.sent("answerCallbackQuery")).toHaveLength(2);
    expect(messages().length).toBe(before + 1);
    expect(lastText()).toContain("出处（原文摘录）");

    await bot.handleUpdate(inlineUpdate("课后服务几点结束", 6002) as never);
    await bot.handleUpdate(inlineUpdate("托育服务", 6002) as never);
    const limited = api.sent("answerInlineQuery").at(-1)!;
    expect(limited.results).toEqual([]);
    expect(limited.button).toMatchObject({ text: "问得太快了，请稍等一分钟再问。" });
  });
});

describe("long polling through the runner", () => {
  it("answers other chats while one chat's send waits out a 429", async () => {
    const bot = await makeBot();
    api.failNext("sendMessage", 1, 2);
    api.queueUpdate(textUpdate("043项完成率多少？", { chatId: 6201 }));
    api.queueUpdate(textUpdate("长宁区小学课后服务到几点结束？", { chatId: 6202 }));
    const runner = run(bot, { runner: { fetch: { timeout: 1 }, silent: true } });
    try {
      const delivered = await api.waitFor("sendMessage", 3, 10_000);
      // Whichever chat's send got the 429, the other chat's answer went out before its retry.
      const [held, other] = [delivered[0]!.chat_id, delivered[0]!.chat_id === 6201 ? 6202 : 6201];
      expect(delivered.map((m) => m.chat_id)).toEqual([held, other, held]);
    } finally {
      await runner.stop();
    }
  });
});

describe("votes and answer ids", () => {
  it("gives answers random ids and takes one vote per person per answer", async () => {
    const store = new MemoryStore();
    const engine = new ChatEngine(new Answerer(await seedIndex(), {}), store);
    const feedback = new StoreFeedbackLog(store);
    const config = loadConfig({ BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot });
    const bot = createBot({ engine, config, store, feedback, botInfo: BOT_USER });
    await bot.handleUpdate(textUpdate("043项完成率多少？", { chatId: 6101 }) as never);
    await bot.handleUpdate(textUpdate("043项完成率多少？", { chatId: 6101 }) as never);
    const ids = messages().map((m) => decodeButton(buttonsOf(m)[0]!.callback_data));
    const [a, b] = ids.map((x) => (x?.kind === "sources" ? x.answerId : ""));
    expect(a).toMatch(/^[\w-]{16}$/u);
    expect(b).toMatch(/^[\w-]{16}$/u);
    expect(a).not.toBe(b);

    const up = encodeButton({ kind: "vote", answerId: a!, vote: "up" });
    const down = encodeButton({ kind: "vote", answerId: a!, vote: "down" });
    await bot.handleUpdate(callbackUpdate(up, 6101, 6101) as never);
    await bot.handleUpdate(callbackUpdate(down, 6101, 6101) as never);
    await bot.handleUpdate(callbackUpdate(up, 6101, 6102) as never);
    expect(api.sent("answerCallbackQuery").map((c) => c.text)).toEqual(["谢谢反馈！", "你已经评价过这条回答了，谢谢！", "谢谢反馈！"]);
    expect(await feedback.stats()).toMatchObject({ questions: 2, up: 2, down: 0 });
    // A guessed id finds nothing.
    await bot.handleUpdate(callbackUpdate(encodeButton({ kind: "vote", answerId: "AAAAAAAAAAAAAAAA", vote: "down" }), 6101, 6101) as never);
    expect(api.sent("answerCallbackQuery").at(-1)).toMatchObject({ text: "这条回答已经过期了，请重新提问。" });
  });
});

describe("commands, groups and captions", () => {
  it("sends a long task as its beginning with a 全文 button, and the whole text in parts on demand", async () => {
    const bot = await makeBot();
    await bot.handleUpdate(textUpdate("/task 043") as never);
    const [summary] = messages();
    expect(messages()).toHaveLength(1);
    expect(String(summary!.text).length).toBeLessThan(800);
    expect(String(summary!.text)).toContain("<b>〔长宁区·2020年重点工作第043项〕</b>");
    expect(String(summary!.text)).toMatch(/全文共 \d{4} 字/u);
    const full = buttonsOf(summary).find((b) => b.text === "全文")!;
    await bot.handleUpdate(callbackUpdate(full.callback_data) as never);
    const parts = messages().slice(1).map((m) => String(m.text));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(1300);
    expect(parts.join("\n")).toContain("完成率");
    expect(parts.at(-1)).toContain("联系电话：22050725"); // the task's last line: nothing cut off
  });

  it("answers /help in a group without a mention, but not a command meant for another bot", async () => {
    const bot = await makeBot();
    await bot.handleUpdate(textUpdate("/help", { group: true }) as never);
    expect(lastText()).toContain("直接发问题即可");
    await staysSilent(bot, textUpdate("/help@other_bot", { group: true }));
  });

  it("reads a photo's caption as the question, in private and when mentioned in a group", async () => {
    const bot = await makeBot();
    await bot.handleUpdate(photoUpdate("长宁区小学课后服务到几点结束？") as never);
    expect(lastText()).toContain("16:30 至 18:00");
    await bot.handleUpdate(photoUpdate("@edu_plan_bot 教育信息化由哪个部门牵头？", { group: true }) as never);
    expect(lastText()).toContain("由局信息办牵头");
    await staysSilent(bot, photoUpdate("看看这个通知", { group: true }));
  });

  it("shows /stats only in a private chat", async () => {
    const bot = await makeBot();
    await bot.handleUpdate(textUpdate("/stats", { group: true }) as never);
    expect(lastText()).toBe("统计只在私聊中提供：请私聊我发送 /stats。");
    await bot.handleUpdate(textUpdate("/stats") as never);
    expect(lastText()).toMatch(/共回答 \d+ 个问题/u);
  });

  it("with no documents says so, instead of listing no holdings", async () => {
    const { index } = await buildIndex({ docsDir: tempDir("epb-empty-docs-"), indexDir: tempDir("epb-empty-index-") });
    const bot = await makeBot(new MemoryStore(), {}, new ChatEngine(new Answerer(index, {})));
    await bot.handleUpdate(textUpdate("长宁区小学课后服务到几点结束？") as never);
    expect(lastText()).toBe("还没有收录任何文件，暂时无法回答。请管理员先用 npm run ingest 添加文件。");
    expect(lastText()).not.toContain("目前收录的是的文件");
  });
});

describe("two bot processes sharing one Redis", () => {
  const redis = useRedis();
  const instance = async () => {
    const store = await redis.connect();
    return makeBot(store, {}, new ChatEngine(new Answerer(await seedIndex(), {}), store));
  };

  it("answer as one bot: A's sources button works on B, a follow-up on B continues A's conversation, a restart loses nothing", async () => {
    const a = await instance();
    const b = await instance();
    await a.handleUpdate(textUpdate("长宁的操场周末开放吗？", { chatId: 7301 }) as never);
    expect(lastText()).toContain("长宁2023·第16项");
    const sources = buttonsOf(messages()[0]).find((x) => x.text === "查看出处")!;

    await b.handleUpdate(callbackUpdate(sources.callback_data, 7301) as never);
    expect(lastText()).toContain("出处（原文摘录）");
    expect(lastText()).toContain("每周开放时长不低于20小时");

    await b.handleUpdate(textUpdate("那闵行呢？", { chatId: 7301 }) as never);
    expect(lastText()).toContain("闵行2021下半年·第5项");

    // One vote per person, whichever process receives the press.
    const up = buttonsOf(messages()[0]).find((x) => x.text === "👍")!;
    await a.handleUpdate(callbackUpdate(up.callback_data, 7301, 7301) as never);
    await b.handleUpdate(callbackUpdate(up.callback_data, 7301, 7301) as never);
    expect(api.sent("answerCallbackQuery").slice(-2).map((c) => c.text)).toEqual(["谢谢反馈！", "你已经评价过这条回答了，谢谢！"]);

    // A new process (a restart) still opens the sources of an answer given before it started.
    const c = await instance();
    await c.handleUpdate(callbackUpdate(sources.callback_data, 7301) as never);
    expect(lastText()).toContain("每周开放时长不低于20小时");
  });

  it("share the rate limit", async () => {
    const limit = { RATE_LIMIT_PER_MINUTE: "2" };
    const s1 = await redis.connect();
    const s2 = await redis.connect();
    const a = await makeBot(s1, limit, new ChatEngine(new Answerer(await seedIndex(), {}), s1));
    const b = await makeBot(s2, limit, new ChatEngine(new Answerer(await seedIndex(), {}), s2));
    for (const bot of [a, b, a]) await bot.handleUpdate(textUpdate("043项完成率多少？", { chatId: 7401, userId: 7401 }) as never);
    expect(lastText()).toBe("问得太快了，请稍等一分钟再问。");
  });
});
