import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureIndex } from "../../src/index/open.js";
import type { SearchIndex } from "../../src/index/search-index.js";
import { SEEDS, seedIndex, tempDir } from "../helpers.js";

/** The vectors a build saved, one row per chunk. */
function savedVectors(index: SearchIndex): Float32Array {
  const buf = readFileSync(join(index.buildDir, "vectors.f32"));
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** Whether chunk i's saved vector is what its text embeds to now (stored as float32, as hnswlib keeps it). */
async function embedsAsSaved(index: SearchIndex, i: number): Promise<boolean> {
  const c = index.chunks[i]!;
  const dims = index.manifest.embedding.dims;
  const want = Float32Array.from(await index.embeddings.embedQuery(`${c.context}\n${c.text}`));
  return want.every((x, d) => x === savedVectors(index)[i * dims + d]);
}

describe("the build pipeline", () => {
  it("takes each chunk's vector from the LSA fit: exactly what embedding its text gives", async () => {
    const index = await seedIndex();
    const sample = index.chunks.map((_, i) => i).filter((i) => i % 7 === 0);
    for (const i of sample) expect(await embedsAsSaved(index, i), index.chunks[i]!.id).toBe(true);
  });

  it("embeds only the new chunks when a document arrives, with the model it keeps", async () => {
    const docsDir = tempDir("epb-docs-");
    for (const f of readdirSync(SEEDS)) copyFileSync(join(SEEDS, f), join(docsDir, f));
    const indexDir = tempDir("epb-vs-");
    const first = await ensureIndex({ docsDir, indexDir });
    writeFileSync(join(docsDir, "baoshan.txt"), "2025年宝山区教育工作要点\n一、办好民心工程\n1. 建设社区学习圈。新建社区学习点12个，方便居民就近学习（牵头部门：局终身教育科）。\n");
    const second = await ensureIndex({ docsDir, indexDir });
    const added = second.index.chunks.map((c, i) => [c, i] as const).filter(([c]) => c.docId.startsWith("宝山"));
    expect(added.length).toBeGreaterThan(0);
    expect(second.embedded).toBe(added.length);
    expect(second.reused).toBe(first.index.chunks.length);
    for (const [, i] of added) expect(await embedsAsSaved(second.index, i)).toBe(true);
  });
});
