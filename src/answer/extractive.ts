/**
 * The embedded default: an extractive answer. It leads with the asked fact (a time, a figure,
 * a department, progress, a contact) taken verbatim from the quote below it, then quotes the
 * clauses that answer the question, each with a short citation. When the documents touch the
 * topic but not the asked detail, it says so and quotes what they do say; with nothing on the
 * topic it refuses plainly. It reads the question only through the retriever's `Query`.
 */
import { extractFigures, isLeadNote, leadsBySentence } from "../ingest/annotations.js";
import { partHeading } from "../ingest/chunk.js";
import { readMarker } from "../ingest/markers.js";
import type { Chunk, Part, Task } from "../ingest/types.js";
import { fold } from "../index/normalize.js";
import { answerText, type Holdings } from "../messages.js";
import { groupMatches, namesSomeoneIn, type Hit, type RetrievalResult } from "../retrieve/retriever.js";
import { bodiesNamedIn } from "../retrieve/institutions.js";
import { statesTime, TIME_KINDS, TIME_PATTERNS } from "../retrieve/times.js";
import { WRITTEN_DOC_NUMBER } from "../ingest/metadata.js";
import type { Ask, Query, TermGroup } from "../retrieve/understand.js";
import { citationOf } from "./citation.js";
import { bestWindow, sentences } from "./spans.js";
import type { Answer, Citation } from "./types.js";

/** A quote longer than this is cut to its best clauses. */
const MAX_QUOTE = 90;
/** Stop adding quotes past this many characters: a phone screen. */
const MAX_BODY = 230;
/** How many sentences of a task answer what it involves. */
const BREADTH_QUOTES = 3;

/** Where in a task a passage stands: a chunk, or a part of a report picked for what was asked. */
type Passage = Pick<Chunk, "id" | "path" | "text">;

interface Quote {
  hit: Hit;
  passage: Passage;
  text: string;
  trimmed: boolean;
  score: number;
}

const has = (query: Query, ...asks: Ask[]) => asks.some((a) => query.asks.includes(a));

/** What a fee question needs the text to say: what families pay, not what the bureau funds. */
const FEE_WORDS = /收费|缴费|缴纳|学费|保育费|伙食费|费用标准|收取|免费|减免/u;
/** A fee stated: an amount in 元 or "免费" in a clause about what families pay. */
function statesFee(text: string): boolean {
  return text.split(/[。；;\n]/u).some((clause) => FEE_WORDS.test(clause) && (/免费|\d\s*元/u.test(clause)));
}

/** The top-level parts of a report that answer "问题", "下一步", "进展". */
const PART_KINDS: Partial<Record<Ask, RegExp>> = {
  problem: /问题|困难|不足|瓶颈/u,
  next: /下一步|打算|措施|思路|计划/u,
  progress: /进展|推进情况|完成情况|进度/u,
};

/** Whether a figure in a text stands right before one of the question's subject words: 14个学区 for "多少学区". */
function countsAsked(text: string, figure: string, query: Query): boolean {
  const at = text.indexOf(figure);
  if (at < 0) return false;
  const after = fold(text.slice(at + figure.length, at + figure.length + 8));
  return query.groups.some((g) => !g.focus && g.asked !== "of" && g.alternatives.some((a) => a.length >= 2 && after.startsWith(a)));
}

/**
 * Whether a figure is stated of what the asking clause names: "覆盖率达到60%" for "…，公办幼儿园
 * 覆盖率要争取到多少", not the 99% the scene-setting clause's 学前教育 stands before.
 */
function statedOfAsked(text: string, figure: string, query: Query): boolean {
  const at = text.indexOf(figure);
  if (at < 0) return false;
  const before = fold(text.slice(Math.max(0, at - 10), at)).split(/[，,。；;]/u).at(-1)!;
  return query.groups.some((g) => g.asked === "of" && g.alternatives.some((a) => a.length >= 2 && before.includes(a)));
}

/** Whether a figure is counted in the unit asked: 6303场次 in 场, 24 所 in 所. */
function inMeasure(figure: string, measure: string): boolean {
  return figure.replace(/^[\d.\s—–\-~～至到]+/u, "").startsWith(measure);
}

