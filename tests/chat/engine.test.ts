import { beforeAll, describe, expect, it } from "vitest";
import { Answerer } from "../../src/answer/answerer.js";
import { ChatEngine } from "../../src/chat/engine.js";
import { seedIndex } from "../helpers.js";

let engine: ChatEngine;
beforeAll(async () => {
  engine = new ChatEngine(new Answerer(await seedIndex(), {}));
});

describe("follow-ups", () => {
  const last = { lastQuestion: "长宁区2023年托育有什么安排？" };

  it("swap the district or the year of the last question", () => {
    expect(engine.resolveFollowUp("那闵行呢？", last)).toBe("闵行区2023年托育有什么安排？");
    expect(engine.resolveFollowUp("那2021年呢？", last)).toBe("长宁区2021年托育有什么安排？");
    expect(engine.resolveFollowUp("那2021年呢？", { lastQuestion: "长宁区托育有什么安排？" })).toBe("2021年长宁区托育有什么安排？");
  });

  it("leave a question of its own alone", () => {
    expect(engine.resolveFollowUp("043项完成率多少？", { ...last, lastTask: { docId: "长宁2021-第048项", number: "048" } })).toBe("043项完成率多少？");
    expect(engine.resolveFollowUp("闵行托育怎么样", { lastTask: { docId: "长宁2021-第048项", number: "048" } })).toBe("闵行托育怎么样");
  });

  it("ask about the last cited task", () => {
    expect(engine.resolveFollowUp("牵头部门是谁？", { lastTask: { docId: "青浦2019-要点", number: "22" } })).toBe("青浦区2019年第22项牵头部门是谁？");
  });
});
