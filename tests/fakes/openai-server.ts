/**
 * A local HTTP server that speaks the OpenAI protocol (chat completions and embeddings), so the
 * real @langchain/openai client can be driven without the internet.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { listenLoopback } from "./listen.js";

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  [key: string]: unknown;
}

export type ChatHandler = (req: ChatRequest) => Promise<{ status?: number; content?: string; delayMs?: number }>;

export interface FakeOpenAI {
  baseURL: string;
  chatRequests: ChatRequest[];
  embeddingRequests: { input: string | string[]; model: string }[];
  onChat: ChatHandler;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(payload));
}

/** A deterministic toy embedding: character counts hashed into 32 dimensions. */
export function toyEmbedding(text: string): number[] {
  const v = new Array<number>(32).fill(0);
  for (const ch of text) v[(ch.codePointAt(0) ?? 0) % 32]! += 1;
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const state: Omit<FakeOpenAI, "baseURL" | "close"> = {
    chatRequests: [],
    embeddingRequests: [],
    onChat: async () => ({ content: "文件中没有相关内容。" }),
  };
  const server: Server = createServer(async (req, res) => {
    try {
      if (req.method === "POST" && req.url?.endsWith("/chat/completions")) {
        const r = (await body(req)) as ChatRequest;
        state.chatRequests.push(r);
        const out = await state.onChat(r);
        if (out.delayMs) await new Promise((ok) => setTimeout(ok, out.delayMs));
        if (res.destroyed) return;
        if (out.status && out.status !== 200) return send(res, out.status, { error: { message: "server error", type: "server_error" } });
        return send(res, 200, {
          id: "chatcmpl-test",
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: r.model,
          choices: [{ index: 0, message: { role: "assistant", content: out.content ?? "" }, finish_reason: "stop" }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        });
      }
      if (req.method === "POST" && req.url?.endsWith("/embeddings")) {
        const r = (await body(req)) as { input: string | string[]; model: string };
        state.embeddingRequests.push(r);
        const inputs = Array.isArray(r.input) ? r.input : [r.input];
        return send(res, 200, {
          object: "list",
          model: r.model,
          data: inputs.map((t, index) => ({ object: "embedding", index, embedding: toyEmbedding(t) })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        });
      }
      send(res, 404, { error: { message: `no route ${req.url}` } });
    } catch (e) {
      send(res, 500, { error: { message: (e as Error).message } });
    }
  });
  const listening = await listenLoopback(server);
  return Object.assign(state, {
    baseURL: `${listening.url}/v1`,
    close: listening.close,
  });
}