/** A word's weight in a sentence's score, on the scale of the other signals (a figure 1.5, a time 2). */
function wordWeight(group: TermGroup, retrievalWeight: number | undefined): number {
  const byLength = Math.min(group.word.length, 4) / 2;
  if (retrievalWeight === undefined) return byLength;
  // Half each: a rare topic word counts more, but a word jieba cut from its compound (为主 of 主线) still counts.
  return (byLength + Math.min(2, Math.max(0.25, retrievalWeight / 2))) / 2;
}

const TARGET_WORDS = /目标|指标|规模|达到|覆盖率|比例/u;

/** How well a piece of text answers the question: its subject words, and the kind of fact asked for. */
function scorer(query: Query, weights?: readonly number[]): (text: string) => number {
  // Only for a figure: "…，覆盖率要争取到多少" states the figure of the asked words. Elsewhere the
  // asking clause may hold only "报告里说法有什么变化", the scene the topic.
  const scene = (has(query, "figure") && query.groups.some((g) => g.asked)) || query.groups.some((g) => g.asked === "kind");
  return (text: string) => {
    const t = fold(text);
    let s = 0;
    for (const [i, g] of query.groups.entries()) {
      if (g.focus) continue;
      // A word weighs as retrieval weighed it: 放学 (rare in the documents, a topic) far above 小学,
      // which every 中小学 also contains. Within the task, the asking clause's words pick the
      // sentence; the scene's found the task.
      const weight = wordWeight(g, weights?.[i]) * (scene && !g.asked ? 0.5 : 1) * (g.asked === "kind" ? 1.5 : 1);
      // The word as asked says it more surely than a thesaurus term for it (公办幼儿园 over 普惠性).
      if (t.includes(g.word)) s += weight;
      else if (g.alternatives.some((a) => a.length > 0 && t.includes(a))) s += 0.75 * weight;
    }
    if (has(query, "figure", "money") && extractFigures(text).length > 0) s += 1.5;
    // A target or a scale asked ("目标有什么不同", "规模") is usually stated as a figure.
    else if (TARGET_WORDS.test(query.text) && extractFigures(text).length > 0) s += 1;
    if (query.measures && extractFigures(text).some((f) => query.measures!.some((m) => inMeasure(f, m)))) s += 1.5;
    if (has(query, "figure") && extractFigures(text).some((f) => statedOfAsked(text, f, query))) s += 2;
    // "建小学还是中学": the sentence that states one of them (28班完全中学) answers.
    if (query.choices?.some((c) => t.includes(c))) s += 2;
    for (const ask of TIME_KINDS) if (has(query, ask) && statesTime(ask, t)) s += 2;
    if (has(query, "money") && FEE_WORDS.test(t)) s += 2;
    if (has(query, "progress") && /%/u.test(t) && /完成|进展/u.test(t)) s += 3;
    if (has(query, "contact") && /联系人|联系电话/u.test(t)) s += 3;
    if (has(query, "docnumber") && WRITTEN_DOC_NUMBER.test(t)) s += 3;
    return s;
  };
}

const compact = (s: string) => s.replace(/\s+/gu, "");

/** A line that only names a part ("（二）小学生校内课后服务工程") or the task says nothing new. */
function isHeadingOnly(sentence: string, task: Task, passage: Passage): boolean {
  const s = compact(sentence).replace(/[。；;]$/u, "");
  // A title sentence that states a figure ("每周开放时长不少于24小时。") is content, not a heading.
  if (s === compact(task.title)) return extractFigures(sentence).length === 0;
  // A heading line ends without a full stop; a 一是…。 point that its part is named after is content.
  if (/[。；;！？]$/u.test(sentence.trim())) return false;
  // A sub-part's own heading line inside the passage: "(3) 小学", "（二）存在的困难".
  return passage.path.some((p) => compact(p) === s) || (s.length <= 16 && !/[，,、]/u.test(s) && readMarker(s) !== undefined);
}

