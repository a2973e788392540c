/**
 * The webhook on Node's http server, written so that no request can knock it over: the secret is
 * checked first, a body over 1 MB is refused (413) without being read, an empty or malformed one
 * gets 400, and an update is acknowledged at once and answered in the background, so a slow answer
 * (a model call can take 20 s) never makes Telegram deliver it again. grammY's webhookCallback
 * does none of the first three and holds the request until the answer is sent.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Update } from "grammy/types";
import { log } from "../log.js";

/** Telegram's updates are a few kilobytes; anything near this is not one. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Accepted but not yet answered; past this Telegram is told 503 and delivers again later. */
const MAX_QUEUED = 2000;

export interface WebhookOptions {
  secret: string;
  /** Updates answered at once; the rest wait in order of arrival. */
  concurrency: number;
  handle: (update: Update) => Promise<void>;
}

export interface WebhookServer {
  server: Server;
  /** Updates accepted and not yet finished. */
  pending(): number;
  /** Stops accepting, then waits for the accepted updates (at most `graceMs`). */
  close(graceMs: number): Promise<void>;
}

class Body413 extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.pause();
        fail(new Body413());
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => ok(Buffer.concat(chunks)));
    req.on("error", fail);
  });
}

function sameSecret(got: string | string[] | undefined, want: string): boolean {
  if (typeof got !== "string") return false;
  const a = Buffer.from(got);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** An object with an integer update_id: the least a Telegram update is. */
function parseUpdate(body: Buffer): Update | undefined {
  try {
    const u = JSON.parse(body.toString("utf8")) as unknown;
    return u !== null && typeof u === "object" && !Array.isArray(u) && Number.isSafeInteger((u as { update_id?: unknown }).update_id) ? (u as Update) : undefined;
  } catch {
    return undefined;
  }
}

export function createWebhookServer(opts: WebhookOptions): WebhookServer {
  const queue: Update[] = [];
  let running = 0;
  let idle: (() => void) | undefined;

  const pump = () => {
    while (running < opts.concurrency && queue.length > 0) {
      const update = queue.shift()!;
      running++;
      opts
        .handle(update)
        .catch((e: unknown) => log().error({ update: update.update_id, err: (e as Error).message }, "update failed outside the bot's error handler"))
        .finally(() => {
          running--;
          pump();
          if (running === 0 && queue.length === 0) idle?.();
        });
    }
  };

  const end = (res: ServerResponse, status: number, headers: Record<string, string> = {}) => {
    if (!res.headersSent) res.writeHead(status, headers).end();
  };

  const server = createServer((req, res) => {
    // Any failure in here is answered, never thrown: a request cannot take the process down.
    void (async () => {
      if (req.method !== "POST") return end(res, 405, { allow: "POST" });
      if (!sameSecret(req.headers["x-telegram-bot-api-secret-token"], opts.secret)) return end(res, 401, { connection: "close" });
      const declared = Number(req.headers["content-length"] ?? 0);
      if (declared > MAX_BODY_BYTES) return end(res, 413, { connection: "close" });
      let body: Buffer;
      try {
        body = await readBody(req, MAX_BODY_BYTES);
      } catch (e) {
        return end(res, e instanceof Body413 ? 413 : 400, { connection: "close" });
      }
      const update = parseUpdate(body);
      if (!update) return end(res, 400);
      if (queue.length >= MAX_QUEUED) return end(res, 503, { "retry-after": "5" });
      queue.push(update);
      end(res, 200);
      pump();
    })().catch((e: unknown) => {
      log().error({ err: (e as Error).message }, "webhook request failed");
      end(res, 500);
    });
  });
  // A client that sends headers slowly or never finishes its body is cut off.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;

  return {
    server,
    pending: () => running + queue.length,
    close: async (graceMs) => {
      server.close();
      server.closeIdleConnections();
      if (running + queue.length > 0) {
        await Promise.race([new Promise<void>((ok) => (idle = ok)), new Promise((ok) => setTimeout(ok, graceMs).unref())]);
      }
      server.closeAllConnections();
    },
  };
}
