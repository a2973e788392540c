/**
 * `npm start`: with BOT_TOKEN, the Telegram bot; without it, the same conversation in the
 * terminal (ask, follow up, /task, /help, /sources; Ctrl-D to leave). SIGTERM and SIGINT stop
 * either cleanly.
 */
import { createInterface } from "node:readline";
import { Answerer } from "../answer/answerer.js";
import { ChatEngine, type ChatContext } from "../chat/engine.js";
import { loadConfig } from "../config.js";
import { initLogger, log } from "../log.js";
import { chatText as T, servingText as S } from "../messages.js";
import { runCli } from "./common.js";
import { indexOptions, openIndex } from "./open-index.js";
import { openStore } from "../store/open.js";

async function terminalChat(engine: ChatEngine): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  const stop = () => rl.close();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  process.stdout.write(`${T.terminalWelcome(engine.documents.length)}\n\n`);
  let context: ChatContext = {};
  let lastAnswerId: string | undefined;
  const prompt = () => interactive && rl.prompt();
  rl.setPrompt("问> ");
  prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text.length === 0) {
      prompt();
      continue;
    }
    try {
      if (/^\/sources\b/u.test(text)) {
        process.stdout.write(`${lastAnswerId ? (await engine.sources(lastAnswerId)).text : T.sourcesGone}\n\n`);
      } else if (engine.documents.length === 0 && !text.startsWith("/")) {
        process.stdout.write(`${S.noDocuments}\n\n`);
      } else {
        const out = await engine.handle(text, context);
        context = out.context;
        if (out.reply.answerId && out.reply.citations.length > 0) lastAnswerId = out.reply.answerId;
        const hint = out.reply.citations.length > 0 ? `\n${T.terminalSources}` : "";
        process.stdout.write(`${out.reply.text}${hint}\n\n`);
      }
    } catch (e) {
      log().error({ err: e }, "terminal chat failed on a message");
      process.stdout.write(`${T.failed}\n\n`);
    }
    prompt();
  }
  process.stdout.write(`${T.terminalBye}\n`);
}

await runCli(async () => {
  const config = loadConfig();
  initLogger(config.logLevel, config.telegram.token ? "info" : "warn");
  const { index } = await openIndex(config);
  if (!config.telegram.token) return terminalChat(new ChatEngine(new Answerer(index, config)));
  // The bot's state (chats, answers, counters) in Redis when REDIS_URL is set, shared by every bot process.
  const store = await openStore(config);
  const engine = new ChatEngine(new Answerer(index, config), store, config.server.publicUrl);
  const { runBot } = await import("../bot/run.js");
  await runBot({ engine, config, store, index, live: indexOptions(config) });
  // Stopped: whatever is still pending (a retry's timer, a keep-alive socket) does not hold the exit.
  setTimeout(() => process.exit(), 500).unref();
});
