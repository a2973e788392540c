/**
 * `npm run bench [-- --sizes 5,1000]`: index build time, index load time, jieba load time,
 * query latency p50/p95 and RSS, for the seeds and for a synthetic corpus, and how each grows.
 * Each measurement runs in a fresh child process so memory and caches do not leak between them.
 */
import { spawnSync } from "node:child_process";
import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { Answerer } from "../answer/answerer.js";
import { loadConfig, PROJECT_ROOT } from "../config.js";
import { loadDocuments } from "../ingest/load.js";
import { readPointer } from "../index/builds.js";
import { buildIndex } from "../index/open.js";
import { loadIndex } from "../index/search-index.js";
import { useDictionary } from "../index/tokenizer.js";
import { initLogger } from "../log.js";
import { runCli } from "./common.js";
import { percentile } from "./percentile.js";
import { loadEvalSet } from "../eval/evaluate.js";
import { progressReporter } from "./progress.js";
import { sentencePool, writeSyntheticCorpus } from "./synthetic.js";

interface Figures {
  documents: number;
  chunks: number;
  buildMs: number;
  buildRssMb: number;
  loadMs: number;
  jiebaMs: number;
  retrieveP50: number;
  retrieveP95: number;
  answerP50: number;
  answerP95: number;
  rssMb: number;
}

const rss = () => Math.round(process.memoryUsage().rss / 1e6);
const pct = percentile;

async function childBuild(docsDir: string, indexDir: string): Promise<Partial<Figures>> {
  const progress = progressReporter();
  const started = performance.now();
  const { index } = await buildIndex({ docsDir, indexDir, onProgress: progress.update });
  progress.stop();
  return { documents: index.documents.length, chunks: index.chunks.length, buildMs: performance.now() - started, buildRssMb: rss() };
}

async function childLoad(indexDir: string): Promise<Partial<Figures>> {
  const buildDir = (await readPointer(indexDir))!;
  const t0 = performance.now();
  useDictionary(buildDir);
  const jiebaMs = performance.now() - t0;
  const t1 = performance.now();
  const index = await loadIndex(buildDir);
  const loadMs = performance.now() - t1;
  const answerer = new Answerer(index, {});
  const questions = (await loadEvalSet(join(PROJECT_ROOT, "tests/eval/dev.json"))).map((q) => q.question);
  for (const q of questions.slice(0, 10)) await answerer.answer(q); // warm-up
  const retrieve: number[] = [];
  const answer: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of questions) {
      const a = performance.now();
      await answerer.retriever.search(q);
      retrieve.push(performance.now() - a);
      const b = performance.now();
      await answerer.answer(q);
      answer.push(performance.now() - b);
    }
  }
  return { loadMs, jiebaMs, retrieveP50: pct(retrieve, 50), retrieveP95: pct(retrieve, 95), answerP50: pct(answer, 50), answerP95: pct(answer, 95), rssMb: rss() };
}

function runChild(args: string[]): Partial<Figures> {
  // Launched as this process was: through scripts/run.mjs (which wants the command's name) or directly.
  const self = process.argv[1]!.endsWith("run.mjs") ? [process.argv[1]!, "bench"] : [process.argv[1]!];
  const r = spawnSync(process.execPath, [...self, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, LOG_LEVEL: "error" } });
  if (r.status !== 0) throw new Error(`bench child ${args.join(" ")} failed: ${r.stdout}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}") as Partial<Figures>;
}

async function corpus(size: number, seedsDir: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `epb-bench-${size}-`));
  if (size <= (await readdir(seedsDir)).length) {
    for (const f of (await readdir(seedsDir)).slice(0, size)) await copyFile(join(seedsDir, f), join(dir, f));
    return dir;
  }
  const pool = sentencePool((await loadDocuments(seedsDir)).documents);
  const progress = progressReporter();
  await writeSyntheticCorpus(dir, size, pool, (done) => progress.update("documents", done, size));
  progress.stop();
  return dir;
}

const fmt = (x: number | undefined, digits = 0) => (x === undefined ? "—" : x.toFixed(digits));

function table(results: { size: number; f: Partial<Figures> }[]): string {
  const rows: [string, keyof Figures, number][] = [
    ["documents", "documents", 0],
    ["chunks", "chunks", 0],
    ["index build (ms)", "buildMs", 0],
    ["RSS while building (MB)", "buildRssMb", 0],
    ["index load (ms)", "loadMs", 1],
    ["jieba dictionary load (ms)", "jiebaMs", 1],
    ["retrieval p50 (ms)", "retrieveP50", 2],
    ["retrieval p95 (ms)", "retrieveP95", 2],
    ["answer p50 (ms)", "answerP50", 2],
    ["answer p95 (ms)", "answerP95", 2],
    ["RSS serving (MB)", "rssMb", 0],
  ];
  const first = results[0]!;
  const last = results.at(-1)!;
  const head = ["metric", ...results.map((r) => `${r.size} docs`), results.length > 1 ? `growth ×${(last.size / first.size).toFixed(0)}` : ""];
  const lines = [head.join("\t")];
  for (const [label, key, digits] of rows) {
    const growth = results.length > 1 && first.f[key] ? `×${((last.f[key] ?? 0) / (first.f[key] ?? 1)).toFixed(1)}` : "";
    lines.push([label, ...results.map((r) => fmt(r.f[key], digits)), growth].join("\t"));
  }
  return lines.join("\n");
}

await runCli(async (argv) => {
  const program = new Command("bench")
    .option("--sizes <list>", "corpus sizes (documents); the seeds when not more than their count", "5,1000")
    .option("--child <mode>", "internal: build|load")
    .option("--docs <dir>")
    .option("--index <dir>")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const o = program.opts<{ sizes: string; child?: string; docs?: string; index?: string }>();
  initLogger("error");
  if (o.child === "build") return void process.stdout.write(`${JSON.stringify(await childBuild(o.docs!, o.index!))}\n`);
  if (o.child === "load") return void process.stdout.write(`${JSON.stringify(await childLoad(o.index!))}\n`);

  const config = loadConfig();
  const results: { size: number; f: Partial<Figures> }[] = [];
  for (const size of o.sizes.split(",").map(Number)) {
    process.stderr.write(`bench: ${size} documents…\n`);
    const docs = await corpus(size, config.docsDir);
    const index = await mkdtemp(join(tmpdir(), "epb-bench-index-"));
    const f = { ...runChild(["--child", "build", "--docs", docs, "--index", index]), ...runChild(["--child", "load", "--index", index]) };
    results.push({ size, f });
    await rm(docs, { recursive: true, force: true });
    await rm(index, { recursive: true, force: true });
  }
  process.stdout.write(`${table(results)}\n`);
});
