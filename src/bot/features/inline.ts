/** Inline mode: "@bot 课后服务几点结束" in any chat offers the cited answer to drop into it. */
import { Composer } from "grammy";
import { bookTitle, servingText as S } from "../../messages.js";
import type { BotContext, BotDeps } from "../context.js";
import { htmlParts, toHtml } from "../format.js";
import { withinRateLimit } from "../reply.js";

export function inlineFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.on("inline_query", async (ctx) => {
    const q = ctx.inlineQuery.query.trim();
    if (q.length < 2) return void (await ctx.answerInlineQuery([], { cache_time: 5 }));
    // Limited: an empty answer with a note above it, never a spinner that hangs.
    if (!(await withinRateLimit(deps, ctx.from.id, "inline"))) {
      return void (await ctx.answerInlineQuery([], { cache_time: 5, is_personal: true, button: { text: S.rateLimitedShort, start_parameter: "limited" } }));
    }
    const { reply } = await deps.engine.handle(q.slice(0, 200), {});
    const results = [
      {
        type: "article" as const,
        id: "answer",
        title: reply.answer?.grounded ? q : `${q}（文件中没有找到）`,
        description: reply.text.replace(/\s+/gu, " ").slice(0, 120),
        input_message_content: { message_text: htmlParts(`❓ ${q}\n\n${reply.text}`)[0] ?? "", parse_mode: "HTML" as const, link_preview_options: { is_disabled: true } },
      },
      ...reply.citations.slice(0, 4).map((x, i) => ({
        type: "article" as const,
        id: `c${i}`,
        title: x.ref,
        description: x.quote.slice(0, 120),
        input_message_content: { message_text: toHtml(`${x.ref}${bookTitle(x.title)}\n“${x.quote}”`), parse_mode: "HTML" as const },
      })),
    ];
    await ctx.answerInlineQuery(results, { cache_time: 60 });
  });

  return c;
}
