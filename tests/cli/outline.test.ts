import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, seedFile, tempDir } from "../helpers.js";

const outline = (...args: string[]) => spawnSync("npm", ["run", "--silent", "outline", "--", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });

describe("npm run outline", () => {
  it("prints the metadata line, then sections → tasks → parts with lead departments", () => {
    const r = outline(seedFile("004"));
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("青浦区 · 2019 · 工作要点 · 《2019年青浦教育工作要点》 · 28 项 · 004_c117afa9a3d09f68.txt");
    expect(lines[1]).toBe("一、聚焦加强作风建设，着力提升教育系统行政效能");
    expect(r.stdout).toContain("  26. 深入推进教育信息化\n      牵头：局信息办");
    expect(r.stdout).toMatch(/牵头·局人事科：落实乡村教师支持计划/u);
  });

  it("shows a report's nested parts and contacts", () => {
    const r = outline(seedFile("000"));
    expect(r.stdout).toContain("第 043 项 推进教育“优质+均衡”发展三年行动计划落实  〔进度：完成率已达 100%〕");
    expect(r.stdout).toContain("        （1） 高中\n          ① 完成“十三五”高中综改项目");
    expect(r.stdout).toContain("联系人：宗宏、石东红  电话：22050725");
  });

  it("--json prints the parsed structure", () => {
    const doc = JSON.parse(outline("--json", seedFile("002")).stdout);
    expect(doc).toMatchObject({ district: "长宁区", year: 2023, docNumber: "长教〔2023〕8号" });
    expect(doc.tasks).toHaveLength(30);
  });

  it.each([
    ["a missing file", () => "/nonexistent/plan.txt", "找不到文件"],
    ["an empty file", (d: string) => (writeFileSync(join(d, "e.txt"), ""), join(d, "e.txt")), "文件是空的"],
    ["a binary file", (d: string) => (writeFileSync(join(d, "b.txt"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0xff])), join(d, "b.txt")), "这不是文本文件"],
  ])("refuses %s with a message and exit 1, no stack trace", (_what, make, message) => {
    const r = outline(make(tempDir()));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /u);
  });

  it("keeps a file with no recognisable tasks as passages, and says so", () => {
    const d = tempDir();
    const file = join(d, "notice.txt");
    writeFileSync(file, "长宁区教育局关于开展读书月活动的通知\n各学校：\n请各校于2023年4月组织学生读书活动，做好总结。\n长宁区教育局\n2023年3月20日\n");
    const r = outline(file);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("注意：未识别出编号的任务");
    expect(r.stdout).toContain("§3 请各校于2023年4月组织学生读书活动");
  });
});
