/**
 * The 企业微信 channel on the HTTP server: the callback routes, the queue of accepted messages,
 * and the app's message API client, wired to the same ChatEngine and Store as the other surfaces.
 */
import type { Hono } from "hono";
import type { ChatEngine } from "../../chat/engine.js";
import type { Config } from "../../config.js";
import type { Store } from "../../store/store.js";
import { PerUserQueue } from "./queue.js";
import { respond } from "./respond.js";
import { callbackRoutes } from "./route.js";
import { WecomSender } from "./sender.js";
import { AccessTokens } from "./token.js";

/** Accepted but not yet answered; past this WeCom is told 503 and delivers again later. */
const MAX_QUEUED = 2000;

export interface WecomChannelOptions {
  engine: ChatEngine;
  store: Store;
  wecom: NonNullable<Config["wecom"]>;
  rateLimitPerMinute: number;
  /** Answers composed at once. */
  concurrency: number;
  /** The first pause after WeCom says "too frequent" (tests shorten it). */
  retryDelayMs?: number;
}

export interface WecomChannel {
  /** Mounted at /wecom: /wecom/callback. */
  routes: Hono;
  /** Messages accepted and not yet answered. */
  pending(): number;
  /** Waits for the accepted messages to be answered, at most `graceMs`. */
  close(graceMs: number): Promise<void>;
}

export function createWecomChannel(opts: WecomChannelOptions): WecomChannel {
  const { wecom } = opts;
  const sender = new WecomSender(new AccessTokens(wecom), { apiRoot: wecom.apiRoot, agentId: wecom.agentId, ...(opts.retryDelayMs !== undefined ? { retryDelayMs: opts.retryDelayMs } : {}) });
  const queue = new PerUserQueue(opts.concurrency);
  const deps = { engine: opts.engine, store: opts.store, rateLimitPerMinute: opts.rateLimitPerMinute, send: (to: string, text: string) => sender.sendText(to, text) };
  const routes = callbackRoutes({
    wecom,
    store: opts.store,
    hasRoom: () => queue.pending < MAX_QUEUED,
    receive: (message) => queue.push(message.from, () => respond(deps, message)),
  });
  return { routes, pending: () => queue.pending, close: (graceMs) => queue.idle(graceMs) };
}
