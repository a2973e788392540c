/** Opens the live index for a command, building it first when the documents changed. */
import type { Config } from "../config.js";
import { embeddingSpecFor } from "../index/embedding-spec.js";
import { ensureIndex, type BuildOptions, type BuildResult } from "../index/open.js";
import { log } from "../log.js";
import { cliText, ingestErrorText } from "../messages.js";

/**
 * Which index the commands use and how it is built: one place, so that every command builds the
 * same index (a different embedding would change the fingerprint and force rebuilds).
 */
export function indexOptions(config: Config): Pick<BuildOptions, "docsDir" | "indexDir" | "spec"> {
  return { docsDir: config.docsDir, indexDir: config.indexDir, spec: embeddingSpecFor(config) };
}

export async function openIndex(config: Config, opts: { quiet?: boolean } = {}): Promise<BuildResult> {
  const result = await ensureIndex({
    ...indexOptions(config),
    onRebuild: (reason) => {
      log().info({ reason }, "building index");
      if (!opts.quiet && process.stderr.isTTY) process.stderr.write(`${cliText.indexBuilding}\n`);
    },
  });
  for (const f of result.failures) {
    log().warn({ file: f.file, code: f.code }, "document skipped");
    if (!opts.quiet) process.stderr.write(`${ingestErrorText[f.code](f.file)}\n`);
  }
  return result;
}
