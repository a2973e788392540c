/**
 * Scoring behind `npm run eval` (and the tests that keep it from falling). Questions go through the
 * conversation engine, as a person's would, so follow-ups are scored in their conversation.
 */
import { citableParts } from "../ingest/types.js";
import { readFile } from "node:fs/promises";
import type { Config } from "../config.js";
import { taskOrdinal } from "../ingest/markers.js";
import type { SearchIndex } from "../index/search-index.js";
import { Answerer } from "../answer/answerer.js";
import type { Answer } from "../answer/types.js";
import { ChatEngine, type ChatContext } from "../chat/engine.js";
import type { RetrievalResult } from "../retrieve/retriever.js";
import { buildBaseline } from "./baseline.js";

export interface TaskRef {
  district: string;
  year: number;
  /** The task as written; "*" when any passage of that document answers (a document without numbering). */
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
  /** Earlier messages of the same conversation: the question is a follow-up to them. */
  after?: string[];
}

export interface Scores {
  n: number;
  hit1: number;
  hit3: number;
  mrr: number;
  /** Share of the questions with expected facts whose answer holds every one of them (NaN: none). */
  facts: number;
  /** Share of the answerable questions that were refused (NaN: none answerable). */
  falseRefusals: number;
  /** Share of the unanswerable questions that were refused (NaN: none). */
  refusedRight: number;
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
  refusal: { unanswerable: number; correct: number; falseRefusals: number; answerable: number };
  answers?: {
    withExpectation: number;
    containsExpected: number;
    quotes: number;
    verbatimQuotes: number;
    unanswerable: number;
    refusedUnanswerable: number;
    /** Answer text length in characters (the whole message a person reads). */
    medianLength: number;
    maxLength: number;
    /** Quotes that begin or end inside a number or a Latin word. */
    cutQuotes: number;
  };
  misses: Miss[];
  note?: string;
}

export async function loadEvalSet(file: string): Promise<EvalItem[]> {
  const items = JSON.parse(await readFile(file, "utf8")) as EvalItem[];
  // Sets written by hand say "no answer" as null or as an empty list: both mean unanswerable.
  return items.map((item) => (Array.isArray(item.expect) && item.expect.length === 0 ? { ...item, expect: null } : item));
}

/** "048" and "48" are one task; "二·3" (numbering that restarts per section) is kept as written. */
export function normTask(task: string): string {
  // Manifests write "一是" where the parser numbers the point "一", and "二·(一)" for "二·一".
  const bare = task.replace(/[（(]\s*([^）)]+?)\s*[）)]/gu, "$1");
  if (bare.includes("·")) return bare.split("·").map(normTask).join("·");
  const n = taskOrdinal(bare.replace(/是$/u, ""));
  return Number.isFinite(n) ? String(n) : bare;
}

export const taskKey = (r: { district: string; year: number; task: string }) => `${r.district}·${r.year}·${normTask(r.task)}`;

function matches(got: string, want: readonly TaskRef[]): boolean {
  return want.some((w) => (w.task === "*" ? got.startsWith(`${w.district}·${w.year}·`) : got === taskKey(w)));
}

interface Outcome {
  /** Tasks in the order a person meets them: the answer's citations, then the other retrieved tasks. */
  tasks: string[];
  refused: boolean;
  answer?: Answer;
}

interface Tally {
  n: number;
  h1: number;
  h3: number;
  rr: number;
  withFacts: number;
  factsOk: number;
  answerable: number;
  refusedAnswerable: number;
  unanswerable: number;
  refusedUnanswerable: number;
}

const emptyTally = (): Tally => ({ n: 0, h1: 0, h3: 0, rr: 0, withFacts: 0, factsOk: 0, answerable: 0, refusedAnswerable: 0, unanswerable: 0, refusedUnanswerable: 0 });

function toScores(a: Tally): Scores {
  return {
    n: a.n,
    hit1: a.h1 / a.n,
    hit3: a.h3 / a.n,
    mrr: a.rr / a.n,
    facts: a.withFacts ? a.factsOk / a.withFacts : Number.NaN,
    falseRefusals: a.answerable ? a.refusedAnswerable / a.answerable : Number.NaN,
    refusedRight: a.unanswerable ? a.refusedUnanswerable / a.unanswerable : Number.NaN,
  };
}

function addTallies(a: Tally, b: Tally): Tally {
  const out = emptyTally();
  for (const k of Object.keys(out) as (keyof Tally)[]) out[k] = a[k] + b[k];
  return out;
}

