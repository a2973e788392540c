/**
 * A local stand-in for the Telegram Bot API: records every request the real grammY bot sends,
 * serves queued updates to getUpdates, and rejects what Telegram rejects (bad HTML, messages
 * over 4,096 characters, callback_data over 64 bytes), or answers 429 when told to.
 */
import { createServer, type Server } from "node:http";
import { listenLoopback } from "./listen.js";

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** When the request arrived (ms since the epoch): the load test measures latency from it. */
  at: number;
}

export const BOT_USER = {
  id: 999_000,
  is_bot: true as const,
  first_name: "区教育问答",
  username: "edu_plan_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

const ALLOWED_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler", "span"]);

/** Telegram's HTML rules, as far as we use them: known tags, balanced, entities well formed. */
export function htmlError(html: string): string | undefined {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z-]+)([^>]*)>|<|&(?!(?:amp|lt|gt|quot|#\d+);)/gu)) {
    if (m[0] === "<") return "Can't parse entities: unexpected '<'";
    if (m[0].startsWith("&")) return "Can't parse entities: unescaped '&'";
    const [, close, tag] = m;
    if (!ALLOWED_TAGS.has(tag!)) return `Can't parse entities: unsupported tag "${tag}"`;
    if (close) {
      if (stack.pop() !== tag) return `Can't parse entities: unmatched end tag "${tag}"`;
    } else stack.push(tag!);
  }
  return stack.length ? `Can't parse entities: unclosed tag "${stack.at(-1)}"` : undefined;
}

function visibleLength(html: string): number {
  return html.replace(/<[^>]+>/gu, "").replace(/&(amp|lt|gt|quot|#\d+);/gu, "x").length;
}

function validate(method: string, p: Record<string, unknown>): string | undefined {
  const texts: { text: string; html: boolean }[] = [];
  if (typeof p.text === "string") texts.push({ text: p.text, html: p.parse_mode === "HTML" });
  for (const r of (p.results as { input_message_content?: { message_text?: string; parse_mode?: string } }[] | undefined) ?? []) {
    const c = r.input_message_content;
    if (c?.message_text !== undefined) texts.push({ text: c.message_text, html: c.parse_mode === "HTML" });
  }
  for (const t of texts) {
    if (t.text.length === 0) return "Bad Request: message text is empty";
    if (t.html) {
      const e = htmlError(t.text);
      if (e) return `Bad Request: ${e}`;
    }
    if ((t.html ? visibleLength(t.text) : t.text.length) > 4096) return "Bad Request: message is too long";
  }
  const markup = p.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
  for (const row of markup?.inline_keyboard ?? []) {
    for (const b of row) if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64) return "Bad Request: BUTTON_DATA_INVALID";
  }
  if (method === "sendMessage" && p.chat_id === undefined) return "Bad Request: chat_id is empty";
  return undefined;
}

export interface FakeBotApi {
  apiRoot: string;
  token: string;
  calls: ApiCall[];
  sent(method: string): Record<string, unknown>[];
  queueUpdate(update: Record<string, unknown>): void;
  /** The next `times` calls of `method` answer 429 with retry_after. */
  failNext(method: string, times: number, retryAfter: number): void;
  waitFor(method: string, count?: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface FakeBotApiOptions {
  /** Added before every answer: a real Bot API round trip is not free, and a slow one shows queueing. */
  delayMs?: number;
}

export async function startFakeBotApi(token = "123456:TEST-token-abcdefghijklmnopqrstuv", opts: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const calls: ApiCall[] = [];
  const updates: Record<string, unknown>[] = [];
  const failures = new Map<string, { times: number; retryAfter: number }>();
  let messageId = 1000;

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const payload = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    const m = /^\/bot([^/]+)\/(\w+)$/u.exec(req.url ?? "");
    const arrived = Date.now();
    const reply = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!m || m[1] !== token) return reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = m[2]!;
    calls.push({ method, payload, at: arrived });
    // Recorded on arrival, answered after the round trip: a test sees a call while it is in flight.
    if (opts.delayMs) await new Promise((ok) => setTimeout(ok, opts.delayMs));
    const fail = failures.get(method);
    if (fail && fail.times > 0) {
      fail.times--;
      return reply(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${fail.retryAfter}`, parameters: { retry_after: fail.retryAfter } });
    }
    const invalid = validate(method, payload);
    if (invalid) return reply(400, { ok: false, error_code: 400, description: invalid });
    switch (method) {
      case "getMe":
        return reply(200, { ok: true, result: BOT_USER });
      case "getUpdates": {
        const offset = Number(payload.offset ?? 0);
        const waitUntil = Date.now() + Math.min(Number(payload.timeout ?? 0), 1) * 1000;
        while (Date.now() < waitUntil && !updates.some((u) => Number(u.update_id) >= offset) && !res.destroyed) await new Promise((ok) => setTimeout(ok, 20));
        const ready = updates.filter((u) => Number(u.update_id) >= offset);
        return reply(200, { ok: true, result: ready.slice(0, Number(payload.limit ?? 100)) });
      }
      case "sendMessage":
      case "editMessageText":
        return reply(200, { ok: true, result: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: payload.chat_id, type: "private" }, text: payload.text } });
      default:
        return reply(200, { ok: true, result: true });
    }
  });
  const listening = await listenLoopback(server);
  const sent = (method: string) => calls.filter((c) => c.method === method).map((c) => c.payload);
  return {
    apiRoot: listening.url,
    token,
    calls,
    sent,
    queueUpdate: (u) => updates.push(u),
    failNext: (method, times, retryAfter) => failures.set(method, { times, retryAfter }),
    async waitFor(method, count = 1, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (sent(method).length < count) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${count} × ${method}; calls: ${calls.map((c) => c.method).join(",")}`);
        await new Promise((ok) => setTimeout(ok, 20));
      }
      return sent(method);
    },
    close: listening.close,
  };
}

