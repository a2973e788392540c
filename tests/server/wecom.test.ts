import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { chatText } from "../../src/messages.js";
import { CallbackRejected, openEnvelope, signatureMatches } from "../../src/server/wecom/crypto.js";
import { AES_KEY, CORP_ID, msgId, seal, SECRET, sign, startWecomStandIn, TOKEN, type WecomStandIn } from "../fakes/wecom.js";
import { startServer } from "./server-helpers.js";
import { PUBLIC_URL, startWecomServer, type WecomServer } from "./wecom-helpers.js";

const URL_048 = `${PUBLIC_URL}/documents/%E9%95%BF%E5%AE%812021-%E7%AC%AC048%E9%A1%B9#task-048`;
const Q_048 = "长宁区小学课后服务到几点结束？";

async function answerOf(res: Promise<Response>): Promise<{ status: number; body: string }> {
  const r = await res;
  return { status: r.status, body: await r.text() };
}

function rejectionOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof CallbackRejected ? e.code : `not a rejection: ${String(e)}`;
  }
  return undefined;
}

describe("企业微信 callback cryptography", () => {
  it("reads the URL check of WeCom's own documentation sample", () => {
    // 加解密方案说明: Token QDG6eK, CorpID wx5823bf96d3bd56c7, and this EncodingAESKey.
    const echostr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
    expect(signatureMatches("QDG6eK", "1409659589", "263014780", echostr, "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3")).toBe(true);
    expect(signatureMatches("QDG6eK", "1409659590", "263014780", echostr, "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3")).toBe(false);
    expect(openEnvelope("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", echostr, "wx5823bf96d3bd56c7")).toBe("1616140317555161061");
  });

  it("opens what a second implementation of the scheme seals, and refuses another receiver or noise", () => {
    const sealed = seal(AES_KEY, "<xml>你好</xml>", CORP_ID);
    expect(signatureMatches(TOKEN, "1700000000", "42", sealed, sign(TOKEN, "1700000000", "42", sealed))).toBe(true);
    expect(openEnvelope(AES_KEY, sealed, CORP_ID)).toBe("<xml>你好</xml>");
    expect(rejectionOf(() => openEnvelope(AES_KEY, seal(AES_KEY, "<xml/>", "wwSomeOtherCorp"), CORP_ID))).toBe("wrong_receiver");
    expect(rejectionOf(() => openEnvelope(AES_KEY, "bm90IGEgYmxvY2s=", CORP_ID))).toBe("bad_ciphertext");
    expect(rejectionOf(() => openEnvelope(AES_KEY, "", CORP_ID))).toBe("bad_ciphertext");
  });
});

