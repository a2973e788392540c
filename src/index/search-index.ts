/**
 * The index in memory: the documents and their chunks, the BM25 postings, the vectors and the
 * embedding that places questions among them. Loaded from a build folder (see builds.ts for the
 * folders, build.ts for how one is made).
 */
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Chunk, PlanDocument, Task } from "../ingest/types.js";
import { buildReader, readManifest, type Manifest } from "./builds.js";
import { departmentNames } from "./corpus-terms.js";
import { readDocumentStore } from "./document-store.js";
import { lsaSpec, type EmbeddingSpec } from "./embedding-spec.js";
import { HnswStore, readGraph } from "./hnsw-store.js";
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
  /** The chunks of tasks with any lead department (made once, on first use). */
  chunksWithLeads(): ChunkSet;
  /** The chunks of tasks this department leads (made once for all departments, on first use). */
  chunksLedBy(department: string): ChunkSet;
  /**
   * A chunk's text with what situates it (document title, context, task title), folded for
   * matching. Folding (traditional → simplified) is the costliest step of a query, and chunks do
   * not change: each is folded once, on first use.
   */
  foldedHaystack(chunk: Chunk): string;
}

/** Where a document's or a task's chunks lie in the chunk list: pairs of from, to (they are normally one run). */
type Runs = number[];

function extendRuns<K>(runs: Map<K, Runs>, key: K, i: number): void {
  const r = runs.get(key);
  if (!r) runs.set(key, [i, i + 1]);
  else if (r.at(-1) === i) r[r.length - 1] = i + 1;
  else r.push(i, i + 1);
}

/** The parts of an index, as a build makes them or a load reads them. */
export interface IndexParts {
  manifest: Manifest;
  buildDir: string;
  documents: PlanDocument[];
  chunks: Chunk[];
  /** The task of each chunk, by position. */
  chunkTasks: Task[];
  lexical: Bm25Index;
  vectors: HnswStore;
  embeddings: EmbeddingsInterface;
}

export function assemble(parts: IndexParts): SearchIndex {
  const { documents, chunks, chunkTasks, vectors } = parts;
  const docById = new Map(documents.map((d) => [d.id, d]));
  const folded = new Map<string, string>();
  const chunkById = new Map(chunks.map((c) => [c.id, c]));
  const taskByChunk = new Map<Chunk, Task>();
  const docRuns = new Map<string, Runs>();
  const taskRuns = new Map<Task, Runs>();
  chunks.forEach((c, i) => {
    taskByChunk.set(c, chunkTasks[i]!);
    extendRuns(docRuns, c.docId, i);
    extendRuns(taskRuns, chunkTasks[i]!, i);
  });
  const taskOf = (chunk: Chunk) => {
    const t = taskByChunk.get(chunk);
    if (!t) throw new Error(`chunk ${chunk.id} is not a chunk of this index`);
    return t;
  };
  const union = <K>(keys: Iterable<K>, runs: Map<K, Runs>) => {
    const set = ChunkSet.empty(chunks.length);
    for (const k of keys) {
      const r = runs.get(k) ?? [];
      for (let i = 0; i < r.length; i += 2) set.addRange(r[i]!, r[i + 1]!);
    }
    return set;
  };
  // Which chunks have leads, and which each department leads: asked across all documents by
  // responsibility questions, and cheaper to keep than to gather from every task each time.
  let leads: { any: ChunkSet; by: Map<string, ChunkSet> } | undefined;
  const leadSets = () => {
    if (leads) return leads;
    leads = { any: ChunkSet.empty(chunks.length), by: new Map() };
    chunkTasks.forEach((task, i) => {
      // A unit that only works with the lead (role "partner") does not lead the task.
      for (const l of task.leadDepartments.filter((d) => d.role !== "partner")) {
        leads!.any.add(i);
        let set = leads!.by.get(l.department);
        if (!set) leads!.by.set(l.department, (set = ChunkSet.empty(chunks.length)));
        set.add(i);
      }
    });
    return leads;
  };
  vectors.resolveContent = (id) => chunkById.get(id)?.text ?? "";
  return {
    ...parts,
    chunkById,
    docById,
    departments: departmentNames(documents),
    taskOf,
    chunksOf: (docIds) => union(docIds, docRuns),
    chunksOfTasks: (tasks) => union(tasks, taskRuns),
    chunksWithLeads: () => leadSets().any,
    chunksLedBy: (department) => leadSets().by.get(department) ?? ChunkSet.empty(chunks.length),
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
  // Every file is checked against the manifest (hashed in a worker while this thread parses);
  // the files native code reads (hnswlib, jieba) before it reads them, since a damaged one may
  // crash it. The graph is read in libuv's pool as soon as it is checked.
  const native = ["jieba.dict.utf8", "user.dict.utf8", ...(manifest.chunks > 0 ? ["hnsw.bin"] : [])];
  const files = buildReader(buildDir, manifest, [...native, ...Object.keys(manifest.files ?? {}).filter((n) => !native.includes(n))]);
  const nativeChecked = Promise.all(native.map(files.check));
  const graph = nativeChecked.then(() => readGraph(buildDir, manifest.embedding.dims, manifest.chunks));
  graph.catch(() => {}); // awaited below; a failure meanwhile is not unhandled
  const [{ documents, chunks, chunkTasks }, embeddings] = await Promise.all([readDocumentStore(buildDir, files.read), spec.load(files.read)]);
  const ids = chunks.map((c) => c.id);
  const lexical = await Bm25Index.load(files.read, ids);
  await nativeChecked;
  useDictionary(buildDir);
  // Every file matched (vectors.f32 is read later, by offset, for exact search).
  await files.checked();
  const vectors = await HnswStore.load(buildDir, embeddings, manifest.embedding.dims, ids, { graph });
  return assemble({ manifest, buildDir, documents, chunks, chunkTasks, lexical, vectors, embeddings });
}
