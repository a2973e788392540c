/**
 * A local stand-in for 企业微信, both ways. As WeCom's API it issues access tokens (gettoken), lets
 * them expire, refuses unknown or expired ones (40014, 42001), rate-limits with 45009 when told,
 * checks and records message/send. As WeCom's callback sender it seals messages with the app's
 * EncodingAESKey, signs them with its Token, and posts them to the adapter, delivering again when
 * no answer comes within 5 seconds, as WeCom does.
 *
 * Its cryptography is written here from WeCom's description (加解密方案), on node:crypto, not
 * through @wecom/crypto: the adapter's use of that package is checked against a second reading.
 */
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { listenLoopback } from "./listen.js";

export const CORP_ID = "ww0123456789abcdef";
export const AGENT_ID = 1000002;
export const SECRET = "app-secret-Xq7fJ2pL9sD4kW1mZ8";
export const TOKEN = "cbT0kenQDG6eK8hR";
/** 43 characters (base64 of 32 bytes without its "="): the EncodingAESKey of WeCom's own documentation samples. */
export const AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

/** What WeCom answers to message/send, as its error codes. */
const ERR = {
  invalidCorpId: { errcode: 40013, errmsg: "invalid corpid" },
  invalidSecret: { errcode: 40001, errmsg: "invalid credential" },
  missingToken: { errcode: 41001, errmsg: "access_token missing" },
  invalidToken: { errcode: 40014, errmsg: "invalid access_token" },
  expiredToken: { errcode: 42001, errmsg: "access_token expired" },
  freqLimit: { errcode: 45009, errmsg: "api freq out of limit" },
  invalidAgent: { errcode: 40056, errmsg: "invalid agentid" },
  emptyContent: { errcode: 44004, errmsg: "empty content" },
  contentTooLong: { errcode: 45002, errmsg: "content size out of limit" },
  badJson: { errcode: 47001, errmsg: "data format error" },
} as const;

export interface SentMessage {
  touser: string;
  agentid: number;
  content: string;
  at: number;
}

export interface IncomingText {
  from: string;
  content?: string;
  /** text by default; image, voice, event… */
  type?: string;
  msgId?: string;
  event?: string;
}

export interface DeliverOptions {
  timestamp?: number;
  nonce?: string;
  /** A signature to send instead of the right one. */
  signature?: string;
  /** The receiver sealed into the envelope (our corp id unless a test says otherwise). */
  receiveId?: string;
  /** A body to post as is (malformed XML), signed as if its ciphertext were `signedAs`. */
  rawBody?: string;
  signedAs?: string;
}

export interface Delivery {
  status: number;
  body: string;
  /** Time to the answer of the last attempt. */
  ms: number;
  attempts: number;
}

/** WeCom's signature: SHA1 over the sorted token, timestamp, nonce and ciphertext. */
export function sign(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash("sha1").update([token, timestamp, nonce, encrypted].sort().join("")).digest("hex");
}

