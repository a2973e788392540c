/**
 * Finds the tasks (and parts) that answer a question. Filters first (district, year, task
 * number, lead department), then two rankings fused by reciprocal rank: BM25 over jieba tokens
 * and the nearest vectors. Reports how strong its evidence is, so weak evidence can be refused.
 */
import { BaseRetriever } from "@langchain/core/retrievers";
import { Document } from "@langchain/core/documents";
import { taskOrdinal } from "../ingest/markers.js";
import { shortName } from "../ingest/places.js";
import { WRITTEN_DOC_NUMBER } from "../ingest/metadata.js";
import type { Chunk, LeadAssignment, PlanDocument, Task } from "../ingest/types.js";
import { fold } from "../index/normalize.js";
import { tokenize } from "../index/tokenizer.js";
import type { ChunkSet } from "../index/chunk-set.js";
import type { SearchIndex } from "../index/search-index.js";
import { statesTime, type TimeKind } from "./times.js";
import { isEverydayWord, topicality } from "./topicality.js";
import { escapeRegExp, NEIGHBOUR_GAP, STATEMENT_BREAK, understand, type Catalog, type Query, type TermGroup } from "./understand.js";

export interface Hit {
  chunk: Chunk;
  /** Other passages of the same task that matched, best first (a report's other parts). */
  siblings: Chunk[];
  task: Task;
  doc: PlanDocument;
  score: number;
  /** 0..1: the share of what the question is about that this passage covers. */
  coverage: number;
  /** For responsibility questions: the lead assignments that answer it. */
  leads: LeadAssignment[];
}

export type Refusal =
  | { kind: "unknown-place"; places: string[]; soundsLike?: string[] }
  | { kind: "not-mentioned"; names: string[] }
  | { kind: "year-not-held"; district?: string; years: number[] }
  | { kind: "task-not-found"; taskNumber: string; searched: { district: string; year: number; title: string; tasks: number }[] }
  | { kind: "weak-evidence" }
  /** A passage is about the subject but states no time of the kind asked: it is quoted, not grounded. */
  | { kind: "time-not-stated" };

export interface RetrievalResult {
  query: Query;
  hits: Hit[];
  /** 0..1: the share of what the question is about that the best hit covers. */
  coverage: number;
  refusal?: Refusal;
  /** What each of `query.groups` weighs (`groupWeights`): how rare in the documents, how topical in everyday Chinese. */
  weights?: number[];
}

/** A search that found nothing to answer from, or its subject without the time asked: worth another reading of the question. */
export function foundTooLittle(result: RetrievalResult): boolean {
  return result.refusal?.kind === "weak-evidence" || result.refusal?.kind === "time-not-stated";
}

export interface SearchOptions {
  top?: number;
  district?: string;
  year?: number;
}

/** Below this share of the question's subject, the best passage is not an answer. */
export const MIN_COVERAGE = 0.4;
/** Reciprocal-rank constant: small, because the candidate lists are short and rank 1 matters. */
const RRF_K = 10;
const VECTOR_WEIGHT = 0.6;
/** Worth about one rank step near the top for a passage covering the whole question. */
const COVERAGE_WEIGHT = 0.1;
/**
 * A passage writing the question's words as the question writes them (next to each other)
 * outranks one holding the same words apart: that evidence counts as much as ranking first in
 * both rankings at once. Without it, the more passages repeat a question's words (a district's
 * plan, its reports and summaries echo each other's clauses), the likelier one of them
 * outranks the passage that says what was asked.
 */
const TOGETHER_WEIGHT = (1 + VECTOR_WEIGHT) / (RRF_K + 1);
/** How many of the best fused candidates are re-ranked by coverage. */
const RERANK_DEPTH = 40;
/** Query words in more passages than this share are not scored by BM25. */
const COMMON_TERM_SHARE = 0.25;

export function catalogOf(index: SearchIndex): Catalog {
  const holdings = new Map<string, Set<number>>();
  const parents = new Map<string, { city?: string; province?: string }>();
  for (const d of index.documents) {
    holdings.set(d.district, (holdings.get(d.district) ?? new Set()).add(d.year));
    parents.set(d.district, { ...(d.city ? { city: d.city } : {}), ...(d.province ? { province: d.province } : {}) });
  }
  return {
    holdings,
    parents,
    departments: index.departments,
    knows: (word) => index.lexical.documentFrequency(word) > 0,
    uses: (phrase) => usesPhrase(index, phrase),
  };
}

