/**
 * `npm run bench [-- --sizes 5,1000,5000] [--json]`: for the seeds and for larger corpora (the
 * seeds plus synthetic documents), how long the index takes to build and at what peak memory,
 * its size on disk, how long it takes to load, how fast questions are answered and with what
 * memory, how long a cold `ask` takes, and hit@1 on the dev questions and on questions about the
 * synthetic documents, so that speed is never bought with recall.
 * Each measurement runs in a fresh child process so memory and caches do not leak between them.
 */
import { spawnSync } from "node:child_process";
import { copyFile, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Answerer } from "../answer/answerer.js";
import { loadConfig, PROJECT_ROOT } from "../config.js";
import { evaluate, loadEvalSet } from "../eval/evaluate.js";
import { loadDocuments } from "../ingest/load.js";
import { readPointer } from "../index/builds.js";
import { buildIndex } from "../index/open.js";
import { loadIndex } from "../index/search-index.js";
import { initLogger } from "../log.js";
import { runCli, command } from "./common.js";
import { percentile } from "./percentile.js";
import { progressReporter } from "./progress.js";
import { realDocumentFolders, clausePool, syntheticQuestions, writeSyntheticCorpus } from "./synthetic.js";

/** One corpus size's figures: the fields `--json` prints, one object per size. */
interface Figures {
  docs: number;
  chunks: number;
  buildMs: number;
  buildPeakRssMb: number;
  diskMb: number;
  loadMs: number;
  queryP50Ms: number;
  queryP95Ms: number;
  servingRssMb: number;
  coldAskMs: number;
  /** hit@1 over every question asked (dev and synthetic), and over each kind. */
  hitAt1: number;
  hitAt1Dev: number;
  hitAt1Synthetic: number | null;
  questions: number;
}

const MB = 1e6;
const peakRssMb = () => Math.round((process.resourceUsage().maxRSS * 1024) / MB);
const rssMb = () => Math.round(process.memoryUsage().rss / MB);
const COLD_ASK = "长宁区小学课后服务到几点结束？";
/** Questions about synthetic documents, when there are any. */
const SYNTHETIC_QUESTIONS = 60;

async function folderMb(dir: string): Promise<number> {
  let bytes = 0;
  for (const f of await readdir(dir)) bytes += (await stat(join(dir, f))).size;
  return bytes / MB;
}

async function childBuild(docsDir: string, indexDir: string): Promise<Partial<Figures>> {
  const progress = progressReporter();
  const started = performance.now();
  const { index } = await buildIndex({ docsDir, indexDir, onProgress: progress.update });
  const buildMs = performance.now() - started;
  progress.stop();
  return { docs: index.documents.length, chunks: index.chunks.length, buildMs, buildPeakRssMb: peakRssMb(), diskMb: await folderMb(index.buildDir) };
}

async function childLoad(indexDir: string): Promise<Partial<Figures>> {
  const buildDir = (await readPointer(indexDir))!;
  const t0 = performance.now();
  const index = await loadIndex(buildDir);
  const loadMs = performance.now() - t0;
  const answerer = new Answerer(index, {});
  const dev = await loadEvalSet(join(PROJECT_ROOT, "tests/eval/dev.json"));
  const synthetic = syntheticQuestions(index.documents, SYNTHETIC_QUESTIONS);
  const questions = [...dev.filter((q) => !q.after).map((q) => q.question), ...synthetic.map((q) => q.question)];
  for (const q of questions.slice(0, 10)) await answerer.answer(q); // warm-up
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of questions) {
      const a = performance.now();
      await answerer.answer(q);
      times.push(performance.now() - a);
    }
  }
  const servingRssMb = rssMb();
  // Recall, as `npm run eval` scores it for the dev set; a synthetic question's task is known.
  const devHits = (await evaluate(index, dev, { config: {} })).all.hit1 * dev.length;
  let syntheticHits = 0;
  for (const q of synthetic) {
    const best = (await answerer.retriever.search(q.question)).hits[0];
    if (best && best.doc.id === q.docId && best.task.number === q.task) syntheticHits++;
  }
  return {
    loadMs,
    queryP50Ms: percentile(times, 50),
    queryP95Ms: percentile(times, 95),
    servingRssMb,
    hitAt1: (devHits + syntheticHits) / (dev.length + synthetic.length),
    hitAt1Dev: devHits / dev.length,
    hitAt1Synthetic: synthetic.length > 0 ? syntheticHits / synthetic.length : null,
    questions: dev.length + synthetic.length,
  };
}

/** A first `ask` in a new process, as a person runs it from the bundle, on an index that is current: the median of three. */
function coldAskMs(docsDir: string, indexDir: string): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, "dist/ask.js"), COLD_ASK], { encoding: "utf8", env: { ...process.env, DOCS_DIR: docsDir, INDEX_DIR: indexDir, LOG_LEVEL: "error" } });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`cold ask failed: ${r.stderr}`);
  }
  return percentile(times, 50);
}

