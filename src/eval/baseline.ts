/**
 * The pipeline a newcomer would write with LangChain's defaults, for comparison in `eval
 * --baseline`: RecursiveCharacterTextSplitter chunks of 400 characters and BM25 over jieba
 * tokens, no task structure, no question understanding. A chunk is cited as the task in force
 * at its first character.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import MiniSearch from "minisearch";
import type { PlanDocument } from "../ingest/types.js";
import { tokenize } from "../index/tokenizer.js";

export interface BaselineHit {
  district: string;
  year: number;
  task: string | undefined;
}

interface BaselineChunk {
  id: number;
  text: string;
  district: string;
  year: number;
  task: string | undefined;
}

/** Where each task starts in the raw text: its first words, found in order. */
function taskStarts(raw: string, doc: PlanDocument): { at: number; task: string }[] {
  const out: { at: number; task: string }[] = [];
  let from = 0;
  for (const t of doc.tasks) {
    const probe = t.text.slice(0, 12);
    const at = raw.indexOf(probe, from);
    if (at >= 0) {
      out.push({ at, task: t.number });
      from = at + 1;
    }
  }
  return out;
}

export async function buildBaseline(docsDir: string, documents: readonly PlanDocument[]) {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 400, chunkOverlap: 0 });
  const chunks: BaselineChunk[] = [];
  for (const doc of documents) {
    const raw = await readFile(join(docsDir, doc.sourceFile), "utf8");
    const starts = taskStarts(raw, doc);
    const pieces = await splitter.splitText(raw);
    let cursor = 0;
    for (const piece of pieces) {
      const at = raw.indexOf(piece, cursor);
      const first = at >= 0 ? at : cursor;
      cursor = first + 1;
      const inForce = starts.filter((s) => s.at <= first).at(-1);
      chunks.push({ id: chunks.length, text: piece, district: doc.district, year: doc.year, task: inForce?.task });
    }
  }
  const engine = new MiniSearch<BaselineChunk>({ fields: ["text"], storeFields: [], tokenize: (t) => tokenize(t) });
  engine.addAll(chunks);
  return {
    chunks: chunks.length,
    search(question: string, k = 5): BaselineHit[] {
      return engine
        .search(question)
        .slice(0, k)
        .map((r) => chunks[Number(r.id)]!)
        .map((c) => ({ district: c.district, year: c.year, task: c.task }));
    },
  };
}
