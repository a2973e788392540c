import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseDocument } from "../src/ingest/parse.js";
import type { PlanDocument } from "../src/ingest/types.js";

export const ROOT = resolve(import.meta.dirname, "..");
export const SEEDS = join(ROOT, "seeds");

export function seedFile(prefix: string): string {
  const name = readdirSync(SEEDS).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`no seed ${prefix}`);
  return join(SEEDS, name);
}

export function seedText(prefix: string): string {
  return readFileSync(seedFile(prefix), "utf8");
}

export function parseSeed(prefix: string): PlanDocument {
  return parseDocument(seedText(prefix), seedFile(prefix));
}

/** Count of each Han character: what a parse may not lose or duplicate. */
export function hanCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ch of text.match(/\p{Script=Han}/gu) ?? []) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return counts;
}

/** Everything a parsed document keeps, each piece once. */
export function keptText(doc: PlanDocument): string {
  return [doc.preamble, ...doc.sections, ...doc.tasks.map((t) => t.text), doc.trailer].join("\n");
}

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { buildIndex } from "../src/index/open.js";
import type { SearchIndex } from "../src/index/search-index.js";
import { expect } from "vitest";

let seedIndexPromise: Promise<SearchIndex> | undefined;

/** The seeds' index, built once per test process into a temporary folder. */
export function seedIndex(): Promise<SearchIndex> {
  seedIndexPromise ??= buildIndex({ docsDir: SEEDS, indexDir: mkdtempSync(join(tmpdir(), "epb-index-")) }).then((r) => r.index);
  return seedIndexPromise;
}

export function tempDir(prefix = "epb-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The first citation for “长宁区小学课后服务到几点结束？”, as every surface gives it. */
export const CITATION_048 = {
  ref: "〔长宁区·2021年重点工作第048项·一、本月进展情况·（二）小学生校内课后服务工程〕",
  district: "长宁区",
  year: 2021,
  title: "关于区政府重点工作目标完成情况的反馈",
  task: "048",
  path: ["一、本月进展情况 25%", "（二）小学生校内课后服务工程"],
  quote: expect.stringContaining("16:30 至 18:00"),
  label: "〔长宁2021·第048项〕",
};
