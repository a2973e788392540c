/** /task's buttons: which of several plans was meant, and the whole text of a long task. */
import { Composer } from "grammy";
import { docKey } from "../../chat/buttons.js";
import type { BotContext, BotDeps } from "../context.js";
import { splitText } from "../format.js";
import { onButton } from "../on-button.js";
import { send, sendText } from "../reply.js";

/** Parts of a long task's full text: short enough to read on a phone, cut at line and sentence ends. */
const FULL_TASK_PART_CHARS = 1200;

export function taskFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const docId = (key: string) => deps.engine.documents.find((d) => docKey(d.id) === key)?.id;

  onButton(c, "task", async (ctx, { doc, number }) => {
    await ctx.answerCallbackQuery();
    await send(ctx, deps.engine.taskReply(docId(doc) ?? "", number));
  });

  onButton(c, "fullTask", async (ctx, { doc, number }) => {
    await ctx.answerCallbackQuery();
    const reply = deps.engine.taskReply(docId(doc) ?? "", number);
    if (reply.kind !== "task") return send(ctx, reply);
    for (const part of splitText(reply.text, FULL_TASK_PART_CHARS)) await sendText(ctx, part);
  });

  return c;
}
