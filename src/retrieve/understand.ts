/**
 * Question understanding before search: which districts and years the question names (filters),
 * whether it names a task number, whether it asks who is responsible, what a parent's words mean
 * in the documents' words, and whether it was asked in English.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../config.js";
import { districtsNamedIn, KNOWN_DISTRICTS } from "../ingest/metadata.js";
import { fold } from "../index/normalize.js";
import { STOPWORDS, subwords, tokenize, words as dictionaryWords } from "../index/tokenizer.js";
import glossary from "./glossary-en.json" with { type: "json" };
import thesaurus from "./thesaurus.json" with { type: "json" };

const HERE = join(PROJECT_ROOT, "src/retrieve");
const QUESTION_WORDS: ReadonlySet<string> = new Set(
  readFileSync(join(HERE, "question-words.txt"), "utf8")
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .flatMap((l) => l.split(/\s+/u))
    .filter((w) => w.length > 0),
);

/** Every word question understanding relies on: the index keeps them in its dictionary. */
export function questionVocabulary(): string[] {
  const words = new Set<string>([...QUESTION_WORDS, ...STOPWORDS, ...OTHER_CITIES]);
  for (const e of thesaurus.entries) for (const w of [...e.when, ...e.add]) words.add(w);
  for (const zh of Object.values(glossary.terms)) for (const w of zh.split(/\s+/u)) if (w) words.add(w);
  for (const zh of Object.values(glossary.places)) words.add(zh);
  for (const d of KNOWN_DISTRICTS) words.add(d.name).add(d.short);
  return [...words].sort();
}

/** Cities outside the corpus that people name instead of a district. */
const OTHER_CITIES = ["北京", "广州", "深圳", "杭州", "南京", "天津", "重庆", "成都", "武汉", "苏州", "西安"];

export type Intent = "lookup" | "responsibility" | "department" | "general";

/** What the index holds, as far as question understanding needs to know. */
export interface Catalog {
  /** district → years held */
  holdings: Map<string, Set<number>>;
  /** lead departments named in the documents */
  departments: readonly string[];
}

/** One thing the question is about: its own word plus the documents' words for it. */
export interface TermGroup {
  word: string;
  alternatives: string[];
  /** A compound the documents may write apart: 足球学校 counts when 足球 and 学校 both appear. */
  parts?: string[];
  /** A question word (几点, 多少): searched, but not required of an answer. */
  focus: boolean;
  /** Put together from characters the dictionary did not know. */
  unknown?: boolean;
}

export interface Query {
  raw: string;
  language: "zh" | "en";
  /** The question in Chinese, folded (the English one translated through the glossary). */
  text: string;
  districts: string[];
  years: number[];
  /** Places named that the index does not hold: 海淀区, 北京. */
  unknownPlaces: string[];
  taskNumber?: string;
  intent: Intent;
  department?: string;
  comparison: boolean;
  /** The question asks who leads or is responsible (also for a task looked up by number). */
  asksLead: boolean;
  /** "是谁", "who": the answer must name a department or a person. */
  asksWho: boolean;
  /** "几月几号" (a date), "几点" (a clock time), "什么时候" (any period): the answer must hold one. */
  asksWhen?: "date" | "clock" | "period";
  groups: TermGroup[];
  /** Tokens for BM25: the question's own plus thesaurus additions. */
  tokens: string[];
  /** Text for the embedding: the question plus thesaurus additions. */
  searchText: string;
}

const RESPONSIBILITY =
  /(哪个|哪些|什么|哪一个)(部门|科室|单位|科|处室)|谁(来)?(牵头|负责|管|主管)|(牵头|负责|主管)(部门|科室|单位)|归谁|由谁|归哪|which department|who (is )?(responsible|leads?|in charge)|responsible for|lead department/iu;
const COMPARISON = /对比|比较|不同|区别|差异|各区|分别|哪个区|compare|difference|differ/iu;

