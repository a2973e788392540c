/**
 * The index on disk: a build artifact under vector-store/, rebuilt when the documents or the
 * settings change (a fingerprint in the manifest), written into a fresh build folder and made
 * live by atomically replacing one small pointer file, so readers never see half an index.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { Document } from "@langchain/core/documents";
import { chunkDocument } from "../ingest/chunk.js";
import { listDocumentFiles, loadDocuments } from "../ingest/load.js";
import { sha256 } from "../ingest/parse.js";
import type { IngestError } from "../ingest/read.js";
import { citableParts, type Chunk, type PlanDocument, type Task } from "../ingest/types.js";
import { log } from "../log.js";
import { corpusTerms, departmentNames } from "./corpus-terms.js";
import { LsaEmbeddings } from "./embeddings-lsa.js";
import { HnswStore } from "./hnsw-store.js";
import { Bm25Index, lexicalFields } from "./bm25.js";
import { corpusDictionary } from "./dictionary.js";
import { fold } from "./normalize.js";
import { CURATED_TERMS, FULL_DICTIONARY, tokenize, useDictionary } from "./tokenizer.js";
import { INGEST_VERSION } from "../ingest/version.js";

/** Bump when the parse, chunking or index layout changes: old indexes are then rebuilt. */
export const INDEX_FORMAT = 8;
const POINTER = "current.json";
/** Folded passages kept in memory (the rest are folded again when matched; folding is cheap). */
const FOLDED_CACHE = 4000;

export interface EmbeddingSpec {
  kind: "lsa" | "openai";
  model?: string;
  /** Builds the embeddings for a corpus (LSA is fitted to it; a remote model is not). */
  create(texts: readonly string[]): Promise<EmbeddingsInterface & { dims?: number }>;
  /** Re-creates the embeddings of a saved build. */
  load(buildDir: string): Promise<EmbeddingsInterface>;
}

export const lsaSpec: EmbeddingSpec = {
  kind: "lsa",
  create: async (texts) => LsaEmbeddings.fit(texts),
  load: (dir) => LsaEmbeddings.load(dir),
};

export interface Manifest {
  format: number;
  fingerprint: string;
  builtAt: string;
  embedding: { kind: string; model?: string; dims: number };
  documents: { id: string; sourceFile: string; sha256: string; tasks: number; chunks: number }[];
  chunks: number;
  versions: Record<string, string>;
  /** Every file of the build with its size and hash: a file that does not match is never used. */
  files: Record<string, { bytes: number; sha256: string }>;
}

/** A build whose files do not match its manifest (truncated, overwritten, half-copied). */
export class IndexCorruptError extends Error {
  override name = "IndexCorruptError";
}

/** A documents folder that is missing, or not a folder. */
export class DocsDirError extends Error {
  override name = "DocsDirError";
  constructor(
    readonly dir: string,
    readonly code: "missing" | "not-a-folder",
  ) {
    super(code === "missing" ? `documents folder ${dir} does not exist` : `${dir} is not a folder`);
  }
}

/** An index folder that cannot be created or written (the errno code says why: EACCES, EROFS…). */
export class IndexDirError extends Error {
  override name = "IndexDirError";
  constructor(
    readonly dir: string,
    readonly code: string,
  ) {
    super(`index folder ${dir} is not writable (${code})`);
  }
}

export async function checkDocsDir(dir: string): Promise<void> {
  const s = await stat(dir).catch(() => undefined);
  if (!s) throw new DocsDirError(dir, "missing");
  if (!s.isDirectory()) throw new DocsDirError(dir, "not-a-folder");
}

/** Creates the folder and writes a probe file: permissions, a read-only disk or a file in the way all show here. */
async function checkIndexDirWritable(dir: string): Promise<void> {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, "");
    await unlink(probe);
  } catch (e) {
    throw new IndexDirError(dir, (e as NodeJS.ErrnoException).code ?? "unknown");
  }
}

