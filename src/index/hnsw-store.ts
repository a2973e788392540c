/**
 * A LangChain `VectorStore` over hnswlib-node, persisted as the graph (hnsw.bin) and the vectors
 * themselves (vectors.f32, in label order); a vector's label is its chunk's number, and whoever
 * loads the store names the chunks. The search breadth `ef` is not saved with an hnswlib index and defaults to 10, which
 * loses recall; it is set on every load and every search.
 *
 * A search within a few chunks (one district's documents, one task) does not use the graph:
 * hnswlib would walk most of it, calling back into JavaScript for each node, to find the few
 * allowed ones. Those chunks are compared with the question one by one instead (exact cosine
 * over the flat vectors, which the store keeps beside the graph).
 */
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { Document, type DocumentInterface } from "@langchain/core/documents";
import { VectorStore } from "@langchain/core/vectorstores";
import type { HierarchicalNSW as HnswType } from "hnswlib-node";
import { topK } from "./top-k.js";
import type { ChunkSet } from "./chunk-set.js";
import { inMemory, onDisk, type FlatVectors } from "./flat-vectors.js";

const require = createRequire(import.meta.url);
const { HierarchicalNSW } = require("hnswlib-node") as typeof import("hnswlib-node");

/** Search breadth: recall@10 against exact search is ~0.8 at 10 and ~0.99 at 100 (see tests). */
export const DEFAULT_EF = 128;
/**
 * Build breadth. With hnswlib's default (200), inserting 100,000 vectors took about a third of a
 * 5,000-document build (profiled); at 100 the whole build took 79 s instead of 90, and searches
 * at DEFAULT_EF find the same neighbours (tests/index recall; synthetic hit@1 unchanged in `npm run bench`).
 */
const EF_CONSTRUCTION = 100;

/**
 * When a filtered search compares each allowed chunk instead of walking the graph. Comparing
 * costs about 0.15 µs a chunk (128 dimensions); the graph walk with a filter allowing a share s
 * costs about 0.15 ms / s (it visits about 1/s nodes per one it keeps). They meet where
 * allowed² ≈ 1,000 × chunks: about 10,000 of 100,000 chunks, 4,500 of 20,000 (timed on a
 * 5,000-document index, 2 cores). The margin favours the exact side, whose recall is whole.
 */
const EXACT_FACTOR = 1500;

/** Whether to search the allowed chunks one by one rather than through the graph. */
export function searchExactly(allowed: number, chunks: number): boolean {
  return allowed * allowed <= EXACT_FACTOR * chunks;
}

export class HnswStore extends VectorStore {
  declare FilterType: ChunkSet;
  private index: HnswType | undefined;
  private ids: string[] = [];
  /** Every vector as added, in label order: what exact search reads. */
  private vectors: FlatVectors & { flat?: Float32Array } = inMemory(new Float32Array(0), 0);
  ef = DEFAULT_EF;
  /**
   * Where a vector's text comes from when it is not stored with it: the search index already
   * holds every chunk's text, and a second copy per vector would double the memory.
   */
  resolveContent: ((id: string) => string) | undefined;

  constructor(embeddings: EmbeddingsInterface, readonly dims: number) {
    super(embeddings, {});
    this.vectors = inMemory(new Float32Array(0), dims);
  }

  _vectorstoreType(): string {
    return "hnswlib-local";
  }

  get size(): number {
    return this.ids.length;
  }

  private ensureCapacity(extra: number): HnswType {
    if (!this.index) {
      this.index = new HierarchicalNSW("cosine", this.dims);
      this.index.initIndex({ maxElements: Math.max(16, extra), m: 16, efConstruction: EF_CONSTRUCTION, randomSeed: 100 });
    } else if (this.index.getCurrentCount() + extra > this.index.getMaxElements()) {
      this.index.resizeIndex(Math.max(this.index.getMaxElements() * 2, this.index.getCurrentCount() + extra));
    }
    return this.index;
  }

  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<string[]> {
    const flat = new Float32Array(vectors.length * this.dims);
    vectors.forEach((v, i) => flat.set(v, i * this.dims));
    return this.addRows(
      flat,
      vectors.map((_, i) => String(documents[i]?.metadata.chunkId ?? documents[i]?.id ?? this.ids.length + i)),
    );
  }

  /** Adds one vector per id, row after row of `dims` (hnswlib keeps them as float32 too). */
  addRows(rows: Float32Array, ids: readonly string[]): string[] {
    const index = this.ensureCapacity(ids.length);
    const before = this.vectors.flat;
    if (!before) throw new Error("vectors can be added only to a store built in memory");
    const flat = new Float32Array(before.length + rows.length);
    flat.set(before);
    flat.set(rows, before.length);
    ids.forEach((id, i) => {
      index.addPoint(Array.from(rows.subarray(i * this.dims, (i + 1) * this.dims)), this.ids.length);
      this.ids.push(id);
    });
    this.vectors = inMemory(flat, this.dims);
    return [...ids];
  }