/** random(16) · length(4, big-endian) · message · receiveId, PKCS#7-padded to 32, AES-256-CBC, base64. */
export function seal(aesKey: string, message: string, receiveId: string): string {
  const key = Buffer.from(`${aesKey}=`, "base64");
  const msg = Buffer.from(message, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length);
  const plain = Buffer.concat([randomBytes(16), length, msg, Buffer.from(receiveId, "utf8")]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString("base64");
}

let nextMsgId = 7_100_000_000_000_000_000n;
/** A fresh 64-bit MsgId, larger than a JS number holds exactly. */
export function msgId(): string {
  return String(++nextMsgId);
}

function cdata(s: string): string {
  return `<![CDATA[${s.replace(/\]\]>/gu, "]]]]><![CDATA[>")}]]>`;
}

export function messageXml(m: IncomingText, agentId = AGENT_ID): string {
  const type = m.type ?? "text";
  const fields = [
    `<ToUserName>${cdata(CORP_ID)}</ToUserName>`,
    `<FromUserName>${cdata(m.from)}</FromUserName>`,
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime>`,
    `<MsgType>${cdata(type)}</MsgType>`,
    ...(type === "text" ? [`<Content>${cdata(m.content ?? "")}</Content>`] : []),
    ...(type === "image" ? [`<PicUrl>${cdata("https://example.invalid/p.jpg")}</PicUrl><MediaId>${cdata("media-1")}</MediaId>`] : []),
    ...(m.event ? [`<Event>${cdata(m.event)}</Event>`] : []),
    ...(type === "event" ? [] : [`<MsgId>${m.msgId ?? msgId()}</MsgId>`]),
    `<AgentID>${agentId}</AgentID>`,
  ];
  return `<xml>${fields.join("")}</xml>`;
}

export interface WecomStandIn {
  apiRoot: string;
  /** The WECOM_* variables that point the adapter here. */
  env: Record<string, string>;
  sent: SentMessage[];
  /** message/send calls refused, by errcode. */
  refused: number[];
  tokenCalls: number;
  /** Every access_token handed out, to check none of them reaches a log. */
  issued(): string[];
  /** Tokens issued from now on live this many seconds. */
  tokenTtlS: number;
  /** Every token issued so far expires now (42001 from then on), as WeCom's do after 2 hours. */
  expireTokens(): void;
  /** Every token issued so far becomes unknown (40014), as after the secret is reset. */
  revokeTokens(): void;
  /** The next `n` message/send calls answer 45009. */
  rateLimitNext(n: number): void;
  /** The URL check WeCom sends when 接收消息 is saved. */
  verify(callbackUrl: string, echo: string, opts?: DeliverOptions): Promise<Delivery>;
  deliver(callbackUrl: string, message: IncomingText, opts?: DeliverOptions): Promise<Delivery>;
  /** Resolves once `count` messages have been accepted in all (or sent to `user`), with them. */
  waitForSent(count: number, timeoutMs?: number, user?: string): Promise<SentMessage[]>;
  close(): Promise<void>;
}

/** WeCom waits this long for a callback's answer, then delivers again (three retries at most). */
const CALLBACK_TIMEOUT_MS = 5000;
const CALLBACK_RETRIES = 3;

export async function startWecomStandIn(): Promise<WecomStandIn> {
  const tokens = new Map<string, number>();
  const issued: string[] = [];
  let limited = 0;

  const state = {
    sent: [] as SentMessage[],
    refused: [] as number[],
    tokenCalls: 0,
    tokenTtlS: 7200,
  };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://stand-in");
    const reply = (body: object) => {
      // WeCom answers 200 whatever happened; errcode says what.
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/cgi-bin/gettoken") {
      state.tokenCalls++;
      if (url.searchParams.get("corpid") !== CORP_ID) return reply(ERR.invalidCorpId);
      if (url.searchParams.get("corpsecret") !== SECRET) return reply(ERR.invalidSecret);
      const token = `tok-${randomBytes(12).toString("hex")}`;
      tokens.set(token, Date.now() + state.tokenTtlS * 1000);
      issued.push(token);
      return reply({ errcode: 0, errmsg: "ok", access_token: token, expires_in: state.tokenTtlS });
    }
    if (req.method === "POST" && url.pathname === "/cgi-bin/message/send") {
      const refuse = (e: { errcode: number; errmsg: string }) => {
        state.refused.push(e.errcode);
        reply(e);
      };
      const token = url.searchParams.get("access_token");
      if (!token) return refuse(ERR.missingToken);
      const expires = tokens.get(token);
      if (expires === undefined) return refuse(ERR.invalidToken);
      if (expires <= Date.now()) return refuse(ERR.expiredToken);
      if (limited > 0) {
        limited--;
        return refuse(ERR.freqLimit);
      }
      let body: { touser?: unknown; msgtype?: unknown; agentid?: unknown; text?: { content?: unknown } };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch {
        return refuse(ERR.badJson);
      }
      if (body.agentid !== AGENT_ID) return refuse(ERR.invalidAgent);
      const content = body.text?.content;
      if (body.msgtype !== "text" || typeof body.touser !== "string" || typeof content !== "string" || content.length === 0) return refuse(ERR.emptyContent);
      if (Buffer.byteLength(content, "utf8") > 2048) return refuse(ERR.contentTooLong);
      state.sent.push({ touser: body.touser, agentid: body.agentid, content, at: Date.now() });
      return reply({ errcode: 0, errmsg: "ok", invaliduser: "", msgid: randomBytes(8).toString("hex") });
    }
    res.writeHead(404).end();
  });
  const listening = await listenLoopback(server);
  const apiRoot = listening.url;

  /** One callback as WeCom sends it: delivered again while no answer comes within 5 seconds. */
  async function call(url: URL, init: RequestInit): Promise<Delivery> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS) });
        return { status: res.status, body: await res.text(), ms: performance.now() - started, attempts: attempt };
      } catch (e) {
        if ((e as Error).name !== "TimeoutError" || attempt > CALLBACK_RETRIES) throw e;
      }
    }
  }

  function signedUrl(callbackUrl: string, encrypted: string, opts: DeliverOptions, extra: Record<string, string> = {}): URL {
    const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = opts.nonce ?? String(randomBytes(5).readUIntBE(0, 5));
    const url = new URL(callbackUrl);
    url.searchParams.set("msg_signature", opts.signature ?? sign(TOKEN, timestamp, nonce, opts.signedAs ?? encrypted));
    url.searchParams.set("timestamp", timestamp);
    url.searchParams.set("nonce", nonce);
    for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
    return url;
  }

  return {
    apiRoot,
    env: { WECOM_CORP_ID: CORP_ID, WECOM_AGENT_ID: String(AGENT_ID), WECOM_SECRET: SECRET, WECOM_TOKEN: TOKEN, WECOM_AES_KEY: AES_KEY, WECOM_API_ROOT: apiRoot },
    get sent() {
      return state.sent;
    },
    get refused() {
      return state.refused;
    },
    get tokenCalls() {
      return state.tokenCalls;
    },
    issued: () => [...issued],
    get tokenTtlS() {
      return state.tokenTtlS;
    },
    set tokenTtlS(s: number) {
      state.tokenTtlS = s;
    },
    expireTokens() {
      for (const t of tokens.keys()) tokens.set(t, 0);
    },
    revokeTokens() {
      tokens.clear();
    },
    rateLimitNext(n) {
      limited = n;
    },
    verify(callbackUrl, echo, opts = {}) {
      const echostr = seal(AES_KEY, echo, opts.receiveId ?? CORP_ID);
      return call(signedUrl(callbackUrl, echostr, opts, { echostr }), { method: "GET" });
    },
    deliver(callbackUrl, message, opts = {}) {
      const encrypted = seal(AES_KEY, messageXml(message), opts.receiveId ?? CORP_ID);
      const body = opts.rawBody ?? `<xml><ToUserName>${cdata(CORP_ID)}</ToUserName><AgentID>${cdata(String(AGENT_ID))}</AgentID><Encrypt>${cdata(encrypted)}</Encrypt></xml>`;
      return call(signedUrl(callbackUrl, encrypted, opts), { method: "POST", headers: { "content-type": "text/xml" }, body });
    },
    async waitForSent(count, timeoutMs = 15_000, user) {
      const mine = () => (user === undefined ? state.sent : state.sent.filter((m) => m.touser === user));
      const until = Date.now() + timeoutMs;
      while (mine().length < count) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${count} messages${user ? ` to ${user}` : ""}; ${mine().length} sent, refused: ${state.refused.join(",")}`);
        await new Promise((ok) => setTimeout(ok, 20));
      }
      return mine();
    },
    close: listening.close,
  };
}