/** Every part under a top-level part, each with its breadcrumb: the report's 问题 or 下一步, whole. */
function partPassages(hit: Hit, top: Part): Passage[] {
  const out: Passage[] = [];
  const walk = (part: Part, path: string[]) => {
    const here = [...path, partHeading(part)];
    out.push({ id: `${hit.doc.id}/${hit.task.number}#${here.join("/")}`, path: here, text: part.text });
    for (const child of part.parts) walk(child, here);
  };
  walk(top, []);
  return out;
}

/**
 * Where to quote from. A question about a report's problems, next steps or progress is answered
 * from that part of the report (of every matching part, when it repeats); otherwise from the
 * passages retrieval matched.
 */
function passagesFor(hit: Hit, query: Query): Passage[] {
  const kinds = (["problem", "next", "progress"] as const).filter((a) => query.asks.includes(a));
  for (const kind of kinds) {
    const tops = hit.task.parts.filter((p) => PART_KINDS[kind]!.test(partHeading(p)));
    if (tops.length > 0) return tops.flatMap((p) => partPassages(hit, p));
  }
  return [hit.chunk, ...hit.siblings];
}

/**
 * The best quotes of one hit, at most `n` (a report part asked for, at least 3; what a task
 * involves, 3), most relevant first (the contract orders citations so).
 */
function quotesOf(hit: Hit, query: Query, score: (t: string) => number, n: number): Quote[] {
  const lookup = query.intent === "lookup";
  const passages = passagesFor(hit, query);
  // A report part asked for is answered by its points in order: several, each short.
  const partAsked = passages[0] !== hit.chunk;
  if (partAsked) n = Math.max(n, 3);
  const maxQuote = partAsked ? 60 : MAX_QUOTE;
  // A report part's sub-heading ("（3）小学") says what its sentences are about.
  const pathScore = (p: Passage) => (partAsked ? 0.8 * score(p.path.slice(1).join(" ")) : 0);
  // A headline (the task's title, a part's name) loses to content, but is quoted when it is all there is.
  // A lead note alone ("（牵头单位：基础教育科）") says who, not what: it is never the quote.
  // A task whose only statement is its title sentence ("3. 课后服务延长至18:30。") is quoted by it.
  const content = (text: string) => sentences(text).filter((s) => !isLeadNote(s.text));
  const all = passages.flatMap((passage, c) => {
    const read = content(passage.text).map((s) => ({ s, headingOnly: isHeadingOnly(s.text, hit.task, passage) }));
    // A report part asked for whose own text is its heading ("二、存在问题"): its points follow as parts.
    // A heading that states a figure ("一、本月进展情况 25%") says something.
    const own = partAsked ? read.filter((x) => !(x.headingOnly && extractFigures(x.s.text).length === 0)) : read;
    return own.map(({ s, headingOnly }, i) => {
      const base = score(s.text) + pathScore(passage) + (c === 0 && !partAsked ? 0.01 : 0) + (lookup ? 0.3 / (i + 1) : 0);
      const heading = own.length > 1 && headingOnly;
      return { passage, s, order: c * 1000 + i, heading, score: heading ? base * 0.5 - 0.5 : base };
    });
  });
  // A report part asked for is the answer even where none of its sentences repeats the question's words.
  const ranked = all.filter((x) => x.score > 0.05 || lookup || partAsked).sort((a, b) => b.score - a.score || a.order - b.order);
  // A heading is never the answer on its own: what stands under it is (its first content sentence).
  const first = ranked[0];
  const under = first?.heading ? all.find((x) => x.passage === first.passage && x.order > first.order && !x.heading && /\p{Script=Han}{2}/u.test(x.s.text)) : undefined;
  const chosen = under ? [{ ...under, score: first!.score }] : ranked.slice(0, 1);
  // "重点抓什么", "具体要搞哪些活动": what the task does is said by the sentences after the one that
  // names it ("落实《…三年提升计划》" is only its name).
  if (has(query, "breadth") && !partAsked && chosen[0]) {
    const from = chosen[0];
    const around = all.filter((x) => x.passage === from.passage && x !== from && !x.heading && /\p{Script=Han}{4}/u.test(x.s.text));
    // The sentences after it, in order; where fewer follow, those just before it, nearest first
    // (quoted after the following ones: the matched sentence and what it goes on to say come first).
    const following = around.filter((x) => x.order > from.order);
    const preceding = around.filter((x) => x.order < from.order).reverse();
    chosen.push(...[...following, ...preceding].slice(0, BREADTH_QUOTES - chosen.length));
  }
  for (const x of ranked.slice(1)) {
    if (chosen.includes(x)) continue;
    if (chosen.length >= n) break;
    if (x.score >= (partAsked ? 0.5 : 0.75) * (chosen[0]?.score ?? 0) && !isHeadingOnly(x.s.text, hit.task, x.passage)) chosen.push(x);
  }
  return chosen.map((x) => {
    const text = bestWindow(x.s.text, score, maxQuote);
    return { hit, passage: x.passage, text, trimmed: text !== x.s.text, score: x.score };
  });
}

