/**
 * Two `npm run serve` processes behind one callback URL share one Redis: a message WeCom delivers
 * to both is answered once, a replayed nonce is caught by the other, and a follow-up continues on
 * whichever receives it. The second part runs the real command and reads its log for secrets.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AES_KEY, msgId, SECRET, startWecomStandIn, TOKEN, type WecomStandIn } from "../fakes/wecom.js";
import { freePort, useRedis } from "../redis-server.js";
import { spawnServe, stopSpawned } from "./server-helpers.js";
import { startWecomServer, type WecomServer } from "./wecom-helpers.js";

const redis = useRedis();

describe("企业微信 on two instances sharing Redis", () => {
  let wecom: WecomStandIn;
  let a: WecomServer;
  let b: WecomServer;
  beforeAll(async () => {
    wecom = await startWecomStandIn();
    a = await startWecomServer(wecom, { store: await redis.connect("wecom-test:") });
    b = await startWecomServer(wecom, { store: await redis.connect("wecom-test:") });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await wecom.close();
  });

  it("answers a message delivered to both once, refuses a nonce replayed to the other, and follows up across them", async () => {
    const id = msgId();
    const q = { from: "chenlaoshi", content: "教育信息化由哪个部门牵头？", msgId: id };
    const both = await Promise.all([wecom.deliver(a.callback, q), wecom.deliver(b.callback, q)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const replayed = await Promise.all([wecom.deliver(a.callback, { from: "x", content: "1" }, { nonce: "777001" }), wecom.deliver(b.callback, { from: "x", content: "1" }, { nonce: "777001" })]);
    expect(replayed.map((r) => r.status).sort()).toEqual([200, 409]);

    // The follow-up, sent once the answer has arrived as a person would, reaches the other instance.
    await wecom.waitForSent(1, 15_000, "chenlaoshi");
    await wecom.deliver(b.callback, { from: "chenlaoshi", content: "那心理健康呢？" });
    await wecom.waitForSent(2, 15_000, "chenlaoshi");
    await new Promise((ok) => setTimeout(ok, 300));
    const mine = wecom.sent.filter((m) => m.touser === "chenlaoshi");
    expect(mine.map((m) => m.content)).toEqual([expect.stringMatching(/^由局信息办牵头〔青浦2019·第26项〕/u), expect.stringMatching(/^由局德育科、局综教科牵头〔青浦2019·第8项〕/u)]);
  });
});

describe("npm run serve with the WECOM_* variables", () => {
  afterEach(stopSpawned);

  it("answers through the stand-in, stops cleanly, and never logs a secret or a token", async () => {
    const wecom = await startWecomStandIn();
    try {
      const port = await freePort();
      const { child, stderr, exited } = await spawnServe(port, { ...wecom.env, LOG_LEVEL: "trace", PUBLIC_URL: "https://edu.example.cn" });
      const callback = `http://127.0.0.1:${port}/wecom/callback`;
      expect(await wecom.verify(callback, "5927")).toMatchObject({ status: 200, body: "5927" });
      expect((await wecom.deliver(callback, { from: "zhangsan", content: "长宁区小学课后服务到几点结束？" })).status).toBe(200);
      const [m] = await wecom.waitForSent(1, 20_000);
      expect(m!.content).toContain("阅读全文：长宁区2021 第048项");
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(stderr()).toContain('"agentId":1000002');
      for (const secret of [SECRET, AES_KEY, TOKEN, ...wecom.issued()]) expect(stderr()).not.toContain(secret);
      expect(wecom.issued()).toHaveLength(1);
    } finally {
      await wecom.close();
    }
  }, 60_000);
});
