/**
 * The embedded default: an extractive answer. It quotes the clauses that answer the question
 * (not whole tasks), keeps figures and departments verbatim, cites each quote, and refuses
 * plainly when the evidence is weak.
 */
import { extractFigures } from "../ingest/annotations.js";
import { citationLabel } from "../ingest/cite.js";
import type { Chunk, LeadAssignment } from "../ingest/types.js";
import { fold } from "../index/normalize.js";
import { answerText, type Holdings } from "../messages.js";
import type { Hit, RetrievalResult } from "../retrieve/retriever.js";
import type { Query } from "../retrieve/understand.js";
import { citationOf } from "./citation.js";
import { bestWindow, sentences } from "./spans.js";
import type { Answer, Citation } from "./types.js";

/** A quote longer than this is cut to its best clauses. */
const MAX_QUOTE = 90;
/** Aim for a phone screen, before the source list. */
const MAX_ANSWER = 400;

const ASKS_FIGURE = /几|多少|比例|覆盖率|目标|多长|多久|多大|面积|how (many|much|long)|rate|percentage|what time/iu;
const ASKS_TIME = /几点|时间|时段|几时|什么时候|what time|when/iu;
const ASKS_PROGRESS = /完成率|进展|进度|完成了|completion|progress/iu;
const ASKS_CONTACT = /联系人|电话|联系方式|contact|phone/iu;
const TIME = /\d{1,2}[:：]\d{2}|\d{1,2}\s*点/u;

interface Quote {
  hit: Hit;
  chunk: Chunk;
  text: string;
  trimmed: boolean;
  score: number;
}

/** How well a piece of text answers the question: its subject words, and the kind of figure asked for. */
function scorer(query: Query): (text: string) => number {
  const wantsFigure = ASKS_FIGURE.test(query.raw) || ASKS_FIGURE.test(query.text);
  const wantsTime = ASKS_TIME.test(query.raw);
  const wantsProgress = ASKS_PROGRESS.test(query.raw);
  const wantsContact = ASKS_CONTACT.test(query.raw);
  return (text: string) => {
    const t = fold(text);
    let s = 0;
    for (const g of query.groups) {
      if (g.focus) continue;
      if (g.alternatives.some((a) => a.length > 0 && t.includes(a))) s += Math.min(g.word.length, 4) / 2;
    }
    if (wantsFigure && extractFigures(text).length > 0) s += 1.5;
    if (wantsTime && TIME.test(t)) s += 2;
    if (wantsProgress && /%/u.test(t) && /完成|进展/u.test(t)) s += 3;
    if (wantsContact && /联系人|联系电话/u.test(t)) s += 3;
    return s;
  };
}

const compact = (s: string) => s.replace(/\s+/gu, "");

/** A line that only names a part ("（二）小学生校内课后服务工程") or the task says nothing new. */
function isHeadingOnly(sentence: string, hit: Hit, chunk: Chunk): boolean {
  const s = compact(sentence).replace(/[。；;]$/u, "");
  if (s === compact(hit.task.title)) return true;
  // A heading line ends without a full stop; a 一是…。 point that its part is named after is content.
  return !/[。；;！？]$/u.test(sentence.trim()) && chunk.path.some((p) => compact(p) === s);
}

/**
 * The best quotes of one hit, at most `n`, drawn from its passage and the task's other matching
 * passages (the answer to "几点" may stand in another part of the same report), in document order.
 */
function quotesOf(hit: Hit, score: (t: string) => number, n: number, lookup: boolean): Quote[] {
  // A headline (the task's title, a part's name) loses to content, but is quoted when it is all there is.
  const ranked = [hit.chunk, ...hit.siblings]
    .flatMap((chunk, c) =>
      sentences(chunk.text).map((s, i) => {
        const base = score(s.text) + (c === 0 ? 0.01 : 0) + (lookup ? 0.3 / (i + 1) : 0);
        return { chunk, s, order: c * 1000 + i, score: isHeadingOnly(s.text, hit, chunk) ? base * 0.5 - 0.5 : base };
      }),
    )
    .filter((x) => x.score > 0.05 || lookup)
    .sort((a, b) => b.score - a.score || a.order - b.order);
  const chosen = ranked.slice(0, 1);
  for (const x of ranked.slice(1)) {
    if (chosen.length >= n) break;
    if (x.score >= 0.75 * (chosen[0]?.score ?? 0)) chosen.push(x);
  }
  // Most relevant first: the contract orders citations by relevance.
  return chosen.map((x) => {
      const text = bestWindow(x.s.text, score, MAX_QUOTE);
    return { hit, chunk: x.chunk, text, trimmed: text !== x.s.text, score: x.score };
  });
}

function render(q: Quote, ref: string): string {
  const body = q.text.replace(/[。；;]$/u, "");
  return `“${body}${q.trimmed ? "…" : ""}”${ref}`;
}

function refusal(result: RetrievalResult, holdings: Holdings, lang: "zh" | "en"): string {
  const t = answerText[lang];
  const r = result.refusal;
  switch (r?.kind) {
    case "unknown-place":
      return t.unknownPlace(r.places, holdings);
    case "year-not-held":
      return t.yearNotHeld(r.district, r.years, holdings);
    case "task-not-found":
      return t.taskNotFound(r.taskNumber, r.searched);
    default:
      return t.weak(holdings);
  }
}

function refused(question: string, text: string, lang: "zh" | "en"): Answer {
  return { question, answer: text, grounded: false, citations: [], mode: "extractive", language: lang };
}

