/**
 * BM25 over jieba tokens, in typed arrays. MiniSearch did the job, but its index for 1,000
 * documents is a 17 MB JSON file whose loading peaks near 460 MB of memory; postings as one
 * compressed-row table (term → chunk indices, weighted term frequencies) take ~25 MB and load
 * as a few buffers. A chunk's title and breadcrumb weigh more than its body (BM25F, folded into
 * the term frequencies).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChunkSet } from "./chunk-set.js";
import { topK } from "./top-k.js";

export interface LexicalFields {
  id: string;
  title: string;
  heading: string;
  text: string;
}

export const FIELD_WEIGHT = { title: 3, heading: 2, text: 1 } as const;
const K1 = 1.2;
const B = 0.75;

export interface LexicalResult {
  id: string;
  score: number;
}

export class Bm25Index {
  private constructor(
    private readonly ids: string[],
    private readonly terms: Map<string, number>,
    /** postings of term t: docs[offsets[t] .. offsets[t+1]) */
    private readonly offsets: Uint32Array,
    private readonly docs: Uint32Array,
    private readonly tfs: Float32Array,
    private readonly lengths: Float32Array,
  ) {
    this.avgLength = lengths.reduce((s, l) => s + l, 0) / Math.max(1, lengths.length);
  }

  private readonly avgLength: number;

  static build(rows: readonly LexicalFields[], tokenize: (text: string) => string[]): Bm25Index {
    const perTerm = new Map<string, { docs: number[]; tfs: number[] }>();
    const lengths = new Float32Array(rows.length);
    rows.forEach((row, d) => {
      const tf = new Map<string, number>();
      for (const field of ["title", "heading", "text"] as const) {
        const w = FIELD_WEIGHT[field];
        for (const t of tokenize(row[field])) {
          tf.set(t, (tf.get(t) ?? 0) + w);
          lengths[d]! += w;
        }
      }
      for (const [t, f] of tf) {
        let p = perTerm.get(t);
        if (!p) perTerm.set(t, (p = { docs: [], tfs: [] }));
        p.docs.push(d);
        p.tfs.push(f);
      }
    });
    const vocabulary = [...perTerm.keys()];
    const offsets = new Uint32Array(vocabulary.length + 1);
    vocabulary.forEach((t, i) => (offsets[i + 1] = offsets[i]! + perTerm.get(t)!.docs.length));
    const docs = new Uint32Array(offsets[vocabulary.length]!);
    const tfs = new Float32Array(docs.length);
    vocabulary.forEach((t, i) => {
      const p = perTerm.get(t)!;
      docs.set(p.docs, offsets[i]!);
      tfs.set(p.tfs, offsets[i]!);
    });
    return new Bm25Index(rows.map((r) => r.id), new Map(vocabulary.map((t, i) => [t, i])), offsets, docs, tfs, lengths);
  }

  get size(): number {
    return this.ids.length;
  }

  /** In how many chunks a token occurs. */
  documentFrequency(term: string): number {
    const t = this.terms.get(term);
    return t === undefined ? 0 : this.offsets[t + 1]! - this.offsets[t]!;
  }

  /**
   * The k best chunks that contain any of the tokens, best first (ties in the order the chunks
   * were first met), among the allowed ones. Scores accumulate in typed arrays reused by every
   * search, and only the best k are ordered.
   */
  search(tokens: readonly string[], allowed?: ChunkSet, k = Number.POSITIVE_INFINITY): LexicalResult[] {
    const n = this.ids.length;
    const filter = allowed && !allowed.isFull() ? allowed : undefined;
    const scores = (this.scores ??= new Float64Array(n));
    const touched = (this.touched ??= new Int32Array(n));
    let count = 0;
    for (const token of new Set(tokens)) {
      const t = this.terms.get(token);
      if (t === undefined) continue;
      const from = this.offsets[t]!;
      const to = this.offsets[t + 1]!;
      const df = to - from;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let p = from; p < to; p++) {
        const d = this.docs[p]!;
        if (filter && !filter.has(d)) continue;
        const tf = this.tfs[p]!;
        const norm = tf + K1 * (1 - B + (B * this.lengths[d]!) / this.avgLength);
        // Every term adds a positive amount: a score of 0 means the chunk was not met yet.
        if (scores[d] === 0) touched[count++] = d;
        scores[d]! += (idf * tf * (K1 + 1)) / norm;
      }
    }
    const best = topK(count, Math.min(k, count), (a, b) => scores[touched[a]!]! - scores[touched[b]!]! || b - a);
    const out = best.map((at) => ({ id: this.ids[touched[at]!]!, score: scores[touched[at]!]! }));
    for (let i = 0; i < count; i++) scores[touched[i]!] = 0;
    return out;
  }

  /** Scratch space for `search`, allocated on first use. */
  private scores: Float64Array | undefined;
  private touched: Int32Array | undefined;

  async save(dir: string): Promise<void> {
    const vocabulary = [...this.terms.keys()];
    await writeFile(join(dir, "bm25.json"), JSON.stringify({ ids: this.ids, terms: vocabulary }));
    const header = new Uint32Array([this.offsets.length, this.docs.length, this.lengths.length]);
    const parts = [header, this.offsets, this.docs, this.tfs, this.lengths];
    await writeFile(join(dir, "bm25.bin"), Buffer.concat(parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
  }

  static async load(dir: string): Promise<Bm25Index> {
    const { ids, terms } = JSON.parse(await readFile(join(dir, "bm25.json"), "utf8")) as { ids: string[]; terms: string[] };
    const buf = await readFile(join(dir, "bm25.bin"));
    // Copied into aligned typed arrays once: readFile's buffer may not be 4-byte aligned.
    const words = new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const [nOffsets, nPostings, nLengths] = [words[0]!, words[1]!, words[2]!];
    let at = 3;
    const take = (len: number) => words.subarray(at, (at += len));
    const offsets = take(nOffsets);
    const docs = take(nPostings);
    const tfs = new Float32Array(take(nPostings).buffer, (at - nPostings) * 4, nPostings);
    const lengths = new Float32Array(words.buffer, at * 4, nLengths);
    if (offsets.length !== terms.length + 1 || lengths.length !== ids.length) throw new Error(`bm25.bin does not match bm25.json in ${dir}`);
    return new Bm25Index(ids, new Map(terms.map((t, i) => [t, i])), offsets, docs, tfs, lengths);
  }
}

export function lexicalFields(chunk: { id: string; path: readonly string[]; text: string }, taskTitle: string, section: string | undefined): LexicalFields {
  return { id: chunk.id, title: taskTitle, heading: [section ?? "", ...chunk.path].join(" "), text: chunk.text };
}
