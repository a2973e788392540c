/**
 * The index on disk: a build artifact under vector-store/, rebuilt when the documents or the
 * settings change (a fingerprint in the manifest), written into a fresh build folder and made
 * live by atomically replacing one small pointer file, so readers never see half an index.
 * Every file of a build is listed in its manifest with its size and hash, and checked before use.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { listDocumentFiles } from "../ingest/load.js";
import { INGEST_VERSION } from "../ingest/version.js";
import { log } from "../log.js";
import type { EmbeddingSpec } from "./embedding-spec.js";
import { readQuestionVocabulary } from "./question-vocabulary.js";
import { CURATED_TERMS } from "./tokenizer.js";

/** Bump when the parse, chunking or index layout changes: old indexes are then rebuilt. */
export const INDEX_FORMAT = 13;
const POINTER = "current.json";

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
export async function withBuildLock<T>(indexDir: string, fn: () => Promise<T>): Promise<T> {
  await checkIndexDirWritable(indexDir);
  // Imported here: only a build takes the lock, and a command that finds its index current never does.
  const { default: lockfile } = await import("proper-lockfile");
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

export function sha256(bytes: string | Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Reads one file of a build by name. */
export type ReadBuildFile = (name: string) => Promise<Buffer>;

/**
 * Hashes files in a worker thread: a build's files are hundreds of MB at 5,000 documents, and
 * hashing them on the main thread would take as long as parsing them. The worker reads each file
 * itself, a megabyte at a time (whole-file buffers freed in a thread's own malloc arena stay in
 * the process's memory: 80 MB of a serving process's RSS), and posts its hash (null when it
 * cannot be read), in the order given.
 */
const HASHER = `
const { parentPort, workerData } = require("node:worker_threads");
const { closeSync, openSync, readSync } = require("node:fs");
const { createHash } = require("node:crypto");
const buf = Buffer.allocUnsafe(1 << 20);
for (const path of workerData) {
  let hash = null;
  try {
    const fd = openSync(path, "r");
    try {
      const h = createHash("sha256");
      for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
      hash = h.digest("hex");
    } finally {
      closeSync(fd);
    }
  } catch {}
  parentPort.postMessage({ path, hash });
}`;

function hashInWorker(paths: readonly string[]): Map<string, Promise<string | null>> {
  const done = new Map<string, (hash: string | null) => void>();
  const hashes = new Map(paths.map((p) => [p, new Promise<string | null>((ok) => done.set(p, ok))]));
  if (paths.length === 0) return hashes;
  const worker = new Worker(HASHER, { eval: true, workerData: paths });
  worker.on("message", ({ path, hash }: { path: string; hash: string | null }) => done.get(path)?.(hash));
  // A worker that dies leaves the rest unhashed: they count as damaged.
  const fail = () => {
    for (const ok of done.values()) ok(null);
  };
  worker.on("error", fail);
  worker.on("exit", fail);
  return hashes;
}

/**
 * Reads a build's files by name, each checked against the manifest: its size when it is read,
 * its hash in a worker thread meanwhile (the main thread parses). Each file is read once here.
 * `checked()` must resolve before anything read is used.
 */
export interface BuildReader {
  read: ReadBuildFile;
  /** The file once its hash matches too. */
  readChecked: ReadBuildFile;
  /** Resolves once the file's hash matches, without reading it here: for files native code reads, which a damaged one may crash. */
  check(name: string): Promise<void>;
  /** Resolves once every file named at the start matched its hash; rejects with IndexCorruptError if one did not. */
  checked(): Promise<void>;
}

/** A reader for the files `names` (those first are hashed first). */
export function buildReader(buildDir: string, manifest: Manifest, names: readonly string[]): BuildReader {
  const listed = (name: string) => {
    const want = manifest.files?.[name];
    if (!want) throw new IndexCorruptError(`${buildDir}/${name} is not in the manifest`);
    return want;
  };
  names.forEach(listed);
  const hashes = hashInWorker(names.map((n) => join(buildDir, n)));
  const hashOk = async (name: string) => {
    const want = listed(name);
    const got = await (hashes.get(join(buildDir, name)) ?? Promise.resolve(null));
    if (got === null) throw new IndexCorruptError(`${buildDir}/${name} is missing`);
    if (got !== want.sha256) throw new IndexCorruptError(`${buildDir}/${name} does not match the manifest (hash)`);
  };
  const read = async (name: string) => {
    const want = listed(name);
    if (!hashes.has(join(buildDir, name))) throw new Error(`${name} was not named when the reader was made`);
    const bytes = await readFile(join(buildDir, name)).catch(() => undefined);
    if (!bytes) throw new IndexCorruptError(`${buildDir}/${name} is missing`);
    if (bytes.byteLength !== want.bytes) throw new IndexCorruptError(`${buildDir}/${name} does not match the manifest (${bytes.byteLength} bytes, expected ${want.bytes})`);
    return bytes;
  };
  return {
    read,
    readChecked: async (name) => {
      const bytes = await read(name);
      await hashOk(name);
      return bytes;
    },
    check: hashOk,
    checked: async () => {
      for (const name of names) await hashOk(name);
    },
  };
}

/** Reads a file of a build unchecked (a build just written, or a store used on its own). */
export const plainReader =
  (dir: string): ReadBuildFile =>
  (name) =>
    readFile(join(dir, name));

/** Checks every file the manifest lists against its size and hash. */
export async function verifyBuild(buildDir: string, manifest: Manifest): Promise<void> {
  if (!manifest.files) throw new IndexCorruptError(`${buildDir}: manifest lists no files`);
  const names = Object.keys(manifest.files);
  const files = buildReader(buildDir, manifest, names);
  for (const name of names) await files.readChecked(name);
}

export async function readManifest(buildDir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(buildDir, "manifest.json"), "utf8")) as Manifest;
}

