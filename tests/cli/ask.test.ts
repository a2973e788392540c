import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { CITATION_048, ROOT, tempDir } from "../helpers.js";

// The real command, as a user runs it: through npm and the bundle, with its own index folder.
const env = { ...process.env, INDEX_DIR: tempDir("epb-cli-"), LOG_LEVEL: "error" };
const ask = (args: string[], input?: string) =>
  spawnSync("npm", ["run", "--silent", "ask", "--", ...args], { cwd: ROOT, env, input, encoding: "utf8", timeout: 120_000 });

beforeAll(() => {
  ask(["--json", "预热"]); // builds the index once
}, 120_000);

describe("npm run ask", () => {
  it("--json prints one object with the fixed contract", () => {
    const r = ask(["--json", "长宁区小学课后服务到几点结束？"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const a = JSON.parse(lines[0]!);
    expect(Object.keys(a)).toEqual(["question", "answer", "grounded", "citations"]);
    expect(a.grounded).toBe(true);
    expect(a.citations[0]).toEqual(CITATION_048);
  });

  it("reads one question per line from stdin and answers each in order", () => {
    const r = ask(["--json"], "043项完成率多少？\n\n怎么申请美国大学？\n教育信息化由哪个部门牵头？\n");
    expect(r.status).toBe(0);
    const out = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    // An empty line gets its own line of output, so that answers stay aligned with questions.
    expect(out.map((a) => a.question)).toEqual(["043项完成率多少？", "", "怎么申请美国大学？", "教育信息化由哪个部门牵头？"]);
    expect(out.map((a) => a.grounded)).toEqual([true, false, false, true]);
    expect(out[0].citations[0].task).toBe("043");
    expect(out[1]).toEqual({ question: "", answer: "请输入一个问题，例如：长宁区小学课后服务到几点结束？", grounded: false, citations: [] });
    expect(out[2].citations).toEqual([]);
    expect(out[3].citations[0]).toMatchObject({ district: "青浦区", year: 2019, task: "26" });
  });

  it("says in Chinese what is wrong with an option", () => {
    const unknown = ask(["--bogus", "x"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe("没有 --bogus 这个选项，用 --help 查看用法。");
    const bad = ask(["--top", "0", "x"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("选项 --top <n> 的值“0”不对");
    expect(bad.stderr).not.toMatch(/error:/u);
  });

  it("prints the answer for a person without --json", () => {
    const r = ask(["教育信息化由哪个部门牵头？"]);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith("由局信息办牵头〔青浦2019·第26项〕")).toBe(true);
    expect(r.stdout).toContain("出处：\n〔青浦区·2019年工作要点·第26项〕《2019年青浦教育工作要点》");
  });

  it("honours --district and --year", () => {
    const r = ask(["--json", "--district", "闵行", "托育"]);
    expect(JSON.parse(r.stdout).citations[0].district).toBe("闵行区");
    const bad = ask(["--district", "海淀", "托育"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("没有收录“海淀”的文件");
  });

  it("refuses an empty question with a clear message and a non-zero exit", () => {
    const r = spawnSync("npm", ["run", "--silent", "ask", "--", "  "], { cwd: ROOT, env, encoding: "utf8", stdio: ["inherit", "pipe", "pipe"] });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("请输入一个问题");
    expect(r.stdout).toBe("");
  });
});
