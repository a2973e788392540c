/**
 * The Telegram surface (grammY): turns updates into calls on the chat engine and its replies into
 * Telegram messages. Creating a bot has no side effects; `run.ts` starts it.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { limit } from "@grammyjs/ratelimiter";
import { Bot, GrammyError, HttpError, InlineKeyboard, session, type Context, type SessionFlavor, type StorageAdapter } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { ChatContext, ChatEngine, Reply } from "../chat/engine.js";
import { taskUrl } from "../chat/links.js";
import type { FeedbackLog } from "../chat/feedback.js";
import type { Config } from "../config.js";
import { taskLabel } from "../ingest/cite.js";
import { log, scrubSecrets } from "../log.js";
import { chatText as T, serverText, statsText } from "../messages.js";
import { htmlParts, toHtml } from "./format.js";
import { BoundedMemoryStorage } from "../chat/store.js";

export type BotContext = Context & SessionFlavor<ChatContext>;

export interface BotOptions {
  engine: ChatEngine;
  config: Config;
  feedback: FeedbackLog;
  /** Preset bot info (tests; a known bot): no getMe on start. */
  botInfo?: UserFromGetMe;
  storage?: StorageAdapter<ChatContext>;
  /** Loads the index again (admins' /reload); resolves to the number of documents loaded. */
  reload?: () => Promise<number>;
}

function keyboard(reply: Reply): InlineKeyboard | undefined {
  if (reply.buttons.length === 0) return undefined;
  const kb = new InlineKeyboard();
  reply.buttons.forEach((row, i) => {
    if (i > 0) kb.row();
    for (const b of row) kb.text(b.text, b.data);
  });
  return kb;
}

/**
 * Under the sources, one button per cited task to read it whole: with PUBLIC_URL a link to the
 * task on its document page, else a button that sends the task's text into the chat.
 */
export function fullTextKeyboard(reply: Reply, documents: ChatEngine["documents"], publicUrl: string | undefined): InlineKeyboard | undefined {
  const kb = new InlineKeyboard();
  const seen = new Set<string>();
  for (const c of reply.citations) {
    const key = `${c.docId}#${c.task}`;
    const position = documents.findIndex((d) => d.id === c.docId);
    if (seen.has(key) || position < 0) continue;
    if (seen.size > 0) kb.row();
    seen.add(key);
    const doc = documents[position]!;
    const passage = doc.tasks.find((t) => t.number === c.task)?.passage;
    const label = `${doc.district}${doc.year}${doc.period ?? ""} ${taskLabel(doc, c.task, passage)}`;
    if (publicUrl) kb.url(`${serverText.readFull}：${label}`, taskUrl(publicUrl, c.docId, c.task));
    // The document's position, as the /task choice buttons carry it (callback data allows 64 bytes).
    else kb.text(`${serverText.fullText}：${label}`, `task:${position}:${c.task}`);
  }
  return seen.size > 0 ? kb : undefined;
}

/** Sends a reply as one or more HTML messages; buttons go under the last one. */
async function send(ctx: BotContext, reply: Reply, replyTo?: number, kb = keyboard(reply)): Promise<void> {
  const parts = htmlParts(reply.text);
  for (const [i, html] of parts.entries()) {
    const last = i === parts.length - 1;
    await ctx.reply(html, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(replyTo && i === 0 ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
      ...(last && kb ? { reply_markup: kb } : {}),
    });
  }
}

/** In a group, the question addressed to the bot (mention removed), or undefined when not addressed. */
export function addressedText(ctx: BotContext, username: string): string | undefined {
  const msg = ctx.message;
  const text = msg?.text;
  if (!msg || text === undefined) return undefined;
  if (ctx.chat?.type === "private") return text;
  const mention = `@${username}`.toLowerCase();
  const mentioned = (msg.entities ?? []).some((e) => {
    const t = text.slice(e.offset, e.offset + e.length).toLowerCase();
    return (e.type === "mention" && t === mention) || (e.type === "bot_command" && t.endsWith(mention));
  });
  const repliedToBot = msg.reply_to_message?.from?.id === ctx.me.id;
  if (!mentioned && !repliedToBot) return undefined;
  return text.replace(new RegExp(`@${username}`, "giu"), " ").trim();
}

