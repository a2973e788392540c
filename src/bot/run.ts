/**
 * Runs the bot: registers its commands (in Chinese), then long polling through grammY's runner
 * (chats answered in parallel, each in order), or the webhook server with BOT_MODE=webhook.
 * SIGTERM and SIGINT stop fetching (or accepting), let the updates in flight finish, and return
 * within a few seconds.
 */
import { run } from "@grammyjs/runner";
import { Answerer } from "../answer/answerer.js";
import type { ChatEngine } from "../chat/engine.js";
import { FileFeedbackLog, StoreFeedbackLog } from "../chat/feedback.js";
import type { Config } from "../config.js";
import { followIndex, type LiveIndexOptions } from "../index/live.js";
import type { SearchIndex } from "../index/search-index.js";
import { log, scrubSecrets } from "../log.js";
import { botCommands } from "../messages.js";
import type { Store } from "../store/store.js";
import { createBot } from "./bot.js";
import { createWebhookServer } from "./webhook.js";

/** How long the updates in flight get to finish after SIGTERM. */
export const SHUTDOWN_GRACE_MS = 3500;
/** Long-polling wait: under the API client's timeout, so an idle poll is never taken for a hung one. */
const POLL_SECONDS = 5;

export interface RunBotOptions {
  engine: ChatEngine;
  config: Config;
  store: Store;
  /** The index the engine answers from, and how to follow it. */
  index: SearchIndex;
  live: LiveIndexOptions;
}

/**
 * Resolves on the first SIGTERM or SIGINT. The handlers stay installed: under `npm start` the
 * signal arrives twice (sent to the process group, then forwarded by npm), and a second one must
 * not kill the process while it finishes the updates in flight (the grace period bounds that).
 */
function untilSignal(): Promise<string> {
  return new Promise((ok) => {
    process.on("SIGTERM", () => ok("SIGTERM"));
    process.on("SIGINT", () => ok("SIGINT"));
  });
}

export async function runBot({ engine, config, store, index, live }: RunBotOptions): Promise<void> {
  const follower = followIndex({ ...live, initial: index, onIndex: (next) => engine.replaceAnswerer(new Answerer(next, config)) });
  // Shared with the other bot processes through Redis; otherwise the local JSON-lines file.
  const feedback = config.redisUrl ? new StoreFeedbackLog(store) : new FileFeedbackLog(config.feedbackLog);
  const bot = createBot({ engine, config, feedback, store, reload: async () => (await follower.reload()).documents.length });
  const token = config.telegram.token ?? "";
  // The runner retries getUpdates itself; its failures would otherwise go unlogged (or to the console, token and all).
  bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (e) {
      if (method === "getUpdates" && !signal?.aborted) log().warn({ err: scrubSecrets((e as Error).message, [token]) }, "getUpdates failed; retrying");
      throw e;
    }
  });
  await bot.init();
  await bot.api.setMyCommands(botCommands).catch((e: unknown) => log().warn({ err: scrubSecrets((e as Error).message, [token]) }, "setMyCommands failed"));
  const stopped = untilSignal();

  try {
    if (config.telegram.mode === "webhook") {
      const hook = createWebhookServer({ secret: config.telegram.webhookSecret ?? "", concurrency: config.telegram.maxInFlight, handle: (u) => bot.handleUpdate(u) });
      await new Promise<void>((ok, fail) => {
        hook.server.once("error", fail);
        hook.server.listen(config.telegram.port, config.telegram.host, ok);
      });
      await bot.api.setWebhook(config.telegram.webhookUrl ?? "", { secret_token: config.telegram.webhookSecret ?? "" });
      log().info({ host: config.telegram.host, port: config.telegram.port, bot: bot.botInfo.username }, "webhook listening");
      log().info({ signal: await stopped, pending: hook.pending() }, "stopping");
      await hook.close(SHUTDOWN_GRACE_MS);
    } else {
      // getUpdates fails while a webhook is set.
      await bot.api.deleteWebhook();
      const runner = run(bot, {
        runner: { fetch: { timeout: POLL_SECONDS }, silent: true, retryInterval: "exponential" },
        // Bounded: past this many updates in flight the runner fetches no more until some finish.
        sink: { concurrency: config.telegram.maxInFlight },
      });
      log().info({ bot: bot.botInfo.username, concurrency: config.telegram.maxInFlight }, "polling");
      const ended = await Promise.race([stopped, runner.task()?.then(() => "runner ended") ?? "runner ended"]);
      log().info({ reason: ended, inFlight: runner.size() }, "stopping");
      // stop() ends fetching; it does not wait for the updates being handled (its sink reports them).
      const deadline = Date.now() + SHUTDOWN_GRACE_MS;
      if (runner.isRunning()) await Promise.race([runner.stop(), new Promise((ok) => setTimeout(ok, SHUTDOWN_GRACE_MS).unref())]);
      while (runner.size() > 0 && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
      if (runner.size() > 0) log().warn({ inFlight: runner.size() }, "stopped with updates unfinished");
    }
  } finally {
    follower.stop();
    await store.close();
    log().info("stopped");
  }
}
