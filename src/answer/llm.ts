/**
 * The optional upgrade: an OpenAI-compatible chat model writes the answer from numbered
 * passages. Its citations are checked against the passages it was given (invented ones are
 * removed); a timeout, an error, an empty or uncited reply means the extractive answer stands.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { ChatOpenAI } from "@langchain/openai";
import { PROJECT_ROOT, type Config } from "../config.js";
import { citationLabel } from "../ingest/cite.js";
import { log } from "../log.js";
import type { Chunk } from "../ingest/types.js";
import type { Hit, RetrievalResult } from "../retrieve/retriever.js";
import { citationOf } from "./citation.js";
import { sentences } from "./spans.js";
import type { Answer, Citation } from "./types.js";

const PROMPTS = join(PROJECT_ROOT, "prompts");
/** At most this many passages go to the model. */
const MAX_PASSAGES = 6;

/** A passage for the model: one chunk of a hit (its best, or another matching part of the same task). */
export interface Passage {
  hit: Hit;
  chunk: Chunk;
}

/** The hits' passages, each task's best chunk first and then its other matching parts. */
export function passagesOf(hits: readonly Hit[]): Passage[] {
  return hits.flatMap((hit) => [hit.chunk, ...hit.siblings.slice(0, 2)].map((chunk) => ({ hit, chunk }))).slice(0, MAX_PASSAGES);
}

/** LangChain templates treat braces as variables; the prompt texts may contain none but ours. */
function template(): ChatPromptTemplate {
  const system = readFileSync(join(PROMPTS, "system.zh.md"), "utf8").replace(/[{}]/gu, (c) => c + c);
  const user = readFileSync(join(PROMPTS, "user.zh.md"), "utf8");
  return ChatPromptTemplate.fromMessages([
    ["system", system],
    ["human", user],
  ]);
}

export function passagesText(passages: readonly Passage[]): string {
  return passages
    .map(({ hit, chunk }, i) => `[${i + 1}] ${citationLabel(hit.doc, hit.task.number, chunk.path, hit.task.passage)}\n${chunk.text}`)
    .join("\n\n");
}

export interface CheckedReply {
  text: string;
  used: number[];
  removed: number[];
}

/** Keeps citations to passages that exist, removes invented ones, and reports which were used. */
export function checkCitations(reply: string, passageCount: number): CheckedReply {
  const used: number[] = [];
  const removed: number[] = [];
  const text = reply
    .replace(/\[(\d{1,3})\]/gu, (m, n: string) => {
      const k = Number(n);
      if (k >= 1 && k <= passageCount) {
        if (!used.includes(k)) used.push(k);
        return m;
      }
      removed.push(k);
      return "";
    })
    .trim();
  return { text, used, removed };
}

/** The passage's sentence that shares most characters with what the model said from it. */
function supportingQuote(chunk: Chunk, said: string): string {
  const chars = new Set(said);
  const scored = sentences(chunk.text).map((s) => ({ s: s.text, n: [...s.text].filter((c) => chars.has(c)).length }));
  scored.sort((a, b) => b.n - a.n);
  return scored[0]?.s ?? chunk.text.slice(0, 90);
}

export class LlmComposer {
  private readonly model: ChatOpenAI;
  private readonly prompt = template();

  constructor(private readonly openai: NonNullable<Config["openai"]>) {
    this.model = new ChatOpenAI({
      apiKey: openai.apiKey,
      model: openai.model,
      temperature: 0,
      timeout: openai.timeoutMs,
      maxRetries: 0,
      ...(openai.baseURL ? { configuration: { baseURL: openai.baseURL } } : {}),
    });
  }

  /** The model's answer, or undefined when it failed any check (the caller keeps the extractive one). */
  async compose(result: RetrievalResult): Promise<Answer | undefined> {
    const passages = passagesOf(result.hits);
    const messages = await this.prompt.formatMessages({ passages: passagesText(passages), question: result.query.raw });
    let reply: string;
    try {
      const signal = AbortSignal.timeout(this.openai.timeoutMs);
      const out = await this.model.invoke(messages, { signal });
      reply = typeof out.content === "string" ? out.content : out.content.map((p) => ("text" in p ? String(p.text) : "")).join("");
    } catch (e) {
      log().warn({ err: (e as Error).message, model: this.openai.model }, "llm failed; falling back to the extractive answer");
      return undefined;
    }
    const checked = checkCitations(reply, passages.length);
    if (checked.removed.length > 0) log().warn({ removed: checked.removed }, "llm cited passages it was not given; removed");
    if (checked.text.length === 0 || checked.used.length === 0) {
      log().warn({ reply: reply.slice(0, 200) }, "llm reply was empty or cited nothing; falling back to the extractive answer");
      return undefined;
    }
    const citations: Citation[] = checked.used.map((k) => {
      const { hit, chunk } = passages[k - 1]!;
      const said = checked.text.split(`[${k}]`)[0]?.split(/\[\d+\]/u).at(-1) ?? "";
      return citationOf(hit, supportingQuote(chunk, said), chunk);
    });
    const text = checked.text.replace(/\[(\d{1,3})\]/gu, (_m, n: string) => citations[checked.used.indexOf(Number(n))]?.ref ?? "");
    return { question: result.query.raw, answer: text, grounded: true, citations, mode: "llm", language: result.query.language };
  }
}
