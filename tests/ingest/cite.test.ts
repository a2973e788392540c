import { describe, expect, it } from "vitest";
import { citationLabel, shortLabel } from "../../src/ingest/cite.js";

const placed = { district: "长宁区", year: 2023, genre: "plan" as const, title: "2023年长宁区教育局工作要点", sourceFile: "docs/a.txt" };

describe("citation labels", () => {
  it("name the place, the year and the task", () => {
    expect(shortLabel(placed, "14")).toBe("〔长宁2023·第14项〕");
    expect(citationLabel(placed, "14")).toBe("〔长宁区·2023年工作要点·第14项〕");
    expect(shortLabel(placed, "二·3")).toBe("〔长宁2023·二、第3项〕");
  });

  it("a document whose place nobody knows is named by its title, else its file; never 〔·第4项〕", () => {
    const unplaced = { ...placed, district: "", title: "区教育局2023年学前教育工作计划" };
    expect(shortLabel(unplaced, "4")).toBe("〔《区教育局学前教育工作计划》2023·第4项〕");
    expect(citationLabel(unplaced, "4")).toBe("〔《区教育局学前教育工作计划》·2023年工作要点·第4项〕");
    expect(shortLabel({ ...unplaced, title: "关于进一步加强和改进中小学课后服务工作的实施方案" }, "4")).toBe("〔《关于进一步加强和改进中小…》2023·第4项〕");
    expect(shortLabel({ ...unplaced, title: "", sourceFile: "/data/docs/plan-2023.docx" }, "4")).toBe("〔《plan-2023》2023·第4项〕");
  });
});
