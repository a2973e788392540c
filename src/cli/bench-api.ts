/**
 * `npm run bench:api [-- --rounds 5]`: latency of POST /api/ask over loopback, for every
 * question of tests/eval/dev.json, against the real server (same app, same index as `serve`).
 * It also checks that each HTTP answer is byte for byte the `ask --json` object, and reports
 * the answerer's own time beside it, so the HTTP layer's share is visible.
 */
import { join } from "node:path";
import { InvalidArgumentError } from "commander";
import { Answerer } from "../answer/answerer.js";
import { ChatEngine } from "../chat/engine.js";
import { answerJson } from "../chat/links.js";
import { loadConfig, PROJECT_ROOT } from "../config.js";
import { initLogger } from "../log.js";
import { createApp } from "../server/app.js";
import { listen } from "../server/listen.js";
import { runCli, command } from "./common.js";
import { loadEvalSet } from "../eval/evaluate.js";
import { openIndex } from "./open-index.js";
import { percentile } from "./percentile.js";

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("需要一个正整数");
  return n;
};

const ms = (x: number) => x.toFixed(2);

await runCli(async (argv) => {
  const program = command("bench:api")
    .option("--rounds <n>", "passes over the questions (after one warm-up pass)", positiveInt, 5)
    .option("--set <file>", "questions to ask", "tests/eval/dev.json")
    .option("--json", "print the figures as one JSON object")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const o = program.opts<{ rounds: number; set: string; json?: boolean }>();

  const config = loadConfig();
  initLogger(config.logLevel ?? "error", "error");
  const { index } = await openIndex(config, { quiet: true });
  const answerer = new Answerer(index, config);
  const engine = new ChatEngine(answerer);
  // No rate limit: the benchmark is one client asking as fast as it can.
  const server = await listen(createApp({ engine, server: { ...config.server, rateLimitPerMinute: Number.MAX_SAFE_INTEGER } }), { host: "127.0.0.1", port: 0 });
  const questions = (await loadEvalSet(join(PROJECT_ROOT, o.set))).map((q) => q.question);

  const ask = async (question: string) => {
    const started = performance.now();
    const res = await fetch(`${server.url}/api/ask`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ question }) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`/api/ask answered ${res.status} for "${question}": ${text}`);
    return { ms: performance.now() - started, text };
  };

  try {
    let different = 0;
    for (const q of questions) {
      const { text } = await ask(q);
      if (text !== JSON.stringify(answerJson((await answerer.answer(q)).answer, config.server.publicUrl))) different += 1;
    }
    const http: number[] = [];
    const inProcess: number[] = [];
    for (let round = 0; round < o.rounds; round++) {
      for (const q of questions) {
        http.push((await ask(q)).ms);
        const started = performance.now();
        await answerer.answer(q);
        inProcess.push(performance.now() - started);
      }
    }
    const figures = {
      questions: questions.length,
      requests: http.length,
      p50: percentile(http, 50),
      p95: percentile(http, 95),
      max: Math.max(...http),
      answererP50: percentile(inProcess, 50),
      answererP95: percentile(inProcess, 95),
      differentFromAskJson: different,
    };
    if (o.json) {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      return;
    }
    process.stdout.write(
      [
        `POST /api/ask on loopback: ${figures.questions} questions × ${o.rounds} rounds = ${figures.requests} requests (after a warm-up pass)`,
        `  p50 ${ms(figures.p50)} ms   p95 ${ms(figures.p95)} ms   max ${ms(figures.max)} ms`,
        `  answerer alone: p50 ${ms(figures.answererP50)} ms   p95 ${ms(figures.answererP95)} ms`,
        `  answers different from ask --json: ${different} of ${figures.questions}`,
        "",
      ].join("\n"),
    );
  } finally {
    await server.close();
  }
});
