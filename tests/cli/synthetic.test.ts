import { describe, expect, it } from "vitest";
import { clausePool } from "../../src/cli/synthetic.js";
import { parseDocument } from "../../src/ingest/parse.js";

describe("the synthetic corpus's clause pool", () => {
  it("takes clauses of numbered tasks, never page furniture or an issuer's name", () => {
    const plan = parseDocument("2023年某某区教育局工作要点\n一、总体\n1.推进学校体育场地开放，每周开放时长不低于20小时。\n2.加强学校安全管理，敖汉旗人民政府，确保校园安全巡查率达到100%。", "plan.txt");
    const furniture = parseDocument("赤峰市人民政府丨敖汉旗人民政府\n——促進公平，加强学校体育工作的统筹推进。", "page.txt");
    const pool = clausePool([plan, furniture]);
    expect(pool).toContain("推进学校体育场地开放");
    expect(pool).toContain("确保校园安全巡查率达到100%");
    expect(pool).not.toContain("敖汉旗人民政府");
    expect(pool.some((c) => c.includes("促進公平") || c.includes("统筹推进"))).toBe(false);
  });
});
