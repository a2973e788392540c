/** What every feature of the bot shares: its context type and the services it talks to. */
import type { Context, SessionFlavor } from "grammy";
import type { ChatContext, ChatEngine } from "../chat/engine.js";
import type { FeedbackLog } from "../chat/feedback.js";
import type { Config } from "../config.js";
import type { Store } from "../store/store.js";

export type BotContext = Context & SessionFlavor<ChatContext>;

export interface BotDeps {
  engine: ChatEngine;
  config: Config;
  feedback: FeedbackLog;
  /** Chats, counters and votes; the engine keeps its answers in the same store. */
  store: Store;
  /** Loads the index again (admins' /reload); resolves to the number of documents loaded. */
  reload?: () => Promise<number>;
}
