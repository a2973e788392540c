/** Opens the live index for a command, building it first when the documents changed. */
import type { Config } from "../config.js";
import { embeddingSpecFor } from "../index/embedding-spec.js";
import { ensureIndex, type BuildResult } from "../index/search-index.js";
import { questionVocabulary } from "../retrieve/understand.js";
import { log } from "../log.js";
import { cliText, ingestErrorText } from "../messages.js";

export async function openIndex(config: Config, opts: { quiet?: boolean } = {}): Promise<BuildResult> {
  const result = await ensureIndex({
    docsDir: config.docsDir,
    indexDir: config.indexDir,
    spec: embeddingSpecFor(config),
    vocabulary: questionVocabulary(),
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