describe("企业微信 channel against a WeCom stand-in", () => {
  let wecom: WecomStandIn;
  let server: WecomServer;
  beforeAll(async () => {
    wecom = await startWecomStandIn();
    server = await startWecomServer(wecom);
  });
  afterAll(async () => {
    await server.close();
    await wecom.close();
  });

  const to = (user: string) => wecom.sent.filter((m) => m.touser === user);
  /** Waits until `user` has received `count` messages in all. */
  const received = (user: string, count: number) => wecom.waitForSent(count, 15_000, user);

  it("holds a scripted conversation: URL check, question, follow-up, repeated delivery, expired token, bad signature", async () => {
    // 1. Saving 接收消息 in the admin console: WeCom checks the URL and wants the echo back as is.
    const check = await wecom.verify(server.callback, "8071633294951574042");
    expect(check).toMatchObject({ status: 200, body: "8071633294951574042", attempts: 1 });

    // 2. A question: acknowledged at once with an empty body, answered through message/send.
    const first = msgId();
    const asked = await wecom.deliver(server.callback, { from: "zhangsan", content: Q_048, msgId: first });
    expect(asked).toMatchObject({ status: 200, body: "", attempts: 1 });
    const [answer] = await received("zhangsan", 1);
    expect(answer!.agentid).toBe(1000002);
    expect(answer!.content).toMatch(/^时间：16:30 至 18:00〔长宁2021·第048项〕\n“本区各公办小学/u);
    expect(answer!.content).toContain(`<a href="${URL_048}">阅读全文：长宁区2021 第048项</a>`);
    expect(Buffer.byteLength(answer!.content)).toBeLessThanOrEqual(2048);

    // 3. A follow-up keeps this person's context: "那心理健康呢？" asks who leads it, as the question before did.
    await wecom.deliver(server.callback, { from: "zhangsan", content: "教育信息化由哪个部门牵头？" });
    await received("zhangsan", 2);
    await wecom.deliver(server.callback, { from: "zhangsan", content: "那心理健康呢？" });
    const followUp = (await received("zhangsan", 3))[2]!;
    expect(followUp.content).toMatch(/^由局德育科、局综教科牵头〔青浦2019·第8项〕/u);
    // Someone else asking the same words has no such context.
    await wecom.deliver(server.callback, { from: "lisi", content: "那心理健康呢？" });
    expect((await received("lisi", 1))[0]!.content).not.toContain("牵头〔");
    // One token served every message so far.
    expect(wecom.tokenCalls).toBe(1);

    // 4. WeCom delivers the first question again (new nonce, same MsgId): acknowledged, not answered again.
    const again = await wecom.deliver(server.callback, { from: "zhangsan", content: Q_048, msgId: first });
    expect(again).toMatchObject({ status: 200, body: "" });
    // A person's messages are answered in order, so once this one is answered a repeat would have been too.
    await wecom.deliver(server.callback, { from: "zhangsan", content: "/about" });
    const afterRepeat = await received("zhangsan", 4);
    expect(afterRepeat[3]!.content).toMatch(/^目前收录 5 份文件：/u);
    expect(afterRepeat.filter((m) => m.content.includes("〔长宁2021·第048项〕"))).toHaveLength(1);

    // 5. The token expires early (WeCom says 42001): a new one is fetched and the answer still goes out, once.
    wecom.expireTokens();
    await wecom.deliver(server.callback, { from: "zhangsan", content: Q_048 });
    const afterExpiry = await received("zhangsan", 5);
    expect(afterExpiry[4]!.content).toContain("〔长宁2021·第048项〕");
    expect(wecom.refused).toContain(42001);
    expect(wecom.tokenCalls).toBe(2);

    // 6. A forged request (wrong signature) is refused and answered by nobody.
    const forged = await wecom.deliver(server.callback, { from: "zhangsan", content: "伪造的问题" }, { signature: "0".repeat(40) });
    expect(forged.status).toBe(401);
    await wecom.deliver(server.callback, { from: "zhangsan", content: "/help" });
    const last = await received("zhangsan", 6);
    expect(last[5]!.content).toMatch(/^直接发问题即可/u);
    expect(last).toHaveLength(6);
  });

  it("refuses what is not WeCom's, each with its status, and keeps serving", async () => {
    const before = wecom.sent.length;
    const now = Math.floor(Date.now() / 1000);
    const q = { from: "wangwu", content: Q_048 };
    const garbage = "bm90IGEgYmxvY2s=";
    const cases: [string, Promise<{ status: number; body: string }>, number, string][] = [
      ["bad signature", wecom.deliver(server.callback, q, { signature: "f".repeat(40) }), 401, "bad_signature"],
      ["signature not hex", wecom.deliver(server.callback, q, { signature: "<script>" }), 401, "bad_signature"],
      ["wrong corp id", wecom.deliver(server.callback, q, { receiveId: "wwSomeOtherCorp" }), 403, "wrong_receiver"],
      ["old timestamp", wecom.deliver(server.callback, q, { timestamp: now - 3600 }), 401, "stale_timestamp"],
      ["timestamp from the future", wecom.deliver(server.callback, q, { timestamp: now + 3600 }), 401, "stale_timestamp"],
      ["malformed XML", wecom.deliver(server.callback, q, { rawBody: "<xml><Encrypt><![CDATA[abc]]></Encrypt>" }), 400, "malformed_xml"],
      ["not XML", wecom.deliver(server.callback, q, { rawBody: '{"Encrypt": "abc"}' }), 400, "malformed_xml"],
      ["empty body", wecom.deliver(server.callback, q, { rawBody: "" }), 400, "malformed_xml"],
      ["entities", wecom.deliver(server.callback, q, { rawBody: '<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>' }), 400, "malformed_xml"],
      ["noise signed as if real", wecom.deliver(server.callback, q, { rawBody: `<xml><Encrypt><![CDATA[${garbage}]]></Encrypt></xml>`, signedAs: garbage }), 400, "bad_ciphertext"],
      ["body over 64 KB", wecom.deliver(server.callback, q, { rawBody: `<xml><Encrypt>${"A".repeat(70_000)}</Encrypt></xml>` }), 413, "body_too_large"],
      ["URL check with a bad signature", wecom.verify(server.callback, "123", { signature: "a".repeat(40) }), 401, "bad_signature"],
      ["URL check for another corp", wecom.verify(server.callback, "123", { receiveId: "wwSomeOtherCorp" }), 403, "wrong_receiver"],
      ["no parameters", answerOf(fetch(server.callback, { method: "POST", body: "<xml><Encrypt>abc</Encrypt></xml>" })), 400, "missing_parameter"],
      ["URL check without echostr", answerOf(fetch(`${server.callback}?msg_signature=${"a".repeat(40)}&timestamp=${now}&nonce=1`)), 400, "missing_parameter"],
    ];
    for (const [what, pending, status, code] of cases) {
      const res = await pending;
      expect({ what, status: res.status, body: res.body }).toEqual({ what, status, body: code });
    }
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    // A right message still gets through, and none of the refused ones was answered.
    await wecom.deliver(server.callback, q);
    await received("wangwu", 1);
    await new Promise((ok) => setTimeout(ok, 200));
    expect(wecom.sent.length - before).toBe(1);
  });

  it("reads a URL check whose echostr came with its '+' unencoded", async () => {
    let echostr = "";
    while (!echostr.includes("+")) echostr = seal(AES_KEY, "2023090112345", CORP_ID);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const raw = `${server.callback}?msg_signature=${sign(TOKEN, timestamp, "8801", echostr)}&timestamp=${timestamp}&nonce=8801&echostr=${echostr}`;
    expect(await answerOf(fetch(raw))).toEqual({ status: 200, body: "2023090112345" });
  });

  it("refuses a replayed nonce (409) and answers the message once", async () => {
    const first = await wecom.deliver(server.callback, { from: "zhaoliu", content: Q_048 }, { nonce: "5550001" });
    const replay = await wecom.deliver(server.callback, { from: "zhaoliu", content: Q_048 }, { nonce: "5550001" });
    const check = await wecom.verify(server.callback, "1", { nonce: "5550001" });
    expect([first.status, replay.status, replay.body, check.status]).toEqual([200, 409, "replayed_nonce", 409]);
    await wecom.deliver(server.callback, { from: "zhaoliu", content: "/help" });
    const got = await received("zhaoliu", 2);
    expect(got.map((m) => m.content)).toEqual([expect.stringMatching(/^时间：16:30 至 18:00/u), expect.stringMatching(/^直接发问题即可/u)]);
  });

  it("answers an image with a hint to write, and an event with nothing", async () => {
    const image = await wecom.deliver(server.callback, { from: "sunqi", type: "image" });
    const event = await wecom.deliver(server.callback, { from: "sunqi", type: "event", event: "enter_agent" });
    expect([image.status, event.status]).toEqual([200, 200]);
    await wecom.deliver(server.callback, { from: "sunqi", content: "/help" });
    const got = await received("sunqi", 2);
    expect(got.map((m) => m.content)).toEqual([chatText.nonText, expect.stringMatching(/^直接发问题即可/u)]);
  });

  it("waits out WeCom's rate limit (45009) and sends the answer once", async () => {
    const refusedBefore = wecom.refused.filter((c) => c === 45009).length;
    wecom.rateLimitNext(2);
    await wecom.deliver(server.callback, { from: "zhouba", content: Q_048 });
    const got = await received("zhouba", 1);
    expect(got[0]!.content).toContain("16:30 至 18:00");
    expect(wecom.refused.filter((c) => c === 45009).length - refusedBefore).toBe(2);
    await new Promise((ok) => setTimeout(ok, 200));
    expect(to("zhouba")).toHaveLength(1);
  });

  it("replaces a token WeCom no longer knows (40014)", async () => {
    const calls = wecom.tokenCalls;
    wecom.revokeTokens();
    await wecom.deliver(server.callback, { from: "wujiu", content: "/about" });
    expect((await received("wujiu", 1))[0]!.content).toMatch(/^目前收录 5 份文件/u);
    expect(wecom.refused).toContain(40014);
    expect(wecom.tokenCalls).toBe(calls + 1);
  });

  it("splits a long reply into messages of at most 2,048 bytes, losing nothing", async () => {
    await wecom.deliver(server.callback, { from: "zhengshi", content: "/task 043" });
    await received("zhengshi", 3);
    await new Promise((ok) => setTimeout(ok, 200));
    const parts = to("zhengshi").map((m) => m.content);
    expect(parts.length).toBe(3);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(2048);
    const joined = parts.join("");
    expect(joined).toContain("〔长宁区·2020年重点工作第043项〕");
    expect(joined.replace(/\s/gu, "").length).toBeGreaterThan(1900);
  });
});

