/**
 * Each chunk cut once. jieba's tokens of a chunk's text are its BM25 text field and part of its
 * LSA features; its context, task title and breadcrumb are cut beside it. Before, the text was
 * cut three times (BM25, the LSA fit, embedding again), which was most of a build's time.
 */
import type { Chunk, Task } from "../ingest/types.js";
import { Bm25Builder, FIELD_WEIGHT, lexicalFields, type Bm25Index } from "./bm25.js";
import { FeatureRowsBuilder, type FeatureRows } from "./feature-rows.js";
import { TermTable } from "./term-table.js";
import { tokenize, tokensAndPairs } from "./tokenizer.js";

/**
 * Whether cutting a chunk's context and text apart could differ from cutting the text an
 * embedding reads (context, newline, text): only a number's spaces are closed up across a
 * newline ("…25" then "%…"), so only a digit, +, : or % on both sides can tell.
 */
function joinsAcrossNewline(context: string, text: string): boolean {
  return /[\d０-９+＋:：]\s*$/u.test(context) && /^\s*[\d０-９%％+＋:：]/u.test(text);
}

export function cutChunks(
  chunks: readonly Chunk[],
  /** The task of each chunk, by position. */
  chunkTasks: readonly Task[],
  onProgress: (done: number) => void = () => {},
): { lexical: Bm25Index; features: FeatureRows } {
  const table = new TermTable();
  const bm25 = new Bm25Builder(chunks.length);
  const lsa = new FeatureRowsBuilder();
  const words = (tokens: readonly string[]) => tokens.map((t) => table.word(t));
  const pairs = (ps: readonly string[]) => ps.map((p) => table.pair(p));
  // A report's parts share their task's title: cut once.
  const titles = new Map<string, number[]>();
  chunks.forEach((chunk, i) => {
    const task = chunkTasks[i]!;
    const fields = lexicalFields(chunk, task.title, task.section);
    let title = titles.get(fields.title);
    if (!title) titles.set(fields.title, (title = words(tokenize(fields.title))));
    const text = tokensAndPairs(chunk.text);
    const textWords = words(text.tokens);
    bm25.add(i, [title, FIELD_WEIGHT.title], [words(tokenize(fields.heading)), FIELD_WEIGHT.heading], [textWords, FIELD_WEIGHT.text]);
    // LSA reads the context and the text as one: their words, then their Han pairs (lsaFeatures).
    if (joinsAcrossNewline(chunk.context, chunk.text)) {
      const whole = tokensAndPairs(`${chunk.context}\n${chunk.text}`);
      lsa.addRow(words(whole.tokens), pairs(whole.pairs));
    } else {
      const context = tokensAndPairs(chunk.context);
      lsa.addRow(words(context.tokens), textWords, pairs(context.pairs), pairs(text.pairs));
    }
    if (i % 1000 === 999) onProgress(i + 1);
  });
  onProgress(chunks.length);
  return {
    lexical: bm25.finish(
      chunks.map((c) => c.id),
      table.terms,
    ),
    features: lsa.finish(table.terms),
  };
}
