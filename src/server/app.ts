/**
 * The HTTP surface (hono): the JSON API, the web chat and the document pages, all on the same
 * ChatEngine and Answerer as the terminal and Telegram. Creating the app has no side effects;
 * `listen.ts` serves it.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_QUESTION_CHARS, type ChatContext, type ChatEngine } from "../chat/engine.js";
import { answerJson, documentPath, heldDistrict, quotePath, taskAnchor, taskUrl } from "../chat/links.js";
import { MemoryStore } from "../store/memory.js";
import type { Store } from "../store/store.js";
import type { Config } from "../config.js";
import { citationLabel } from "../ingest/cite.js";
import { taskOrdinal } from "../ingest/markers.js";
import { citableParts, type PlanDocument, type Task } from "../ingest/types.js";
import { log } from "../log.js";
import { serverText } from "../messages.js";
import type { SearchOptions } from "../retrieve/retriever.js";
import { chatPage } from "./chat-page.js";
import { documentPage, sourceUrlOf } from "./document-page.js";
import { ApiError, errorResponse } from "./errors.js";
import { contentSecurityPolicy, esc, newNonce, page } from "./html.js";
import { RateLimiter } from "./rate-limit.js";
import type { WecomChannel } from "./wecom/channel.js";

const E = serverText.errors;

/** A question is at most 500 characters (about 1.5 KB); 16 KB leaves room for JSON and nothing more. */
export const MAX_BODY_BYTES = 16 * 1024;
/** More tasks than this only slows the answer: no document set here has a use for it. */
const MAX_TOP = 50;
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,100}$/u;

export interface AppOptions {
  engine: ChatEngine;
  server: Config["server"];
  /** Follow-up context per conversation id: the engine's store (Redis with REDIS_URL), or this process's memory. */
  store?: Store;
  /** The 企业微信 callback at /wecom/callback (with the WECOM_* variables). */
  wecom?: WecomChannel;
}

type Body = Record<string, unknown>;

async function jsonBody(c: Context): Promise<Body> {
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError("bad_json", E.badJson);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ApiError("bad_json", E.badJson);
  return value as Body;
}

function optionalText(body: Body, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new ApiError("invalid_field", E.notText(field), { field });
  return v.trim() || undefined;
}

function requiredText(body: Body, field: string): string {
  const v = optionalText(body, field);
  if (v === undefined) throw new ApiError("missing_field", E.missingField(field), { field });
  return v;
}

function questionText(body: Body, field: string): string {
  const q = requiredText(body, field);
  if (q.length > MAX_QUESTION_CHARS) throw new ApiError("question_too_long", E.questionTooLong(MAX_QUESTION_CHARS), { field, max: MAX_QUESTION_CHARS });
  return q;
}

/** A whole number in 1…max; "2023" is read like 2023, since forms send text. */
function optionalInt(body: Body, field: string, max: number): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "string" && /^\d+$/u.test(v.trim()) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > max) throw new ApiError("invalid_field", E.notPositiveInt(field, max), { field, max });
  return n;
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

/** The key a request presents, from `Authorization: Bearer …` or `X-API-Key`. */
function presentedKey(c: Context): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/iu.exec(c.req.header("authorization") ?? "");
  return bearer?.[1] ?? c.req.header("x-api-key")?.trim() ?? undefined;
}

function wantsHtml(c: Context): boolean {
  return /text\/html/iu.test(c.req.header("accept") ?? "");
}

function html(c: Context, render: (nonce: string) => string, status: 200 | 404 = 200): Response {
  const nonce = newNonce();
  c.header("Content-Security-Policy", contentSecurityPolicy(nonce));
  return c.html(render(nonce), status);
}

/** An idle conversation's follow-up context is forgotten after this. */
const CONVERSATION_TTL_MS = 30 * 60 * 1000;