function score(items: readonly EvalItem[], outcomes: readonly Outcome[]): Pick<EvalReport, "all" | "byCategory" | "refusal" | "misses"> {
  const per = new Map<string, Tally>();
  const misses: Miss[] = [];
  items.forEach((item, i) => {
    const r = outcomes[i]!;
    const acc = per.get(item.category) ?? emptyTally();
    acc.n++;
    if (item.mustContain?.length) {
      acc.withFacts++;
      const text = r.answer?.answer ?? "";
      const missing = item.mustContain.filter((m) => !text.includes(m));
      if (missing.length === 0 && !r.refused) acc.factsOk++;
      else if (!r.refused) misses.push({ id: item.id, question: item.question, got: [text.split("\n")[0]?.slice(0, 70) ?? ""], want: missing, note: "answer lacks" });
    }
    if (item.expect === null) {
      acc.unanswerable++;
      if (r.refused) {
        acc.refusedUnanswerable++;
        acc.h1++;
        acc.h3++;
        acc.rr++;
      } else {
        misses.push({ id: item.id, question: item.question, got: r.tasks.slice(0, 3), want: [] });
      }
    } else {
      acc.answerable++;
      const rank = r.refused ? -1 : r.tasks.findIndex((t) => matches(t, item.expect!));
      if (r.refused) acc.refusedAnswerable++;
      if (rank === 0) acc.h1++;
      if (rank >= 0 && rank < 3) acc.h3++;
      if (rank >= 0) acc.rr += 1 / (rank + 1);
      if (rank !== 0) misses.push({ id: item.id, question: item.question, got: r.tasks.slice(0, 3), want: item.expect.map(taskKey), ...(r.refused ? { note: "refused" } : {}) });
    }
    per.set(item.category, acc);
  });
  const total = [...per.values()].reduce(addTallies, emptyTally());
  return {
    all: toScores(total),
    byCategory: new Map([...per.entries()].map(([c, a]) => [c, toScores(a)])),
    refusal: { unanswerable: total.unanswerable, correct: total.refusedUnanswerable, falseRefusals: total.refusedAnswerable, answerable: total.answerable },
    misses,
  };
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

/** A quote that starts or ends inside a number ("30 至 18:00") or a Latin word was cut in the wrong place. */
export function cutInsideWord(quote: string, taskText: string): boolean {
  const at = taskText.indexOf(quote);
  if (at < 0) return false;
  const before = taskText[at - 1] ?? "";
  const after = taskText[at + quote.length] ?? "";
  const word = /[0-9A-Za-z]/u;
  return (word.test(before) && word.test(quote[0] ?? "")) || (word.test(after) && word.test(quote.at(-1) ?? ""));
}

function tasksOf(answer: Answer, retrieval: RetrievalResult | undefined): string[] {
  const cited = answer.citations.map((c) => taskKey({ district: c.district, year: c.year, task: c.task }));
  const retrieved = (retrieval?.hits ?? []).map((h) => taskKey({ district: h.doc.district, year: h.doc.year, task: h.task.number }));
  return [...new Set([...cited, ...retrieved])];
}

export async function evaluate(
  index: SearchIndex,
  items: readonly EvalItem[],
  opts: { config: Pick<Config, "openai">; baseline?: string },
): Promise<EvalReport> {
  if (opts.baseline) {
    const baseline = await buildBaseline(opts.baseline, index.documents);
    const outcomes = items.map((item) => {
      const hits = baseline.search(item.question);
      return { tasks: [...new Set(hits.map((h) => taskKey({ ...h, task: h.task ?? "" })))], refused: hits.length === 0 };
    });
    return { ...score(items, outcomes), note: `${baseline.chunks} chunks of ≤400 characters, BM25 over jieba tokens, no refusal rule` };
  }
  const engine = new ChatEngine(new Answerer(index, opts.config));
  const outcomes: Outcome[] = [];
  const answers = { withExpectation: 0, containsExpected: 0, quotes: 0, verbatimQuotes: 0, unanswerable: 0, refusedUnanswerable: 0, medianLength: 0, maxLength: 0, cutQuotes: 0 };
  const answerMisses: Miss[] = [];
  const lengths: number[] = [];
  for (const item of items) {
    let context: ChatContext = {};
    for (const earlier of item.after ?? []) context = (await engine.handle(earlier, context)).context;
    const { reply } = await engine.handle(item.question, context);
    const answer = reply.answer;
    if (!answer) throw new Error(`eval: "${item.question}" was not answered as a question`);
    outcomes.push({ tasks: tasksOf(answer, reply.retrieval), refused: !answer.grounded, answer });
    lengths.push(answer.answer.length);
    if (item.expect === null) {
      answers.unanswerable++;
      if (!answer.grounded && answer.citations.length === 0) answers.refusedUnanswerable++;
    }
    if (item.mustContain?.length) {
      answers.withExpectation++;
      if (item.mustContain.every((m) => answer.answer.includes(m))) answers.containsExpected++;
    }
    for (const c of answer.citations) {
      answers.quotes++;
      const cited = index.docById.get(c.docId);
      const task = cited ? citableParts(cited).find((t) => t.number === c.task) : undefined;
      if (task?.text.includes(c.quote)) answers.verbatimQuotes++;
      else answerMisses.push({ id: item.id, question: item.question, got: [c.quote.slice(0, 40)], want: [c.ref], note: "quote not verbatim" });
      if (task && cutInsideWord(c.quote, task.text)) {
        answers.cutQuotes++;
        answerMisses.push({ id: item.id, question: item.question, got: [c.quote.slice(0, 40)], want: [c.ref], note: "quote cut inside a number or word" });
      }
    }
  }
  answers.medianLength = median(lengths);
  answers.maxLength = Math.max(0, ...lengths);
  const scored = score(items, outcomes);
  return { ...scored, answers, misses: [...scored.misses, ...answerMisses] };
}