/**
 * A contact asked for is answered from the task's contact lines ("联系人：宗宏、石东红",
 * "联系电话：…"), each quoted, whatever sentence matched the question's other words.
 */
function withContactLines(hit: Hit, query: Query, quotes: Quote[]): Quote[] {
  const contacts = hit.task.contacts;
  if (!has(query, "contact", "phone") || !contacts) return quotes;
  const wanted = [...contacts.names, ...contacts.phones];
  const quoted = quotes.map((q) => q.text).join("\n");
  const lines = hit.task.text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^(联系人|联系电话|电话)\s*[：:]/u.test(l) && wanted.some((w) => l.includes(w) && !quoted.includes(w)));
  const passage = { id: hit.chunk.id, path: hit.chunk.path, text: hit.chunk.text };
  return [...quotes, ...lines.map((text) => ({ hit, passage, text, trimmed: false, score: quotes[0]?.score ?? 1 }))];
}

/** The asked facts, verbatim from the quotes: the times, figures, progress or contacts they hold. */
function askedFacts(query: Query, quotes: readonly Quote[]): { label: keyof typeof answerText.zh.factLabel; facts: string[] } | undefined {
  const text = quotes.map((q) => q.text).join("\n");
  const all = (re: RegExp) => [...new Set([...text.matchAll(re)].map((m) => m[0].trim()))];
  for (const ask of TIME_KINDS) {
    if (!has(query, ask)) continue;
    // "16:30 分" and "16:30 至 18:00" in one sentence: the range says it all.
    const found = all(TIME_PATTERNS[ask]).map((f) => f.replace(/\s*分$/u, ""));
    const distinct = [...new Set(found)].filter((f, _, xs) => !xs.some((o) => o !== f && o.includes(f)));
    if (distinct.length > 0) return { label: "time", facts: distinct.slice(0, 3) };
  }
  if (has(query, "docnumber")) {
    // One number written twice, with and without a space, is one number.
    const numbers = all(new RegExp(WRITTEN_DOC_NUMBER.source, "gu")).filter((n, i, xs) => xs.findIndex((o) => o.replace(/\s/gu, "") === n.replace(/\s/gu, "")) === i);
    if (numbers.length > 0) return { label: "docnumber", facts: numbers.slice(0, 2) };
  }
  if (has(query, "progress")) {
    const progress = quotes[0]?.hit.task.progress.filter((p) => text.includes(p)) ?? [];
    if (progress.length > 0) return { label: "progress", facts: progress.slice(0, 1) };
  }
  if (has(query, "phone") && !quotes[0]?.hit.task.contacts) {
    // A number written in the text ("开通心理咨询热线021-12345678"), not on a contact line.
    const phones = all(new RegExp(STATED.phone.source, "gu"));
    if (phones.length > 0) return { label: "phone", facts: phones.slice(0, 2) };
  }
  if (has(query, "contact")) {
    const c = quotes[0]?.hit.task.contacts;
    const names = (c?.names ?? []).filter((f) => text.includes(f));
    const phones = (c?.phones ?? []).filter((f) => text.includes(f));
    const facts = [names.join("、"), phones.length > 0 ? `${answerText.zh.phone}${phones.join("、")}` : ""].filter((f) => f.length > 0);
    if (facts.length > 0) return { label: "contact", facts };
  }
  if (has(query, "figure", "money")) {
    // A clock time is a figure only when the time was asked.
    const figuresOf = (q: Quote | undefined) => extractFigures(q?.text ?? "").filter((f) => (!has(query, "money") || /元/u.test(f)) && !/[:：]|\d\s*点/u.test(f));
    // "多少场学习": the figure counted in 场 (6303场次), in whichever quote of the task states it, not the 15次 beside it.
    // Each unit asked, in whichever quote states a figure in it first.
    const inUnits = (query.measures ?? []).flatMap((m) => quotes.map((q) => figuresOf(q).filter((f) => inMeasure(f, m))).find((fs) => fs.length > 0) ?? []);
    const measured = inUnits.length > 0 ? [...new Set(inUnits)] : undefined;
    // "how many school districts and groups": the figures that count what was asked (14个学区, 7个集团), not the 2个 beside them.
    // Every quote's: "新开办几所中小幼学校？推进多少个学校基建项目？" asks two counts, often in two sentences.
    const counted = [...new Set(quotes.flatMap((q) => figuresOf(q).filter((f) => countsAsked(q.text, f, query))))];
    const counting = counted.length > 0 ? counted : undefined;
    const ofAsked = quotes.map((q) => figuresOf(q).filter((f) => statedOfAsked(q.text, f, query))).find((fs) => fs.length > 0);
    const figures = measured ?? counting ?? ofAsked ?? figuresOf(quotes[0]);
    if (figures.length > 0) return { label: "figure", facts: figures.slice(0, 3) };
  }
  return undefined;
}