describe("企业微信 channel settings", () => {
  const five = { WECOM_CORP_ID: CORP_ID, WECOM_AGENT_ID: "1000002", WECOM_SECRET: SECRET, WECOM_TOKEN: TOKEN, WECOM_AES_KEY: AES_KEY };

  it("reads the five WECOM_* variables, with WeCom's own API root unless told otherwise", () => {
    expect(loadConfig(five).wecom).toEqual({ corpId: CORP_ID, agentId: 1000002, secret: SECRET, token: TOKEN, aesKey: AES_KEY, apiRoot: "https://qyapi.weixin.qq.com" });
    expect(loadConfig({ ...five, WECOM_API_ROOT: "http://10.0.0.5:8000/wecom/" }).wecom?.apiRoot).toBe("http://10.0.0.5:8000/wecom");
    expect(loadConfig({}).wecom).toBeUndefined();
  });

  it.each([
    [{ WECOM_SECRET: undefined }, "WECOM_SECRET"],
    [{ WECOM_AES_KEY: "tooShort-but-secret" }, "WECOM_AES_KEY"],
    [{ WECOM_AES_KEY: `${AES_KEY.slice(0, 42)}!` }, "WECOM_AES_KEY"],
    [{ WECOM_AGENT_ID: "agent-7" }, "WECOM_AGENT_ID"],
    [{ WECOM_TOKEN: "has spaces in it" }, "WECOM_TOKEN"],
    [{ WECOM_API_ROOT: "qyapi.weixin.qq.com" }, "WECOM_API_ROOT"],
  ])("rejects %o naming the variable, never its value", (change, name) => {
    const env = { ...five, ...change };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
    let message = "";
    try {
      loadConfig(env);
    } catch (e) {
      message = (e as Error).message;
    }
    for (const v of Object.values(env)) if (v && v !== "1000002" && v !== CORP_ID) expect(message).not.toContain(v);
  });

  it("writes no 阅读全文 link without PUBLIC_URL, and is absent without the WECOM_* variables", async () => {
    const wecom = await startWecomStandIn();
    const server = await startWecomServer(wecom, { env: { PUBLIC_URL: "" } });
    const plain = await startServer();
    try {
      await wecom.deliver(server.callback, { from: "qianyi", content: Q_048 });
      const [m] = await wecom.waitForSent(1);
      expect(m!.content).toContain("〔长宁2021·第048项〕");
      expect(m!.content).not.toContain("<a ");
      expect((await fetch(`${plain.url}/wecom/callback`)).status).toBe(404);
    } finally {
      await server.close();
      await plain.close();
      await wecom.close();
    }
  });
});