function isEnglish(q: string): boolean {
  const latin = (q.match(/[a-z]/giu) ?? []).length;
  const han = (q.match(/\p{Script=Han}/gu) ?? []).length;
  return latin > 0 && han === 0;
}

/** English → Chinese through the glossary, longest phrase first; numbers survive. */
export function translateEnglish(q: string): { text: string; places: string[] } {
  let rest = ` ${q.toLowerCase().replace(/[?!.,;:()"]/gu, " ")} `;
  const out: string[] = [];
  const places: string[] = [];
  for (const [en, zh] of Object.entries(glossary.places).sort((a, b) => b[0].length - a[0].length)) {
    if (rest.includes(` ${en} `)) {
      places.push(zh);
      rest = rest.split(` ${en} `).join(" ");
    }
  }
  for (const [en, zh] of Object.entries(glossary.terms).sort((a, b) => b[0].length - a[0].length)) {
    if (rest.includes(` ${en} `)) {
      if (zh) out.push(zh);
      rest = rest.split(` ${en} `).join(" ");
    }
  }
  const numbers = rest.match(/\d+/gu) ?? [];
  const task = /\b(?:task|item)\s*(?:no\.?|number|#)?\s*0*(\d{1,3})\b/iu.exec(q);
  return {
    text: [...places, ...out, ...(task ? [`第${task[1]}项`] : numbers)].join(" "),
    places,
  };
}

function findPlaces(text: string, catalog: Catalog): { districts: string[]; unknown: string[] } {
  const districts: string[] = [];
  const unknown: string[] = [];
  for (const d of districtsNamedIn(text)) (catalog.holdings.has(d.name) ? districts : unknown).push(d.name);
  for (const name of catalog.holdings.keys()) {
    if (!districts.includes(name) && text.includes(name.replace(/(新区|区|县)$/u, ""))) districts.push(name);
  }
  for (const city of OTHER_CITIES) if (text.includes(city)) unknown.push(city);
  return { districts, unknown };
}

/** Years a text names (2023, not the 2023 inside 12023), each once. */
export function yearsNamedIn(text: string): number[] {
  return [...new Set([...text.matchAll(/(?<!\d)((?:19|20)\d{2})(?!\d)/gu)].map((m) => Number(m[1])))];
}

/** "043项", "第14项", "第 48 项", "task 43": the number as an integer string (leading zeros dropped). */
function findTaskNumber(text: string): string | undefined {
  const m = /第\s*0*(\d{1,3})\s*(?:项|条)|(?<![\d.])0*(\d{1,3})\s*项(?!目)/u.exec(text.replace(/(?<!\d)(?:19|20)\d{2}\s*年?/gu, " "));
  const n = m?.[1] ?? m?.[2];
  return n ? String(Number(n)) : undefined;
}

function findDepartment(text: string, departments: readonly string[]): string | undefined {
  // People drop the 局 prefix: "计财科负责什么".
  return departments
    .filter((d) => d.length >= 3)
    .find((d) => text.includes(d) || (d.startsWith("局") && d.length >= 4 && text.includes(d.slice(1))));
}

/**
 * The words a question is about. A run of single characters the dictionary could not join is
 * a word it does not know (创全 → 创, 全): it is put back together. Lone characters and
 * stopwords say nothing on their own.
 */
export function subjectWords(subject: string): { word: string; unknown: boolean }[] {
  const all = dictionaryWords(subject, { keepStopwords: true });
  const out: { word: string; unknown: boolean }[] = [];
  let run = "";
  const flush = () => {
    if (run.length >= 2) out.push({ word: run, unknown: true });
    run = "";
  };
  for (const w of all) {
    if (w.length === 1 && /\p{Script=Han}/u.test(w) && !STOPWORDS.has(w)) {
      run += w;
      continue;
    }
    flush();
    if (!STOPWORDS.has(w) && (w.length >= 2 || /\d/u.test(w))) out.push({ word: w, unknown: false });
  }
  flush();
  return out.filter((x, i) => out.findIndex((y) => y.word === x.word) === i);
}

/** The thesaurus, folded once: questions are matched against it in folded form. */
const THESAURUS = thesaurus.entries.map((e) => ({ when: e.when.map(fold), add: e.add.map(fold) }));

function thesaurusAdditions(text: string): { phrase: string; add: string[] }[] {
  const out: { phrase: string; add: string[] }[] = [];
  for (const entry of THESAURUS) {
    const phrase = entry.when.find((w) => text.includes(w));
    if (phrase) out.push({ phrase, add: entry.add });
  }
  return out;
}

export function understand(raw: string, catalog: Catalog): Query {
  const language = isEnglish(raw) ? "en" : "zh";
  const translated = language === "en" ? translateEnglish(raw) : undefined;
  const text = fold(translated ? `${translated.text}` : raw).trim();
  const { districts, unknown } = findPlaces(text, catalog);
  const years = yearsNamedIn(text);
  const taskNumber = findTaskNumber(text);
  const department = findDepartment(text, catalog.departments);
  const asksLead = RESPONSIBILITY.test(raw) || RESPONSIBILITY.test(text) || /牵头|责任部门/u.test(text);
  const intent: Intent = taskNumber
    ? "lookup"
    : department && !RESPONSIBILITY.test(raw.replace(department, ""))
      ? "department"
      : asksLead
        ? "responsibility"
        : "general";
  const comparison = districts.length >= 2 || COMPARISON.test(raw);
  const asksWho = /是谁|叫什么名字|谁是|\bwho\b/iu.test(raw);
  const asksWhen = /几月|几号|几日|哪天|哪一天|what date/iu.test(raw)
    ? "date"
    : /几点|what time/iu.test(raw)
      ? "clock"
      : /什么时候|何时|什么时间|\bwhen\b/iu.test(raw)
        ? "period"
        : undefined;

  // What the question is about, without the filters it names.
  const placeWords = new Set(
    [...districts, ...unknown].flatMap((d) => [d, d.replace(/(新区|区|县|市)$/u, "")])
  );
  let subject = text;
  for (const p of [...placeWords].sort((a, b) => b.length - a.length)) subject = subject.split(p).join(" ");
  subject = subject.replace(/(?<!\d)(?:19|20)\d{2}\s*年?/gu, " ");
  if (taskNumber) subject = subject.replace(/第?\s*0*\d{1,3}\s*(?:项|条)/gu, " ");
  if (department) subject = subject.split(department).join(" ").split(department.slice(1)).join(" ");

  const additions = thesaurusAdditions(subject);
  const words = subjectWords(subject);
  // Words and thesaurus terms are all folded: coverage compares them with folded text as they are.
  const groups: TermGroup[] = words.map(({ word, unknown }) => {
    const parts = word.length >= 4 ? subwords(word) : [];
    return {
      word,
      ...(unknown ? { unknown } : {}),
      alternatives: [word, ...additions.filter((a) => a.phrase.includes(word) || word.includes(a.phrase)).flatMap((a) => a.add)],
      ...(parts.length >= 2 ? { parts } : {}),
      focus: QUESTION_WORDS.has(word),
    };
  });
  // A phrase the tokenizer split differently still contributes its additions as one group.
  for (const a of additions) {
    if (!groups.some((g) => g.alternatives.includes(a.add[0] ?? ""))) groups.push({ word: a.phrase, alternatives: [a.phrase, ...a.add], focus: false });
  }
  const additionText = additions.flatMap((a) => a.add).join(" ");
  const tokens = [...new Set([...tokenize(subject), ...tokenize(additionText)])];
  return {
    raw,
    language,
    text,
    districts,
    years,
    unknownPlaces: unknown,
    ...(taskNumber ? { taskNumber } : {}),
    intent,
    ...(department ? { department } : {}),
    comparison,
    asksLead,
    asksWho,
    ...(asksWhen ? { asksWhen } : {}),
    groups,
    tokens,
    searchText: `${subject} ${additionText}`.trim(),
  };
}