/** How many of a phrase's best lexical matches are read to see whether the documents write it. */
const PHRASE_PROBE = 20;

/** Whether some passage writes the phrase as it is (特级教师 in "上海市特级教师"), whatever its tokens. */
function usesPhrase(index: SearchIndex, phrase: string): boolean {
  const folded = fold(phrase);
  if (index.lexical.documentFrequency(folded) > 0) return true;
  return index.lexical.search(tokenize(folded), undefined, PHRASE_PROBE).some((r) => {
    const chunk = index.chunkById.get(r.id);
    return chunk !== undefined && index.foldedHaystack(chunk).includes(folded);
  });
}

/** How telling a word is: rare words say more. A word the corpus lacks counts as the rarest it has. */
function rarity(index: SearchIndex, term: string): number {
  const n = index.chunks.length;
  const df = Math.max(1, index.lexical.documentFrequency(term));
  return Math.log(1 + n / (df + 0.5));
}

/**
 * The question's word, its compound's parts, or a thesaurus alternative, found in the text.
 * (A synonym counts in full: partial credit refused parents' colloquial questions, see eval.)
 */
export function groupMatches(group: TermGroup, haystack: string): boolean {
  return group.alternatives.some((a) => a.length > 0 && haystack.includes(a)) || (group.parts?.every((p) => haystack.includes(p)) ?? false);
}

/** Overlapping Han pairs of a word: 初中生 → 初中, 中生. */
function pairsOf(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) out.push(word.slice(i, i + 2));
  return out.filter((p) => /^\p{Script=Han}{2}$/u.test(p));
}

/**
 * How much of one group a text holds, 0..1. Whole words count in full; a longer word the text
 * writes differently (社区服务 as 社区…服务, 对外开放 as 开放) earns part credit through its
 * character pairs, the way Chinese search engines match when segmentation disagrees.
 */
function groupCredit(group: TermGroup, haystack: string): number {
  if (groupMatches(group, haystack)) return 1;
  if (group.word.length < 3) return 0;
  const pairs = pairsOf(group.word);
  if (pairs.length === 0) return 0;
  return (0.8 * pairs.filter((p) => haystack.includes(p)).length) / pairs.length;
}

/**
 * Words the corpus never uses (爸妈, 啥新, a colloquial run jieba could not join) say little about
 * whether the documents cover a topic: they weigh a third, so that one unfamiliar word cannot
 * tip an answer into a refusal. Whether the asked detail is there is the composer's check.
 */
const ABSENT_WEIGHT = 0.3;

function inCorpus(index: SearchIndex, group: TermGroup): boolean {
  const df = (t: string) => index.lexical.documentFrequency(t);
  return group.alternatives.some((a) => df(a) > 0) || (group.parts?.every((p) => df(p) > 0) ?? false);
}

/**
 * How much each of the question's groups counts: its rarity in the corpus, how topical it is in
 * everyday Chinese, and a third when the corpus never uses it.
 */
export function groupWeights(index: SearchIndex, groups: readonly TermGroup[]): number[] {
  return groups.map((g) => {
    if (g.focus) return 0;
    if (g.required) return Math.max(...g.alternatives.map((a) => rarity(index, a)));
    // A word is as topical as the documents' words for it (手机 → 五项管理); a guess at a slip of
    // the pen is no other word for it (小区, everyday, is not made topical by the 校区 it sounds like).
    const topical = Math.max(...g.alternatives.filter((a) => a === g.word || !g.respelled?.includes(a) || !isEverydayWord(g.word)).map((a) => topicality(a)));
    return Math.max(...g.alternatives.map((a) => rarity(index, a))) * topical * (inCorpus(index, g) ? 1 : ABSENT_WEIGHT);
  });
}

/** Share (0..1) of the question's subject, weighted as `groupWeights` says, that a chunk's text covers. */
export function coverageOf(groups: readonly TermGroup[], weights: readonly number[], haystack: string): number {
  let total = 0;
  let got = 0;
  for (const [i, g] of groups.entries()) {
    if (g.focus) continue;
    const credit = groupCredit(g, haystack);
    // A passage without a required term (a target year) covers nothing.
    if (g.required && credit < 1) return 0;
    total += weights[i]!;
    got += weights[i]! * credit;
  }
  return total === 0 ? 0 : got / total;
}