let nextUpdate = 1;
let nextMessage = 1;

export function textUpdate(text: string, opts: { chatId?: number; userId?: number; group?: boolean; replyToBot?: boolean } = {}): Record<string, unknown> {
  const chatId = opts.chatId ?? 4242;
  const from = { id: opts.userId ?? 7001, is_bot: false, first_name: "家长" };
  const entities = [...text.matchAll(/@\w+/gu)].map((m) => ({ type: "mention", offset: m.index ?? 0, length: m[0].length }));
  if (text.startsWith("/")) entities.unshift({ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length });
  return {
    update_id: nextUpdate++,
    message: {
      message_id: nextMessage++,
      date: Math.floor(Date.now() / 1000),
      chat: opts.group ? { id: -chatId, type: "supergroup", title: "三年级家长群" } : { id: chatId, type: "private", first_name: "家长" },
      from,
      text,
      ...(entities.length ? { entities } : {}),
      ...(opts.replyToBot ? { reply_to_message: { message_id: 1, date: 0, chat: { id: -chatId, type: "supergroup", title: "g" }, from: BOT_USER, text: "上一条回答" } } : {}),
    },
  };
}

export function stickerUpdate(chatId = 4242, group = false): Record<string, unknown> {
  return {
    update_id: nextUpdate++,
    message: {
      message_id: nextMessage++,
      date: Math.floor(Date.now() / 1000),
      chat: group ? { id: chatId, type: "supergroup", title: "三年级家长群" } : { id: chatId, type: "private", first_name: "家长" },
      from: { id: 7001, is_bot: false, first_name: "家长" },
      sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 512, height: 512, is_animated: false, is_video: false },
    },
  };
}

export function callbackUpdate(data: string, chatId = 4242, userId = 7001): Record<string, unknown> {
  return {
    update_id: nextUpdate++,
    callback_query: {
      id: `cb${nextUpdate}`,
      from: { id: userId, is_bot: false, first_name: "家长" },
      chat_instance: "ci",
      data,
      message: { message_id: 1, date: 0, chat: { id: chatId, type: "private", first_name: "家长" }, from: BOT_USER, text: "回答" },
    },
  };
}

export function inlineUpdate(query: string, userId = 7001): Record<string, unknown> {
  return { update_id: nextUpdate++, inline_query: { id: `iq${nextUpdate}`, from: { id: userId, is_bot: false, first_name: "家长" }, query, offset: "" } };
}

/** A photo with a caption, as a parent sends a screenshot of a school notice with a question. */
export function photoUpdate(caption: string, opts: { chatId?: number; group?: boolean } = {}): Record<string, unknown> {
  const u = textUpdate(caption, opts);
  const { text, entities, ...message } = u.message as Record<string, unknown>;
  return {
    update_id: u.update_id,
    message: { ...message, photo: [{ file_id: "p", file_unique_id: "p", width: 90, height: 90 }], caption: text, ...(entities ? { caption_entities: entities } : {}) },
  };
}
