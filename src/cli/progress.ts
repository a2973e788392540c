/** A progress bar on a terminal (cli-progress), nothing when output is piped or in CI. */
import cliProgress from "cli-progress";

const STAGES: Record<string, string> = { lexical: "关键词索引", embeddings: "向量", vectors: "向量索引", documents: "生成文件" };

export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY || process.env.CI) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: "{stage} [{bar}] {value}/{total}", stream, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let stage = "";
  return {
    update(name: string, done: number, total: number) {
      if (name !== stage) {
        if (stage) bar.stop();
        stage = name;
        bar.start(total, done, { stage: STAGES[name] ?? name });
      } else {
        bar.update(done);
      }
    },
    stop() {
      if (stage) bar.stop();
    },
  };
}
