/**
 * `npm run serve`: the HTTP API, the web chat and the document pages on one ChatEngine.
 * SIGTERM and SIGINT stop it after the requests in flight.
 */
import { Answerer } from "../answer/answerer.js";
import { ChatEngine } from "../chat/engine.js";
import { loadConfig } from "../config.js";
import { initLogger, log } from "../log.js";
import { serverText } from "../messages.js";
import { createApp } from "../server/app.js";
import { openStore } from "../store/open.js";
import { listen, type RunningServer } from "../server/listen.js";
import { createWecomChannel } from "../server/wecom/channel.js";
import { runCli, UsageError } from "./common.js";
import { indexOptions, openIndex } from "./open-index.js";
import { followIndex } from "../index/live.js";

/** How long a stop waits for acknowledged 企业微信 messages to be answered. */
const STOP_GRACE_MS = 3500;

await runCli(async () => {
  const config = loadConfig();
  initLogger(config.logLevel, "info");
  const { index } = await openIndex(config);
  const answerer = new Answerer(index, config);
  // Documents ingested while it runs are answered within seconds, as the bot does.
  const store = await openStore(config);
  const engine = new ChatEngine(answerer, store, config.server.publicUrl);
  const wecom = config.wecom
    ? createWecomChannel({ engine, store, wecom: config.wecom, rateLimitPerMinute: config.server.rateLimitPerMinute, concurrency: config.telegram.maxInFlight })
    : undefined;
  const follower = followIndex({ ...indexOptions(config), initial: index, onIndex: (next) => engine.replaceAnswerer(new Answerer(next, config)) });
  const { host, port } = config.server;
  let server: RunningServer;
  try {
    server = await listen(createApp({ engine, server: config.server, store, ...(wecom ? { wecom } : {}) }), { host, port });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") throw new UsageError(serverText.portInUse(host, port));
    throw e;
  }
  // Which corp and app, never their secrets.
  const wecomInfo = config.wecom ? { corpId: config.wecom.corpId, agentId: config.wecom.agentId, apiRoot: config.wecom.apiRoot } : undefined;
  log().info({ url: server.url, publicUrl: config.server.publicUrl, apiKeys: config.server.apiKeys.length, documents: engine.documents.length, wecom: wecomInfo }, "serving");
  process.stderr.write(`${serverText.listening(server.url, engine.documents.length)}\n`);
  await new Promise<void>((stop) => {
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  log().info("stopping");
  follower.stop();
  await server.close();
  // Messages already acknowledged to WeCom are answered before the store closes (WeCom will not deliver them again).
  await wecom?.close(STOP_GRACE_MS);
  await store.close();
});