function runChild(args: string[]): Partial<Figures> {
  // Launched as this process was: through scripts/run.mjs (which wants the command's name) or directly.
  const self = process.argv[1]!.endsWith("run.mjs") ? [process.argv[1]!, "bench"] : [process.argv[1]!];
  const r = spawnSync(process.execPath, [...self, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, LOG_LEVEL: "error" } });
  if (r.status !== 0) throw new Error(`bench child ${args.join(" ")} failed: ${r.stdout}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}") as Partial<Figures>;
}

/** The seeds, then synthetic documents up to the size. */
async function corpus(size: number, seedsDir: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `epb-bench-${size}-`));
  const seeds = (await readdir(seedsDir)).sort().slice(0, size);
  for (const f of seeds) await copyFile(join(seedsDir, f), join(dir, f));
  if (size <= seeds.length) return dir;
  const real = await Promise.all(realDocumentFolders(PROJECT_ROOT).map(async (folder) => (await loadDocuments(folder)).documents));
  const pool = clausePool(real.flat());
  const progress = progressReporter();
  await writeSyntheticCorpus(dir, 0, size - seeds.length, pool, (done) => progress.update("documents", done, size - seeds.length));
  progress.stop();
  return dir;
}

const ROWS: [label: string, key: keyof Figures, digits: number][] = [
  ["documents", "docs", 0],
  ["chunks", "chunks", 0],
  ["index build (ms)", "buildMs", 0],
  ["peak RSS while building (MB)", "buildPeakRssMb", 0],
  ["index on disk (MB)", "diskMb", 1],
  ["index load (ms)", "loadMs", 1],
  ["answer p50 (ms)", "queryP50Ms", 2],
  ["answer p95 (ms)", "queryP95Ms", 2],
  ["RSS serving (MB)", "servingRssMb", 0],
  ["cold ask (ms)", "coldAskMs", 0],
  ["hit@1, all questions", "hitAt1", 3],
  ["hit@1, dev questions", "hitAt1Dev", 3],
  ["hit@1, synthetic questions", "hitAt1Synthetic", 3],
];

function table(results: { size: number; f: Partial<Figures> }[]): string {
  const fmt = (x: number | null | undefined, digits: number) => (typeof x === "number" ? x.toFixed(digits) : "—");
  const first = results[0]!;
  const last = results.at(-1)!;
  const head = ["metric", ...results.map((r) => `${r.size} docs`), results.length > 1 ? `growth ×${(last.size / first.size).toFixed(0)}` : ""];
  const lines = [head.join("\t")];
  for (const [label, key, digits] of ROWS) {
    const a = first.f[key];
    const b = last.f[key];
    const growth = results.length > 1 && typeof a === "number" && typeof b === "number" && a > 0 && !key.startsWith("hit") ? `×${(b / a).toFixed(1)}` : "";
    lines.push([label, ...results.map((r) => fmt(r.f[key], digits)), growth].join("\t"));
  }
  return lines.join("\n");
}

const round = (f: Partial<Figures>): Partial<Figures> =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === "number" && !Number.isInteger(v) ? Number(v.toFixed(k.startsWith("hit") ? 3 : 2)) : v]));

await runCli(async (argv) => {
  const program = command("bench")
    .option("--sizes <list>", "corpus sizes (documents): the seeds, then synthetic documents", "5,1000")
    .option("--json", "print one JSON object per size")
    .option("--child <mode>", "internal: build|load")
    .option("--docs <dir>")
    .option("--index <dir>")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const o = program.opts<{ sizes: string; json?: boolean; child?: string; docs?: string; index?: string }>();
  initLogger("error");
  if (o.child === "build") return void process.stdout.write(`${JSON.stringify(await childBuild(o.docs!, o.index!))}\n`);
  if (o.child === "load") return void process.stdout.write(`${JSON.stringify(await childLoad(o.index!))}\n`);

  const config = loadConfig();
  const results: { size: number; f: Partial<Figures> }[] = [];
  for (const size of o.sizes.split(",").map(Number)) {
    process.stderr.write(`bench: ${size} documents…\n`);
    const docs = await corpus(size, config.docsDir);
    const index = await mkdtemp(join(tmpdir(), "epb-bench-index-"));
    const built = runChild(["--child", "build", "--docs", docs, "--index", index]);
    const f = round({ ...built, ...runChild(["--child", "load", "--index", index]), coldAskMs: coldAskMs(docs, index) });
    results.push({ size, f });
    if (o.json) process.stdout.write(`${JSON.stringify(f)}\n`);
    await rm(docs, { recursive: true, force: true });
    await rm(index, { recursive: true, force: true });
  }
  if (!o.json) process.stdout.write(`${table(results)}\n`);
});
