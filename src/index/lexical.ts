/**
 * BM25 over jieba tokens, through MiniSearch. A task's title and breadcrumb weigh more than its
 * body: a question about 托育 should find the item titled 增加普惠托育服务资源 first.
 */
import MiniSearch, { type Options, type SearchResult } from "minisearch";
import type { Chunk } from "../ingest/types.js";
import { tokenize } from "./tokenizer.js";

export interface LexicalFields {
  id: string;
  title: string;
  heading: string;
  text: string;
}

export const FIELD_BOOST = { title: 3, heading: 2, text: 1 } as const;

const OPTIONS: Options<LexicalFields> = {
  fields: ["title", "heading", "text"],
  storeFields: [],
  tokenize: (text) => tokenize(text),
  processTerm: (term) => term,
  searchOptions: { boost: { ...FIELD_BOOST }, combineWith: "OR", prefix: false, fuzzy: false },
};

export function lexicalFields(chunk: Chunk, taskTitle: string, section: string | undefined): LexicalFields {
  return { id: chunk.id, title: taskTitle, heading: [section ?? "", ...chunk.path].join(" "), text: chunk.text };
}

export class LexicalIndex {
  private constructor(private readonly engine: MiniSearch<LexicalFields>) {}

  static build(rows: readonly LexicalFields[]): LexicalIndex {
    const engine = new MiniSearch<LexicalFields>(OPTIONS);
    engine.addAll(rows);
    return new LexicalIndex(engine);
  }

  static fromJSON(json: string): LexicalIndex {
    return new LexicalIndex(MiniSearch.loadJSON<LexicalFields>(json, OPTIONS));
  }

  toJSON(): string {
    return JSON.stringify(this.engine);
  }

  /**
   * Best first. The query is already tokenised (and expanded): it is passed through as is.
   * `terms` of each result are the query tokens that matched the chunk.
   */
  search(tokens: readonly string[], filter?: (chunkId: string) => boolean): SearchResult[] {
    if (tokens.length === 0) return [];
    return this.engine.search(tokens.join(SEP), {
      tokenize: (q) => q.split(SEP),
      ...(filter ? { filter: (r: SearchResult) => filter(String(r.id)) } : {}),
    });
  }
}

const SEP = "\u0001";
