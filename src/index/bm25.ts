/**
 * BM25 over jieba tokens, in typed arrays. MiniSearch did the job, but its index for 1,000
 * documents is a 17 MB JSON file whose loading peaks near 460 MB of memory; postings as one
 * compressed-row table (term → chunk indices, weighted term frequencies) take ~25 MB and load
 * as a few buffers. A chunk's title and breadcrumb weigh more than its body (BM25F, folded into
 * the term frequencies).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ReadBuildFile } from "./builds.js";
import type { ChunkSet } from "./chunk-set.js";
import { alignedView } from "./aligned.js";
import { holding, IntList } from "./int-list.js";
import { TermTable } from "./term-table.js";
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
    private readonly tfs: Float32Array | Uint8Array,
    private readonly lengths: Float32Array,
  ) {
    this.avgLength = lengths.reduce((s, l) => s + l, 0) / Math.max(1, lengths.length);
  }

  private readonly avgLength: number;

  static build(rows: readonly LexicalFields[], tokenize: (text: string) => string[]): Bm25Index {
    const table = new TermTable();
    const builder = new Bm25Builder(rows.length);
    const ids = (text: string) => tokenize(text).map((t) => table.word(t));
    rows.forEach((row, d) => builder.add(d, [ids(row.title), FIELD_WEIGHT.title], [ids(row.heading), FIELD_WEIGHT.heading], [ids(row.text), FIELD_WEIGHT.text]));
    return builder.finish(rows.map((r) => r.id), table.terms);
  }

  /** @internal From a builder's postings. */
  static fromPostings(ids: string[], terms: string[], offsets: Uint32Array, docs: Uint32Array, tfs: Float32Array | Uint8Array, lengths: Float32Array): Bm25Index {
    return new Bm25Index(ids, new Map(terms.map((t, i) => [t, i])), offsets, docs, tfs, lengths);
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
    await writeFile(join(dir, "bm25.json"), JSON.stringify({ terms: vocabulary }));
    // Frequencies in a byte each when they fit (see Bm25Builder.finish): a quarter of the postings' size.
    const header = new Uint32Array([this.offsets.length, this.docs.length, this.lengths.length, this.tfs.BYTES_PER_ELEMENT]);
    const parts = [header, this.offsets, this.docs, this.lengths, this.tfs];
    await writeFile(join(dir, "bm25.bin"), Buffer.concat(parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
  }

  /** The index saved in `dir`, its rows naming the chunks `ids` in order. */
  static async load(read: ReadBuildFile, ids: string[]): Promise<Bm25Index> {
    const { terms } = JSON.parse((await read("bm25.json")).toString("utf8")) as { terms: string[] };
    const buf = await read("bm25.bin");
    const words = alignedView(buf, Uint32Array);
    const [nOffsets, nPostings, nLengths, tfBytes] = [words[0]!, words[1]!, words[2]!, words[3]!];
    let at = 4;
    const take = (len: number) => words.subarray(at, (at += len));
    const offsets = take(nOffsets);
    const docs = take(nPostings);
    const lengths = new Float32Array(words.buffer, words.byteOffset + at * 4, nLengths);
    const tfsAt = words.byteOffset + (at + nLengths) * 4;
    const tfs = tfBytes === 1 ? new Uint8Array(words.buffer, tfsAt, nPostings) : new Float32Array(words.buffer, tfsAt, nPostings);
    if (offsets.length !== terms.length + 1 || lengths.length !== ids.length) throw new Error("bm25.bin does not match bm25.json");
    return new Bm25Index(ids, new Map(terms.map((t, i) => [t, i])), offsets, docs, tfs, lengths);
  }
}

/**
 * Postings gathered chunk by chunk from term numbers (see TermTable), then laid out term by term.
 * A chunk's term frequency adds its field's weight for each occurrence.
 */
export class Bm25Builder {
  /** Each chunk's (term, weighted frequency) pairs, chunk after chunk; chunk d's end at rowEnds[d]. */
  private readonly terms = new IntList();
  private readonly freqs = new IntList();
  private readonly rowEnds: Int32Array;
  private readonly lengths: Float32Array;
  /** Scratch: each term's frequency in the chunk being added. */
  private tf: Int32Array = new Int32Array(1024);

  constructor(private readonly rows: number) {
    this.rowEnds = new Int32Array(rows);
    this.lengths = new Float32Array(rows);
  }

  /** Chunk d's fields: chunks are added in order, each once. */
  add(d: number, ...fields: [terms: ArrayLike<number>, weight: number][]): void {
    const met: number[] = [];
    for (const [terms, w] of fields) {
      for (let i = 0; i < terms.length; i++) {
        const t = terms[i]!;
        this.tf = holding(this.tf, t);
        if (this.tf[t] === 0) met.push(t);
        this.tf[t]! += w;
        this.lengths[d]! += w;
      }
    }
    for (const t of met) {
      this.terms.push(t);
      this.freqs.push(this.tf[t]!);
      this.tf[t] = 0;
    }
    this.rowEnds[d] = this.terms.length;
  }

  /** The index, its terms numbered anew in the order of `terms` (only terms with postings). */
  finish(ids: string[], terms: readonly string[]): Bm25Index {
    const perTerm = new Int32Array(terms.length);
    for (let k = 0; k < this.terms.length; k++) perTerm[this.terms.at(k)]!++;
    const dense = new Int32Array(terms.length).fill(-1);
    const kept: string[] = [];
    perTerm.forEach((count, t) => {
      if (count > 0) dense[t] = kept.push(terms[t]!) - 1;
    });
    const offsets = new Uint32Array(kept.length + 1);
    perTerm.forEach((count, t) => {
      if (count > 0) offsets[dense[t]! + 1] = count;
    });
    for (let i = 0; i < kept.length; i++) offsets[i + 1]! += offsets[i]!;
    const docs = new Uint32Array(this.terms.length);
    // Weighted term frequencies are small integers: a byte each when they fit.
    const tfs = this.freqs.max <= 255 ? new Uint8Array(this.terms.length) : new Float32Array(this.terms.length);
    const next = offsets.slice(0, kept.length);
    let k = 0;
    for (let d = 0; d < this.rows; d++) {
      for (; k < this.rowEnds[d]!; k++) {
        const at = next[dense[this.terms.at(k)]!]!++;
        docs[at] = d;
        tfs[at] = this.freqs.at(k);
      }
    }
    return Bm25Index.fromPostings(ids, kept, offsets, docs, tfs, this.lengths);
  }
}

export function lexicalFields(chunk: { id: string; path: readonly string[]; text: string }, taskTitle: string, section: string | undefined): LexicalFields {
  return { id: chunk.id, title: taskTitle, heading: [section ?? "", ...chunk.path].join(" "), text: chunk.text };
}
