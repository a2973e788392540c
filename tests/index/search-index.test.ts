import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPointer } from "../../src/index/builds.js";
import { ensureIndex } from "../../src/index/open.js";
import { SEEDS, tempDir } from "../helpers.js";

function copySeeds(): string {
  const dir = tempDir("epb-docs-");
  for (const f of readdirSync(SEEDS)) copyFileSync(join(SEEDS, f), join(dir, f));
  return dir;
}

describe("index on disk", () => {
  it("builds once, then loads the same build while documents are unchanged", async () => {
    const docsDir = copySeeds();
    const indexDir = tempDir("epb-vs-");
    const reasons: string[] = [];
    const first = await ensureIndex({ docsDir, indexDir, onRebuild: (r) => reasons.push(r) });
    expect(reasons).toEqual(["no index yet"]);
    expect(first.index.manifest.documents.map((d) => d.id).sort()).toEqual(["长宁2020-第043项", "长宁2021-第048项", "长宁2023-要点", "闵行2021下半年-要点", "青浦2019-要点"].sort());
    expect(first.index.manifest.documents.find((d) => d.id === "长宁2023-要点")?.tasks).toBe(30);
    expect(first.index.manifest.embedding.kind).toBe("lsa");

    const second = await ensureIndex({ docsDir, indexDir, onRebuild: (r) => reasons.push(r) });
    expect(reasons).toHaveLength(1);
    expect(second.index.buildDir).toBe(first.index.buildDir);
    expect(second.index.chunks.length).toBe(first.index.chunks.length);
  });

  it("rebuilds when a document changes, and swaps the live build atomically", async () => {
    const docsDir = copySeeds();
    const indexDir = tempDir("epb-vs-");
    const first = await ensureIndex({ docsDir, indexDir });
    const file = join(docsDir, readdirSync(docsDir).find((f) => f.startsWith("002"))!);
    writeFileSync(file, readFileSync(file, "utf8").replace("深化“双减”落实", "深化“双减”落实和课后延时"));
    const reasons: string[] = [];
    const second = await ensureIndex({ docsDir, indexDir, onRebuild: (r) => reasons.push(r) });
    expect(reasons).toEqual(["documents or settings changed"]);
    expect(second.index.buildDir).not.toBe(first.index.buildDir);
    expect(await readPointer(indexDir)).toBe(second.index.buildDir);
    expect(existsSync(first.index.buildDir)).toBe(false);
    expect(second.index.documents.find((d) => d.id === "长宁2023-要点")?.tasks[13]?.text).toContain("课后延时");
  });

  it("ignores an incomplete build folder and rebuilds over a corrupt live one", async () => {
    const docsDir = copySeeds();
    const indexDir = tempDir("epb-vs-");
    const first = await ensureIndex({ docsDir, indexDir });
    writeFileSync(join(first.index.buildDir, "bm25.json"), "{not json");
    const reasons: string[] = [];
    const again = await ensureIndex({ docsDir, indexDir, onRebuild: (r) => reasons.push(r) });
    expect(reasons).toEqual(["index unreadable"]);
    expect(again.index.chunks.length).toBe(first.index.chunks.length);
  });
});
