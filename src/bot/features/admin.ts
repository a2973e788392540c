/** Admins' commands: /stats (in a private chat only: it lists what people asked) and /reload. */
import { Composer } from "grammy";
import { chatText as T, servingText as S, statsText } from "../../messages.js";
import type { BotContext, BotDeps } from "../context.js";

export function adminFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const isAdmin = (ctx: BotContext) => ctx.from !== undefined && deps.config.telegram.adminIds.includes(ctx.from.id);

  c.command("reload", async (ctx) => {
    if (!isAdmin(ctx) || !deps.reload) return void (await ctx.reply(T.adminOnly));
    await ctx.reply(T.reloaded(await deps.reload()));
  });

  c.command("stats", async (ctx) => {
    if (ctx.chat.type !== "private") return void (await ctx.reply(S.statsPrivateOnly));
    if (!isAdmin(ctx)) return void (await ctx.reply(T.statsDenied));
    await ctx.reply(statsText(await deps.feedback.stats()));
  });

  return c;
}
