/**
 * Answering one accepted message, after the callback was acknowledged: a text goes to the engine
 * with the person's context (follow-ups work per UserID, across instances with Redis), anything
 * else gets a short hint. The answer goes out through message/send.
 */
import type { ChatContext, ChatEngine } from "../../chat/engine.js";
import { log } from "../../log.js";
import { chatText as T } from "../../messages.js";
import type { Store } from "../../store/store.js";
import { wecomTexts } from "./format.js";
import type { InboundMessage } from "./xml.js";

/** An idle person's follow-up context is forgotten after this (as on the web chat). */
const CHAT_TTL_MS = 30 * 60 * 1000;

export interface ResponderDeps {
  engine: ChatEngine;
  store: Store;
  send(toUser: string, text: string): Promise<void>;
  rateLimitPerMinute: number;
}

export async function respond(deps: ResponderDeps, message: InboundMessage): Promise<void> {
  const user = message.from;
  let sending = false;
  const send = async (texts: string[]) => {
    sending = true;
    for (const text of texts) await deps.send(user, text);
  };
  try {
    if (message.type !== "text") return await send([T.nonText]);
    const asked = await deps.store.hit(`rate:wecom:${user}`, 60_000);
    if (asked > deps.rateLimitPerMinute) {
      // Said once per minute; the rest of the burst goes unanswered.
      if (asked === deps.rateLimitPerMinute + 1) await send([T.rateLimited]);
      return;
    }
    const key = `wecom:chat:${user}`;
    const { reply, context } = await deps.engine.handle(message.content ?? "", (await deps.store.get<ChatContext>(key)) ?? {});
    await deps.store.set(key, context, CHAT_TTL_MS);
    await send(wecomTexts(reply, reply.citations.length > 0 ? deps.engine.fullTextButtons(reply.citations) : []));
  } catch (e) {
    log().error({ err: (e as Error).message, type: message.type, sending }, "wecom message not answered");
    // The person hears that it failed, unless the failure was in reaching them.
    if (!sending) await deps.send(user, T.failed).catch(() => {});
  }
}
