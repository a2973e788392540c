import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { startFakeBotApi, textUpdate } from "../fakes/bot-api.js";
import { docx, gbk, pdf } from "../fakes/documents.js";
import { ROOT, SEEDS, tempDir } from "../helpers.js";

const docsDir = tempDir("epb-ingest-docs-");
const indexDir = tempDir("epb-ingest-index-");
const env = { ...process.env, DOCS_DIR: docsDir, INDEX_DIR: indexDir, LOG_LEVEL: "error" };
const run = (script: string, ...args: string[]) => spawnSync("npm", ["run", "--silent", script, "--", ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 120_000 });
/** "新计算向量 N 个，沿用 M 个" */
const counts = (out: string) => {
  const m = /新计算向量 (\d+) 个，沿用 (\d+) 个/u.exec(out);
  return { embedded: Number(m?.[1]), reused: Number(m?.[2]) };
};

beforeAll(() => {
  for (const f of readdirSync(SEEDS)) copyFileSync(join(SEEDS, f), join(docsDir, f));
  expect(run("index").status).toBe(0);
}, 120_000);

describe("npm run ingest", () => {
  it("adds a batch in several formats, skips a corrupt file with its reason, and exits non-zero", async () => {
    const batch = tempDir("epb-batch-");
    writeFileSync(join(batch, "jiading-gbk.txt"), gbk(readFileSync(join(ROOT, "tests/fixtures/styles/jiading.txt"), "utf8")));
    writeFileSync(join(batch, "songjiang.docx"), await docx(readFileSync(join(ROOT, "tests/fixtures/styles/songjiang.txt"), "utf8").split("\n")));
    writeFileSync(join(batch, "xuhui.pdf"), pdf(readFileSync(join(ROOT, "tests/fixtures/styles/xuhui.txt"), "utf8").trim().split("\n")));
    writeFileSync(join(batch, "broken.docx"), "PK\x03\x04 truncated");
    const r = run("ingest", batch);
    expect(r.status).toBe(1);
    const rows = r.stdout.split("\n");
    expect(rows[0]).toBe("文件\t地区\t年份\t类型\t条目数\t牵头单位数\t结果");
    expect(rows.some((r) => /^jiading-gbk\.txt\t嘉定区\t2024\t工作要点\t5\t\d+\t已收录$/u.test(r))).toBe(true);
    expect(rows.some((r) => /^songjiang\.docx\t松江区\t2022\t工作要点\t3\t\d+\t已收录$/u.test(r))).toBe(true);
    expect(rows.some((r) => /^xuhui\.pdf\t徐汇区\t2023\t工作要点\t4\t\d+\t已收录$/u.test(r))).toBe(true);
    expect(rows.find((l) => l.startsWith("broken.docx"))).toMatch(/未收录：文件无法读取/u);
    expect(r.stderr).toContain("有 1 个文件没有收录");
    expect(existsSync(join(docsDir, "broken.docx"))).toBe(false);
    // Only the new documents were embedded; the seeds' vectors were reused.
    const { embedded, reused } = counts(r.stdout);
    expect(reused).toBe(114); // the seeds: 109 task chunks and 5 openings (前言)
    expect(embedded).toBeGreaterThan(0);
    const a = JSON.parse(run("ask", "--json", "徐汇课后服务时间延长到几点？").stdout);
    expect(a.citations[0]).toMatchObject({ district: "徐汇区", year: 2023, task: "2" });
  }, 180_000);

  it("re-ingesting an unchanged file changes nothing; a changed one replaces its old version, re-embedding only it", () => {
    const same = run("ingest", join(docsDir, "jiading-gbk.txt"));
    expect(same.stdout).toContain("没有变化");
    expect(counts(same.stdout).embedded).toBe(0);

    const edited = join(tempDir(), "xuhui.pdf");
    writeFileSync(edited, pdf([...readFileSync(join(ROOT, "tests/fixtures/styles/xuhui.txt"), "utf8").trim().split("\n").slice(0, 7), "| 5 | 推进家校共育，开展家长学校课程10门 | 德育科 | 2023年12月 |"]));
    const r = run("ingest", edited);
    expect(r.stdout).toMatch(/xuhui\.pdf\t徐汇区\t2023\t工作要点\t5\t\d+\t已替换旧版本/u);
    const { embedded, reused } = counts(r.stdout);
    expect(embedded).toBeLessThanOrEqual(5);
    expect(reused).toBeGreaterThan(114);
    expect(readdirSync(join(docsDir, ".replaced")).some((f) => f.endsWith("xuhui.pdf"))).toBe(true);
  }, 120_000);

  it("a place given for a document already loaded applies to it: the index is rebuilt and answers cite it", () => {
    const unnamed = join(tempDir("epb-unnamed-"), "district-plan.txt");
    copyFileSync(join(ROOT, "tests/fixtures/real/district-plan-unnamed.txt"), unnamed);
    expect(run("ingest", unnamed).stdout).toMatch(/^district-plan\.txt\t（未写明地区）\t/mu); // no place guessed
    const given = run("ingest", "--district", "颍州区", unnamed);
    expect(given.stdout).toMatch(/^district-plan\.txt\t颍州区\t.*按这次指定的地区\/来源重新读取$/mu);
    const a = JSON.parse(run("ask", "--json", "颍州区学校心理健康教育怎么做？").stdout);
    expect(a.citations[0]).toMatchObject({ district: "颍州区", task: "四" });
    expect(run("ingest", "--district", "颍州区", unnamed).stdout).toMatch(/^district-plan\.txt\t颍州区\t.*\t没有变化$/mu);
  }, 180_000);

  it("lists what is loaded and removes a document by id, keeping its file aside", () => {
    const list = run("ingest", "--list");
    expect(list.stdout).toContain("松江2022-要点\t松江区\t2022\t工作要点\t3\tsongjiang.docx");
    const r = run("ingest", "--remove", "松江2022-要点");
    expect(r.status).toBe(0);
    expect(counts(r.stdout).embedded).toBe(0);
    expect(existsSync(join(docsDir, "songjiang.docx"))).toBe(false);
    expect(readdirSync(join(docsDir, ".removed")).some((f) => f.endsWith("songjiang.docx"))).toBe(true);
    expect(run("ingest", "--list").stdout).not.toContain("松江");
    const unknown = run("ingest", "--remove", "不存在");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("没有编号为“不存在”的文件");
  }, 120_000);

  it("a build killed midway leaves the previous index live and usable", async () => {
    const before = JSON.parse(readFileSync(join(indexDir, "current.json"), "utf8")).build as string;
    const child = spawn("npm", ["run", "--silent", "index", "--", "--force"], { cwd: ROOT, env, detached: true, stdio: "ignore" });
    await new Promise((ok) => setTimeout(ok, 1500));
    process.kill(-child.pid!, "SIGKILL");
    await new Promise((ok) => child.on("exit", ok));
    const live = JSON.parse(readFileSync(join(indexDir, "current.json"), "utf8")).build as string;
    // Either the old build or a complete new one: never a half-written one.
    expect(existsSync(join(indexDir, "builds", live, "manifest.json"))).toBe(true);
    if (live === before) expect(readdirSync(join(indexDir, "builds")).length).toBeGreaterThanOrEqual(1);
    const a = JSON.parse(run("ask", "--json", "043项完成率多少？").stdout);
    expect(a.citations[0].task).toBe("043");
  }, 120_000);

  it("a running bot answers from newly ingested documents without a restart", async () => {
    const api = await startFakeBotApi();
    const bot = spawn("npm", ["start", "--silent"], { cwd: ROOT, env: { ...env, BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot }, detached: true, stdio: "ignore" });
    try {
      await api.waitFor("getUpdates", 1, 90_000);
      const fresh = tempDir("epb-new-");
      writeFileSync(join(fresh, "baoshan.txt"), "2025年宝山区教育工作要点\n一、办好民心工程\n1. 建设社区学习圈。新建社区学习点30个，方便居民就近学习（牵头部门：局终身教育科）。\n");
      expect(run("ingest", fresh).stdout).toContain("宝山区\t2025");
      await new Promise((ok) => setTimeout(ok, 3500)); // the bot polls the index pointer every 2 s
      api.queueUpdate(textUpdate("宝山社区学习点要新建几个？", { chatId: 2025 }));
      const [sent] = await api.waitFor("sendMessage");
      expect(String(sent!.text)).toContain("新建社区学习点30个");
      expect(String(sent!.text)).toContain("〔宝山2025·第1项〕");

      // Copied in by hand, no ingest: the bot notices the folder changed and indexes it itself.
      writeFileSync(join(docsDir, "jinshan.txt"), "2025年金山区教育工作要点\n一、办好民心工程\n1. 建设滨海学习带。新建海边学习驿站12个（牵头部门：局终身教育科）。\n");
      await new Promise((ok) => setTimeout(ok, 8000));
      api.queueUpdate(textUpdate("金山海边学习驿站新建几个？", { chatId: 2026 }));
      const replies = await api.waitFor("sendMessage", 2);
      expect(String(replies[1]!.text)).toContain("新建海边学习驿站12个");
    } finally {
      process.kill(-bot.pid!, "SIGTERM");
      await api.close();
    }
  }, 180_000);
});
