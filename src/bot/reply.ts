/** Turning the engine's replies into Telegram messages, and asking the engine on a chat's behalf. */
import { InlineKeyboard } from "grammy";
import { docKey, encodeButton } from "../chat/buttons.js";
import type { Reply } from "../chat/engine.js";
import { log } from "../log.js";
import { servingText as S } from "../messages.js";
import { chatContextStorage } from "./chat-context.js";
import type { BotContext, BotDeps } from "./context.js";
import { htmlParts, splitText } from "./format.js";

/** A task longer than this is sent as its beginning with a "全文" button (043 is 2,100 characters). */
const TASK_SUMMARY_AT = 700;
const TASK_SUMMARY_CHARS = 450;

export function keyboard(reply: Pick<Reply, "buttons">): InlineKeyboard | undefined {
  if (reply.buttons.length === 0) return undefined;
  const kb = new InlineKeyboard();
  reply.buttons.forEach((row, i) => {
    if (i > 0) kb.row();
    for (const b of row) {
      if (b.url) kb.url(b.text, b.url);
      else kb.text(b.text, b.data);
    }
  });
  return kb;
}

/** Sends text as one or more HTML messages; buttons go under the last one. */
export async function sendText(ctx: BotContext, text: string, kb?: InlineKeyboard, replyTo?: number): Promise<void> {
  const parts = htmlParts(text);
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

export async function send(ctx: BotContext, reply: Reply, replyTo?: number): Promise<void> {
  if (reply.kind === "task" && reply.task && reply.text.length > TASK_SUMMARY_AT) {
    // A wall of text on a phone helps nobody: its beginning (cut at a sentence end) and a button for the rest.
    const summary = splitText(reply.text, TASK_SUMMARY_CHARS)[0] ?? "";
    const full = new InlineKeyboard().text(S.fullTaskButton, encodeButton({ kind: "fullTask", doc: docKey(reply.task.docId), number: reply.task.number }));
    return sendText(ctx, `${summary}${S.taskSummaryMore(reply.text.length)}`, full, replyTo);
  }
  await sendText(ctx, reply.text, keyboard(reply), replyTo);
}

/** Asks the engine with the chat's context, sends the reply, and logs what was asked. */
export async function answer(deps: BotDeps, ctx: BotContext, text: string, replyTo?: number): Promise<void> {
  await ctx.replyWithChatAction("typing").catch(() => {});
  const { reply, context } = await deps.engine.handle(text, ctx.session);
  ctx.session = context;
  // Stored before the reply goes out, not only when the session middleware finishes: a follow-up
  // sent on the reply may reach another bot process, which must find this context already there.
  if (ctx.chat) await chatContextStorage(deps.store).write(ctx.chat.id.toString(), context);
  await send(ctx, reply, replyTo);
  if (reply.answer && ctx.chat) {
    await deps.feedback
      .append({ kind: "asked", at: new Date().toISOString(), chat: ctx.chat.id, question: reply.question ?? text, grounded: reply.answer.grounded, refs: reply.citations.map((c) => c.ref) })
      .catch((e: unknown) => log().warn({ err: (e as Error).message }, "could not write the feedback log"));
  }
}

/**
 * Counts one question of this user in the current minute and says whether it may be answered.
 * Only questions count (messages addressed to the bot, example buttons, inline queries), each
 * kind its own counter, so chatter in a group never silences a private question.
 */
export async function withinRateLimit(deps: BotDeps, userId: number | undefined, kind: "ask" | "inline"): Promise<boolean> {
  if (userId === undefined) return true;
  return (await deps.store.hit(`rate:${kind}:${userId}`, 60_000)) <= deps.config.telegram.rateLimitPerMinute;
}
