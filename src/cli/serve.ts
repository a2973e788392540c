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
import { runCli, UsageError } from "./common.js";
import { openIndex } from "./open-index.js";

await runCli(async () => {
  const config = loadConfig();
  initLogger(config.logLevel, "info");
  const { index } = await openIndex(config);
  const answerer = new Answerer(index, config);
  const store = await openStore(config);
  const engine = new ChatEngine(answerer, store, config.server.publicUrl);
  const { host, port } = config.server;
  let server: RunningServer;
  try {
    server = await listen(createApp({ engine, answerer, server: config.server, store }), { host, port });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") throw new UsageError(serverText.portInUse(host, port));
    throw e;
  }
  log().info({ url: server.url, publicUrl: config.server.publicUrl, apiKeys: config.server.apiKeys.length, documents: engine.documents.length }, "serving");
  process.stderr.write(`${serverText.listening(server.url, engine.documents.length)}\n`);
  await new Promise<void>((stop) => {
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  log().info("stopping");
  await server.close();
  await store.close();
});
