import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { evaluate, loadEvalSet } from "../../src/eval/evaluate.js";
import { ROOT, seedIndex } from "../helpers.js";

describe("development set", () => {
  it("keeps retrieval at the level reached (hit@1 0.97 and hit@3 0.98 of 98 questions, no false refusal)", async () => {
    const index = await seedIndex();
    const set = await loadEvalSet(join(ROOT, "tests/eval/dev.json"));
    expect(set.length).toBeGreaterThanOrEqual(80);
    const report = await evaluate(index, set, { config: loadConfig({}) });
    // 2026-11-25: two misses in 98, both unanswerable questions answered (学区房怎么划分, 今天中午吃什么).
    // Weighing a question's everyday words less cut false refusals on fresh sets by a third; these
    // two, whose point is an everyday verb, are what it cost.
    // 2026-11-25 (afternoon): the grown thesaurus put 长宁 2020's report before 青浦's item on one
    // comparison (教师培养); it cut false refusals on four fresh sets by half (blind3 6.8% → 3.4%).
    expect(report.all.hit1).toBeGreaterThanOrEqual(0.969);
    expect(report.all.hit3).toBeGreaterThanOrEqual(0.979);
    expect(report.answers?.verbatimQuotes).toBe(report.answers?.quotes);
    expect(report.refusal.falseRefusals).toBe(0);
    expect(report.refusal.correct).toBeGreaterThanOrEqual(report.refusal.unanswerable - 2);
    // Phone length: the whole message a person reads.
    expect(report.answers!.medianLength).toBeLessThanOrEqual(150);
    expect(report.answers!.maxLength).toBeLessThanOrEqual(350);
    expect(report.answers!.cutQuotes).toBe(0);
  });

  it("keeps the first blind set where the answering work brought it (it has been seen since)", async () => {
    const index = await seedIndex();
    const report = await evaluate(index, await loadEvalSet(join(ROOT, "tests/eval/blind.json")), { config: loadConfig({}) });
    // First run before the work: hit@1 0.760, false refusals 0.216; after: 0.930 and 0.045.
    expect(report.all.hit1).toBeGreaterThanOrEqual(0.92);
    expect(report.all.falseRefusals).toBeLessThanOrEqual(0.05);
    expect(report.answers?.verbatimQuotes).toBe(report.answers?.quotes);
  });

  it("keeps the later blind sets where the answering work brought them (seen since their first runs)", async () => {
    const index = await seedIndex();
    const config = loadConfig({});
    // First runs: blind2 0.815 hit@1 and 13.8% false refusals; blind3 0.820 and 11.4%; blind4 0.830 and 9.1%;
    // blind5 0.810 and 5.7%; blind6 0.880 and 4.5%; blind9 0.890 and 4.5%; blind10 0.900 and 6.7%;
    // blind11 0.920 and 4.5%; blind12 0.880 and 2.3%; blind13 0.920 and 1.1%; blind14 0.940 and 2.3%
    // (blind12 was scored before the 2026-11-25 evening session's changes, blind13 and blind14 after).
    const sets = [
      ["blind2", 0.9, 0.07],
      ["blind3", 0.9, 0.04],
      ["blind4", 0.93, 0.03],
      ["blind5", 0.94, 0.02],
      ["blind6", 0.89, 0.05],
      ["blind9", 0.96, 0.02],
      ["blind10", 0.94, 0.02],
      ["blind11", 0.96, 0.02],
      ["blind12", 0.94, 0.02],
      ["blind13", 0.92, 0.02],
      ["blind14", 0.92, 0.02],
    ] as const;
    for (const [name, hit1, falseRefusals] of sets) {
      const report = await evaluate(index, await loadEvalSet(join(ROOT, `tests/eval/${name}.json`)), { config });
      expect(report.all.hit1, name).toBeGreaterThanOrEqual(hit1);
      expect(report.all.falseRefusals, name).toBeLessThanOrEqual(falseRefusals);
      expect(report.answers?.verbatimQuotes, name).toBe(report.answers?.quotes);
    }
  });

  it("is far ahead of the LangChain-defaults baseline", async () => {
    const index = await seedIndex();
    const set = await loadEvalSet(join(ROOT, "tests/eval/dev.json"));
    const config = loadConfig({});
    const ours = await evaluate(index, set, { config });
    const base = await evaluate(index, set, { config, baseline: config.docsDir });
    expect(ours.all.hit1 - base.all.hit1).toBeGreaterThan(0.5);
  });
});
