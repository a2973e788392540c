/**
 * The build pipeline: documents → chunks → the index's own jieba dictionary → BM25 postings and
 * embeddings → a sealed build folder, made live. Incremental builds keep the live build's
 * embedding model and the vectors of unchanged chunks.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { chunkTask } from "../ingest/chunk.js";
import { loadDocuments } from "../ingest/load.js";
import type { IngestError } from "../ingest/read.js";
import { citableParts, type Chunk, type PlanDocument, type Task } from "../ingest/types.js";
import { log } from "../log.js";
import { fingerprint, hashFiles, INDEX_FORMAT, makeLive, newBuildFolder, plainReader, readManifest, readPointer, sealBuild, sha256, verifyBuild, type Manifest } from "./builds.js";
import { corpusTerms } from "./corpus-terms.js";
import { embedChunks, lsaSpec, type ChunkCorpus, type EmbeddingSpec } from "./embedding-spec.js";
import { LsaEmbeddings } from "./embeddings-lsa.js";
import { HnswStore } from "./hnsw-store.js";
import { cutChunks } from "./cut-chunks.js";
import { writeDocumentStore } from "./document-store.js";
import { corpusDictionary } from "./dictionary.js";
import { readQuestionVocabulary } from "./question-vocabulary.js";
import { assemble, type SearchIndex } from "./search-index.js";
import { CURATED_TERMS, FULL_DICTIONARY, useDictionary } from "./tokenizer.js";

export interface BuildResult {
  index: SearchIndex;
  failures: IngestError[];
  /** Chunks embedded in this build, and chunks whose vectors came from the previous build. */
  embedded: number;
  reused: number;
}

