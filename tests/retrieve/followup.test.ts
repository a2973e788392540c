import { beforeAll, describe, expect, it } from "vitest";
import { resolveFollowUp } from "../../src/retrieve/followup.js";
import { catalogOf } from "../../src/retrieve/retriever.js";
import type { Catalog } from "../../src/retrieve/understand.js";
import { seedIndex } from "../helpers.js";

let catalog: Catalog;
beforeAll(async () => {
  catalog = catalogOf(await seedIndex());
});

const last = { question: "长宁区2023年托育有什么安排？", asks: [] };
const task048 = { district: "长宁区", year: 2021, number: "048" };

describe("follow-ups", () => {
  it("swap the district or the year of the last question", () => {
    // 闵行's documents are of 2021: the last question's year is not carried to it.
    expect(resolveFollowUp("那闵行呢？", last, catalog)).toBe("闵行区托育有什么安排？");
    expect(resolveFollowUp("那青浦呢？", { question: "长宁2019年托育有什么安排？", asks: [] }, catalog)).toBe("青浦区2019年托育有什么安排？");
    expect(resolveFollowUp("那同一年长宁呢？", { question: "2021年闵行托育方面有什么目标？", asks: [] }, catalog)).toBe("2021年长宁区托育方面有什么目标？");
    expect(resolveFollowUp("那2021年呢？", last, catalog)).toBe("长宁区2021年托育有什么安排？");
    expect(resolveFollowUp("那2021年呢？", { question: "长宁托育有什么安排？", asks: [] }, catalog)).toBe("2021年长宁托育有什么安排？");
    expect(resolveFollowUp("青浦在这方面呢？", { question: "闵行有没有特殊教育的安排", asks: ["yesno"] }, catalog)).toBe("青浦区有没有特殊教育的安排");
  });

  it("leave a question of its own alone", () => {
    expect(resolveFollowUp("043项完成率多少？", { ...last, task: task048 }, catalog)).toBe("043项完成率多少？");
    expect(resolveFollowUp("闵行托育怎么样", { question: "x", asks: [], task: task048 }, catalog)).toBe("闵行托育怎么样");
  });

  it("ask about the last cited task: its lead, its problems, its next steps", () => {
    const qp = { district: "青浦区", year: 2019, number: "22" };
    expect(resolveFollowUp("牵头部门是谁？", { question: "x", asks: [], task: qp }, catalog)).toBe("青浦区2019年第22项牵头部门是谁？");
    expect(resolveFollowUp("存在什么困难？", { question: "x", asks: [], task: task048 }, catalog)).toBe("长宁区2021年第048项存在什么困难？");
    expect(resolveFollowUp("下一步呢？", { question: "x", asks: [], task: task048 }, catalog)).toBe("长宁区2021年第048项下一步呢？");
    expect(resolveFollowUp("目前存在什么问题", { question: "x", asks: [], task: task048 }, catalog)).toBe("长宁区2021年第048项目前存在什么问题");
    expect(resolveFollowUp("下一步有什么打算？", { question: "长宁2021年课后服务工程做得怎么样？", asks: ["progress"], task: task048 }, catalog)).toBe("长宁区2021年第048项课后服务工程，下一步有什么打算？");
    expect(resolveFollowUp("有啥困难", { question: "x", asks: [], task: task048 }, catalog)).toBe("长宁区2021年第048项有啥困难");
    // A part of the task the last question looked up by number.
    const t043 = { district: "长宁区", year: 2020, number: "043" };
    expect(resolveFollowUp("小学那块下一步打算做什么？", { question: "长宁2020年第043项完成了吗？", asks: ["progress"], task: t043 }, catalog)).toBe("长宁区2020年第043项小学那块下一步打算做什么？");
  });

  it("a part asked of the last task keeps what the last question asked of it (新华社区新学校 in a report of many sub-topics); 青浦也有这个吗 asks the same elsewhere", () => {
    expect(resolveFollowUp("有什么困难吗？", { question: "长宁新华社区那个新学校2021年推进到哪一步了？", asks: [], task: task048 }, catalog)).toBe("长宁区2021年第048项新华社区新学校推进，有什么困难吗？");
    expect(resolveFollowUp("青浦也有这个吗？", { question: "长宁2023年法治副校长工作怎么推进？", asks: [], task: { district: "长宁区", year: 2023, number: "23" } }, catalog)).toBe("青浦区法治副校长工作怎么推进？");
  });

  it("the ask words people glue around a follow-up (这个谁牵头, 有啥困难没, 下一步准备咋办) and 那年 for the last year", () => {
    const qp = { district: "青浦区", year: 2019, number: "12" };
    expect(resolveFollowUp("这个谁牵头？", { question: "青浦2019年高中教育有什么打算？", asks: ["next"], task: qp }, catalog)).toBe("青浦区2019年第12项高中教育，这个谁牵头？");
    expect(resolveFollowUp("有啥困难没", { question: "x", asks: [], task: task048 }, catalog)).toBe("长宁区2021年第048项有啥困难没");
    expect(resolveFollowUp("下一步准备咋办", { question: "x", asks: [], task: task048 }, catalog)).toBe("长宁区2021年第048项下一步准备咋办");
    // 青浦 holds 2019 only: "那年" (2021 下半年) is dropped with its half-year.
    expect(resolveFollowUp("青浦那年呢", { question: "闵行2021年下半年学生心理健康教育有什么安排？", asks: [] }, catalog)).toBe("青浦区学生心理健康教育有什么安排？");
  });

  it("a short question naming no place stays where the conversation is", () => {
    expect(resolveFollowUp("课后服务是啥模式", { question: "长宁2023年双减怎么落实？", asks: [] }, catalog)).toBe("长宁区2023年课后服务是啥模式");
    expect(resolveFollowUp("课后服务是啥模式", { question: "双减怎么落实？", asks: [] }, catalog)).toBe("课后服务是啥模式");
  });

  it("keep the kind of question when the topic changes: after who leads X, 那Y呢 asks who leads Y", () => {
    expect(resolveFollowUp("那心理健康呢？", { question: "青浦教育信息化谁牵头？", asks: ["who"] }, catalog)).toBe("青浦区心理健康由哪个部门牵头");
  });
});