/** Several lead assignments that share one sentence read as one: 由局组织科、局人事科、局办公室牵头. */
function groupLeads(leads: readonly LeadAssignment[]): { departments: string[]; sentence: string }[] {
  const bySentence = new Map<string, string[]>();
  for (const l of leads) bySentence.set(l.sentence, [...(bySentence.get(l.sentence) ?? []), l.department]);
  return [...bySentence.entries()].map(([sentence, departments]) => ({ sentence, departments }));
}

interface Composed {
  lines: string[];
  citations: Citation[];
  grounded: boolean;
}

function composeResponsibility(result: RetrievalResult, score: (t: string) => number, lang: "zh" | "en"): Composed {
  const t = answerText[lang];
  const best = result.hits[0]!;
  const ref0 = citationLabel(best.doc, best.task.number, [], best.task.passage);
  if (best.leads.length === 0) return { lines: [t.noLead(ref0)], citations: [], grounded: false };
  const lines: string[] = [];
  const citations: Citation[] = [];
  for (const group of groupLeads(best.leads).slice(0, 2)) {
    const quote = bestWindow(group.sentence, score, MAX_QUOTE);
    const c = citationOf(best, quote);
    citations.push(c);
    lines.push(`${t.leadIntro(group.departments.join("、"))}${c.ref}${lang === "zh" ? "：" : ": "}“${quote}${quote !== group.sentence ? "…" : ""}”`);
  }
  return { lines, citations, grounded: true };
}

function composeDepartment(result: RetrievalResult, score: (t: string) => number, lang: "zh" | "en"): Composed {
  const dept = result.query.department ?? "";
  const lines = [answerText[lang].departmentIntro(dept)];
  const citations: Citation[] = [];
  result.hits.forEach((hit, i) => {
    const lead = hit.leads[0];
    if (!lead) return;
    const quote = bestWindow(lead.sentence, score, 60);
    const c = citationOf(hit, quote);
    citations.push(c);
    lines.push(`${i + 1}. ${hit.task.title}${c.ref}`);
  });
  return { lines, citations, grounded: citations.length > 0 };
}

function composeQuotes(result: RetrievalResult, score: (t: string) => number, lang: "zh" | "en"): Composed {
  const { query, hits } = result;
  const lookup = query.intent === "lookup";
  const best = hits[0]!;
  const lines: string[] = [];
  const citations: Citation[] = [];
  const add = (q: Quote, prefix = "") => {
    const c = citationOf(q.hit, q.text, q.chunk);
    citations.push(c);
    lines.push(`${prefix}${render(q, c.ref)}`);
  };

  if (query.comparison && new Set(hits.map((h) => h.doc.district)).size > 1) {
    lines.push(answerText[lang].compareIntro);
    const seen = new Set<string>();
    for (const hit of hits) {
      if (seen.has(hit.doc.district)) continue;
      seen.add(hit.doc.district);
      const [q] = quotesOf(hit, score, 1, false);
      if (q) add(q, `${hit.doc.district}：`);
    }
    return { lines, citations, grounded: citations.length > 0 };
  }

  if (lookup) lines.push(answerText[lang].lookupIntro(citationLabel(best.doc, best.task.number, [], best.task.passage), best.task.title));
  // Progress stands in headings ("一、本月进展情况 25%") that are not quoted as sentences.
  const progress = ASKS_PROGRESS.test(query.raw) ? best.task.progress[0] : undefined;
  if (progress) {
    const c = citationOf(best, progress, { ...best.chunk, path: [] });
    citations.push(c);
    lines.push(`${answerText[lang].progress}${progress}${c.ref}`);
  }
  const bestQuotes = quotesOf(best, score, 2, lookup);
  for (const q of bestQuotes.filter((x) => !progress || !x.text.includes(progress)).slice(0, progress ? 1 : 2)) add(q);
  // Other tasks that answer as well (another district's plan, say) get one quote each.
  const bestScore = Math.max(bestQuotes[0]?.score ?? 0, 0);
  for (const hit of hits.slice(1, 3)) {
    if (lookup || lines.join("").length > MAX_ANSWER * 0.6) break;
    const [q] = quotesOf(hit, score, 1, false);
    if (q && q.score >= 0.8 * bestScore && q.score > 0) add(q);
  }
  return { lines, citations, grounded: citations.length > 0 };
}

function sourceList(citations: readonly Citation[], lang: "zh" | "en"): string {
  const seen = new Map<string, string>();
  for (const c of citations) if (!seen.has(c.ref)) seen.set(c.ref, c.title);
  return [`${answerText[lang].sources}${lang === "zh" ? "：" : ":"}`, ...[...seen.entries()].map(([ref, title]) => `${ref}《${title}》`)].join("\n");
}

export function composeExtractive(result: RetrievalResult, holdings: Holdings): Answer {
  const { query } = result;
  const lang = query.language;
  if (result.refusal || result.hits.length === 0) return refused(query.raw, refusal(result, holdings, lang), lang);
  const score = scorer(query);
  const composed =
    query.intent === "department"
      ? composeDepartment(result, score, lang)
      : query.asksLead
        ? composeResponsibility(result, score, lang)
        : composeQuotes(result, score, lang);
  if (!composed.grounded) return refused(query.raw, composed.lines.join("\n") || refusal(result, holdings, lang), lang);
  const opening = lang === "en" ? [answerText.en.opening] : [];
  const body = [...opening, ...composed.lines].join("\n");
  return {
    question: query.raw,
    answer: `${body}\n\n${sourceList(composed.citations, lang)}`,
    grounded: true,
    citations: composed.citations,
    mode: "extractive",
    language: lang,
  };
}
