/** `npm run index [-- --force]`: builds the search index now (it is otherwise built on first use). */
import { loadConfig } from "../config.js";
import { buildIndex, ensureIndex } from "../index/open.js";
import { initLogger } from "../log.js";
import { ingestErrorText } from "../messages.js";
import { runCli, command } from "./common.js";
import { indexOptions } from "./open-index.js";
import { progressReporter } from "./progress.js";

await runCli(async (argv) => {
  const program = command("index").option("--force", "rebuild even when nothing changed").exitOverride();
  program.parse(argv, { from: "user" });
  const config = loadConfig();
  initLogger(config.logLevel, "warn");
  const progress = progressReporter();
  const opts = { ...indexOptions(config), onProgress: progress.update };
  let rebuilt = Boolean(program.opts().force);
  const started = performance.now();
  const { index, failures } = rebuilt ? await buildIndex(opts) : await ensureIndex({ ...opts, onRebuild: () => (rebuilt = true) });
  progress.stop();
  for (const f of failures) process.stderr.write(`${ingestErrorText[f.code](f.file)}\n`);
  const m = index.manifest;
  process.stdout.write(
    `${rebuilt ? "已建立索引" : "索引已是最新"}：${m.documents.length} 份文件，${m.documents.reduce((s, d) => s + d.tasks, 0)} 项任务，${m.chunks} 个段落；向量 ${m.embedding.kind}（${m.embedding.dims} 维）；${Math.round(performance.now() - started)} ms\n`,
  );
  if (failures.length > 0) process.exitCode = 1;
});
