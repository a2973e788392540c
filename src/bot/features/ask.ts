/** Questions: text (or a photo's caption) addressed to the bot goes to the engine, within the rate limit. */
import { Composer } from "grammy";
import { chatText as T, servingText as S } from "../../messages.js";
import { addressedText } from "../addressed.js";
import type { BotContext, BotDeps } from "../context.js";
import { answer, withinRateLimit } from "../reply.js";

export function askFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  // Commands other than the admin ones are text for the engine (it knows /start, /help, /about, /task).
  c.on(["message:text", "message:caption"], async (ctx) => {
    const text = addressedText(ctx, ctx.me.username);
    if (text === undefined) return; // group chatter: neither answered nor counted
    const isPrivate = ctx.chat.type === "private";
    if (!(await withinRateLimit(deps, ctx.from?.id, "ask"))) {
      if (isPrivate) await ctx.reply(T.rateLimited);
      return;
    }
    if (deps.engine.documents.length === 0 && !text.startsWith("/")) return void (await ctx.reply(S.noDocuments));
    await answer(deps, ctx, text, isPrivate ? undefined : ctx.message.message_id);
  });

  // Stickers, photos without a caption, voice: in a private chat, say what works; in a group, stay quiet.
  c.on("message", async (ctx) => {
    if (ctx.chat.type === "private") await ctx.reply(T.nonText);
  });

  return c;
}
