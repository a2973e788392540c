/**
 * The classes of failure found on fresh questions (issue: answer the question that was asked).
 * Each case is a question of its kind that the earlier composer got wrong; the assertions are on
 * the exact task cited and the text a person reads.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Answerer } from "../../src/answer/answerer.js";
import type { Answer } from "../../src/answer/types.js";
import { ChatEngine, type ChatContext } from "../../src/chat/engine.js";
import { cutInsideWord } from "../../src/eval/evaluate.js";
import { seedIndex } from "../helpers.js";

let answerer: Answerer;
let engine: ChatEngine;
beforeAll(async () => {
  answerer = new Answerer(await seedIndex(), {});
  engine = new ChatEngine(answerer);
});
const ask = async (q: string): Promise<Answer> => (await answerer.answer(q)).answer;
const first = (a: Answer) => a.citations[0] && `${a.citations[0].district}·${a.citations[0].year}·${a.citations[0].task}`;

describe("a year the documents talk about is not a document year", () => {
  it("长宁2024年度预算 is in the 2023 plan", async () => {
    const a = await ask("长宁2024年度预算什么时候编制？");
    expect(first(a)).toBe("长宁区·2023·28");
    expect(a.answer).toContain("完成2024年度预算编制");
  });

  it("a year written onto a document that is not held is still refused", async () => {
    const a = await ask("长宁区2025年工作要点有什么？");
    expect(a.grounded).toBe(false);
    expect(a.answer).toContain("还没有收录长宁区 2025 年的文件");
  });
});

describe("one unfamiliar word does not tip an answer into a refusal", () => {
  it.each([
    ["学校有心理老师吗", /心理/u],
    ["我爸妈想去上老年大学，长宁有啥新计划没", /老年大学/u],
  ])("%s", async (q, text) => {
    const a = await ask(q);
    expect(a.grounded).toBe(true);
    expect(a.answer).toMatch(text);
  });
});

describe("a long message: greeting and circumstances, then the question", () => {
  it("is answered from its asking clauses when the whole finds too little", async () => {
    const a = await ask("您好，我是一名一年级新生的家长，我和孩子爸爸都是双职工，每天下班到家都要六点多了，想请问一下长宁区的公办小学课后服务一般到几点结束？如果到时候还没去接，孩子可以留在学校吗？谢谢！");
    expect(a.grounded).toBe(true);
    expect(a.answer.split("\n")[0]).toBe("时间：16:30 至 18:00〔长宁2021·第048项〕");
  });
});

describe("a report's problems, next steps and progress come from that part", () => {
  it("问题 quotes the 存在的困难 part, several points, never a bare heading", async () => {
    const a = await ask("043项目前有哪些困难？");
    expect(a.citations.length).toBeGreaterThanOrEqual(2);
    for (const c of a.citations) expect(c.path[0]).toMatch(/困难/u);
    expect(a.answer).toContain("初中理化实验室标准化考场建设时间紧");
  });

  it("a sub-topic's next steps (小学方面下一步) quote that sub-part, not every 进一步 of the others", async () => {
    const a = await ask("长宁2020年043项里小学方面下一步工作措施是什么？");
    expect(a.answer.split("\n")[0]).toContain("家校共育");
  });

  it("下一步 about one topic quotes that topic's next step", async () => {
    const a = await ask("048项托育下一步怎么打算？");
    expect(a.citations[0]?.path[0]).toMatch(/下一步/u);
    expect(a.citations[0]?.path.join("")).toMatch(/学龄前|托育/u);
  });
});

describe("the asked fact comes first", () => {
  it("a time: the first line is the time with its short label", async () => {
    const a = await ask("长宁区小学课后服务到几点结束？");
    expect(a.answer.split("\n")[0]).toBe("时间：16:30 至 18:00〔长宁2021·第048项〕");
  });

  it("a figure: the first line holds the figure, and it stands verbatim in the quote", async () => {
    const a = await ask("闵行有多少所学校满足体育场馆开放条件？");
    const lead = a.answer.split("\n")[0]!;
    expect(lead).toContain("114所");
    expect(a.citations[0]!.quote).toContain("114所");
  });

  it("a contact: names and phone", async () => {
    const a = await ask("043项的联系人是谁？");
    expect(a.answer.split("\n")[0]).toBe("联系人：宗宏、石东红；电话 22050725〔长宁2020·第043项〕");
  });
});

describe("partial answers say what is missing", () => {
  it("a fee question answered by funding says the fee is not written", async () => {
    const a = await ask("长宁晚托班一个月收多少钱？");
    expect(a.grounded).toBe(false);
    expect(a.answer.startsWith("文件没有写收费标准；写到的是：")).toBe(true);
    expect(a.citations[0]?.task).toBe("048");
  });
});

describe("comparisons", () => {
  it("across years of one district: each side from its own year", async () => {
    const a = await ask("长宁2021年和2023年的托育有什么变化？");
    const sides = new Set(a.citations.map((c) => `${c.district}·${c.year}`));
    expect(sides).toEqual(new Set(["长宁区·2021", "长宁区·2023"]));
    expect(a.answer).toMatch(/^对比来看：\n2021年：.*\n2023年：/u);
  });
});

describe("follow-ups keep the topic and the kind of question", () => {
  const talk = async (...messages: string[]) => {
    let context: ChatContext = {};
    let last = "";
    for (const m of messages) {
      const r = await engine.handle(m, context);
      context = r.context;
      last = r.reply.text;
    }
    return last;
  };

  it("after who leads X, 那Y呢 asks who leads Y", async () => {
    const text = await talk("青浦教育信息化由哪个部门牵头？", "那心理健康教育呢？");
    expect(text).toMatch(/^由局\S+牵头〔青浦2019·第\d+项〕/u);
  });

  it("a short question naming no place stays in the conversation's place; one that place cannot answer is answered as asked", async () => {
    // 长宁 2023's 双减 item answers 课后服务 in the 5+2 model.
    expect(await talk("长宁2023年双减怎么落实？", "课后服务是啥模式")).toContain("〔长宁2023·");
    // Only 青浦's plan names lead units: after a question on 长宁 the question is answered as asked.
    expect(await talk("长宁区小学课后服务到几点结束？", "教育信息化由哪个部门牵头？")).toMatch(/^由局信息办牵头〔青浦2019·第26项〕/u);
  });

  it("an ellipsis (几个人拿到了？, 卡在哪儿了？遇到啥问题) is completed by the last question's subject", async () => {
    const text = await talk("2020年长宁对引进的紧缺高层次教师有奖励吗？", "几个人拿到了？");
    expect(text.split("\n")[0]).toBe("27位〔长宁2020·第043项〕");
    expect(await talk("新华社区那个新学校2021年初进展怎么样？", "卡在哪儿了？遇到啥问题")).toContain("临时变电站");
    expect(await talk("天山学校创特色高中2021年有啥进展？", "下一步请了谁来指导？")).toContain("李政涛");
  });

  it("那青浦呢 after a question on 闵行's 2021 plan asks it of 青浦, whose documents write 托幼一体 for 托育; never of 闵行 again", async () => {
    const text = await talk("闵行2021年下半年托育这块有什么安排？", "那青浦呢？");
    expect(text).toContain("〔青浦2019·第10项〕");
    expect(text).not.toContain("闵行");
  });

  it("a short message with a subject of its own (夏令营) is no ellipsis", async () => {
    const text = await talk("2020年长宁对引进的紧缺高层次教师有奖励吗？", "夏令营有几个？");
    expect(text).not.toContain("27位");
  });

  it("after a report question, 存在什么困难 stays on that report and quotes its problems", async () => {
    const text = await talk("043项完成率多少？", "存在什么困难？");
    expect(text).toContain("时间紧");
  });
});

describe("quotes start and end at clause boundaries", () => {
  it("never inside a number", async () => {
    for (const q of ["课后服务分几个时间段？", "长宁区小学课后服务到几点结束？", "放学后学校管到几点"]) {
      const a = await ask(q);
      for (const c of a.citations) {
        const task = (await seedIndex()).docById.get(c.docId)!.tasks.find((t) => t.number === c.task)!;
        expect(cutInsideWord(c.quote, task.text), c.quote).toBe(false);
      }
    }
  });
});

describe("a place named first in the question", () => {
  it("a place not held is refused by name even when the question opens with it", async () => {
    const a = await ask("苏州的课后服务到几点");
    expect(a.grounded).toBe(false);
    expect(a.citations).toEqual([]);
    expect(a.answer).toContain("还没有收录苏州的文件");
  });

  it("a school named after a place (延安初级中学) is not that place", async () => {
    const a = await ask("延安初级中学一校三址是怎么回事？");
    expect(first(a)).toBe("长宁区·2020·043");
  });
});