/** A detail of a kind documents state in recognisable form: a number to dial, a street, an app. */
const STATED: Record<"phone" | "address" | "channel", RegExp> = {
  phone: /(?<!\d)(?:\d{3,4}[-—－]?)?\d{7,8}(?!\d)|\d{3}[-—－]?\d{3}[-—－]?\d{4}/u,
  address: /地址|位于|坐落|东至|西至|南至|北至|\p{Script=Han}{1,6}(?:路|街|弄|巷)\s*\d+\s*号/u,
  // "依托“长三角教育人才服务联盟”": a plan names the means it works through.
  channel: /小程序|公众号|app|网站|网址|平台|随申办|一网通办|微信|热线|窗口|依托|借助/iu,
};

/**
 * Whether a text names a particular school, body or person, as a "叫什么名字" question wants:
 * 延安初级中学, 青浦区家庭教育指导与研究中心, 《…行动计划》; not "3所随迁学校" or "加强对随迁子女学校"
 * (kinds, not names).
 */
function namesOne(text: string, query: Query): boolean {
  // People asked for ("评上特级教师的是哪几位老师") are named only as people: a title or a count names none.
  if (PERSON_ASKED.test(query.text)) return PERSON_NAMED.test(text);
  // A school or a training provider asked for is named only as one; a plan's title in 《》 names no school.
  const institution = /哪所|哪家|哪个(?:小学|中学|初中|高中|学校|幼儿园|机构)|哪些(?:学校|机构)|(?:学校|小学|中学|幼儿园|机构|补习班|培训班)(?:叫什么|的名字|名称)/u.test(query.text);
  if (!institution && /[《“][^》”]{2,30}[》”]/u.test(text)) return true;
  if (/(?:局长|校长|园长|主任|书记|负责人)[:：]?\p{Script=Han}{2,3}/u.test(text)) return true;
  // "7所学校分别叫什么名字": several are asked for; one named school is not their names.
  return bodiesNamedIn(text).length >= (/分别|各叫|都叫/u.test(query.text) ? 2 : 1);
}

const PERSON_ASKED = /哪几位|哪位|都有谁|有谁|哪些人|(?:老师|教师|校长|局长|园长|书记|主任)(?:叫什么|的名字)/u;
const PERSON_NAMED = /(?:局长|校长|园长|主任|书记|负责人|联系人|组长)[:：]?\p{Script=Han}{2,3}|\p{Script=Han}{2,3}(?:同志|老师)(?![\p{Script=Han}])|联系人[:：]/u;

