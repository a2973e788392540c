/**
 * The Telegram surface (grammY): turns updates into calls on the chat engine and its replies into
 * Telegram messages, one Composer per feature. Creating a bot has no side effects; `run.ts` starts it.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError, session } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { ChatContext } from "../chat/engine.js";
import { log, scrubSecrets } from "../log.js";
import { chatText as T } from "../messages.js";
import { MemoryStore } from "../store/memory.js";
import type { Store } from "../store/store.js";
import { chatContextStorage } from "./chat-context.js";
import type { BotContext, BotDeps } from "./context.js";
import { adminFeature } from "./features/admin.js";
import { askFeature } from "./features/ask.js";
import { buttonsFeature } from "./features/buttons.js";
import { inlineFeature } from "./features/inline.js";
import { taskFeature } from "./features/task.js";

export type { BotContext } from "./context.js";
export { addressedText } from "./addressed.js";

export interface BotOptions extends Omit<BotDeps, "store"> {
  /** Defaults to this process's memory; pass the engine's store so both see the same state. */
  store?: Store;
  /** Preset bot info (tests; a known bot): no getMe on start. */
  botInfo?: UserFromGetMe;
}

/** A hung Bot API call fails after this, instead of grammY's default 500 s. */
export const API_TIMEOUT_SECONDS = 10;
export { chatContextStorage } from "./chat-context.js";

export function createBot(opts: BotOptions): Bot<BotContext> {
  const deps: BotDeps = { ...opts, store: opts.store ?? new MemoryStore() };
  const token = deps.config.telegram.token ?? "";
  const bot = new Bot<BotContext>(token, {
    ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
    client: { timeoutSeconds: API_TIMEOUT_SECONDS, ...(deps.config.telegram.apiRoot ? { apiRoot: deps.config.telegram.apiRoot } : {}) },
  });
  // 429 answers carry retry_after: wait and retry instead of failing the reply. Capped so that a
  // retried send holds its own chat for seconds, not a minute (other chats are not held at all).
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  // One chat's updates in order (its follow-ups need the previous answer's context); different
  // chats in parallel. Before the session, so that each update reads the context the last one wrote.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.use(session({ initial: (): ChatContext => ({}), storage: chatContextStorage(deps.store) }));

  bot.use(adminFeature(deps));
  bot.use(taskFeature(deps));
  bot.use(buttonsFeature(deps));
  bot.use(inlineFeature(deps));
  bot.use(askFeature(deps));
  // A button nothing owns (from an older version, or forged): stop the spinner, do nothing.
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());

  // One boundary for every handler: log without the token, tell the person something went wrong.
  bot.catch(async (err) => {
    const e = err.error;
    const what = e instanceof GrammyError ? `Bot API: ${e.description}` : e instanceof HttpError ? `network: ${e.message}` : e instanceof Error ? e.message : String(e);
    log().error({ update: err.ctx.update.update_id, error: scrubSecrets(what, [token]) }, "update failed");
    const ctx = err.ctx;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: T.failed }).catch(() => {});
    else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 5 }).catch(() => {});
    else if (ctx.chat?.type === "private") await ctx.reply(T.failed).catch(() => {});
  });

  return bot;
}