/**
 * Builds and pointer swaps are serialised across processes: two `ingest` runs at once would
 * otherwise each delete the other's build, or make live a build that misses the other's document.
 * The documents are read after the lock is taken, so the last build sees every file copied in.
 */
async function withBuildLock<T>(indexDir: string, fn: () => Promise<T>): Promise<T> {
  await checkIndexDirWritable(indexDir);
  const release = await lockfile.lock(indexDir, {
    realpath: false,
    lockfilePath: join(indexDir, ".build.lock"),
    // A holder refreshes the lock every 5 s; one not refreshed for 20 s died, and its lock is taken over.
    stale: 20_000,
    update: 5_000,
    retries: { retries: 2000, factor: 1.2, minTimeout: 50, maxTimeout: 1000 },
    onCompromised: (e) => log().warn({ err: e.message }, "index build lock lost; another build may overlap"),
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}

async function fileHash(path: string): Promise<{ bytes: number; sha256: string }> {
  const bytes = await readFile(path);
  return { bytes: bytes.byteLength, sha256: sha256(bytes) };
}

/** Checks every file the manifest lists against its size and hash. */
async function verifyBuild(buildDir: string, manifest: Manifest): Promise<void> {
  if (!manifest.files) throw new IndexCorruptError(`${buildDir}: manifest lists no files`);
  for (const [name, want] of Object.entries(manifest.files)) {
    const got = await fileHash(join(buildDir, name)).catch(() => undefined);
    if (!got) throw new IndexCorruptError(`${buildDir}/${name} is missing`);
    if (got.bytes !== want.bytes || got.sha256 !== want.sha256) {
      throw new IndexCorruptError(`${buildDir}/${name} does not match the manifest (${got.bytes} bytes, expected ${want.bytes})`);
    }
  }
}

async function readManifest(buildDir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(buildDir, "manifest.json"), "utf8")) as Manifest;
}

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
  /**
   * A chunk's text with what situates it (document title, context, task title), folded for
   * matching. Folding (traditional → simplified) is the costliest step of a query, and chunks do
   * not change: each is folded once, on first use.
   */
  foldedHaystack(chunk: Chunk): string;
}

/** What the fingerprint covers: the documents' bytes, the parser that read them, the embedding, our own dictionaries. */
export function fingerprint(files: { name: string; sha256: string }[], spec: Pick<EmbeddingSpec, "kind" | "model">, vocabulary: readonly string[] = []): string {
  const h = createHash("sha256");
  h.update(JSON.stringify({ format: INDEX_FORMAT, ingest: INGEST_VERSION, embedding: [spec.kind, spec.model ?? ""], terms: CURATED_TERMS, vocabulary }));
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) h.update(`${f.name}\0${f.sha256}\n`);
  return h.digest("hex").slice(0, 32);
}

async function hashFiles(docsDir: string): Promise<{ name: string; sha256: string }[]> {
  await checkDocsDir(docsDir);
  const files = await listDocumentFiles(docsDir);
  return Promise.all(files.map(async (f) => ({ name: f.slice(docsDir.length + 1), sha256: sha256(await readFile(f)) })));
}

function chunkEmbeddingText(chunk: Chunk): string {
  return `${chunk.context}\n${chunk.text}`;
}

/** The task a chunk belongs to. */
function taskLookup(documents: readonly PlanDocument[]): (chunk: Chunk) => Task {
  const byKey = new Map(documents.flatMap((d) => citableParts(d).map((t) => [`${d.id}/${t.number}`, t] as const)));
  return (chunk) => {
    const t = byKey.get(`${chunk.docId}/${chunk.taskNumber}`);
    if (!t) throw new Error(`chunk ${chunk.id} names a task that does not exist`);
    return t;
  };
}

