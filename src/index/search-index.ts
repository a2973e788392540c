/**
 * The index in memory: the documents and their chunks, the BM25 postings, the vectors and the
 * embedding that places questions among them. Loaded from a build folder (see builds.ts for the
 * folders, build.ts for how one is made).
 */
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Chunk, PlanDocument, Task } from "../ingest/types.js";
import { readManifest, verifyBuild, type Manifest } from "./builds.js";
import { departmentNames } from "./corpus-terms.js";
import { readDocumentStore } from "./document-store.js";
import { lsaSpec, type EmbeddingSpec } from "./embedding-spec.js";
import { HnswStore } from "./hnsw-store.js";
import { Bm25Index } from "./bm25.js";
import { ChunkSet } from "./chunk-set.js";
import { fold } from "./normalize.js";
import { useDictionary } from "./tokenizer.js";

/** Folded passages kept in memory (the rest are folded again when matched; folding is cheap). */
const FOLDED_CACHE = 4000;

export interface SearchIndex {
  manifest: Manifest;
  buildDir: string;
  documents: PlanDocument[];
  chunks: Chunk[];
  chunkById: Map<string, Chunk>;
  docById: Map<string, PlanDocument>;
  lexical: Bm25Index;
  vectors: HnswStore;
  embeddings: EmbeddingsInterface;
  departments: string[];
  taskOf(chunk: Chunk): Task;
  /** The chunks of these documents, as a set both rankings read. */
  chunksOf(docIds: Iterable<string>): ChunkSet;
  /** The chunks of these tasks. */
  chunksOfTasks(tasks: Iterable<Task>): ChunkSet;
  /**
   * A chunk's text with what situates it (document title, context, task title), folded for
   * matching. Folding (traditional → simplified) is the costliest step of a query, and chunks do
   * not change: each is folded once, on first use.
   */
  foldedHaystack(chunk: Chunk): string;
}

/** The task a chunk belongs to. */
export function taskLookup(documents: readonly PlanDocument[]): (chunk: Chunk) => Task {
  const byKey = new Map(documents.flatMap((d) => d.tasks.map((t) => [taskKey(d.id, t.number), t] as const)));
  return (chunk) => {
    const t = byKey.get(taskKey(chunk.docId, chunk.taskNumber));
    if (!t) throw new Error(`chunk ${chunk.id} names a task that does not exist`);
    return t;
  };
}

/** Where a document's or a task's chunks lie in the chunk list: pairs of from, to (they are normally one run). */
type Runs = number[];

const taskKey = (docId: string, number: string) => `${docId}/${number}`;

function chunkRuns(chunks: readonly Chunk[]): { docRuns: Map<string, Runs>; taskRuns: Map<string, Runs> } {
  const docRuns = new Map<string, Runs>();
  const taskRuns = new Map<string, Runs>();
  const extend = (runs: Map<string, Runs>, key: string, i: number) => {
    const r = runs.get(key);
    if (!r) runs.set(key, [i, i + 1]);
    else if (r.at(-1) === i) r[r.length - 1] = i + 1;
    else r.push(i, i + 1);
  };
  chunks.forEach((c, i) => {
    extend(docRuns, c.docId, i);
    extend(taskRuns, taskKey(c.docId, c.taskNumber), i);
  });
  return { docRuns, taskRuns };
}

export function assemble(
  manifest: Manifest,
  buildDir: string,
  documents: PlanDocument[],
  lexical: Bm25Index,
  vectors: HnswStore,
  embeddings: EmbeddingsInterface,
  chunks: Chunk[],
  taskOf: (chunk: Chunk) => Task = taskLookup(documents),
): SearchIndex {
  const docById = new Map(documents.map((d) => [d.id, d]));
  const folded = new Map<string, string>();
  const chunkById = new Map(chunks.map((c) => [c.id, c]));
  const { docRuns, taskRuns } = chunkRuns(chunks);
  const union = (keys: Iterable<string>, runs: Map<string, Runs>) => {
    const set = ChunkSet.empty(chunks.length);
    for (const k of keys) {
      const r = runs.get(k) ?? [];
      for (let i = 0; i < r.length; i += 2) set.addRange(r[i]!, r[i + 1]!);
    }
    return set;
  };
  vectors.resolveContent = (id) => chunkById.get(id)?.text ?? "";
  return {
    manifest,
    buildDir,
    documents,
    chunks,
    chunkById,
    docById,
    lexical,
    vectors,
    embeddings,
    departments: departmentNames(documents),
    taskOf,
    chunksOf: (docIds) => union(docIds, docRuns),
    chunksOfTasks: (tasks) => union(Array.from(tasks, (t) => taskKey(t.docId, t.number)), taskRuns),
    foldedHaystack: (chunk) => {
      let f = folded.get(chunk.id);
      if (f === undefined) {
        f = fold(`${docById.get(chunk.docId)?.title ?? ""} ${chunk.context} ${taskOf(chunk).title} ${chunk.text}`);
        folded.set(chunk.id, f);
        // Bounded: a large corpus keeps its most recently matched passages, not all of them twice.
        if (folded.size > FOLDED_CACHE) folded.delete(folded.keys().next().value!);
      }
      return f;
    },
  };
}

export async function loadIndex(buildDir: string, spec: EmbeddingSpec = lsaSpec): Promise<SearchIndex> {
  const manifest = await readManifest(buildDir);
  // Checked before any file reaches native code (hnswlib, jieba), which may crash on a damaged one.
  await verifyBuild(buildDir, manifest);
  const [{ documents, chunks }, embeddings] = await Promise.all([readDocumentStore(buildDir), spec.load(buildDir)]);
  const ids = chunks.map((c) => c.id);
  const lexical = await Bm25Index.load(buildDir, ids);
  useDictionary(buildDir);
  const vectors = await HnswStore.load(buildDir, embeddings, manifest.embedding.dims, ids);
  return assemble(manifest, buildDir, documents, lexical, vectors, embeddings, chunks);
}
