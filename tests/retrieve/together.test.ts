import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIndex } from "../../src/index/open.js";
import { PlanRetriever, pairWeights, togetherness } from "../../src/retrieve/retriever.js";
import { ROOT, tempDir } from "../helpers.js";

/**
 * A district's plan and a progress report of the same year echo each other's clauses, as real
 * ones do: plan item 1 holds 持续深化德育一体化建设 and 推进学校体育场地开放 in two sentences,
 * the report's task 021 writes them as one. A question quoting one of them must cite that one.
 */
let retriever: PlanRetriever;
beforeAll(async () => {
  const { index } = await buildIndex({ docsDir: join(ROOT, "tests/fixtures/echoes"), indexDir: tempDir("epb-echoes-") });
  retriever = new PlanRetriever(index);
});

const cited = async (q: string) => {
  const h = (await retriever.search(q)).hits[0];
  return h && `${h.doc.id}#${h.task.number}`;
};

describe("words written together", () => {
  it("cites the task that writes the question's clauses as one sentence, not the one holding them apart", async () => {
    expect(await cited("嘉定2023年持续深化德育一体化建设，推进学校体育场地开放？")).toBe("嘉定2023-第021项#021");
  });

  it("still cites the plan for the clauses the plan writes together", async () => {
    expect(await cited("嘉定2023年推进学校体育场地开放，每周开放时长不低于15小时？")).toBe("嘉定2023-要点#1");
  });

  it("pairs neighbouring words, never across a place or year taken out of the question", () => {
    expect(retriever.understand("嘉定2023年持续深化德育一体化建设，推进学校体育场地开放？").neighbours).toEqual([
      ["持续", "深化"],
      ["深化", "德育"],
      ["德育", "一体化"],
      ["一体化", "建设"],
      ["建设", "推进"],
      ["推进", "学校"],
      ["学校", "体育场地"],
      ["体育场地", "开放"],
    ]);
    expect(retriever.understand("学校体育场地嘉定2023年开放吗").neighbours).toEqual([["学校", "体育场地"]]);
    expect(retriever.understand("托育嘉定怎么样").neighbours).toEqual([]);
  });

  it("weighs a pair by how few candidates write it together", () => {
    // Pair 0 is written by every candidate, pair 1 by one: pair 1 tells them apart.
    const held = [[true, true], [true, false], [true, false], [true, false]];
    const w = pairWeights(held, 2);
    expect(w[1]!).toBeGreaterThan(w[0]!);
    expect(togetherness(held[0]!, w)).toBe(1);
    expect(togetherness(held[1]!, w)).toBeCloseTo(w[0]! / (w[0]! + w[1]!));
    expect(togetherness([], [])).toBe(0);
  });
});