export interface BuildOptions {
  docsDir: string;
  indexDir: string;
  spec?: EmbeddingSpec;
  /**
   * Start from the live build: keep its embedding model and the vectors of unchanged chunks.
   * A model fitted to the corpus (LSA) is refitted when more than a quarter of the chunks are new.
   */
  incremental?: boolean;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** Builds from the documents folder; the caller holds the build lock. */
export async function buildLocked(opts: BuildOptions): Promise<BuildResult> {
  const spec = opts.spec ?? lsaSpec;
  const started = performance.now();
  const { documents, failures } = await loadDocuments(opts.docsDir);
  return { ...(await buildFromDocuments(documents, opts, spec, await hashFiles(opts.docsDir), started)), failures };
}

function chunkEmbeddingText(chunk: Chunk): string {
  return `${chunk.context}\n${chunk.text}`;
}

/** What can be carried over from the live build: its embedding model and its chunks' vectors. */
interface Previous {
  embeddings: EmbeddingsInterface;
  dims: number;
  vectors: Map<string, Float32Array>;
}

async function previousBuild(indexDir: string, spec: EmbeddingSpec): Promise<Previous | undefined> {
  const dir = await readPointer(indexDir);
  if (!dir) return undefined;
  try {
    const manifest = await readManifest(dir);
    if (manifest.format !== INDEX_FORMAT || manifest.embedding.kind !== spec.kind || (manifest.embedding.model ?? "") !== (spec.model ?? "")) return undefined;
    // A vector reused from a damaged file would be silently wrong in every later build.
    await verifyBuild(dir, manifest);
    const dims = manifest.embedding.dims;
    const [embeddings, vectors] = await Promise.all([spec.load(plainReader(dir)), readVectors(dir, dims)]);
    return { embeddings, dims, vectors };
  } catch (e) {
    log().warn({ err: (e as Error).message }, "previous build unusable; embedding everything");
    return undefined;
  }
}

/** A chunk's vector is reusable while its id and the text it was embedded from are the same. */
function vectorKey(chunk: Chunk): string {
  return `${chunk.id}\u0000${sha256(chunkEmbeddingText(chunk))}`;
}

/** The key of each vector in vectors.f32 (which the vector store writes), for the next build to reuse. */
async function writeVectorKeys(dir: string, keys: readonly string[]): Promise<void> {
  await writeFile(join(dir, "vector-keys.json"), JSON.stringify(keys));
}

async function readVectors(dir: string, dims: number): Promise<Map<string, Float32Array>> {
  const keys = JSON.parse(await readFile(join(dir, "vector-keys.json"), "utf8")) as string[];
  const buf = await readFile(join(dir, "vectors.f32"));
  const flat = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return new Map(keys.map((k, i) => [k, flat.subarray(i * dims, (i + 1) * dims)]));
}

/** Every chunk's vector, row after row: from the fit when the model was just fitted, else reused or embedded now. */
async function chunkVectors(
  chunks: readonly Chunk[],
  corpus: ChunkCorpus,
  spec: EmbeddingSpec,
  previous: Previous | undefined,
  progress: NonNullable<BuildOptions["onProgress"]>,
): Promise<{ embeddings: EmbeddingsInterface; vectors: Float32Array; dims: number; embedded: number }> {
  const keys = chunks.map(vectorKey);
  const fresh = previous ? keys.filter((k) => !previous.vectors.has(k)).length : chunks.length;
  // A corpus-fitted model drifts as documents arrive: past a quarter of new text, fit it again.
  const keepModel = previous !== undefined && (spec.kind !== "lsa" || fresh <= chunks.length / 4);
  const made = keepModel ? { embeddings: previous.embeddings } : await spec.create(corpus);
  const { embeddings } = made;
  const lsaDims = embeddings instanceof LsaEmbeddings ? embeddings.dims : undefined;
  if (made.vectors) return { embeddings, vectors: made.vectors, dims: lsaDims ?? made.vectors.length / Math.max(1, chunks.length), embedded: chunks.length };
  const todo = keys.flatMap((k, i) => (keepModel && previous.vectors.has(k) ? [] : [i]));
  const now = await embedChunks(embeddings, corpus, todo, (done) => progress("embeddings", done, todo.length));
  const dims = lsaDims ?? (todo.length > 0 ? now.dims : (previous?.dims ?? 1));
  const vectors = new Float32Array(chunks.length * dims);
  keys.forEach((k, i) => {
    const reused = keepModel ? previous.vectors.get(k) : undefined;
    if (reused) vectors.set(reused, i * dims);
  });
  todo.forEach((i, j) => vectors.set(now.vectors.subarray(j * dims, (j + 1) * dims), i * dims));
  return { embeddings, vectors, dims, embedded: todo.length };
}

async function buildFromDocuments(
  documents: PlanDocument[],
  opts: Pick<BuildOptions, "indexDir" | "onProgress" | "incremental">,
  spec: EmbeddingSpec,
  files: { name: string; sha256: string }[],
  started = performance.now(),
): Promise<{ index: SearchIndex; embedded: number; reused: number }> {
  const progress = opts.onProgress ?? (() => {});
  const terms = corpusTerms(documents);
  // A document's chunks are its tasks' chunks and its opening's (chunkDocument), each kept with its task.
  const chunks: Chunk[] = [];
  const chunkTasks: Task[] = [];
  for (const doc of documents) {
    for (const task of citableParts(doc)) {
      for (const c of chunkTask(doc, task)) {
        chunks.push(c);
        chunkTasks.push(task);
      }
    }
  }
  const { name: buildName, dir: buildDir } = await newBuildFolder(opts.indexDir);
  // The index's own jieba dictionary comes first: everything after is cut with it.
  const texts = documents.flatMap((d) => [d.title, d.preamble, d.trailer, ...d.sections, ...d.tasks.map((t) => t.text)]);
  const dictionary = corpusDictionary(FULL_DICTIONARY, [...texts, ...chunks.map((c) => c.context)], readQuestionVocabulary(), [...CURATED_TERMS, ...terms]);
  await writeFile(join(buildDir, "jieba.dict.utf8"), dictionary.dict);
  await writeFile(join(buildDir, "user.dict.utf8"), dictionary.user.trimEnd());
  useDictionary(buildDir);

  progress("lexical", 0, chunks.length);
  const { lexical, features } = cutChunks(chunks, chunkTasks, (done) => progress("lexical", done, chunks.length));
  const corpus: ChunkCorpus = { size: chunks.length, text: (i) => chunkEmbeddingText(chunks[i]!), features };

  progress("embeddings", 0, chunks.length);
  const previous = opts.incremental ? await previousBuild(opts.indexDir, spec) : undefined;
  const { embeddings, vectors, dims, embedded } = await chunkVectors(chunks, corpus, spec, previous, progress);
  const store = new HnswStore(embeddings, dims);
  store.addRows(
    vectors,
    chunks.map((c) => c.id),
  );
  progress("vectors", chunks.length, chunks.length);

  const chunksPerDoc = new Map<string, number>();
  for (const c of chunks) chunksPerDoc.set(c.docId, (chunksPerDoc.get(c.docId) ?? 0) + 1);
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    fingerprint: fingerprint(files, spec),
    builtAt: new Date().toISOString(),
    embedding: { kind: spec.kind, ...(spec.model ? { model: spec.model } : {}), dims },
    documents: documents.map((d) => ({
      id: d.id,
      sourceFile: d.sourceFile,
      sha256: d.sha256,
      tasks: d.tasks.length,
      chunks: chunksPerDoc.get(d.id) ?? 0,
    })),
    chunks: chunks.length,
    versions: { node: process.version },
    files: {},
  };

  // Assembled before saving: the store then reads chunk texts from the index, not from its own copy.
  const index = assemble({ manifest, buildDir, documents, chunks, chunkTasks, lexical, vectors: store, embeddings });
  await writeDocumentStore(buildDir, documents, chunks);
  await lexical.save(buildDir);
  if (embeddings instanceof LsaEmbeddings) await embeddings.save(buildDir);
  await store.save(buildDir);
  await writeVectorKeys(buildDir, chunks.map(vectorKey));
  await sealBuild(buildDir, manifest);
  await makeLive(opts.indexDir, buildName);
  log().info({ chunks: chunks.length, embedded, documents: documents.length, dictionaryWords: dictionary.words, ms: Math.round(performance.now() - started) }, "index built");
  return { index, embedded, reused: chunks.length - embedded };
}