export function createBot(opts: BotOptions): Bot<BotContext> {
  const { engine, config, feedback } = opts;
  const token = config.telegram.token ?? "";
  const bot = new Bot<BotContext>(token, {
    ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
    client: { ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}) },
  });
  // 429 answers carry retry_after: wait and retry instead of failing the reply.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  bot.use(session({ initial: (): ChatContext => ({}), storage: opts.storage ?? new BoundedMemoryStorage<ChatContext>() }));
  bot.use(
    limit({
      timeFrame: 60_000,
      limit: config.telegram.rateLimitPerMinute,
      keyGenerator: (ctx) => ctx.from?.id.toString(),
      onLimitExceeded: async (ctx) => {
        if (ctx.chat?.type === "private" && ctx.message) await ctx.reply(T.rateLimited);
      },
    }),
  );

  const answer = async (ctx: BotContext, text: string, replyTo?: number) => {
    await ctx.replyWithChatAction("typing").catch(() => {});
    const { reply, context } = await engine.handle(text, ctx.session);
    ctx.session = context;
    await send(ctx, reply, replyTo);
    if (reply.answer && ctx.chat) {
      await feedback
        .append({ kind: "asked", at: new Date().toISOString(), chat: ctx.chat.id, question: reply.question ?? text, grounded: reply.answer.grounded, refs: reply.citations.map((c) => c.ref) })
        .catch((e: unknown) => log().warn({ err: (e as Error).message }, "could not write the feedback log"));
    }
  };

  bot.command("reload", async (ctx) => {
    if (!ctx.from || !config.telegram.adminIds.includes(ctx.from.id) || !opts.reload) return void (await ctx.reply(T.adminOnly));
    await ctx.reply(T.reloaded(await opts.reload()));
  });

  bot.command("stats", async (ctx) => {
    if (!ctx.from || !config.telegram.adminIds.includes(ctx.from.id)) return void (await ctx.reply(T.statsDenied));
    await ctx.reply(statsText(await feedback.stats()));
  });

  // Commands other than /stats are text for the engine (it knows /start, /help, /about, /task).
  bot.on("message:text", async (ctx) => {
    const text = addressedText(ctx, ctx.me.username);
    if (text === undefined) return;
    await answer(ctx, text, ctx.chat.type === "private" ? undefined : ctx.message.message_id);
  });

  // Stickers, photos, voice: in a private chat, say what works; in a group, stay quiet.
  bot.on("message", async (ctx) => {
    if (ctx.chat.type === "private") await ctx.reply(T.nonText);
  });

  bot.on("callback_query:data", async (ctx) => {
    const data = ctx.callbackQuery.data;
    const [kind, id, extra] = data.split(":");
    if (kind === "src" && id) {
      await ctx.answerCallbackQuery();
      const sources = engine.sources(id);
      await send(ctx, sources, undefined, fullTextKeyboard(sources, engine.documents, config.server.publicUrl));
    } else if (kind === "fb" && id && (extra === "up" || extra === "down")) {
      const stored = engine.storedAnswer(id);
      await ctx.answerCallbackQuery({ text: T.feedbackThanks });
      if (stored && ctx.chat) {
        await feedback.append({ kind: "feedback", at: new Date().toISOString(), chat: ctx.chat.id, user: ctx.from.id, vote: extra, question: stored.question, refs: stored.answer.citations.map((c) => c.ref) });
      }
    } else if (kind === "ex" && id) {
      await ctx.answerCallbackQuery();
      const q = engine.examples()[Number(id)];
      if (q) await answer(ctx, q);
    } else if (kind === "task" && id && extra) {
      await ctx.answerCallbackQuery();
      const doc = engine.documents[Number(id)];
      if (doc) await send(ctx, engine.taskReply(doc.id, extra));
    } else {
      await ctx.answerCallbackQuery();
    }
  });

  // Inline mode: "@bot 课后服务几点结束" in any chat offers the cited answer to drop into it.
  bot.on("inline_query", async (ctx) => {
    const q = ctx.inlineQuery.query.trim();
    if (q.length < 2) return void (await ctx.answerInlineQuery([], { cache_time: 5 }));
    const { reply } = await engine.handle(q.slice(0, 200), {});
    const results = [
      {
        type: "article" as const,
        id: "answer",
        title: reply.answer?.grounded ? q : `${q}（文件中没有找到）`,
        description: reply.text.replace(/\s+/gu, " ").slice(0, 120),
        input_message_content: { message_text: htmlParts(`❓ ${q}\n\n${reply.text}`)[0] ?? "", parse_mode: "HTML" as const, link_preview_options: { is_disabled: true } },
      },
      ...reply.citations.slice(0, 4).map((c, i) => ({
        type: "article" as const,
        id: `c${i}`,
        title: c.ref,
        description: c.quote.slice(0, 120),
        input_message_content: { message_text: toHtml(`${c.ref}《${c.title}》\n“${c.quote}”`), parse_mode: "HTML" as const },
      })),
    ];
    await ctx.answerInlineQuery(results, { cache_time: 60 });
  });

  // One boundary for every handler: log without the token, tell the person something went wrong.
  bot.catch(async (err) => {
    const e = err.error;
    const what = e instanceof GrammyError ? `Bot API: ${e.description}` : e instanceof HttpError ? `network: ${e.message}` : e instanceof Error ? e.message : String(e);
    log().error({ update: err.ctx.update.update_id, error: scrubSecrets(what, [token]) }, "update failed");
    if (err.ctx.chat?.type === "private") await err.ctx.reply(T.failed).catch(() => {});
  });

  return bot;
}
