/**
 * /wecom/callback as WeCom speaks it. GET is the URL check when the app's 接收消息 is saved: the
 * decrypted echostr, as is. POST is a message: the envelope is checked (signature, timestamp
 * window, receiver, a nonce not seen before), the message claimed by its MsgId so that a repeated
 * delivery (WeCom repeats one it thinks unanswered, on any instance) is answered once, then
 * acknowledged at once with an empty 200: the answer goes out later through the message API, so a
 * slow answer never meets WeCom's 5-second limit. Every refusal is a status, never a crash.
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Config } from "../../config.js";
import { log } from "../../log.js";
import type { Store } from "../../store/store.js";
import { CallbackRejected, openEnvelope, REJECT_STATUS, signatureMatches } from "./crypto.js";
import { parseEnvelope, parseMessage, type InboundMessage } from "./xml.js";

/** A callback's timestamp may be this far (seconds) from our clock, either way. */
export const TIMESTAMP_WINDOW_S = 300;
/** A nonce is remembered past the window on both sides, so no replay outlives the memory of it. */
const NONCE_TTL_MS = (2 * TIMESTAMP_WINDOW_S + 60) * 1000;
/** WeCom repeats a delivery within minutes; a day is ample. */
const MSG_ID_TTL_MS = 24 * 60 * 60 * 1000;
/** A message envelope is a few kilobytes. */
export const MAX_CALLBACK_BYTES = 64 * 1024;

export interface CallbackOptions {
  wecom: Pick<NonNullable<Config["wecom"]>, "corpId" | "agentId" | "token" | "aesKey">;
  store: Store;
  /** Whether one more message may be queued now. */
  hasRoom(): boolean;
  /** A message that passed every check, the first delivery of its MsgId. */
  receive(message: InboundMessage): void;
}

type Handler = (c: Context) => Promise<Response>;

function reject(c: Context, e: CallbackRejected): Response {
  log().warn({ path: c.req.path, method: c.req.method, reason: e.code }, "wecom callback refused");
  return c.text(e.code, REJECT_STATUS[e.code]);
}

function guarded(handler: Handler): Handler {
  return async (c) => {
    try {
      return await handler(c);
    } catch (e) {
      if (e instanceof CallbackRejected) return reject(c, e);
      log().error({ err: (e as Error).message, method: c.req.method }, "wecom callback failed");
      return c.text("internal", 500);
    }
  };
}

export function callbackRoutes(opts: CallbackOptions): Hono {
  const { corpId, agentId, token, aesKey } = opts.wecom;
  const app = new Hono();

  /** Checks the query's signature over `encrypted` and its timestamp; returns the nonce to claim. */
  const checkSigned = (c: Context, encrypted: string): string => {
    const { msg_signature: signature, timestamp, nonce } = c.req.query();
    if (!signature || !timestamp || !nonce || !/^\d{1,12}$/u.test(timestamp) || !/^[\w-]{1,64}$/u.test(nonce)) throw new CallbackRejected("missing_parameter");
    if (!signatureMatches(token, timestamp, nonce, encrypted, signature)) throw new CallbackRejected("bad_signature");
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TIMESTAMP_WINDOW_S) throw new CallbackRejected("stale_timestamp");
    return nonce;
  };
  // Claimed last, once everything else holds: a request refused for another reason may come again.
  const claimNonce = async (nonce: string) => {
    if (!(await opts.store.setIfAbsent(`wecom:nonce:${nonce}`, 1, NONCE_TTL_MS))) throw new CallbackRejected("replayed_nonce");
  };

  app.get(
    "/callback",
    guarded(async (c) => {
      // Base64 has no spaces: a "+" that arrived unencoded was decoded to one.
      const echostr = c.req.query("echostr")?.replace(/ /gu, "+");
      if (!echostr) throw new CallbackRejected("missing_parameter");
      const nonce = checkSigned(c, echostr);
      const echo = openEnvelope(aesKey, echostr, corpId);
      await claimNonce(nonce);
      log().info("wecom callback URL verified");
      // The plaintext exactly: no quotes, no newline.
      return c.body(echo, 200, { "content-type": "text/plain; charset=utf-8" });
    }),
  );

  app.post(
    "/callback",
    bodyLimit({ maxSize: MAX_CALLBACK_BYTES, onError: (c) => reject(c, new CallbackRejected("body_too_large")) }),
    guarded(async (c) => {
      const { encrypted } = parseEnvelope(await c.req.text());
      const nonce = checkSigned(c, encrypted);
      const message = parseMessage(openEnvelope(aesKey, encrypted, corpId));
      if (message.agentId !== undefined && message.agentId !== String(agentId)) throw new CallbackRejected("wrong_receiver");
      if (!opts.hasRoom()) throw new CallbackRejected("busy");
      await claimNonce(nonce);
      // Events (entering the app, location reports) need no answer.
      if (message.type === "event") return c.body(null, 200);
      if (message.msgId && !(await opts.store.setIfAbsent(`wecom:msg:${agentId}:${message.msgId}`, 1, MSG_ID_TTL_MS))) {
        log().info({ type: message.type }, "wecom message delivered again; answered once already");
        return c.body(null, 200);
      }
      opts.receive(message);
      return c.body(null, 200);
    }),
  );

  return app;
}