/** Asked details whose absence means the documents do not answer (a figure or a period near it may still do). */
const DETAIL_UNSTATED_IS_NO_ANSWER = new Set<Detail>(["fee", "time", "phone", "address", "channel", "name", "day"]);

type Detail = keyof typeof answerText.zh.detail | "day";

/**
 * A figure asked of something the task never writes ("体育中考满分是多少分" of a task on 中考改革,
 * "录取率是多少" of one on 高校合作): the documents hold no such figure, though they touch the topic.
 */
function figureOfUnwritten(query: Query, best: Hit): boolean {
  const group = query.groups.find((g) => g.word === query.figureOf);
  return group !== undefined && !groupMatches(group, fold(best.task.text));
}

/** What the question asked for that the quotes do not hold, each once, in the order asked: said before the quotes. */
function missingDetails(query: Query, quotes: readonly Quote[], facts: ReturnType<typeof askedFacts>): Detail[] {
  const text = quotes.map((q) => q.text).join("\n");
  if (query.nearDay && !text.includes(query.nearDay)) return ["day"];
  const out: Detail[] = [];
  if (has(query, "money") && !statesFee(text)) out.push("fee");
  for (const detail of ["phone", "address", "channel"] as const) if (has(query, detail) && !STATED[detail].test(text)) out.push(detail);
  if (has(query, "name") && !namesOne(text, query)) out.push("name");
  if (facts) return out;
  if (has(query, "clock", "date", "year")) out.unshift("time");
  else if (has(query, "period")) out.unshift("period");
  // "一个月多少" after 交钱: the figure asked is the fee, said missing already.
  else if (has(query, "figure") && !out.includes("fee")) out.push("figure");
  return out;
}

/** The line saying what the documents do not state. */
function missingLine(details: readonly Detail[], lang: "zh" | "en"): string {
  const t = answerText[lang];
  if (details.includes("day")) return t.missingDay;
  return t.missing([...new Set(details.map((d) => t.detail[d as keyof typeof t.detail]))]);
}

function render(q: Quote, label: string): string {
  const body = q.text.replace(/[。；;，,]$/u, "");
  return `“${body}${q.trimmed ? "…" : ""}”${label}`;
}

function refusal(result: RetrievalResult, holdings: Holdings, lang: "zh" | "en"): string {
  const t = answerText[lang];
  const r = result.refusal;
  switch (r?.kind) {
    case "unknown-place":
      return t.unknownPlace(r.places, holdings, r.soundsLike);
    case "year-not-held":
      return t.yearNotHeld(r.district, r.years, holdings);
    case "not-mentioned":
      return t.notMentioned(r.names, holdings);
    case "task-not-found":
      return t.taskNotFound(r.taskNumber, r.searched);
    default:
      return t.weak(holdings);
  }
}

function refused(question: string, text: string, lang: "zh" | "en"): Answer {
  return { question, answer: text, grounded: false, citations: [], mode: "extractive", language: lang };
}

interface Composed {
  lines: string[];
  citations: Citation[];
  grounded: boolean;
}

function composeResponsibility(result: RetrievalResult, score: (t: string) => number, lang: "zh" | "en"): Composed {
  const t = answerText[lang];
  const best = result.hits[0]!;
  if (best.leads.length === 0) {
    // The task is still the answer to "which task": cite it and say the document names no unit,
    // unless the sentence itself says who ("由分管县领导任组长").
    const [q] = quotesOf(best, result.query, score, 1);
    if (!q) return { lines: [], citations: [], grounded: false };
    if (namesSomeoneIn(q.text)) return composeQuotes(result, score, lang);
    const c = citationOf(best, q.text, q.passage);
    return { lines: [t.noLead(c.label), render(q, "")], citations: [c], grounded: false };
  }
  const lines: string[] = [];
  const citations: Citation[] = [];
  for (const group of leadsBySentence(best.leads).slice(0, 2)) {
    const quote = bestWindow(group.sentence, score, MAX_QUOTE);
    const c = citationOf(best, quote);
    citations.push(c);
    lines.push(`${t.leadIntro(group.departments.join("、"), group.partners.join("、"))}${c.label}${lang === "zh" ? "：" : ": "}“${quote}${quote !== group.sentence ? "…" : ""}”`);
  }
  return { lines, citations, grounded: true };
}

