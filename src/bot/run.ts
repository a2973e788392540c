/**
 * Runs the bot: registers its commands (in Chinese), then long polling, or a webhook on Node's
 * http server with BOT_MODE=webhook. SIGTERM and SIGINT stop it within a few seconds.
 */
import { unwatchFile, watchFile } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { webhookCallback } from "grammy";
import { Answerer } from "../answer/answerer.js";
import type { ChatEngine } from "../chat/engine.js";
import { embeddingSpecFor } from "../index/embedding-spec.js";
import { loadIndex, readPointer } from "../index/search-index.js";
import { FeedbackLog } from "../chat/feedback.js";
import type { Config } from "../config.js";
import { log } from "../log.js";
import { botCommands } from "../messages.js";
import { createBot } from "./bot.js";

/**
 * Follows the live index: `npm run ingest` or `npm run index` in another process swaps the
 * pointer file, and the bot loads the new build without a restart.
 */
function followIndex(engine: ChatEngine, config: Config): { reload: () => Promise<number>; stop: () => void } {
  let current = "";
  const reload = async () => {
    const dir = await readPointer(config.indexDir);
    if (dir && dir !== current) {
      const index = await loadIndex(dir, embeddingSpecFor(config));
      engine.replaceAnswerer(new Answerer(index, config));
      current = dir;
      log().info({ build: dir, documents: index.documents.length }, "index reloaded");
    }
    return engine.documents.length;
  };
  void readPointer(config.indexDir).then((d) => (current = d ?? ""));
  const pointer = join(config.indexDir, "current.json");
  watchFile(pointer, { interval: 2000 }, () => {
    reload().catch((e: unknown) => log().error({ err: (e as Error).message }, "index reload failed; keeping the previous one"));
  });
  return { reload, stop: () => unwatchFile(pointer) };
}

export async function runBot(engine: ChatEngine, config: Config): Promise<void> {
  const follower = followIndex(engine, config);
  const bot = createBot({ engine, config, feedback: new FeedbackLog(config.feedbackLog), reload: follower.reload });
  await bot.init();
  await bot.api.setMyCommands(botCommands).catch((e: unknown) => log().warn({ err: (e as Error).message }, "setMyCommands failed"));

  if (config.telegram.mode === "webhook") {
    const handle = webhookCallback(bot, "http", { secretToken: config.telegram.webhookSecret ?? "" });
    const server = createServer((req, res) => {
      if (req.method !== "POST") {
        res.writeHead(405).end();
        return;
      }
      void handle(req, res);
    });
    await new Promise<void>((ok) => server.listen(config.telegram.port, ok));
    await bot.api.setWebhook(config.telegram.webhookUrl ?? "", { secret_token: config.telegram.webhookSecret ?? "" });
    log().info({ port: config.telegram.port, bot: bot.botInfo.username }, "webhook listening");
    await new Promise<void>((done) => {
      const stop = () => {
        follower.stop();
        server.close(() => done());
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
    return;
  }

  const stop = () => {
    log().info("stopping");
    follower.stop();
    void bot.stop();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  await bot.start({ onStart: (me) => log().info({ bot: me.username }, "polling") });
  log().info("stopped");
}
