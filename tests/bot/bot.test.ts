import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Bot } from "grammy";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Answerer } from "../../src/answer/answerer.js";
import { createBot, type BotContext } from "../../src/bot/bot.js";
import { splitText, TELEGRAM_MAX_CHARS } from "../../src/bot/format.js";
import { ChatEngine } from "../../src/chat/engine.js";
import { FileFeedbackLog } from "../../src/chat/feedback.js";
import { loadConfig } from "../../src/config.js";
import { BOT_USER, callbackUpdate, htmlError, inlineUpdate, startFakeBotApi, stickerUpdate, textUpdate, type FakeBotApi } from "../fakes/bot-api.js";
import { seedIndex, tempDir } from "../helpers.js";

let api: FakeBotApi;
let engine: ChatEngine;
let feedbackFile: string;

function makeBot(env: Record<string, string> = {}): Bot<BotContext> {
  const config = loadConfig({ BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ADMIN_IDS: "7001", RATE_LIMIT_PER_MINUTE: "1000", ...env });
  return createBot({ engine, config, feedback: new FileFeedbackLog(feedbackFile), botInfo: BOT_USER });
}

let bot: Bot<BotContext>;
beforeAll(async () => {
  api = await startFakeBotApi();
  engine = new ChatEngine(new Answerer(await seedIndex(), {}));
  feedbackFile = join(tempDir(), "feedback.jsonl");
  bot = makeBot();
});
afterAll(() => api.close());
beforeEach(() => {
  api.calls.length = 0;
});

const messages = () => api.sent("sendMessage");
const lastText = () => String(messages().at(-1)?.text ?? "");

