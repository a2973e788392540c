/**
 * Opens the live index: loaded when it matches the documents and settings, built (under the
 * build lock) when it does not. The build pipeline is imported only when a build is needed: a
 * command that finds its index current never loads the document readers or the LSA fit.
 */
import { log } from "../log.js";
import { fingerprint, hashFiles, readManifest, readPointer, withBuildLock, checkDocsDir } from "./builds.js";
import type { BuildOptions, BuildResult } from "./build.js";
import { lsaSpec, type EmbeddingSpec } from "./embedding-spec.js";
import { loadIndex } from "./search-index.js";

export type { BuildOptions, BuildResult } from "./build.js";

/** Builds from the documents folder and makes the new build live. */
export async function buildIndex(opts: BuildOptions): Promise<BuildResult> {
  await checkDocsDir(opts.docsDir);
  const { buildLocked } = await import("./build.js");
  return withBuildLock(opts.indexDir, () => buildLocked(opts));
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
  const { buildLocked } = await import("./build.js");
  return withBuildLock(opts.indexDir, async () => {
    // Another process may have built it while this one waited for the lock.
    const built = await liveIfCurrent(opts, spec);
    return typeof built === "string" ? buildLocked({ incremental: true, ...opts, spec }) : built;
  });
}

/** The live index when it matches the documents and settings, or why it must be rebuilt. */
async function liveIfCurrent(opts: EnsureOptions, spec: EmbeddingSpec): Promise<BuildResult | string> {
  const want = fingerprint(await hashFiles(opts.docsDir), spec);
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
