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
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { Document, type DocumentInterface } from "@langchain/core/documents";
import { VectorStore } from "@langchain/core/vectorstores";
import type { HierarchicalNSW as HnswType } from "hnswlib-node";
import { plainReader, type ReadBuildFile } from "./builds.js";
import { alignedView } from "./aligned.js";
import { topK } from "./top-k.js";
import type { ChunkSet } from "./chunk-set.js";

const require = createRequire(import.meta.url);
const { HierarchicalNSW } = require("hnswlib-node") as typeof import("hnswlib-node");

/** Search breadth: recall@10 against exact search is ~0.8 at 10 and ~0.99 at 100 (see tests). */
export const DEFAULT_EF = 128;

/**
 * When a filtered search compares each allowed chunk instead of walking the graph. Comparing
 * costs about 0.15 µs a chunk (128 dimensions); the graph walk with a filter allowing a share s
 * costs about 0.15 ms / s (it visits about 1/s nodes per one it keeps). They meet where
 * allowed² ≈ 1,000 × chunks: about 10,000 of 100,000 chunks, 4,500 of 20,000. Measured with
 * scratch timing on a 5,000-document index; the margin favours the exact side, whose recall is whole.
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
  /** Every vector as added, in label order, and the inverse of its length: what exact search reads. */
  private flat: Float32Array = new Float32Array(0);
  private inverseNorms: Float32Array = new Float32Array(0);
  ef = DEFAULT_EF;
  /**
   * Where a vector's text comes from when it is not stored with it: the search index already
   * holds every chunk's text, and a second copy per vector would double the memory.
   */
  resolveContent: ((id: string) => string) | undefined;

  constructor(embeddings: EmbeddingsInterface, readonly dims: number) {
    super(embeddings, {});
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
      this.index.initIndex({ maxElements: Math.max(16, extra), m: 16, efConstruction: 200, randomSeed: 100 });
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
    const flat = new Float32Array(this.flat.length + rows.length);
    flat.set(this.flat);
    flat.set(rows, this.flat.length);
    ids.forEach((id, i) => {
      index.addPoint(Array.from(rows.subarray(i * this.dims, (i + 1) * this.dims)), this.ids.length);
      this.ids.push(id);
    });
    this.flat = flat;
    this.inverseNorms = inverseNorms(flat, this.dims);
    return [...ids];
  }

  async addDocuments(documents: DocumentInterface[]): Promise<string[]> {
    return this.addVectors(await this.embeddings.embedDocuments(documents.map((d) => d.pageContent)), documents);
  }

  /** Nearest chunks as [chunk id, cosine similarity], best first; only the allowed labels when a set is given. */
  searchIds(query: number[], k: number, allowed?: ChunkSet): [string, number][] {
    if (!this.index || this.ids.length === 0) return [];
    if (allowed && !allowed.isFull() && searchExactly(allowed.size, this.ids.length)) return this.exact(query, k, allowed);
    this.index.setEf(Math.max(this.ef, k));
    const n = Math.min(k, this.ids.length);
    const labelFilter = allowed && !allowed.isFull() ? (label: number) => allowed.has(label) : undefined;
    const { neighbors, distances } = this.index.searchKnn(query, n, labelFilter);
    return neighbors.map((label, i) => [this.ids[label] ?? "", 1 - (distances[i] ?? 1)]);
  }

  /** Cosine similarity with each allowed vector; the best k, ties by label. */
  private exact(query: number[], k: number, allowed: ChunkSet): [string, number][] {
    const dims = this.dims;
    const flat = this.flat;
    let norm = 0;
    for (const x of query) norm += x * x;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const q = Float64Array.from(query, (x) => x * scale);
    const labels = allowed.toArray();
    const sims = new Float64Array(labels.length);
    for (let i = 0; i < labels.length; i++) {
      const at = labels[i]! * dims;
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += q[d]! * flat[at + d]!;
      sims[i] = dot * this.inverseNorms[labels[i]!]!;
    }
    return topK(labels.length, Math.min(k, labels.length), (a, b) => sims[a]! - sims[b]! || labels[b]! - labels[a]!).map((i) => [this.ids[labels[i]!] ?? "", sims[i]!]);
  }

  async similaritySearchVectorWithScore(query: number[], k: number, filter?: ChunkSet): Promise<[DocumentInterface, number][]> {
    return this.searchIds(query, k, filter).map(([id, score]) => [new Document({ pageContent: this.resolveContent?.(id) ?? "", metadata: { chunkId: id } }), score]);
  }

  async save(dir: string): Promise<void> {
    if (this.index) this.index.writeIndexSync(join(dir, "hnsw.bin"));
    await writeFile(join(dir, "vectors.f32"), Buffer.from(this.flat.buffer, this.flat.byteOffset, this.flat.byteLength));
  }

  /** The store saved in `dir`, its labels naming `ids` in order. */
  /**
   * The store saved in `dir`, its labels naming `ids` in order. `graph` is the graph when the
   * caller started reading it already (see readGraph), else it is read here.
   */
  static async load(
    dir: string,
    embeddings: EmbeddingsInterface,
    dims: number,
    ids: readonly string[],
    opts: { ef?: number; read?: ReadBuildFile; graph?: Promise<HnswType | undefined> } = {},
  ): Promise<HnswStore> {
    const { ef = DEFAULT_EF, read = plainReader(dir) } = opts;
    const store = new HnswStore(embeddings, dims);
    store.ef = ef;
    const index = await (opts.graph ?? readGraph(dir, dims, ids.length));
    if (index) {
      index.setEf(ef);
      store.index = index;
      if (index.getCurrentCount() !== ids.length) throw new Error(`hnsw.bin in ${dir} holds ${index.getCurrentCount()} vectors for ${ids.length} chunks`);
    }
    const buf = await read("vectors.f32");
    store.flat = alignedView(buf, Float32Array);
    if (store.flat.length !== ids.length * dims) throw new Error(`vectors.f32 in ${dir} does not hold ${ids.length} vectors of ${dims}`);
    store.inverseNorms = inverseNorms(store.flat, dims);
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

/** 1 / length of each row of a row-major matrix (0 for a zero row). */
function inverseNorms(m: Float32Array, dims: number): Float32Array {
  const out = new Float32Array(m.length / dims);
  for (let row = 0; row < out.length; row++) {
    let norm = 0;
    for (let d = row * dims; d < (row + 1) * dims; d++) norm += m[d]! * m[d]!;
    out[row] = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  }
  return out;
}
