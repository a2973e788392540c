/** Which messages are meant for the bot, and their question without the mention. */
import type { BotContext } from "./context.js";

/**
 * The question in a message (its text, or a photo's caption) when it is addressed to the bot:
 * every message in a private chat; in a group, a mention, a reply to the bot, or a command that
 * names no other bot (`/help`, `/help@this_bot`, not `/help@other_bot`). Undefined otherwise.
 */
export function addressedText(ctx: BotContext, username: string): string | undefined {
  const msg = ctx.message;
  const text = msg?.text ?? msg?.caption;
  if (!msg || text === undefined) return undefined;
  if (ctx.chat?.type === "private") return text;
  const mention = `@${username}`.toLowerCase();
  const entities = msg.entities ?? msg.caption_entities ?? [];
  const mentioned = entities.some((e) => {
    const t = text.slice(e.offset, e.offset + e.length).toLowerCase();
    if (e.type === "mention") return t === mention;
    if (e.type === "bot_command") return e.offset === 0 && (!t.includes("@") || t.endsWith(mention));
    return false;
  });
  const repliedToBot = msg.reply_to_message?.from?.id === ctx.me.id;
  if (!mentioned && !repliedToBot) return undefined;
  return text.replace(new RegExp(`@${username}`, "giu"), " ").trim();
}