/** The question's neighbouring words as one pattern each: the first, a short gap within one statement, the second. */
export function neighbourPatterns(query: Query): { pattern: RegExp; pair: [string, string] }[] {
  const gap = `(?:(?!${STATEMENT_BREAK.source})[^]){0,${NEIGHBOUR_GAP}}?`;
  return query.neighbours.map((pair) => ({ pattern: new RegExp(`${escapeRegExp(pair[0])}${gap}${escapeRegExp(pair[1])}`, "u"), pair }));
}

/**
 * What each neighbouring pair weighs among these candidates (held[c][p]: candidate c writes pair
 * p together). A pair most of them write together (组织建设, where a plan and its reports echo
 * each other) tells them apart little; one only a few write together (the join of two clauses
 * that only the asked passage joins) tells much: rarity among the candidates, as BM25 weighs a
 * word by its rarity among passages.
 */
export function pairWeights(held: readonly (readonly boolean[])[], pairs: number): number[] {
  return Array.from({ length: pairs }, (_, p) => Math.log(1 + held.length / (held.filter((h) => h[p]).length + 0.5)));
}

/**
 * Share (0..1) of the question's neighbouring pairs, by weight, that a passage writes together:
 * sequential term dependence, as search engines score phrases. Words found together are one
 * statement; words found apart may be two.
 */
export function togetherness(held: readonly boolean[], weights: readonly number[]): number {
  let total = 0;
  let got = 0;
  weights.forEach((w, p) => {
    total += w;
    if (held[p]) got += w;
  });
  return total === 0 ? 0 : got / total;
}

export class PlanRetriever extends BaseRetriever {
  lc_namespace = ["edu_plan_bot", "retrievers"];
  readonly catalog: Catalog;

  constructor(private readonly index: SearchIndex) {
    super();
    this.catalog = catalogOf(index);
  }

