import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeText, extractText } from "../../src/ingest/formats.js";
import { parseDocument } from "../../src/ingest/parse.js";
import { IngestError, readDocument, MAX_FILE_BYTES } from "../../src/ingest/read.js";
import { docx, docxTable, gbk, html, pdf, scannedPdf } from "../fakes/documents.js";
import { ROOT, seedText, tempDir } from "../helpers.js";

const PLAN = ["2024年嘉定区教育工作要点", "一、强化立德树人", "1. 加强德育工作。推进思政课一体化建设（牵头部门：局德育科）。", "2. 深化课后服务。课后服务结束时间不早于17:30。"];
const bytes = (b: Buffer | string) => new Uint8Array(typeof b === "string" ? Buffer.from(b) : b);

describe("formats", () => {
  it("detects GBK text and decodes it", async () => {
    const { text, encoding } = await decodeText(bytes(gbk(seedText("002"))));
    expect(encoding).toBe("GB18030");
    expect(text).toBe(seedText("002"));
    expect(parseDocument(text, "gbk.txt").tasks).toHaveLength(30);
  });

  it("reads .docx paragraphs, and a .docx table as rows", async () => {
    expect((await extractText("a.docx", bytes(await docx(PLAN)))).text).toContain("1. 加强德育工作。推进思政课一体化建设（牵头部门：局德育科）。");
  });

  it("reads an HTML page's body and drops the navigation, header, footer and scripts", async () => {
    const { text } = await extractText("a.html", bytes(html(PLAN)));
    expect(text).toContain("2. 深化课后服务。课后服务结束时间不早于17:30。");
    for (const furniture of ["机构概况", "当前位置", "分享到", "版权所有", "不应出现", "新闻动态"]) expect(text).not.toContain(furniture);
  });

  it("reads a PDF's text layer line by line", async () => {
    const { text, format } = await extractText("a.pdf", bytes(pdf(PLAN)));
    expect(format).toBe("pdf");
    expect(text.split("\n").slice(0, 4)).toEqual(PLAN);
    const doc = parseDocument(text, "a.pdf");
    expect(doc).toMatchObject({ district: "嘉定区", year: 2024 });
    expect(doc.tasks.map((t) => t.leadDepartments.map((l) => l.department))).toEqual([["局德育科"], []]);
  });

  it.each([
    ["a scanned PDF", "scan.pdf", () => scannedPdf(), "no-text-layer"],
    ["an encrypted Office file", "locked.docx", () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), "password-protected"],
    ["a corrupt .docx", "bad.docx", () => Buffer.from("PK\x03\x04 not really a zip"), "unreadable"],
    ["an unsupported type", "photo.jpg", () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), "unsupported"],
    ["a binary file named .txt", "x.txt", () => Buffer.from([1, 2, 0, 4, 5]), "binary"],
    ["a zip archive named .txt", "notes.txt", () => Buffer.from("PK\x03\x04\x14\x00\x00\x00 photos/1.jpg"), "binary"],
  ])("reports %s with a reason", async (_what, name, make, code) => {
    const file = join(tempDir(), name);
    writeFileSync(file, make());
    await expect(readDocument(file)).rejects.toMatchObject({ code });
  });

  it("reads a Word file that was renamed to .txt as the Word file it is", async () => {
    const file = join(tempDir(), "plan.txt");
    writeFileSync(file, await docx(PLAN));
    expect(await readDocument(file)).toMatchObject({ district: "嘉定区", year: 2024 });
  });

  it("reports an oversized file without reading it", async () => {
    const file = join(tempDir(), "huge.txt");
    writeFileSync(file, Buffer.alloc(MAX_FILE_BYTES + 1, 0x41));
    const err = await readDocument(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).code).toBe("too-large");
  });
});

describe("styles the seeds do not have", () => {
  const read = (name: string) => readDocument(join(ROOT, "tests/fixtures/styles", name));

  it("items numbered （一） under 一、, ASCII punctuation, (责任部门:…), year only in the issuing date", async () => {
    const doc = await read("jiading.txt");
    expect(doc).toMatchObject({ district: "嘉定区", year: 2024, issuedOn: "2024-02-01" });
    expect(doc.tasks.map((t) => t.number)).toEqual(["一", "二", "三", "四", "五"]);
    expect(doc.tasks[3]?.leadDepartments.map((l) => l.department)).toEqual(["局基教科", "局计财科"]);
    expect(doc.tasks[1]?.section).toBe("一、坚持立德树人");
    expect(doc.warnings.join()).toContain("按“（一）”这样的编号识别");
  });

  it("only 一、 headings, points written 一是…二是…, 牵头单位：… without brackets", async () => {
    const doc = await read("songjiang.txt");
    expect(doc.tasks).toHaveLength(3);
    expect(doc.tasks[1]?.parts.map((p) => p.label)).toEqual(["一是", "二是", "三是"]);
    expect(doc.tasks[1]?.leadDepartments.map((l) => l.department)).toEqual(["局基教科"]);
    expect(doc.tasks[1]?.figures).toEqual(expect.arrayContaining(["85%", "100%"]));
  });

  it("tasks laid out in a table, the department in its own column", async () => {
    const doc = await read("xuhui.txt");
    expect(doc.tasks.map((t) => t.number)).toEqual(["1", "2", "3", "4"]);
    expect(doc.tasks[1]?.title).toBe("实施课后服务提质工程，课后服务时间延长至18:00");
    expect(doc.tasks.map((t) => t.leadDepartments[0]?.department)).toEqual(["学前教育科", "基础教育科", "信息中心", "安全保卫科"]);
  });

  it("the same table in a .docx and an HTML page", async () => {
    const rows = [["序号", "工作任务", "责任部门"], ["1", "推进学前教育普惠发展", "学前教育科"], ["2", "实施课后服务提质工程", "基础教育科"]];
    const page = `<html><body><h1>徐汇区教育局2023年重点工作任务</h1><table>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</table></body></html>`;
    const fromHtml = parseDocument((await extractText("t.html", bytes(page))).text, "t.html");
    const fromDocx = parseDocument((await extractText("t.docx", bytes(await docxTable("徐汇区教育局2023年重点工作任务", rows)))).text, "t.docx");
    for (const doc of [fromHtml, fromDocx]) {
      expect(doc.district).toBe("徐汇区");
      expect(doc.tasks.map((t) => [t.number, t.leadDepartments[0]?.department])).toEqual([["1", "学前教育科"], ["2", "基础教育科"]]);
    }
  });
});