  async addDocuments(documents: DocumentInterface[]): Promise<string[]> {
    return this.addVectors(await this.embeddings.embedDocuments(documents.map((d) => d.pageContent)), documents);
  }

  /** Nearest chunks as [chunk id, cosine similarity], best first; only the allowed labels when a set is given. */
  searchIds(query: number[], k: number, allowed?: ChunkSet): [string, number][] {
    if (!this.index || this.ids.length === 0) return [];
    if (allowed && !allowed.isFull() && searchExactly(allowed.size, this.ids.length)) {
      const found = this.exact(query, k, allowed);
      if (found) return found;
    }
    this.index.setEf(Math.max(this.ef, k));
    const n = Math.min(k, this.ids.length);
    const labelFilter = allowed && !allowed.isFull() ? (label: number) => allowed.has(label) : undefined;
    const { neighbors, distances } = this.index.searchKnn(query, n, labelFilter);
    return neighbors.map((label, i) => [this.ids[label] ?? "", 1 - (distances[i] ?? 1)]);
  }

  /** Cosine similarity with each allowed vector; the best k, ties by label (undefined when the vectors cannot be read). */
  private exact(query: number[], k: number, allowed: ChunkSet): [string, number][] | undefined {
    const dims = this.dims;
    let norm = 0;
    for (const x of query) norm += x * x;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const q = Float64Array.from(query, (x) => x * scale);
    const labels = allowed.toArray();
    const sims = new Float64Array(labels.length);
    const read = this.vectors.forRows(labels, (from, to, data, offsets) => {
      for (let i = from; i < to; i++) {
        const at = offsets[i - from]!;
        let dot = 0;
        let length = 0;
        for (let d = 0; d < dims; d++) {
          const x = data[at + d]!;
          dot += q[d]! * x;
          length += x * x;
        }
        sims[i] = length > 0 ? dot / Math.sqrt(length) : 0;
      }
    });
    if (!read) return undefined;
    return topK(labels.length, Math.min(k, labels.length), (a, b) => sims[a]! - sims[b]! || labels[b]! - labels[a]!).map((i) => [this.ids[labels[i]!] ?? "", sims[i]!]);
  }

  async similaritySearchVectorWithScore(query: number[], k: number, filter?: ChunkSet): Promise<[DocumentInterface, number][]> {
    return this.searchIds(query, k, filter).map(([id, score]) => [new Document({ pageContent: this.resolveContent?.(id) ?? "", metadata: { chunkId: id } }), score]);
  }

  async save(dir: string): Promise<void> {
    const flat = this.vectors.flat;
    if (!flat) throw new Error("a store loaded from disk is saved already");
    if (this.index) this.index.writeIndexSync(join(dir, "hnsw.bin"));
    await writeFile(join(dir, "vectors.f32"), Buffer.from(flat.buffer, flat.byteOffset, flat.byteLength));
  }

  /**
   * The store saved in `dir`, its labels naming `ids` in order. `graph` is the graph when the
   * caller started reading it already (see readGraph), else it is read here. The vectors stay
   * on disk (see flat-vectors.ts).
   */
  static async load(
    dir: string,
    embeddings: EmbeddingsInterface,
    dims: number,
    ids: readonly string[],
    opts: { ef?: number; graph?: Promise<HnswType | undefined> } = {},
  ): Promise<HnswStore> {
    const { ef = DEFAULT_EF } = opts;
    const store = new HnswStore(embeddings, dims);
    store.ef = ef;
    const index = await (opts.graph ?? readGraph(dir, dims, ids.length));
    if (index) {
      index.setEf(ef);
      store.index = index;
      if (index.getCurrentCount() !== ids.length) throw new Error(`hnsw.bin in ${dir} holds ${index.getCurrentCount()} vectors for ${ids.length} chunks`);
    }
    const bytes = (await stat(join(dir, "vectors.f32"))).size;
    if (bytes !== ids.length * dims * 4) throw new Error(`vectors.f32 in ${dir} does not hold ${ids.length} vectors of ${dims}`);
    store.vectors = onDisk(join(dir, "vectors.f32"), dims);
    store.ids.push(...ids);
    return store;
  }
}

/** Reads a saved graph of `count` vectors (none when empty), in libuv's pool: the main thread goes on meanwhile. */
export async function readGraph(dir: string, dims: number, count: number): Promise<HnswType | undefined> {
  if (count === 0) return undefined;
  const index = new HierarchicalNSW("cosine", dims);
  await index.readIndex(join(dir, "hnsw.bin"));
  return index;
}
