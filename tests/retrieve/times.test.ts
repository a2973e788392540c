import { describe, expect, it } from "vitest";
import { statesTime, TIME_PATTERNS } from "../../src/retrieve/times.js";

const all = (kind: keyof typeof TIME_PATTERNS, text: string) => [...text.matchAll(TIME_PATTERNS[kind])].map((m) => m[0]);

describe("times as documents write them", () => {
  it("a day whose month page extraction glued on (317日 for 3月17日) is a date, as written; a count of units is not", () => {
    expect(all("date", "317日我单位与贺文国等委员进行了面商沟通")).toEqual(["317日"]);
    expect(all("date", "2024年3月27日印发")).toEqual(["2024年3月27日"]);
    expect(statesTime("date", "共有21名干部持有行政执法证")).toBe(false);
    expect(statesTime("date", "第24号建议")).toBe(false);
  });

  it("a period may be a condition (待县政府确定规划方案后) or a term; a document number is none", () => {
    expect(all("period", "学校校门建设方案暂不能确定,待县政府确定规划方案后,我们再将校门拆除")).toEqual(["待县政府确定规划方案后"]);
    expect(statesTime("period", "本学期完成")).toBe(true);
    expect(statesTime("period", "关于水口小学的建议(第24号)")).toBe(false);
    // A clock time or a day of the month says when too; 待遇 is no condition, 学期 alone no time.
    expect(statesTime("period", "下午4点半放学")).toBe(true);
    expect(statesTime("period", "每月15号前报送")).toBe(true);
    expect(all("period", "落实教师待遇和后勤保障")).toEqual([]);
    expect(all("period", "每学期开展一次家长会")).toEqual(["每学期"]);
  });

  it("a clock range is one time; 24小时 is at any hour", () => {
    expect(all("clock", "在放学后至 16:30 分和 16:30 至 18:00 的两个服务时间段内")).toEqual(["16:30 分", "16:30 至 18:00"]);
    expect(statesTime("clock", "开通24小时心理咨询热线")).toBe(true);
  });
});