describe("private chats", () => {
  it("answers with the figure, the citation in bold, HTML parse mode and the sources button", async () => {
    await bot.handleUpdate(textUpdate("长宁区小学课后服务到几点结束？") as never);
    expect(api.calls[0]).toMatchObject({ method: "sendChatAction", payload: { chat_id: 4242, action: "typing" } });
    const [m] = messages();
    expect(m).toMatchObject({ chat_id: 4242, parse_mode: "HTML" });
    expect(String(m!.text)).toContain("16:30 至 18:00");
    expect(String(m!.text)).toContain("<b>〔长宁2021·第048项〕</b>");
    const keyboard = (m!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(keyboard[0]![0]!.text).toBe("查看出处");
    expect(keyboard[0]![0]!.callback_data).toMatch(/^src:[\w-]+$/u);
    expect(keyboard[1]!.map((b) => b.text)).toEqual(["👍", "👎"]);
  });

  it("opens the sources from the button, with the quote and full reference", async () => {
    await bot.handleUpdate(textUpdate("043项完成率多少？") as never);
    const data = (messages()[0]!.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!.callback_data;
    await bot.handleUpdate(callbackUpdate(data) as never);
    expect(api.sent("answerCallbackQuery")).toHaveLength(1);
    expect(lastText()).toContain("出处（原文摘录）");
    expect(lastText()).toContain("完成率已达 100%");
    expect(lastText()).toContain("《长宁区教育局关于区政府2020年重点工作目标1-12月推进情况的反馈》");
  });

  it("says an old button's sources have expired rather than showing another answer's", async () => {
    await bot.handleUpdate(callbackUpdate("src:zzzz1") as never);
    expect(lastText()).toBe("这条回答的出处已经过期了，请重新提问。");
  });

  it("understands a follow-up in the context of the previous question", async () => {
    await bot.handleUpdate(textUpdate("长宁的操场周末开放吗？", { chatId: 5151 }) as never);
    expect(lastText()).toContain("长宁2023·第16项");
    await bot.handleUpdate(textUpdate("那闵行呢？", { chatId: 5151 }) as never);
    expect(lastText()).toContain("闵行2021下半年·第5项");
    await bot.handleUpdate(textUpdate("教育信息化由哪个部门牵头？", { chatId: 5151 }) as never);
    await bot.handleUpdate(textUpdate("联系人是谁？", { chatId: 5151 }) as never);
    expect(lastText()).not.toContain("宗宏"); // 青浦 item 26 names no contact: not taken from another task
  });

  it("answers stickers with a hint, not a crash", async () => {
    await bot.handleUpdate(stickerUpdate() as never);
    expect(lastText()).toContain("我只能读文字消息");
  });

  it("reads only the first part of a 5,000-character message and stays under Telegram's limit", async () => {
    await bot.handleUpdate(textUpdate(`课后服务${"很".repeat(5000)}`) as never);
    expect(messages().length).toBeGreaterThan(0);
    for (const m of messages()) expect(String(m.text).length).toBeLessThanOrEqual(TELEGRAM_MAX_CHARS);
    expect(String(messages()[0]!.text)).toContain("问题太长，只看了前 500 个字");
  });

  it("escapes HTML-looking input so Telegram accepts the reply", async () => {
    await bot.handleUpdate(textUpdate("/task <b>长宁</b> & <script> 999") as never);
    const text = lastText();
    expect(htmlError(text)).toBeUndefined();
    expect(text).toContain("&lt;b&gt;长宁&lt;/b&gt; &amp; &lt;script&gt;");
  });

  it("shows a task's full text with its lead departments", async () => {
    await bot.handleUpdate(textUpdate("/task 青浦 2019 26") as never);
    expect(lastText()).toContain("<b>〔青浦区·2019年工作要点·第26项〕</b>《2019年青浦教育工作要点》");
    expect(lastText()).toContain("牵头部门：局信息办");
  });

  it("asks which plan an ambiguous /task means, and shows the one pressed", async () => {
    await bot.handleUpdate(textUpdate("/task 14") as never);
    expect(lastText()).toContain("有几份文件都有这一项");
    const buttons = (messages()[0]!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.map((r) => r[0]!);
    expect(buttons.map((b) => b.text)).toEqual(["长宁区 2023 第14项", "闵行区 2021下半年 第14项", "青浦区 2019 第14项"]);
    await bot.handleUpdate(callbackUpdate(buttons[2]!.callback_data) as never);
    expect(lastText()).toContain("<b>〔青浦区·2019年工作要点·第14项〕</b>");
    expect(lastText()).toContain("加强特殊教育");
  });

  it("lists the loaded documents on /about", async () => {
    await bot.handleUpdate(textUpdate("/about") as never);
    expect(lastText()).toContain("目前收录 5 份文件：");
    expect(lastText()).toContain("• 长宁区 2023《2023年长宁区教育局工作要点》，共 30 项");
    expect(lastText()).toContain("• 长宁区 2020《长宁区教育局关于区政府2020年重点工作目标1-12月推进情况的反馈》（重点工作）");
  });

  it("greets on /start with three example questions as buttons", async () => {
    await bot.handleUpdate(textUpdate("/start") as never);
    const kb = (messages()[0]!.reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard;
    expect(kb.map((r) => r[0]!.text)).toEqual(["长宁区小学课后服务到几点结束？", "孩子不到三岁能送托吗？", "教育信息化由哪个部门牵头？"]);
  });
});

describe("groups", () => {
  it("stay silent unless mentioned or replied to", async () => {
    await bot.handleUpdate(textUpdate("教育信息化由哪个部门牵头？", { group: true }) as never);
    expect(messages()).toHaveLength(0);
    await bot.handleUpdate(textUpdate("再发个表情", { group: true }) as never);
    await bot.handleUpdate(stickerUpdate(-4242, true) as never);
    expect(messages()).toHaveLength(0);
  });

  it("answer a mention, replying to the asker's message", async () => {
    const update = textUpdate("@edu_plan_bot 教育信息化由哪个部门牵头？", { group: true });
    await bot.handleUpdate(update as never);
    const [m] = messages();
    expect(m).toMatchObject({ chat_id: -4242, reply_parameters: { message_id: (update.message as { message_id: number }).message_id } });
    expect(String(m!.text)).toContain("由局信息办牵头");
  });

  it("answer a reply to the bot", async () => {
    await bot.handleUpdate(textUpdate("局计财科负责哪些工作？", { group: true, replyToBot: true }) as never);
    expect(lastText()).toContain("2. 加强教育经费投入使用管理");
  });
});

describe("inline mode", () => {
  it("offers the cited answer and its sources as results", async () => {
    await bot.handleUpdate(inlineUpdate("课后服务几点结束") as never);
    const [call] = api.sent("answerInlineQuery");
    const results = call!.results as { title: string; input_message_content: { message_text: string; parse_mode: string } }[];
    expect(results[0]!.input_message_content.parse_mode).toBe("HTML");
    expect(results[0]!.input_message_content.message_text).toContain("16:30 至 18:00");
    expect(results[1]!.title).toMatch(/^〔长宁区·2021年重点工作第048项/u);
  });
});

describe("robustness", () => {
  it("retries a 429 after retry_after and then delivers", async () => {
    api.failNext("sendMessage", 1, 1);
    const started = Date.now();
    await bot.handleUpdate(textUpdate("043项完成率多少？") as never);
    expect(api.calls.filter((c) => c.method === "sendMessage")).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(lastText()).toContain("100%");
  });

  it("limits each user's rate with a polite message", async () => {
    const limited = makeBot({ RATE_LIMIT_PER_MINUTE: "2" });
    for (let i = 0; i < 3; i++) await limited.handleUpdate(textUpdate("043项完成率多少？", { userId: 8888, chatId: 8888 }) as never);
    const texts = messages().map((m) => String(m.text));
    expect(texts).toHaveLength(3);
    expect(texts[2]).toBe("问得太快了，请稍等一分钟再问。");
  });

  it("records feedback and shows /stats to admins only", async () => {
    await bot.handleUpdate(textUpdate("043项完成率多少？") as never);
    const kb = (messages()[0]!.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard;
    await bot.handleUpdate(callbackUpdate(kb[1]![0]!.callback_data) as never);
    expect(api.sent("answerCallbackQuery").at(-1)).toMatchObject({ text: "谢谢反馈！" });
    const lines = readFileSync(feedbackFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ kind: "feedback", vote: "up", question: "043项完成率多少？", refs: [expect.stringContaining("第043项")] });
    await bot.handleUpdate(textUpdate("/stats") as never);
    expect(lastText()).toMatch(/共回答 \d+ 个问题/u);
    expect(lastText()).toContain("👍 1");
    await bot.handleUpdate(textUpdate("/stats", { userId: 1234 }) as never);
    expect(lastText()).toBe("只有管理员可以查看统计。");
  });

  it("splits long texts at sentence ends, under the limit", () => {
    const parts = splitText("这是一句话。".repeat(1500));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(TELEGRAM_MAX_CHARS);
      expect(p.endsWith("。")).toBe(true);
    }
  });

});