  /** LangChain entry point: the hits as Documents with their citation data in metadata. */
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const result = await this.search(query);
    return result.hits.map(
      (h) =>
        new Document({
          pageContent: h.chunk.text,
          metadata: { chunkId: h.chunk.id, docId: h.doc.id, district: h.doc.district, year: h.doc.year, task: h.task.number, path: h.chunk.path, score: h.score },
        }),
    );
  }

  understand(question: string): Query {
    return understand(question, this.catalog);
  }

  /**
   * A long message (a parent's greeting, their situation, then the question) is searched as a
   * whole first; when that finds too little, its asking sentences alone are searched, with the
   * places and years the whole message names.
   */
  async search(question: string, opts: SearchOptions = {}): Promise<RetrievalResult> {
    const result = await this.searchWhole(question, opts);
    return { ...result, weights: groupWeights(this.index, result.query.groups) };
  }

  private async searchWhole(question: string, opts: SearchOptions): Promise<RetrievalResult> {
    const whole = await this.searchOnce(question, opts);
    if (!foundTooLittle(whole) || question.length < LONG_QUESTION) return whole;
    const core = askingSentences(question);
    if (!core || core === question) return whole;
    const scope = [...whole.query.districts.map(shortName), ...whole.query.years.map((y) => `${y}年`)].filter((s) => !core.includes(s)).join("");
    const focused = await this.searchOnce(`${scope}${core}`, opts);
    return focused.refusal ? whole : { ...focused, query: { ...focused.query, raw: question } };
  }

  private async searchOnce(question: string, opts: SearchOptions = {}): Promise<RetrievalResult> {
    const query = this.understand(question);
    if (opts.district) query.districts = [opts.district];
    if (opts.year) query.years = [opts.year];
    const top = opts.top ?? 5;

    if (query.unknownPlaces.length > 0 && query.districts.length === 0) {
      return { query, hits: [], coverage: 0, refusal: { kind: "unknown-place", places: query.unknownPlaces, ...(query.soundsLike ? { soundsLike: query.soundsLike } : {}) } };
    }
    // "七宝中学去年中考录取分数线": a school no passage names is not what any passage is about.
    const unmentioned = (query.schools ?? []).filter((name) => !this.catalog.uses?.(name));
    if (unmentioned.length > 0) return { query, hits: [], coverage: 0, refusal: { kind: "not-mentioned", names: unmentioned } };
    if (query.missingDocumentYears) {
      const district = query.districts[0];
      return { query, hits: [], coverage: 0, refusal: { kind: "year-not-held", ...(district ? { district } : {}), years: query.missingDocumentYears } };
    }
    const docs = this.index.documents.filter((d) =>
      query.sides
        ? query.sides.some((s) => s.district === d.district && s.year === d.year)
        : (query.districts.length === 0 || query.districts.includes(d.district)) && (query.years.length === 0 || query.years.includes(d.year)),
    );
    if (docs.length === 0) {
      return { query, hits: [], coverage: 0, refusal: { kind: "year-not-held", ...(query.districts[0] ? { district: query.districts[0] } : {}), years: query.years } };
    }

    if (query.taskNumber) {
      const number = query.taskNumber;
      const tasks = docs.flatMap((d) => d.tasks.filter((t) => !t.passage && taskOrdinal(t.number) === Number(number)));
      if (tasks.length === 0) {
        const searched = docs.map((d) => ({ district: d.district, year: d.year, title: d.title, tasks: d.tasks.length }));
        return { query, hits: [], coverage: 0, refusal: { kind: "task-not-found", taskNumber: number, searched } };
      }
      // Reports name their task by number; a plan's item numbers are only unique within the plan.
      const hits = await this.rank(query, this.index.chunksOfTasks(tasks), top, true);
      if (query.asksLead) for (const h of hits) h.leads = leadsFor(h, query);
      return { query, hits, coverage: 1 };
    }

    if (query.intent === "department" && query.department) {
      const dept = query.department;
      const withDept = this.index.chunksOf(docs.map((d) => d.id)).and(this.index.chunksLedBy(dept));
      const hits = await this.rank(query, withDept, Math.max(top, 8), true);
      return { query, hits: hits.map((h) => ({ ...h, leads: h.task.leadDepartments.filter((l) => l.department === dept) })), coverage: 1 };
    }

    // The filters become one set of chunk numbers, built once for the search.
    const unfiltered = this.index.chunksOf(docs.map((d) => d.id));
    let filter = unfiltered;
    if (query.intent === "responsibility") {
      const withLeads = filter.and(this.index.chunksWithLeads());
      if (!withLeads.isEmpty()) filter = withLeads;
    }

    let hits: Hit[];
    // Comparisons answer per side: per district, or per year when one district's years are compared.
    const byYear = query.years.length >= 2 && query.districts.length <= 1;
    const sideOf = (docId: string) => {
      const d = this.index.docById.get(docId);
      return byYear ? `${d?.district}·${d?.year}` : (d?.district ?? "");
    };
    const sides = [...new Set(docs.map((d) => sideOf(d.id)))];
    if (query.comparison && sides.length > 1) {
      // The best tasks of each side, interleaved, so no side crowds out another. Sides the question
      // names get a search each; "各区" groups one wider search by district.
      const named = query.districts.length >= 2 || byYear;
      const wide = named ? [] : await this.rank(query, filter, top * 4, false);
      const perSide = named
        ? await Promise.all(sides.map((side) => this.rank(query, filter.and(this.index.chunksOf(docs.filter((d) => sideOf(d.id) === side).map((d) => d.id))), top, false)))
        : sides.map((side) => wide.filter((h) => sideOf(h.doc.id) === side).slice(0, top)).filter((h) => h.length > 0);
      const useful = perSide.filter((h) => (h[0]?.coverage ?? 0) >= MIN_COVERAGE);
      hits = interleave(useful.length > 0 ? useful : perSide).slice(0, Math.max(top, useful.length * 2));
    } else {
      hits = await this.rank(query, filter, top, false);
      // A responsibility question about a document that writes no lead units ("领导小组由谁任组长"):
      // the units' passages do not cover it; every passage is searched instead.
      if (filter !== unfiltered && (hits[0]?.coverage ?? 0) < MIN_COVERAGE) {
        const all = await this.rank(query, unfiltered, top, false);
        if ((all[0]?.coverage ?? 0) > (hits[0]?.coverage ?? 0)) hits = all;
      }
      // "青浦托育这块有什么安排": 托育 is a word of the documents, but not of 青浦's, which write 托幼一体.
      if ((hits[0]?.coverage ?? 0) < MIN_COVERAGE && query.otherTerms) {
        const widened = await this.rank({ ...query, tokens: [...query.tokens, ...query.otherTerms] }, filter, top, false);
        if ((widened[0]?.coverage ?? 0) > (hits[0]?.coverage ?? 0)) hits = widened;
      }
    }
    // The answer must be of the kind asked for: a who for "是谁", a time or date for "几点".
    // Among tasks that cover the question, those that hold such an answer come first.
    const asksNumber = query.asks.includes("docnumber");
    const rightKind = (h: Hit) =>
      (!query.asksWho || namesSomeone(h)) && (query.asksWhen === undefined || namesATime(h, query.asksWhen)) && (!asksNumber || [h.chunk, ...h.siblings].some((c) => WRITTEN_DOC_NUMBER.test(c.text)));
    const covers = (h: Hit) => h.coverage >= MIN_COVERAGE;
    if (query.asksWho || query.asksWhen || asksNumber) hits = [...hits.filter((h) => rightKind(h) && covers(h)), ...hits.filter((h) => !(rightKind(h) && covers(h)))];
    // A passage ranked first for words the question shares with many (小学生) but not about its
    // subject (近视) gives way to one a little lower that is: refusing is for when none is.
    else if (hits[0] && !covers(hits[0])) {
      const about = hits.findIndex((h) => covers(h));
      if (about > 0) hits = [hits[about]!, ...hits.filter((_, i) => i !== about)];
    }
    const best = hits[0];
    // "第048项下一步有什么打算": a task looked up by number with nothing else to be about is the answer itself.
    const onlyTheTask = query.taskNumber !== undefined && query.groups.every((g) => g.focus);
    const coverage = onlyTheTask && best ? 1 : (best?.coverage ?? 0);
    const result: RetrievalResult = { query, hits, coverage };
    if (!best || coverage < MIN_COVERAGE || !rightKind(best)) {
      // Neither reading of the year found anything: no document of that year, no passage about it.
      const district = query.districts[0];
      result.refusal =
        query.targetYears.length > 0 && query.years.length === 0
          ? { kind: "year-not-held", ...(district ? { district } : {}), years: query.targetYears }
          : best && coverage >= MIN_COVERAGE && query.asksWhen !== undefined && !query.asksWho && !asksNumber && !query.asksLead && !query.comparison
            ? { kind: "time-not-stated" }
            : { kind: "weak-evidence" };
    }
    if (query.intent === "responsibility") for (const h of hits) h.leads = leadsFor(h, query);
    return result;
  }

  /** BM25 and vector rankings within the filter, fused by reciprocal rank, one hit per task. */
  private async rank(query: Query, filter: ChunkSet, top: number, keepAll: boolean): Promise<Hit[]> {
    // A word in more than a quarter of all passages separates almost nothing (its BM25 weight is
    // near zero) but costs a score for each of them: leave it to the vector side and coverage.
    const common = Math.max(50, this.index.chunks.length * COMMON_TERM_SHARE);
    const tokens = query.tokens.filter((t) => this.index.lexical.documentFrequency(t) <= common);
    const lexical = this.index.lexical.search(tokens.length > 0 ? tokens : query.tokens, filter, 50);
    const vector = await this.index.embeddings.embedQuery(query.searchText || query.text);
    const nearest = this.index.vectors.searchIds(vector, 50, filter);
    const fused = new Map<string, number>();
    lexical.forEach((r, i) => fused.set(r.id, (fused.get(r.id) ?? 0) + 1 / (RRF_K + i + 1)));
    nearest.forEach(([id, sim], i) => {
      if (sim <= 0) return;
      fused.set(id, (fused.get(id) ?? 0) + VECTOR_WEIGHT / (RRF_K + i + 1));
    });
    if (keepAll) {
      // Filtered to a few tasks already (a number, a department): every one of them is an answer.
      for (const i of filter) if (!fused.has(this.index.chunks[i]!.id)) fused.set(this.index.chunks[i]!.id, 0);
    }
    // The passage that covers more of what the question is about wins between close ranks.
    // Only the head of the fused list is close enough for that to matter.
    // The groups' weights depend on the question only: computed once, not per candidate.
    const weights = groupWeights(this.index, query.groups);
    // Pairs with a question word (几点, 多少: weighing nothing) say nothing about the subject.
    const weightOf = new Map(query.groups.map((g, i) => [g.word, weights[i]!]));
    const patterns = neighbourPatterns(query).filter(({ pair }) => pair.every((w) => (weightOf.get(w) ?? 0) > 0));
    const head: { chunk: Chunk; doc: PlanDocument; fusedScore: number; haystack: string }[] = [];
    for (const [id, fusedScore] of [...fused.entries()].sort((a, b) => b[1] - a[1]).slice(0, Math.max(RERANK_DEPTH, keepAll ? top * 4 : 0))) {
      const chunk = this.index.chunkById.get(id);
      const doc = chunk && this.index.docById.get(chunk.docId);
      if (chunk && doc) head.push({ chunk, doc, fusedScore, haystack: this.index.foldedHaystack(chunk) });
    }
    const held = head.map((h) => patterns.map(({ pattern }) => pattern.test(h.haystack)));
    const pairWeight = pairWeights(held, patterns.length);
    const candidates: Hit[] = [];
    for (const [i, { chunk, doc, fusedScore, haystack }] of head.entries()) {
      const coverage = coverageOf(query.groups, weights, haystack);
      // A passage without a required term (a target year) does not answer, however its words stand.
      const together = coverage > 0 ? togetherness(held[i]!, pairWeight) : 0;
      const score = fusedScore + COVERAGE_WEIGHT * coverage + TOGETHER_WEIGHT * together;
      const hit: Hit = { chunk, siblings: [], task: this.index.taskOf(chunk), doc, score, coverage, leads: [] };
      candidates.push(hit);
    }
    candidates.sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id, "en", { numeric: true }));
    const byTask = new Map<string, Hit>();
    for (const hit of candidates) {
      const key = `${hit.chunk.docId}/${hit.chunk.taskNumber}`;
      const first = byTask.get(key);
      if (first) {
        if (first.siblings.length < 4) first.siblings.push(hit.chunk);
      } else if (byTask.size < top) {
        byTask.set(key, hit);
      }
    }
    return [...byTask.values()];
  }
}



