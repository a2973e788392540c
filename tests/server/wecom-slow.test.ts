/**
 * A model that takes 20 seconds: the callback is still acknowledged at once (WeCom gives up after
 * 5 s and delivers again), and the answer arrives once, even when WeCom delivers the message twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../fakes/openai-server.js";
import { msgId, startWecomStandIn, type WecomStandIn } from "../fakes/wecom.js";
import { startWecomServer, type WecomServer } from "./wecom-helpers.js";

const MODEL_MS = 20_000;

let openai: FakeOpenAI;
let wecom: WecomStandIn;
let server: WecomServer;
beforeAll(async () => {
  openai = await startFakeOpenAI();
  // Like a real model: cites the numbered passage that holds the fact it states, after 20 seconds.
  openai.onChat = async (r) => {
    const passage = (r.messages[1]?.content ?? "").split(/\n(?=\[\d+\] )/u).find((p) => p.includes("16:30 至 18:00")) ?? "";
    const n = /^\[(\d+)\]/u.exec(passage.trim())?.[1] ?? "0";
    return { content: `长宁区公办小学的课后服务到 18:00 结束 [${n}]。`, delayMs: MODEL_MS };
  };
  wecom = await startWecomStandIn();
  server = await startWecomServer(wecom, {
    env: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: openai.baseURL, OPENAI_MODEL: "slow-model", OPENAI_TIMEOUT_MS: "40000" },
  });
});
afterAll(async () => {
  await server.close();
  await wecom.close();
  await openai.close();
});

describe("企业微信 with a 20-second model answer", () => {
  it("acknowledges at once and delivers the model's answer exactly once, though WeCom delivers twice", async () => {
    const id = msgId();
    const started = Date.now();
    const first = await wecom.deliver(server.callback, { from: "laoshi", content: "长宁区小学课后服务到几点结束？", msgId: id });
    expect(first).toMatchObject({ status: 200, body: "", attempts: 1 });
    expect(first.ms).toBeLessThan(1000);

    // WeCom, not having seen that answer in 5 s (a lost response), delivers the same message again.
    await new Promise((ok) => setTimeout(ok, 6000));
    const again = await wecom.deliver(server.callback, { from: "laoshi", content: "长宁区小学课后服务到几点结束？", msgId: id });
    expect(again).toMatchObject({ status: 200, attempts: 1 });
    expect(wecom.sent).toHaveLength(0);

    const [answer] = await wecom.waitForSent(1, MODEL_MS + 10_000);
    expect(answer!.at - started).toBeGreaterThanOrEqual(MODEL_MS - 500);
    expect(answer!.content).toMatch(/^长宁区公办小学的课后服务到 18:00 结束 〔长宁区·2021年重点工作第048项·一、本月进展情况·（二）小学生校内课后服务工程〕。/u);
    expect(answer!.touser).toBe("laoshi");
    // Nothing follows: one model call, one message.
    await new Promise((ok) => setTimeout(ok, 1000));
    expect(wecom.sent).toHaveLength(1);
    expect(openai.chatRequests).toHaveLength(1);
  }, 45_000);
});
