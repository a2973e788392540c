/**
 * The index a long-running process answers from, kept current: another process's `ingest` or
 * `index` swaps the pointer file, or someone copies a document into the folder by hand, and the
 * follower loads (or builds, under the build lock) the new index without a restart.
 */
import { stat } from "node:fs/promises";
import { listDocumentFiles } from "../ingest/load.js";
import { log } from "../log.js";
import { readPointer } from "./builds.js";
import { ensureIndex, type BuildOptions } from "./open.js";
import { loadIndex, type SearchIndex } from "./search-index.js";

export type LiveIndexOptions = Pick<BuildOptions, "docsDir" | "indexDir" | "spec">;

export interface IndexFollower {
  /** Checks now; resolves to the index in use (a new one when anything changed). */
  reload(): Promise<SearchIndex>;
  stop(): void;
}

/** Names, sizes and times of the documents: cheap to take every few seconds, changes with any copy. */
async function docsSignature(docsDir: string): Promise<string> {
  try {
    const files = await listDocumentFiles(docsDir);
    const stats = await Promise.all(files.map(async (f) => stat(f).then((s) => `${f}\0${s.size}\0${s.mtimeMs}`, () => `${f}\0gone`)));
    return stats.join("\n");
  } catch {
    return "(no documents folder)";
  }
}

export function followIndex(opts: LiveIndexOptions & { initial: SearchIndex; intervalMs?: number; onIndex: (index: SearchIndex) => void }): IndexFollower {
  let current = opts.initial;
  let checked: string | undefined; // the documents as they were when the index was last checked against them
  let previous: string | undefined; // as they were one tick ago
  let running: Promise<SearchIndex> | undefined;

  const use = (index: SearchIndex) => {
    if (index.buildDir === current.buildDir) return current;
    current = index;
    opts.onIndex(index);
    log().info({ build: index.buildDir, documents: index.documents.length }, "index reloaded");
    return index;
  };

  const check = async (force: boolean): Promise<SearchIndex> => {
    const signature = await docsSignature(opts.docsDir);
    // A file still being copied changes between ticks: wait until it holds still for one.
    const settled = signature === previous;
    previous = signature;
    // The first check compares the documents with the index itself (by hash): a file copied in
    // between opening the index and starting the follower is not missed.
    if (checked === undefined || (signature !== checked && (settled || force))) {
      checked = signature;
      // Builds (under the lock) only when the documents really changed; otherwise loads the live build.
      return use((await ensureIndex(opts)).index);
    }
    const live = await readPointer(opts.indexDir);
    if (live && live !== current.buildDir) return use(await loadIndex(live, opts.spec));
    return current;
  };

  const run = (force: boolean) => {
    // One check at a time: a slow build is not started again by the next tick.
    running ??= check(force).finally(() => (running = undefined));
    return running;
  };

  const timer = setInterval(() => {
    run(false).catch((e: unknown) => log().error({ err: (e as Error).message }, "index reload failed; keeping the previous one"));
  }, opts.intervalMs ?? 2000);
  timer.unref();
  return { reload: () => run(true), stop: () => clearInterval(timer) };
}