function composeDepartment(result: RetrievalResult, score: (t: string) => number, lang: "zh" | "en"): Composed {
  const dept = result.query.department ?? "";
  const lines = [answerText[lang].departmentIntro(dept, result.hits.length)];
  const citations: Citation[] = [];
  for (const hit of result.hits) {
    const lead = hit.leads[0];
    if (!lead) continue;
    const quote = bestWindow(lead.sentence, score, 70);
    const c = citationOf(hit, quote);
    citations.push(c);
    lines.push(`${citations.length}. ${quote}${quote !== lead.sentence ? "…" : ""}${c.label}`);
    if (lines.join("\n").length > MAX_BODY + 60) break;
  }
  return { lines, citations, grounded: citations.length > 0 };
}

/** How much of one side a comparison quotes: two sides and their labels stay within a phone screen. */
const COMPARE_SIDE = 130;

/** The first quotes whose text together stays within `max` characters (the first always). */
function withinLength(quotes: readonly Quote[], max: number): Quote[] {
  const out: Quote[] = [];
  let total = 0;
  for (const q of quotes) {
    total += q.text.length;
    if (out.length > 0 && total > max) break;
    out.push(q);
  }
  return out;
}

/** Comparisons answer per side: each district (or each year of one district) from its own best task. */
function composeComparison(result: RetrievalResult, score: (t: string) => number, lang: "zh" | "en"): Composed {
  const { query, hits } = result;
  const byDistrict = new Set(hits.map((h) => h.doc.district)).size > 1;
  const sideOf = (h: Hit) => (byDistrict ? h.doc.district : `${h.doc.year}${lang === "zh" ? "年" : ""}`);
  const lines: string[] = [];
  const leads: string[] = [];
  const citations: Citation[] = [];
  const seen = new Set<string>();
  for (const hit of hits) {
    const side = sideOf(hit);
    if (seen.has(side)) continue;
    seen.add(side);
    // Each side says what it does in up to two sentences, while the answer stays phone-length.
    const quotes = withinLength(quotesOf(hit, query, score, 2), COMPARE_SIDE);
    const q = quotes[0];
    if (!q) continue;
    const c = citationOf(hit, q.text, q.passage);
    citations.push(c);
    const facts = askedFacts(query, quotes);
    // "目标有什么不同": each side's target figures lead, as a figure asked would.
    const targets = !facts && TARGET_WORDS.test(query.text) ? quotes.flatMap((q) => extractFigures(q.text)).filter((f) => !/[:：]/u.test(f)) : [];
    if (facts) leads.push(`${side} ${facts.facts.slice(0, 2).join("、")}`);
    else if (targets.length > 0) leads.push(`${side} ${[...new Set(targets)].slice(0, 2).join("、")}`);
    lines.push(`${side}：${quotes.map((x, i) => render(x, i === quotes.length - 1 ? c.label : "")).join("")}`);
  }
  const head = leads.length >= 2 ? `${leads.join(lang === "zh" ? "，" : "; ")}${lang === "zh" ? "。" : "."}` : answerText[lang].compareIntro;
  return { lines: [head, ...lines], citations, grounded: citations.length > 0 };
}

