import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { plainReader } from "../../src/index/builds.js";
import { Bm25Index } from "../../src/index/bm25.js";
import { ChunkSet } from "../../src/index/chunk-set.js";
import { seededRandom } from "../../src/index/random.js";
import { tempDir } from "../helpers.js";

/** Rows of a few hundred words drawn from a small vocabulary, so that many scores tie. */
function corpus(n: number) {
  const next = seededRandom(3);
  const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
  const text = (len: number) => Array.from({ length: len }, () => words[Math.floor(next() ** 2 * words.length)]).join(" ");
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, title: text(2), heading: text(1 + (i % 3)), text: text(5 + (i % 20)) }));
}

describe("BM25 top k", () => {
  const rows = corpus(2000);
  const index = Bm25Index.build(rows, (t) => t.split(" "));

  it("gives the head of the full ranking, ties in the order chunks were first met, within the allowed chunks", () => {
    const allowed = ChunkSet.of(rows.length, rows.map((_, i) => i).filter((i) => i % 3 !== 0));
    for (const tokens of [["w1"], ["w0", "w5", "w30"], ["w39", "w2", "w2"]]) {
      const all = index.search(tokens);
      const within = all.filter((r) => allowed.has(Number(r.id.slice(1))));
      expect(index.search(tokens, allowed, 50)).toEqual(within.slice(0, 50));
      expect(index.search(tokens, undefined, 7)).toEqual(all.slice(0, 7));
      // The full ranking is sorted by score, best first.
      expect(all.every((r, i) => i === 0 || all[i - 1]!.score >= r.score)).toBe(true);
    }
  });

  it("ranks the same after saving and loading (frequencies kept in a byte each)", async () => {
    const dir = tempDir("epb-bm25-");
    await index.save(dir);
    const loaded = await Bm25Index.load(plainReader(dir), rows.map((r) => r.id));
    for (const tokens of [["w1"], ["w0", "w5", "w30"]]) expect(loaded.search(tokens, undefined, 50)).toEqual(index.search(tokens, undefined, 50));
    expect(readFileSync(join(dir, "bm25.bin")).byteLength).toBeLessThan(4 * (4 + 2 * rows.length + 1) + 5 * 2000 * 40);
  });

  it("finds nothing for unknown words, and nothing outside an empty filter", () => {
    expect(index.search(["nope"])).toEqual([]);
    expect(index.search(["w1"], ChunkSet.empty(rows.length), 50)).toEqual([]);
  });
});
