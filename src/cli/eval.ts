/**
 * `npm run eval [-- --baseline] [--set FILE] [--json]`: scores retrieval (hit@1, hit@3, MRR per
 * category) and answers (expected figure or department present, quotes verbatim, refusals right)
 * on the development set, and lists the misses.
 */
import { resolve } from "node:path";
import { Command } from "commander";
import { loadConfig, PROJECT_ROOT } from "../config.js";
import { initLogger } from "../log.js";
import { evaluate, loadEvalSet, type EvalReport } from "./evaluate.js";
import { openIndex } from "./open-index.js";
import { runCli } from "./common.js";

function pct(x: number): string {
  return x.toFixed(3);
}

function render(report: EvalReport, baseline: EvalReport | undefined): string {
  const lines: string[] = [];
  const head = ["category", "n", "hit@1", "hit@3", "MRR"];
  if (baseline) head.push("| base hit@1", "base hit@3", "base MRR");
  lines.push(head.join("\t"));
  const cats = [...report.byCategory.keys()];
  for (const c of [...cats, "ALL"]) {
    const r = c === "ALL" ? report.all : report.byCategory.get(c)!;
    const row = [c, String(r.n), pct(r.hit1), pct(r.hit3), pct(r.mrr)];
    if (baseline) {
      const b = c === "ALL" ? baseline.all : baseline.byCategory.get(c);
      row.push(`| ${pct(b?.hit1 ?? 0)}`, pct(b?.hit3 ?? 0), pct(b?.mrr ?? 0));
    }
    lines.push(row.join("\t"));
  }
  lines.push("");
  lines.push(`refusals: ${report.refusal.correct}/${report.refusal.unanswerable} unanswerable refused; ${report.refusal.falseRefusals} answerable refused`);
  if (report.answers) {
    const a = report.answers;
    lines.push(`answers: expected figure/department present ${a.containsExpected}/${a.withExpectation} (${pct(a.containsExpected / Math.max(1, a.withExpectation))}); quotes verbatim in the cited task ${a.verbatimQuotes}/${a.quotes} (${pct(a.verbatimQuotes / Math.max(1, a.quotes))}); grounded:false on unanswerable ${a.refusedUnanswerable}/${a.unanswerable}`);
  }
  if (report.misses.length > 0) {
    lines.push("", "misses:");
    for (const m of report.misses) lines.push(`  ${m.id}\t${m.question}\tgot ${m.got.join(", ") || "—"}\twant ${m.want.join(" | ") || "refusal"}${m.note ? `\t${m.note}` : ""}`);
  }
  if (baseline) lines.push("", `baseline: ${baseline.note ?? ""}`);
  return lines.join("\n");
}

await runCli(async (argv) => {
  const program = new Command("eval")
    .option("--baseline", "also score the LangChain-defaults baseline, side by side")
    .option("--set <file>", "evaluation set", resolve(PROJECT_ROOT, "tests/eval/dev.json"))
    .option("--json", "print the report as JSON")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const opts = program.opts<{ baseline?: boolean; set: string; json?: boolean }>();
  const config = loadConfig();
  initLogger(config.logLevel, "warn");
  const { index } = await openIndex(config);
  const set = await loadEvalSet(opts.set);
  const report = await evaluate(index, set, { config });
  const baseline = opts.baseline ? await evaluate(index, set, { config, baseline: config.docsDir }) : undefined;
  if (opts.json) {
    const plain = (r: EvalReport) => ({ ...r, byCategory: Object.fromEntries(r.byCategory) });
    process.stdout.write(`${JSON.stringify({ report: plain(report), ...(baseline ? { baseline: plain(baseline) } : {}) }, null, 2)}\n`);
  } else {
    process.stdout.write(`${render(report, baseline)}\n`);
  }
});
