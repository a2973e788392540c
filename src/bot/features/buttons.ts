/** The buttons under an answer (查看出处, 👍/👎) and under /start (example questions). */
import { Composer } from "grammy";
import { ANSWER_TTL_MS } from "../../chat/engine.js";
import { chatText as T, servingText as S } from "../../messages.js";
import type { BotContext, BotDeps } from "../context.js";
import { onButton } from "../on-button.js";
import { answer, send, withinRateLimit } from "../reply.js";

export function buttonsFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  onButton(c, "sources", async (ctx, { answerId }) => {
    await ctx.answerCallbackQuery();
    await send(ctx, await deps.engine.sources(answerId));
  });

  onButton(c, "vote", async (ctx, { answerId, vote }) => {
    const stored = await deps.engine.storedAnswer(answerId);
    if (!stored) return void (await ctx.answerCallbackQuery({ text: S.answerGone }));
    // One vote per person per answer, whichever bot process the press reaches.
    const first = await deps.store.setIfAbsent(`vote:${answerId}:${ctx.from.id}`, vote, ANSWER_TTL_MS);
    if (!first) return void (await ctx.answerCallbackQuery({ text: S.alreadyVoted }));
    await ctx.answerCallbackQuery({ text: T.feedbackThanks });
    await deps.feedback.append({ kind: "feedback", at: new Date().toISOString(), chat: ctx.chat?.id ?? 0, user: ctx.from.id, vote, question: stored.question, refs: stored.answer.citations.map((x) => x.ref) });
  });

  // An example question is a question: it counts, and a limited user is told so on the button itself.
  onButton(c, "example", async (ctx, { index }) => {
    const q = deps.engine.examples()[index];
    if (!(await withinRateLimit(deps, ctx.from.id, "ask"))) return void (await ctx.answerCallbackQuery({ text: S.rateLimitedShort }));
    await ctx.answerCallbackQuery();
    if (q) await answer(deps, ctx, q);
  });

  return c;
}
