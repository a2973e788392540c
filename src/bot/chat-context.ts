/** Where each chat's follow-up context is kept: in the store, so every bot process continues it. */
import type { StorageAdapter } from "grammy";
import type { ChatContext } from "../chat/engine.js";
import type { Store } from "../store/store.js";

/** An idle chat's follow-up context is forgotten after this. */
const CHAT_CONTEXT_TTL_MS = 30 * 60 * 1000;

/** The follow-up context of each chat, kept in the store so every bot process continues it. */
export function chatContextStorage(store: Store): StorageAdapter<ChatContext> {
  return {
    read: (key) => store.get<ChatContext>(`chat:${key}`),
    write: (key, value) => store.set(`chat:${key}`, value, CHAT_CONTEXT_TTL_MS),
    delete: (key) => store.delete(`chat:${key}`),
  };
}