/** From this length on, a message may hold more than its question (greetings, circumstances). */
const LONG_QUESTION = 40;

/** The clauses of a message that ask (end in ？ or hold a question word), joined; undefined when none stands out. */
function askingSentences(message: string): string | undefined {
  const parts = message.split(/(?<=[？?！!。；;，,])/u).map((p) => p.trim()).filter((p) => p.length > 0);
  const asking = parts.filter((p) => /[？?]$|吗|几|多少|什么|哪|怎么|是否|有没有|能不能/u.test(p) && !/^(?:谢谢|请问一下|您好)[！!。？?]?$/u.test(p));
  return asking.length > 0 && asking.length < parts.length ? asking.join("") : undefined;
}

/** A department (局人事科, 教育督导室), a contact person or a role that heads something is a "who"; "区教育局局长" alone is not. */
function namesSomeone(hit: Hit): boolean {
  return hit.task.leadDepartments.length > 0 || /联系人/u.test(hit.chunk.text) || namesSomeoneIn(hit.chunk.text);
}

/** A text names a unit (局人事科, 教育督导室) or a role that heads something ("由分管县领导任组长", "以副县长为组长"). */
export function namesSomeoneIn(text: string): boolean {
  return /[\p{Script=Han}]{1,6}(?:科|办|办公室|督导室|中心)(?![\p{Script=Han}])/u.test(text) || HEADED_BY.test(text) || WORKS_WITH.test(text) || UNIT_DOES.test(text) || APPOINTED.test(text);
}