function assemble(
  manifest: Manifest,
  buildDir: string,
  documents: PlanDocument[],
  lexical: Bm25Index,
  vectors: HnswStore,
  embeddings: EmbeddingsInterface,
  chunks: Chunk[] = documents.flatMap(chunkDocument),
  taskOf: (chunk: Chunk) => Task = taskLookup(documents),
): SearchIndex {
  const docById = new Map(documents.map((d) => [d.id, d]));
  const folded = new Map<string, string>();
  const chunkById = new Map(chunks.map((c) => [c.id, c]));
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
  /** Words questions use (question words, thesaurus, glossary): kept in the index's dictionary. */
  vocabulary?: readonly string[];
  /**
   * Start from the live build: keep its embedding model and the vectors of unchanged chunks.
   * A model fitted to the corpus (LSA) is refitted when more than a quarter of the chunks are new.
   */
  incremental?: boolean;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** Builds from the documents folder and makes the new build live. */
export async function buildIndex(opts: BuildOptions): Promise<BuildResult> {
  await checkDocsDir(opts.docsDir);
  return withBuildLock(opts.indexDir, () => buildLocked(opts));
}

async function buildLocked(opts: BuildOptions): Promise<BuildResult> {
  const spec = opts.spec ?? lsaSpec;
  const started = performance.now();
  const { documents, failures } = await loadDocuments(opts.docsDir);
  return { ...(await buildFromDocuments(documents, opts, spec, await hashFiles(opts.docsDir), started)), failures };
}

/** What can be carried over from the live build: its embedding model and its chunks' vectors. */
interface Previous {
  embeddings: EmbeddingsInterface;
  vectors: Map<string, number[]>;
}

async function previousBuild(indexDir: string, spec: EmbeddingSpec): Promise<Previous | undefined> {
  const dir = await readPointer(indexDir);
  if (!dir) return undefined;
  try {
    const manifest = await readManifest(dir);
    if (manifest.format !== INDEX_FORMAT || manifest.embedding.kind !== spec.kind || (manifest.embedding.model ?? "") !== (spec.model ?? "")) return undefined;
    // A vector reused from a damaged file would be silently wrong in every later build.
    await verifyBuild(dir, manifest);
    const [embeddings, vectors] = await Promise.all([spec.load(dir), readVectors(dir)]);
    return { embeddings, vectors };
  } catch (e) {
    log().warn({ err: (e as Error).message }, "previous build unusable; embedding everything");
    return undefined;
  }
}

/** A chunk's vector is reusable while its id and the text it was embedded from are the same. */
function vectorKey(chunk: Chunk): string {
  return `${chunk.id}\u0000${sha256(chunkEmbeddingText(chunk))}`;
}

async function writeVectors(dir: string, keys: readonly string[], vectors: readonly number[][]): Promise<void> {
  const dims = vectors[0]?.length ?? 0;
  const flat = new Float32Array(vectors.length * dims);
  vectors.forEach((v, i) => flat.set(v, i * dims));
  await writeFile(join(dir, "vectors.json"), JSON.stringify({ dims, keys }));
  await writeFile(join(dir, "vectors.f32"), Buffer.from(flat.buffer));
}

async function readVectors(dir: string): Promise<Map<string, number[]>> {
  const { dims, keys } = JSON.parse(await readFile(join(dir, "vectors.json"), "utf8")) as { dims: number; keys: string[] };
  const buf = await readFile(join(dir, "vectors.f32"));
  const flat = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return new Map(keys.map((k, i) => [k, Array.from(flat.subarray(i * dims, (i + 1) * dims))]));
}

async function buildFromDocuments(
  documents: PlanDocument[],
  opts: Pick<BuildOptions, "indexDir" | "onProgress" | "vocabulary" | "incremental">,
  spec: EmbeddingSpec,
  files: { name: string; sha256: string }[],
  started = performance.now(),
): Promise<{ index: SearchIndex; embedded: number; reused: number }> {
  const progress = opts.onProgress ?? (() => {});
  const vocabulary = opts.vocabulary ?? [];
  const terms = corpusTerms(documents);
  const chunks = documents.flatMap(chunkDocument);
  const buildName = `build-${Date.now().toString(36)}-${process.pid}`;
  const buildDir = join(opts.indexDir, "builds", buildName);
  await mkdir(buildDir, { recursive: true });
  // The index's own jieba dictionary comes first: everything after is cut with it.
  const texts = documents.flatMap((d) => [d.title, d.preamble, d.trailer, ...d.sections, ...d.tasks.map((t) => t.text)]);
  const dictionary = corpusDictionary(FULL_DICTIONARY, [...texts, ...chunks.map((c) => c.context)], vocabulary, [...CURATED_TERMS, ...terms]);
  await writeFile(join(buildDir, "jieba.dict.utf8"), dictionary.dict);
  await writeFile(join(buildDir, "user.dict.utf8"), dictionary.user.trimEnd());
  useDictionary(buildDir);

  const taskOf = taskLookup(documents);
  const rows = chunks.map((c) => {
    const task = taskOf(c);
    return lexicalFields(c, task.title, task.section);
  });
  progress("lexical", 0, chunks.length);
  const lexical = Bm25Index.build(rows, (t) => tokenize(t));
  progress("lexical", chunks.length, chunks.length);

  const embedTexts = chunks.map(chunkEmbeddingText);
  const keys = chunks.map(vectorKey);
  progress("embeddings", 0, chunks.length);
  const previous = opts.incremental ? await previousBuild(opts.indexDir, spec) : undefined;
  const fresh = previous ? keys.filter((k) => !previous.vectors.has(k)).length : chunks.length;
  // A corpus-fitted model drifts as documents arrive: past a quarter of new text, fit it again.
  const keepModel = previous !== undefined && (spec.kind !== "lsa" || fresh <= chunks.length / 4);
  const embeddings = keepModel ? previous.embeddings : await spec.create(embedTexts);
  const vectors: number[][] = new Array(chunks.length);
  const todo = keys.map((k, i) => i).filter((i) => !keepModel || !previous.vectors.has(keys[i]!));
  for (const [i, k] of keys.entries()) if (keepModel && previous.vectors.has(k)) vectors[i] = previous.vectors.get(k)!;
  const BATCH = 256;
  for (let b = 0; b < todo.length; b += BATCH) {
    const batch = todo.slice(b, b + BATCH);
    const out = await embeddings.embedDocuments(batch.map((i) => embedTexts[i]!));
    batch.forEach((i, j) => (vectors[i] = out[j]!));
    progress("embeddings", Math.min(b + BATCH, todo.length), todo.length);
  }
  const dims = vectors[0]?.length ?? (embeddings instanceof LsaEmbeddings ? embeddings.dims : 1);
  const store = new HnswStore(embeddings, dims);
  await store.addVectors(
    vectors,
    chunks.map((c) => new Document({ pageContent: "", metadata: { chunkId: c.id, docId: c.docId } })),
  );
  progress("vectors", chunks.length, chunks.length);

  const chunksPerDoc = new Map<string, number>();
  for (const c of chunks) chunksPerDoc.set(c.docId, (chunksPerDoc.get(c.docId) ?? 0) + 1);
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    fingerprint: fingerprint(files, spec, vocabulary),
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
  const index = assemble(manifest, buildDir, documents, lexical, store, embeddings, chunks, taskOf);
  await writeFile(join(buildDir, "documents.json"), JSON.stringify(documents));
  await lexical.save(buildDir);
  if (embeddings instanceof LsaEmbeddings) await embeddings.save(buildDir);
  await store.save(buildDir);
  await writeVectors(buildDir, keys, vectors);
  for (const name of (await readdir(buildDir)).sort()) manifest.files[name] = await fileHash(join(buildDir, name));
  // The manifest is written last: a build folder without one is incomplete and never made live.
  await writeFile(join(buildDir, "manifest.json"), JSON.stringify(manifest, null, 2));
  await makeLive(opts.indexDir, buildName);
  log().info({ chunks: chunks.length, embedded: todo.length, documents: documents.length, dictionaryWords: dictionary.words, ms: Math.round(performance.now() - started) }, "index built");
  return { index, embedded: todo.length, reused: chunks.length - todo.length };
}

async function makeLive(indexDir: string, buildName: string): Promise<void> {
  const tmp = join(indexDir, `${POINTER}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify({ build: buildName }));
  await rename(tmp, join(indexDir, POINTER));
  // Older complete builds are no longer pointed at (a reader that loaded one holds it in memory).
  // A folder without a manifest may be another process's build in progress: left alone unless stale.
  const buildsDir = join(indexDir, "builds");
  for (const b of await readdir(buildsDir)) {
    if (b === buildName) continue;
    const dir = join(buildsDir, b);
    const complete = await stat(join(dir, "manifest.json")).then(() => true, () => false);
    const stale = Date.now() - (await stat(dir)).mtimeMs > 60 * 60 * 1000;
    if (complete || stale) await rm(dir, { recursive: true, force: true });
  }
}

export async function readPointer(indexDir: string): Promise<string | undefined> {
  try {
    const { build } = JSON.parse(await readFile(join(indexDir, POINTER), "utf8")) as { build: string };
    return join(indexDir, "builds", build);
  } catch {
    return undefined;
  }
}

export async function loadIndex(buildDir: string, spec: EmbeddingSpec = lsaSpec): Promise<SearchIndex> {
  const manifest = await readManifest(buildDir);
  // Checked before any file reaches native code (hnswlib, jieba), which may crash on a damaged one.
  await verifyBuild(buildDir, manifest);
  const [documents, lexical, embeddings] = await Promise.all([
    readFile(join(buildDir, "documents.json"), "utf8").then((s) => JSON.parse(s) as PlanDocument[]),
    Bm25Index.load(buildDir),
    spec.load(buildDir),
  ]);
  useDictionary(buildDir);
  const vectors = await HnswStore.load(buildDir, embeddings);
  return assemble(manifest, buildDir, documents, lexical, vectors, embeddings);
}

export interface EnsureOptions extends BuildOptions {
  /** Told when a build is needed, before it starts (the CLI prints a line). */
  onRebuild?: (reason: string) => void;
}

/** The live index when it matches the documents and settings; otherwise a fresh build. */
export async function ensureIndex(opts: EnsureOptions): Promise<BuildResult> {
  const spec = opts.spec ?? lsaSpec;
  // Without a lock first: the usual case (nothing changed) only reads, and works on a read-only index.
  const current = await liveIfCurrent(opts, spec);
  if (typeof current !== "string") return current;
  opts.onRebuild?.(current);
  return withBuildLock(opts.indexDir, async () => {
    // Another process may have built it while this one waited for the lock.
    const built = await liveIfCurrent(opts, spec);
    return typeof built === "string" ? buildLocked({ incremental: true, ...opts, spec }) : built;
  });
}

/** The live index when it matches the documents and settings, or why it must be rebuilt. */
async function liveIfCurrent(opts: EnsureOptions, spec: EmbeddingSpec): Promise<BuildResult | string> {
  const want = fingerprint(await hashFiles(opts.docsDir), spec, opts.vocabulary);
  const live = await readPointer(opts.indexDir);
  if (!live) return "no index yet";
  try {
    const manifest = await readManifest(live);
    if (manifest.fingerprint !== want) return "documents or settings changed";
    return { index: await loadIndex(live, spec), failures: [], embedded: 0, reused: 0 };
  } catch (e) {
    log().warn({ err: (e as Error).message, live }, "live index unreadable; rebuilding");
    return "index unreadable";
  }
}