/** What the fingerprint covers: the documents' bytes, the parser that read them, the embedding, our own dictionaries. */
export function fingerprint(files: { name: string; sha256: string }[], spec: Pick<EmbeddingSpec, "kind" | "model">): string {
  const h = createHash("sha256");
  h.update(JSON.stringify({ format: INDEX_FORMAT, ingest: INGEST_VERSION, embedding: [spec.kind, spec.model ?? ""], terms: CURATED_TERMS, vocabulary: readQuestionVocabulary() }));
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) h.update(`${f.name}\0${f.sha256}\n`);
  return h.digest("hex").slice(0, 32);
}

export async function hashFiles(docsDir: string): Promise<{ name: string; sha256: string }[]> {
  await checkDocsDir(docsDir);
  const files = await listDocumentFiles(docsDir);
  // A document's sidecar (FILE.meta.json: the place or source its person gave) is part of how it
  // is read: changing it rebuilds, like changing the text.
  const given = async (f: string) => readFile(`${f}.meta.json`).catch(() => Buffer.alloc(0));
  return Promise.all(files.map(async (f) => ({ name: f.slice(docsDir.length + 1), sha256: sha256(Buffer.concat([await readFile(f), await given(f)])) })));
}

/** A fresh, empty build folder, named so that two processes never share one. */
export async function newBuildFolder(indexDir: string): Promise<{ name: string; dir: string }> {
  const name = `build-${Date.now().toString(36)}-${process.pid}`;
  const dir = join(indexDir, "builds", name);
  await mkdir(dir, { recursive: true });
  return { name, dir };
}

/** Lists every file of the build in its manifest and writes the manifest, last: a folder without one is incomplete. */
export async function sealBuild(buildDir: string, manifest: Manifest): Promise<void> {
  for (const name of (await readdir(buildDir)).sort()) {
    const bytes = await readFile(join(buildDir, name));
    manifest.files[name] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
  }
  await writeFile(join(buildDir, "manifest.json"), JSON.stringify(manifest, null, 2));
}

export async function makeLive(indexDir: string, buildName: string): Promise<void> {
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