/** "外聘王丹波律师为法律顾问": a person appointed to a role. */
const APPOINTED = /(?:聘|聘请|邀请|由)\p{Script=Han}{2,4}(?:律师|教授|专家|同志|老师)(?:为|担任|任)/u;

/** "局发展计划法规处指派人员专门负责", "一名副局长主抓此项工作": a unit or a role named doing the work. */
const UNIT_DOES = /\p{Script=Han}{1,10}?(?:处|科|室|办|中心|局|委|局长|主任|书记)(?:指派|专门负责|具体负责|负责(?![人制])|牵头|主抓|承担)/u;

/** "配合区卫监所做好…", "会同区卫健委": the unit a task is done with, named in its sentence. */
const WORKS_WITH = /(?:配合|会同|联合|协同|协助)\p{Script=Han}{1,10}?(?:所|局|委|中心|办|科|站|院|队|馆)/u;

const HEADED_BY = /(?:由|以)\p{Script=Han}{1,16}?(?:领导|长|书记|主任|一把手|负责人)(?:任|为|担任)/u;

/** The kind of time the question asks for: a date, a clock time, or any period. */
function namesATime(hit: Hit, kind: TimeKind): boolean {
  return [hit.chunk, ...hit.siblings].some((c) => statesTime(kind, c.text));
}

function interleave<T>(lists: readonly T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** The lead assignments whose sentences share the most of the question's words. */
function leadsFor(hit: Hit, query: Query): LeadAssignment[] {
  const leads = hit.task.leadDepartments;
  if (leads.length === 0) return [];
  const scoreOf = (l: LeadAssignment) => query.groups.filter((g) => !g.focus && groupMatches(g, fold(l.sentence))).length;
  const best = Math.max(...leads.map(scoreOf));
  return leads.filter((l) => scoreOf(l) === best);
}