function composeQuotes(result: RetrievalResult, score: (t: string) => number, lang: "zh" | "en"): Composed {
  const { query, hits } = result;
  const t = answerText[lang];
  const best = hits[0]!;
  const bestQuotes = withContactLines(best, query, quotesOf(best, query, score, 2));
  const others = hits
    .slice(1, 3)
    .filter(() => query.intent !== "lookup")
    .map((hit) => quotesOf(hit, query, score, 1)[0])
    .filter((q): q is Quote => q !== undefined && q.score > 0 && q.score >= 0.8 * Math.max(bestQuotes[0]?.score ?? 0, 0));
  const facts = askedFacts(query, bestQuotes);
  // The quote that states the lead's facts comes first, so that it is never the one cut for length.
  const stating = facts ? bestQuotes.findIndex((q) => facts.facts.every((f) => q.text.includes(f))) : -1;
  if (stating > 0) bestQuotes.unshift(...bestQuotes.splice(stating, 1));
  // A report may write one line in two parts (its 困难 and its 下一步): it is quoted once.
  const quotes = [...bestQuotes, ...others].filter((q, i, all) => all.findIndex((o) => o.text === q.text) === i);
  const missing = missingDetails(query, quotes, facts);

  const lines: string[] = [];
  const citations: Citation[] = [];
  const cite = (q: Quote) => {
    const c = citationOf(q.hit, q.text, q.passage);
    citations.push(c);
    return c;
  };
  if (missing.length > 0) lines.push(missingLine(missing, lang));
  let leadLabel: string | undefined;
  if (facts && missing.length === 0) {
    // The lead carries the citation; the quote right under it, from the same task, need not repeat it.
    leadLabel = citationOf(best, "").label;
    lines.push(`${t.factLabel[facts.label]}${facts.facts.join(facts.label === "contact" ? "；" : "、")}${leadLabel}`);
  } else if (query.intent === "lookup" && !query.asks.some((a) => a in PART_KINDS)) {
    lines.push(t.lookupIntro(citationOf(best, "").label, best.task.title));
    leadLabel = citationOf(best, "").label;
  } else if (lang === "en") {
    lines.push(t.opening);
  }
  // Consecutive quotes from one task carry its label once, on the last of them.
  const chosen: { q: Quote; c: Citation }[] = [];
  for (const q of quotes) {
    if (lines.join("\n").length + chosen.reduce((n, x) => n + x.q.text.length, 0) > MAX_BODY && citations.length > 0) break;
    chosen.push({ q, c: cite(q) });
  }
  chosen.forEach(({ q, c }, i) => {
    const next = chosen[i + 1];
    lines.push(render(q, c.label === leadLabel || next?.c.label === c.label ? "" : c.label));
  });
  // The asked fee or time is not in the documents: they do not answer, though they say something near it.
  return { lines, citations, grounded: citations.length > 0 && !missing.some((d) => DETAIL_UNSTATED_IS_NO_ANSWER.has(d) || (d === "figure" && figureOfUnwritten(query, best))) };
}

function composeFor(result: RetrievalResult, score: (t: string) => number, lang: "zh" | "en"): Composed {
  const { query } = result;
  if (query.intent === "department") return composeDepartment(result, score, lang);
  // A task looked up by number answers "who leads" only when it names a lead; otherwise it is quoted.
  if (query.asksLead && (query.intent !== "lookup" || result.hits[0]?.leads.length)) return composeResponsibility(result, score, lang);
  if (query.comparison && new Set(result.hits.map((h) => `${h.doc.district}·${h.doc.year}`)).size > 1) return composeComparison(result, score, lang);
  return composeQuotes(result, score, lang);
}

export function composeExtractive(result: RetrievalResult, holdings: Holdings): Answer {
  const { query } = result;
  const lang = query.language;
  // About the subject but without the time asked: what the documents say is quoted, and does not answer.
  const quotedUnanswered = result.refusal?.kind === "time-not-stated";
  if ((result.refusal && !quotedUnanswered) || result.hits.length === 0) return refused(query.raw, refusal(result, holdings, lang), lang);
  const composed = composeFor(result, scorer(query, result.weights), lang);
  if (composed.citations.length === 0) return refused(query.raw, composed.lines.join("\n") || refusal(result, holdings, lang), lang);
  const lines = query.readAs ? [answerText[lang].readAs(query.readAs.typed, query.readAs.place), ...composed.lines] : composed.lines;
  return {
    question: query.raw,
    answer: lines.join("\n"),
    grounded: composed.grounded && !quotedUnanswered,
    citations: composed.citations,
    mode: "extractive",
    language: lang,
  };
}
