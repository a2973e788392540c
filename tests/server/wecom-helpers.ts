/** The HTTP server with its 企业微信 channel pointed at a WeCom stand-in, as `npm run serve` wires it. */
import { Answerer } from "../../src/answer/answerer.js";
import { ChatEngine } from "../../src/chat/engine.js";
import { loadConfig } from "../../src/config.js";
import { createApp } from "../../src/server/app.js";
import { listen, type RunningServer } from "../../src/server/listen.js";
import { createWecomChannel, type WecomChannel } from "../../src/server/wecom/channel.js";
import { MemoryStore } from "../../src/store/memory.js";
import type { Store } from "../../src/store/store.js";
import type { WecomStandIn } from "../fakes/wecom.js";
import { seedIndex } from "../helpers.js";

export const PUBLIC_URL = "https://edu.example.cn";

export interface WecomServer extends RunningServer {
  callback: string;
  channel: WecomChannel;
}

export async function startWecomServer(wecom: WecomStandIn, opts: { env?: Record<string, string>; store?: Store } = {}): Promise<WecomServer> {
  const config = loadConfig({ RATE_LIMIT_PER_MINUTE: "10000", PUBLIC_URL, ...wecom.env, ...opts.env });
  const store = opts.store ?? new MemoryStore();
  const answerer = new Answerer(await seedIndex(), config);
  const engine = new ChatEngine(answerer, store, config.server.publicUrl);
  // Pauses after 45009 are shortened; everything else is as configured.
  const channel = createWecomChannel({ engine, store, wecom: config.wecom!, rateLimitPerMinute: config.server.rateLimitPerMinute, concurrency: 8, retryDelayMs: 20 });
  const running = await listen(createApp({ engine, server: config.server, store, wecom: channel }), { host: "127.0.0.1", port: 0 });
  return { ...running, callback: `${running.url}/wecom/callback`, channel };
}
