/** Routes a button press to the feature that owns its kind of action (decoded in one place). */
import type { Composer, Filter } from "grammy";
import { decodeButton, type ButtonAction } from "../chat/buttons.js";
import type { BotContext } from "./context.js";

export function onButton<K extends ButtonAction["kind"]>(
  composer: Composer<BotContext>,
  kind: K,
  handler: (ctx: Filter<BotContext, "callback_query:data">, action: Extract<ButtonAction, { kind: K }>) => Promise<void>,
): void {
  composer.on("callback_query:data", async (ctx, next) => {
    const action = decodeButton(ctx.callbackQuery.data);
    if (action?.kind !== kind) return next();
    await handler(ctx, action as Extract<ButtonAction, { kind: K }>);
  });
}
