/** Scoring behind `npm run eval` (and the test that keeps hit@3 from falling). */
import { readFile } from "node:fs/promises";
import type { Config } from "../config.js";
import { taskOrdinal } from "../ingest/markers.js";
import type { SearchIndex } from "../index/search-index.js";
import { Answerer } from "../answer/answerer.js";
import { buildBaseline } from "./baseline.js";

export interface TaskRef {
  district: string;
  year: number;
  task: string;
}

export interface EvalItem {
  id: string;
  category: string;
  question: string;
  /** Any of these tasks is a right answer; null when the documents hold no answer. */
  expect: TaskRef[] | null;
  /** Each of these must appear in the answer text (a figure, a department). */
  mustContain?: string[];
}

export interface Scores {
  n: number;
  hit1: number;
  hit3: number;
  mrr: number;
}

export interface Miss {
  id: string;
  question: string;
  got: string[];
  want: string[];
  note?: string;
}

export interface EvalReport {
  all: Scores;
  byCategory: Map<string, Scores>;
  refusal: { unanswerable: number; correct: number; falseRefusals: number };
  answers?: { withExpectation: number; containsExpected: number; quotes: number; verbatimQuotes: number; unanswerable: number; refusedUnanswerable: number };
  misses: Miss[];
  note?: string;
}

export async function loadEvalSet(file: string): Promise<EvalItem[]> {
  return JSON.parse(await readFile(file, "utf8")) as EvalItem[];
}

const key = (r: { district: string; year: number; task: string | undefined }) => `${r.district}·${r.year}·${taskOrdinal(r.task ?? "")}`;

interface Ranked {
  tasks: string[];
  refused: boolean;
}

function score(items: readonly EvalItem[], ranked: readonly Ranked[]): Pick<EvalReport, "all" | "byCategory" | "refusal" | "misses"> {
  const per = new Map<string, { n: number; h1: number; h3: number; rr: number }>();
  const misses: Miss[] = [];
  const refusal = { unanswerable: 0, correct: 0, falseRefusals: 0 };
  items.forEach((item, i) => {
    const r = ranked[i]!;
    const acc = per.get(item.category) ?? { n: 0, h1: 0, h3: 0, rr: 0 };
    acc.n++;
    if (item.expect === null) {
      refusal.unanswerable++;
      if (r.refused) {
        refusal.correct++;
        acc.h1++;
        acc.h3++;
        acc.rr++;
      } else {
        misses.push({ id: item.id, question: item.question, got: r.tasks.slice(0, 3), want: [] });
      }
    } else {
      const want = new Set(item.expect.map(key));
      const rank = r.refused ? -1 : r.tasks.findIndex((t) => want.has(t));
      if (r.refused) refusal.falseRefusals++;
      if (rank === 0) acc.h1++;
      if (rank >= 0 && rank < 3) acc.h3++;
      if (rank >= 0) acc.rr += 1 / (rank + 1);
      if (rank !== 0) misses.push({ id: item.id, question: item.question, got: r.tasks.slice(0, 3), want: [...want], ...(r.refused ? { note: "refused" } : {}) });
    }
    per.set(item.category, acc);
  });
  const toScores = (a: { n: number; h1: number; h3: number; rr: number }): Scores => ({ n: a.n, hit1: a.h1 / a.n, hit3: a.h3 / a.n, mrr: a.rr / a.n });
  const total = [...per.values()].reduce((s, a) => ({ n: s.n + a.n, h1: s.h1 + a.h1, h3: s.h3 + a.h3, rr: s.rr + a.rr }), { n: 0, h1: 0, h3: 0, rr: 0 });
  return { all: toScores(total), byCategory: new Map([...per.entries()].map(([c, a]) => [c, toScores(a)])), refusal, misses };
}

export async function evaluate(
  index: SearchIndex,
  items: readonly EvalItem[],
  opts: { config: Config; baseline?: string },
): Promise<EvalReport> {
  if (opts.baseline) {
    const baseline = await buildBaseline(opts.baseline, index.documents);
    const ranked = items.map((item) => {
      const hits = baseline.search(item.question);
      return { tasks: [...new Set(hits.map(key))], refused: hits.length === 0 };
    });
    return { ...score(items, ranked), note: `${baseline.chunks} chunks of ≤400 characters, BM25 over jieba tokens, no refusal rule` };
  }
  const answerer = new Answerer(index, opts.config);
  const ranked: Ranked[] = [];
  const answers = { withExpectation: 0, containsExpected: 0, quotes: 0, verbatimQuotes: 0, unanswerable: 0, refusedUnanswerable: 0 };
  const answerMisses: Miss[] = [];
  for (const item of items) {
    const { answer, retrieval: r } = await answerer.answer(item.question);
    ranked.push({ tasks: [...new Set(r.hits.map((h) => key({ district: h.doc.district, year: h.doc.year, task: h.task.number })))], refused: r.refusal !== undefined });
    if (item.expect === null) {
      answers.unanswerable++;
      if (!answer.grounded && answer.citations.length === 0) answers.refusedUnanswerable++;
    }
    if (item.mustContain) {
      answers.withExpectation++;
      const missing = item.mustContain.filter((m) => !answer.answer.includes(m));
      if (missing.length === 0) answers.containsExpected++;
      else answerMisses.push({ id: item.id, question: item.question, got: [answer.answer.split("\n")[0]?.slice(0, 60) ?? ""], want: missing, note: "answer lacks" });
    }
    for (const c of answer.citations) {
      answers.quotes++;
      const task = index.docById.get(c.docId)?.tasks.find((t) => t.number === c.task);
      if (task?.text.includes(c.quote)) answers.verbatimQuotes++;
      else answerMisses.push({ id: item.id, question: item.question, got: [c.quote.slice(0, 40)], want: [c.ref], note: "quote not verbatim" });
    }
  }
  const scored = score(items, ranked);
  return { ...scored, answers, misses: [...scored.misses, ...answerMisses] };
}
