/**
 * Runs the bot: registers its commands (in Chinese), then long polling, or a webhook on Node's
 * http server with BOT_MODE=webhook. SIGTERM and SIGINT stop it within a few seconds.
 */
import { createServer } from "node:http";
import { webhookCallback } from "grammy";
import type { ChatEngine } from "../chat/engine.js";
import { FeedbackLog } from "../chat/feedback.js";
import type { Config } from "../config.js";
import { log } from "../log.js";
import { botCommands } from "../messages.js";
import { createBot } from "./bot.js";

export async function runBot(engine: ChatEngine, config: Config): Promise<void> {
  const bot = createBot({ engine, config, feedback: new FeedbackLog(config.feedbackLog) });
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
      const stop = () => server.close(() => done());
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
    return;
  }

  const stop = () => {
    log().info("stopping");
    void bot.stop();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  await bot.start({ onStart: (me) => log().info({ bot: me.username }, "polling") });
  log().info("stopped");
}
