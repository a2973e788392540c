/**
 * Real published documents (tests/real-docs: texts as published, manifests written from reading
 * them). Exact structure for a few, and the whole set's place/year and retrieval kept from falling.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { loadRealDocs, realEvalItems, realSetFolders, realSetIndex } from "../../src/eval/real-docs.js";
import { readDocument } from "../../src/ingest/read.js";
import { ROOT } from "../helpers.js";

const doc = (path: string) => readDocument(join(ROOT, "tests/real-docs", path));

describe("real documents, read as published", () => {
  it("a task table one cell per line: sparse row numbers, category rows as sections, the unit column as leads", async () => {
    const d = await doc("first/qiaocheng-2025.txt");
    expect(d).toMatchObject({ district: "谯城区", level: "district", city: "亳州市", year: 2025, title: "谯城区教育局2025年政府工作报告重点工作任务分解表" });
    expect(d.sourceUrl).toBe("https://www.bzqc.gov.cn/XxgkContent/show/2831654.html");
    expect(d.tasks.map((t) => t.number)).toEqual(["3", "68", "69", "73"]);
    expect(d.tasks[2]!.leadDepartments.map((l) => l.department)).toEqual(["区教育局"]);
    expect(d.tasks[1]!.section).toBe("六、全力以赴惠民生、增福祉,加快社会事业发展");
  });

  it("a city bureau whose addressee line names county bureaus", async () => {
    const d = await doc("first/wuhu-2024.txt");
    expect(d).toMatchObject({ district: "芜湖市", level: "city", province: "安徽省", year: 2024, title: "芜湖市教育局2024年工作要点" });
    expect(d.tasks[0]!.leadDepartments.map((l) => l.department)).toEqual(["组干科", "机关党委"]);
  });

  it("a province, a city in traditional characters, a banner", async () => {
    expect(await doc("dev/jiangsu-2021.txt")).toMatchObject({ district: "江苏省", level: "province", year: 2021 });
    const cq = await doc("dev/chongqing-2010.txt");
    expect(cq).toMatchObject({ district: "重庆市", year: 2010 });
    expect(cq.tasks[0]!.text.startsWith("推進義務教育均衡發展")).toBe(true); // the text stays as written
    expect(await doc("dev/aohan-2023.txt")).toMatchObject({ district: "敖汉旗", level: "banner", year: 2023 });
  });

  it("a table with its header cells spaced out; a place the text never names is left for the person to give", async () => {
    const d = await doc("dev/nanling-2024.txt");
    expect(d.tasks.map((t) => t.number)).toEqual(["80", "81"]);
    expect(d.tasks[0]!.leadDepartments.map((l) => l.department)).toEqual(["县教育局"]);
    expect(d.district).toBe("");
    expect(d.warnings.join("")).toContain("ingest --district");
  });
});

describe("the real-document set", () => {
  it("keeps place and year, retrieval and facts at the level reached", async () => {
    const docs = await loadRealDocs(await realSetFolders(join(ROOT, "tests/real-docs"), "real"));
    expect(docs.length).toBeGreaterThanOrEqual(30);
    const { index, checks } = await realSetIndex(docs);
    // Reached on 2026-11-25: 22 of 30; the misses are documents that never name their place (5) or
    // whose year is written in another calendar or only in a notice.
    expect(checks.filter((c) => c.placeOk && c.yearOk).length).toBeGreaterThanOrEqual(22);
    const report = await evaluate(index, realEvalItems(docs), { config: loadConfig({}) });
    expect(report.all.hit3).toBeGreaterThanOrEqual(0.58);
    expect(report.all.facts).toBeGreaterThanOrEqual(0.77);
  }, 60_000);
});
