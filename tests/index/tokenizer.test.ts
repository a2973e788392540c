import { describe, expect, it } from "vitest";
import { fold } from "../../src/index/normalize.js";
import { addTerms, tokenize } from "../../src/index/tokenizer.js";

describe("tokenizer", () => {
  it("keeps numbers, times, shares and 5+2 whole (jieba alone splits 24 into 2, 4)", () => {
    const t = tokenize("全区 24 所公办小学，“5+2”课后服务，16:30 至 18:00，50%以上");
    expect(t).toEqual(expect.arrayContaining(["24", "5+2", "16:30", "18:00", "50%"]));
    expect(t).not.toContain("2");
  });

  it("keeps the domain's terms whole", () => {
    addTerms(["局信息办"]);
    const t = tokenize("爱心晚托班和课后服务由局信息办负责");
    expect(t).toEqual(expect.arrayContaining(["晚托班", "课后服务", "局信息办"]));
  });

  it("folds traditional characters and full-width digits", () => {
    expect(fold("長寧區課後服務到幾點？")).toBe("长宁区课后服务到几点?");
    expect(fold("１６：３０")).toBe("16:30");
    // A variant on its way to a simplified character; a simplified character the variant tables list stays.
    expect(fold("裏面")).toBe("里面");
    expect(fold("什么")).toBe("什么");
  });

  it("folds each character on its own: a text folds as its characters do", () => {
    const chars = Array.from({ length: 0x9fff - 0x3400 + 1 }, (_, i) => String.fromCharCode(0x3400 + i));
    expect(fold(chars.join(""))).toBe(chars.map((c) => fold(c)).join(""));
    expect(chars.filter((c) => fold(c) !== c).length).toBeGreaterThan(2000);
    expect(tokenize("託班")).toEqual(tokenize("托班"));
  });

  it("drops stopwords and the question's grammar", () => {
    expect(tokenize("孩子的学校有没有托班吗")).not.toEqual(expect.arrayContaining(["的", "吗", "有没有"]));
  });
});
