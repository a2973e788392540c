import { request } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { createWebhookServer, MAX_BODY_BYTES, type WebhookServer } from "../../src/bot/webhook.js";

const SECRET = "s3cret-token";
let hook: WebhookServer | undefined;
afterEach(async () => {
  await hook?.close(100);
  hook = undefined;
});

async function start(handle: (u: Update) => Promise<void>, concurrency = 4): Promise<number> {
  hook = createWebhookServer({ secret: SECRET, concurrency, handle });
  await new Promise<void>((ok) => hook!.server.listen(0, "127.0.0.1", ok));
  return (hook.server.address() as AddressInfo).port;
}

/** A raw request: any body, any headers (fetch would refuse some of them). */
function send(port: number, body: string | Buffer | undefined, headers: Record<string, string> = {}, method = "POST"): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port, method, path: "/", headers: { "x-telegram-bot-api-secret-token": SECRET, ...headers } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on("error", fail);
    req.end(body);
  });
}

const update = (id: number) => JSON.stringify({ update_id: id, message: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "hi" } });

describe("the webhook", () => {
  it("answers 400 to an empty, null, malformed or non-update body and keeps serving", async () => {
    const seen: number[] = [];
    const port = await start(async (u) => void seen.push(u.update_id));
    for (const body of ["", "null", "{not json", "[]", '"text"', "{}", '{"update_id":"7"}']) expect(await send(port, body), body).toBe(400);
    expect(await send(port, update(7))).toBe(200);
    await new Promise((ok) => setTimeout(ok, 20));
    expect(seen).toEqual([7]);
  });

  it("checks the secret before reading anything, and takes POST only", async () => {
    const port = await start(async () => {});
    expect(await send(port, update(1), { "x-telegram-bot-api-secret-token": "wrong" })).toBe(401);
    expect(await send(port, update(1), { "x-telegram-bot-api-secret-token": "" })).toBe(401);
    expect(await send(port, undefined, {}, "GET")).toBe(405);
  });

  it("refuses a body over 1 MB with 413, whether declared or streamed", async () => {
    const port = await start(async () => {});
    expect(await send(port, Buffer.alloc(MAX_BODY_BYTES + 1, 0x20))).toBe(413);
    // Chunked (no content-length): cut off once past the limit, not buffered to the end.
    const status = await new Promise<number>((ok, fail) => {
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", headers: { "x-telegram-bot-api-secret-token": SECRET } }, (res) => ok(res.statusCode ?? 0));
      req.on("error", fail);
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      for (let i = 0; i < 5; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect(await send(port, update(2))).toBe(200);
  });

  it("acknowledges at once and answers in the background, so a slow answer is never delivered twice", async () => {
    let finished = false;
    const port = await start(async () => {
      await new Promise((ok) => setTimeout(ok, 1500));
      finished = true;
    });
    const t0 = Date.now();
    expect(await send(port, update(3))).toBe(200);
    expect(Date.now() - t0).toBeLessThan(500);
    expect(finished).toBe(false);
    expect(hook!.pending()).toBe(1);
    // Closing waits for the update in flight.
    await hook!.close(5000);
    expect(finished).toBe(true);
    hook = undefined;
  });

  it("handles at most `concurrency` updates at once, the rest in order of arrival", async () => {
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const port = await start(async (u) => {
      peak = Math.max(peak, ++running);
      await new Promise((ok) => setTimeout(ok, 30));
      order.push(u.update_id);
      running--;
    }, 2);
    await Promise.all([10, 11, 12, 13, 14, 15].map((id) => send(port, update(id))));
    await new Promise((ok) => setTimeout(ok, 300));
    expect(peak).toBe(2);
    expect(order.sort()).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it("survives a handler that throws", async () => {
    const port = await start(async () => {
      throw new Error("boom");
    });
    expect(await send(port, update(20))).toBe(200);
    await new Promise((ok) => setTimeout(ok, 20));
    expect(await send(port, update(21))).toBe(200);
  });
});
