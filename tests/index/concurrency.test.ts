import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { followIndex } from "../../src/index/live.js";
import { IndexCorruptError, readPointer } from "../../src/index/builds.js";
import { ensureIndex } from "../../src/index/open.js";
import { loadIndex, type SearchIndex } from "../../src/index/search-index.js";
import { ROOT, SEEDS, tempDir } from "../helpers.js";

function copySeeds(): string {
  const dir = tempDir("epb-docs-");
  for (const f of readdirSync(SEEDS)) copyFileSync(join(SEEDS, f), join(dir, f));
  return dir;
}

const plan = (district: string, n: number) =>
  `2025年${district}教育工作要点\n一、办好民心工程\n1. 建设社区学习圈。新建社区学习点${n}个，方便居民就近学习（牵头部门：局终身教育科）。\n`;

/** A command from its bundle, as `npm run` runs it, without npm's own start-up time. */
function command(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ["scripts/run.mjs", ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "error", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += String(d)));
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.on("exit", (code) => ok({ code, stdout, stderr }));
  });
}

describe("the index under concurrency", () => {
  it("two ingest runs at once both land, and the live build holds both documents", async () => {
    const docsDir = copySeeds();
    const indexDir = tempDir("epb-vs-");
    const env = { DOCS_DIR: docsDir, INDEX_DIR: indexDir };
    expect((await command(["index-cmd"], env)).code).toBe(0);
    for (const round of [1, 2]) {
      const a = tempDir("epb-a-");
      const b = tempDir("epb-b-");
      writeFileSync(join(a, `baoshan-${round}.txt`), plan(round === 1 ? "宝山区" : "金山区", 10 + round));
      writeFileSync(join(b, `jiading-${round}.txt`), plan(round === 1 ? "嘉定区" : "奉贤区", 20 + round));
      const [ra, rb] = await Promise.all([command(["ingest", a], env), command(["ingest", b], env)]);
      expect(ra.code, ra.stderr).toBe(0);
      expect(rb.code, rb.stderr).toBe(0);
      const live = (await readPointer(indexDir))!;
      expect(existsSync(join(live, "manifest.json"))).toBe(true);
      const files = (await loadIndex(live)).manifest.documents.map((d) => d.sourceFile);
      expect(files).toEqual(expect.arrayContaining([`baoshan-${round}.txt`, `jiading-${round}.txt`]));
      expect(files).toHaveLength(5 + 2 * round);
    }
  }, 180_000);

  it("never uses a build whose vectors do not match its manifest: rebuilds, embedding everything again", async () => {
    const docsDir = copySeeds();
    const indexDir = tempDir("epb-vs-");
    const first = await ensureIndex({ docsDir, indexDir });
    truncateSync(join(first.index.buildDir, "vectors.f32"), 100);
    await expect(loadIndex(first.index.buildDir)).rejects.toThrow(IndexCorruptError);
    const reasons: string[] = [];
    const again = await ensureIndex({ docsDir, indexDir, onRebuild: (r) => reasons.push(r) });
    expect(reasons).toEqual(["index unreadable"]);
    expect(again.reused).toBe(0);
    expect(again.embedded).toBe(first.index.chunks.length);
    // A damaged hnsw file never reaches hnswlib (native code): refused, then rebuilt.
    truncateSync(join(again.index.buildDir, "hnsw.bin"), 64);
    const third = await ensureIndex({ docsDir, indexDir });
    expect(third.index.buildDir).not.toBe(again.index.buildDir);
    expect(third.index.chunks.length).toBe(first.index.chunks.length);
  });

  it("a running process notices a .txt copied into the documents folder by hand", async () => {
    const docsDir = copySeeds();
    const indexDir = tempDir("epb-vs-");
    const { index } = await ensureIndex({ docsDir, indexDir });
    const seen: SearchIndex[] = [];
    const follower = followIndex({ docsDir, indexDir, initial: index, intervalMs: 150, onIndex: (i) => seen.push(i) });
    try {
      writeFileSync(join(docsDir, "baoshan.txt"), plan("宝山区", 30));
      const until = Date.now() + 20_000;
      while (seen.length === 0 && Date.now() < until) await new Promise((ok) => setTimeout(ok, 100));
      expect(seen.at(-1)?.documents.map((d) => d.district)).toContain("宝山区");
      expect(await readPointer(indexDir)).toBe(seen.at(-1)!.buildDir);
    } finally {
      follower.stop();
    }
  });

  it("names the documents folder that is missing, and the index folder that cannot be written, and why", () => {
    const file = join(tempDir(), "not-a-folder");
    writeFileSync(file, "x");
    const ask = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ["scripts/run.mjs", "ask", "托育"], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "error", ...env }, encoding: "utf8", timeout: 60_000 });

    const missing = join(tempDir(), "no-such-docs");
    const r1 = ask({ DOCS_DIR: missing, INDEX_DIR: tempDir() });
    expect(r1.status).toBe(1);
    expect(r1.stderr).toContain(`找不到文件夹 ${missing}（DOCS_DIR）`);

    const r2 = ask({ DOCS_DIR: SEEDS, INDEX_DIR: join(file, "index") });
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain(`无法写入索引文件夹 ${join(file, "index")}（INDEX_DIR）：路径中有一部分不是文件夹`);
    expect(r2.stderr).not.toMatch(/\n\s+at /u);
    expect(readFileSync(file, "utf8")).toBe("x");
  });
});