export function createApp(opts: AppOptions): Hono {
  const { engine, server } = opts;
  const store = opts.store ?? new MemoryStore();
  const limiter = new RateLimiter(server.rateLimitPerMinute);
  // Compared as digests in constant time: a key's characters cannot be found one by one from timings.
  const keys = server.apiKeys.map(digest);
  const app = new Hono();

  const findDocument = (id: string): PlanDocument => {
    const doc = engine.documents.find((d) => d.id === id);
    if (!doc) throw new ApiError("unknown_document", E.unknownDocument(id), { document: id });
    return doc;
  };
  const findTask = (doc: PlanDocument, number: string): Task => {
    const exact = citableParts(doc).find((t) => t.number === number);
    // "48" finds 第048项: people drop the leading zeros the reports write.
    const task = exact ?? (/^\d{1,4}$/u.test(number) ? doc.tasks.find((t) => /^\d+$/u.test(t.number) && taskOrdinal(t.number) === Number(number)) : undefined);
    if (!task) throw new ApiError("unknown_task", E.unknownTask(doc.id, number), { document: doc.id, task: number });
    return task;
  };
  const urlOf = (docId: string, number?: string) =>
    server.publicUrl ? { url: number ? taskUrl(server.publicUrl, docId, number) : `${server.publicUrl}${documentPath(docId)}` } : {};

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    log().info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, "request");
  });

  app.onError((e, c) => {
    if (e instanceof ApiError) return errorResponse(c, e);
    log().error({ err: e, method: c.req.method, path: c.req.path }, "request failed");
    return errorResponse(c, new ApiError("internal", E.internal));
  });

  app.notFound((c) => {
    if (wantsHtml(c)) return html(c, (nonce) => notFoundPage(nonce), 404);
    return errorResponse(c, new ApiError("not_found", E.notFound));
  });

  app.get("/healthz", (c) => c.json({ status: "ok", documents: engine.documents.length }));

  const authorize: MiddlewareHandler = async (c, next) => {
    c.header("Cache-Control", "no-store");
    if (keys.length === 0) return next();
    const key = presentedKey(c);
    const given = key ? digest(key) : undefined;
    if (!given || !keys.some((k) => timingSafeEqual(k, given))) {
      c.header("WWW-Authenticate", 'Bearer realm="edu-plan-bot"');
      throw new ApiError("unauthorized", E.unauthorized);
    }
    return next();
  };

  /**
   * Each client asks at most RATE_LIMIT_PER_MINUTE questions a minute. A client is its API key
   * when keys are required (checked by then), else its address: an unchecked header would let
   * anyone take a fresh allowance with every request.
   */
  const rateLimit: MiddlewareHandler = async (c, next) => {
    const key = keys.length > 0 ? presentedKey(c) : undefined;
    let client = key ? `key:${digest(key).toString("hex").slice(0, 16)}` : "";
    if (!client) {
      try {
        client = `ip:${getConnInfo(c).remote.address ?? "unknown"}`;
      } catch {
        client = "ip:unknown";
      }
    }
    const wait = limiter.take(client);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      throw new ApiError("rate_limited", E.rateLimited(wait), { retryAfter: wait });
    }
    return next();
  };

  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => errorResponse(c, new ApiError("body_too_large", E.bodyTooLarge(MAX_BODY_BYTES / 1024), { max: MAX_BODY_BYTES })),
  });

  app.use("/api/*", authorize);

  app.post("/api/ask", limitBody, rateLimit, async (c) => {
    const body = await jsonBody(c);
    const question = questionText(body, "question");
    const rawDistrict = optionalText(body, "district");
    // The engine's answerer: the index a running server follows may have been replaced.
    const answerer = engine.currentAnswerer;
    const district = rawDistrict ? heldDistrict(answerer.holdings.keys(), rawDistrict) : undefined;
    if (rawDistrict && !district) {
      const held = [...answerer.holdings.keys()];
      throw new ApiError("unknown_district", E.unknownDistrict(rawDistrict, held), { field: "district", held });
    }
    const year = optionalInt(body, "year", 9999);
    const top = optionalInt(body, "top", MAX_TOP);
    const search: SearchOptions = { ...(top ? { top } : {}), ...(district ? { district } : {}), ...(year ? { year } : {}) };
    const { answer } = await answerer.answer(question, search);
    return c.json(answerJson(answer, server.publicUrl));
  });

  app.post("/api/chat", limitBody, rateLimit, async (c) => {
    const body = await jsonBody(c);
    const conversation = requiredText(body, "conversation");
    if (!CONVERSATION_ID.test(conversation)) throw new ApiError("invalid_field", E.badConversation, { field: "conversation" });
    const message = questionText(body, "message");
    const key = `conversation:${conversation}`;
    const { reply, context } = await engine.handle(message, (await store.get<ChatContext>(key)) ?? {});
    await store.set(key, context, CONVERSATION_TTL_MS);
    const json = reply.answer ? answerJson(reply.answer, server.publicUrl) : undefined;
    return c.json({
      conversation,
      kind: reply.kind,
      text: reply.text,
      ...(reply.question ? { question: reply.question } : {}),
      ...(json ? { grounded: json.grounded } : {}),
      citations: (json?.citations ?? []).map((cj, i) => {
        const cited = reply.answer!.citations[i]!;
        // The citation's short label (〔长宁2023·第16项〕) is what people tap, as in the answer text.
        return { ...cj, docId: cited.docId, page: quotePath(cited) };
      }),
    });
  });

  app.get("/api/documents", (c) => c.json({ documents: engine.documents.map((d) => ({ ...documentSummary(d), ...urlOf(d.id) })) }));

  app.get("/api/documents/:id/tasks/:number", (c) => {
    const doc = findDocument(c.req.param("id"));
    const task = findTask(doc, c.req.param("number"));
    return c.json({
      document: { ...documentSummary(doc), ...urlOf(doc.id) },
      number: task.number,
      ref: citationLabel(doc, task.number, [], task.passage),
      title: task.title,
      section: task.section ?? null,
      text: task.text,
      statement: task.statement,
      parts: task.parts,
      leads: task.leadDepartments,
      figures: task.figures,
      progress: task.progress,
      contacts: task.contacts ?? null,
      passage: Boolean(task.passage),
      page: `${documentPath(doc.id)}#${taskAnchor(task.number)}`,
      ...urlOf(doc.id, task.number),
    });
  });

  app.get("/documents/:id", (c) => {
    const doc = engine.documents.find((d) => d.id === c.req.param("id"));
    if (!doc) {
      if (wantsHtml(c)) return html(c, (nonce) => notFoundPage(nonce), 404);
      throw new ApiError("unknown_document", E.unknownDocument(c.req.param("id")), { document: c.req.param("id") });
    }
    return html(c, (nonce) => documentPage(doc, nonce));
  });

  app.get("/", (c) => html(c, (nonce) => chatPage({ examples: engine.examples(), documents: engine.documents, nonce })));

  if (opts.wecom) app.route("/wecom", opts.wecom.routes);

  return app;
}

/** What /api/documents lists for each document; null where the document does not say. */
function documentSummary(d: PlanDocument) {
  return {
    id: d.id,
    place: d.district,
    year: d.year,
    period: d.period ?? null,
    genre: d.genre,
    title: d.title,
    issuer: d.issuer ?? null,
    docNumber: d.docNumber ?? null,
    issuedOn: d.issuedOn ?? null,
    tasks: d.tasks.length,
    sourceUrl: sourceUrlOf(d) ?? null,
    page: documentPath(d.id),
  };
}

function notFoundPage(nonce: string): string {
  const T = serverText.document;
  return page({
    title: T.notFoundTitle,
    nonce,
    body: `<div class="wrap"><nav class="top"><a href="/">${esc(T.back)}</a></nav><h1>${esc(T.notFoundTitle)}</h1><p>${esc(E.notFound)}</p></div>`,
  });
}
