/**
 * `npm run eval [-- --set dev|blind|blind2|blind3|holdout|real|heldout|FILE] [--baseline] [--json] [--from-log FILE]`:
 * scores retrieval (hit@1, hit@3, MRR) and answers (every fact present, false refusals, refusals
 * right, quotes verbatim, answer length) per category, and lists the misses. `real` and `heldout`
 * parse the real published documents under tests/real-docs into a scratch index first and also
 * check what the parser read (place, year, items, leads) against their manifests.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { loadConfig, PROJECT_ROOT } from "../config.js";
import { initLogger } from "../log.js";
import { evaluate, loadEvalSet, type EvalItem, type EvalReport, type Scores } from "../eval/evaluate.js";
import { loadRealDocs, realEvalItems, realSetFolders, realSetIndex, type StructureCheck } from "../eval/real-docs.js";
import type { SearchIndex } from "../index/search-index.js";
import { openIndex } from "./open-index.js";
import { runCli, UsageError, command } from "./common.js";

const pct = (x: number) => (Number.isNaN(x) ? "—" : x.toFixed(3));

function row(name: string, r: Scores): string {
  return [name, String(r.n), pct(r.hit1), pct(r.hit3), pct(r.mrr), pct(r.facts), pct(r.falseRefusals), pct(r.refusedRight)].join("\t");
}

function render(report: EvalReport, baseline: EvalReport | undefined): string {
  const lines: string[] = [["category", "n", "hit@1", "hit@3", "MRR", "facts", "falseRef", "refusedOK"].join("\t")];
  for (const [c, r] of report.byCategory) lines.push(row(c, r));
  lines.push(row("ALL", report.all));
  if (baseline) lines.push(row("baseline", baseline.all));
  lines.push("");
  const r = report.refusal;
  lines.push(`refusals: ${r.correct}/${r.unanswerable} unanswerable refused; ${r.falseRefusals}/${r.answerable} answerable refused`);
  if (report.answers) {
    const a = report.answers;
    lines.push(
      `answers: every fact present ${a.containsExpected}/${a.withExpectation} (${pct(a.containsExpected / Math.max(1, a.withExpectation))}); quotes verbatim ${a.verbatimQuotes}/${a.quotes}; cut inside a number or word ${a.cutQuotes}; length median ${a.medianLength}, max ${a.maxLength}`,
    );
  }
  if (report.misses.length > 0) {
    lines.push("", "misses:");
    for (const m of report.misses) lines.push(`  ${m.id}\t${m.question}\tgot ${m.got.join(", ") || "—"}\twant ${m.want.join(" | ") || "refusal"}${m.note ? `\t${m.note}` : ""}`);
  }
  if (baseline) lines.push("", `baseline: ${baseline.note ?? ""}`);
  return lines.join("\n");
}

function renderStructure(checks: readonly StructureCheck[]): string {
  const ok = checks.filter((c) => c.placeOk && c.yearOk).length;
  const lines = [`documents: place and year right ${ok}/${checks.length}`, ["file", "place", "year", "items got/want", "samples", "leads", "title"].join("\t")];
  for (const c of checks) {
    lines.push(
      [
        c.file,
        `${c.placeOk ? "✓" : "✗"} ${c.got.district}${c.placeOk ? "" : ` (want ${c.want.district})`}`,
        `${c.yearOk ? "✓" : "✗"} ${c.got.year}${c.yearOk ? "" : ` (want ${c.want.year})`}`,
        `${c.got.tasks}/${c.want.items}`,
        `${c.samplesOk}/${c.samples}`,
        `${c.leadsOk}/${c.leads}`,
        c.got.title,
      ].join("\t"),
    );
  }
  return lines.join("\n");
}

/** Refused and 👎 questions from the feedback log, as cases to label (expect left for a person to fill in). */
async function casesFromLog(file: string): Promise<EvalItem[]> {
  const text = await readFile(file, "utf8").catch(() => {
    throw new UsageError(`找不到反馈日志：${file}`);
  });
  const seen = new Set<string>();
  const items: EvalItem[] = [];
  for (const line of text.split("\n")) {
    let e: { kind?: string; question?: string; grounded?: boolean; vote?: string };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      continue;
    }
    const wanted = (e.kind === "asked" && e.grounded === false) || (e.kind === "feedback" && e.vote === "down");
    if (!wanted || !e.question || seen.has(e.question)) continue;
    seen.add(e.question);
    items.push({ id: `log-${items.length + 1}`, category: e.kind === "asked" ? "refused" : "disliked", question: e.question, expect: null });
  }
  return items;
}

/** A set named by its file in tests/eval (dev, holdout, blind, blind2, blind3…). */
const namedSet = (name: string) => (/^[\w-]+$/u.test(name) && existsSync(resolve(PROJECT_ROOT, "tests/eval", `${name}.json`)) ? `tests/eval/${name}.json` : undefined);

await runCli(async (argv) => {
  const program = command("eval")
    .option("--baseline", "also score the LangChain-defaults baseline")
    .option("--set <name>", "a set in tests/eval (dev, holdout, blind, blind2, blind3), real, heldout, or a JSON file", "dev")
    .option("--json", "print the report as JSON")
    .option("--from-log <file>", "write refused and 👎 questions from a feedback log as cases to label (to --out)")
    .option("--out <file>", "where --from-log writes", "var/eval-from-log.json")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const opts = program.opts<{ baseline?: boolean; set: string; json?: boolean; fromLog?: string; out: string }>();
  const config = loadConfig();
  initLogger(config.logLevel, "warn");

  if (opts.fromLog) {
    const cases = await casesFromLog(opts.fromLog);
    await writeFile(opts.out, `${JSON.stringify(cases, null, 1)}\n`);
    process.stdout.write(`${cases.length} cases written to ${opts.out}: fill in "expect" (tasks, or null) and add them to a set.\n`);
    return;
  }

  let index: SearchIndex;
  let set: EvalItem[];
  let checks: StructureCheck[] | undefined;
  if (opts.set === "real" || /^heldout\d*$/u.test(opts.set)) {
    const docs = await loadRealDocs(await realSetFolders(join(PROJECT_ROOT, "tests/real-docs"), opts.set));
    const real = await realSetIndex(docs);
    ({ index, checks } = real);
    set = realEvalItems(docs, real.parsed);
  } else {
    const file = resolve(PROJECT_ROOT, namedSet(opts.set) ?? opts.set);
    if (!existsSync(file)) throw new UsageError(`找不到评测集：${file}`);
    index = (await openIndex(config)).index;
    set = await loadEvalSet(file);
  }
  const report = await evaluate(index, set, { config });
  const baseline = opts.baseline ? await evaluate(index, set, { config, baseline: config.docsDir }) : undefined;
  if (opts.json) {
    const plain = (r: EvalReport) => ({ ...r, byCategory: Object.fromEntries(r.byCategory) });
    process.stdout.write(`${JSON.stringify({ report: plain(report), ...(baseline ? { baseline: plain(baseline) } : {}), ...(checks ? { documents: checks } : {}) }, null, 2)}\n`);
  } else {
    process.stdout.write(`${checks ? `${renderStructure(checks)}\n\n` : ""}${render(report, baseline)}\n`);
  }
});
