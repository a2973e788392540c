/**
 * Question understanding before search: which districts and years the question names (filters),
 * whether it names a task number, whether it asks who is responsible, what a parent's words mean
 * in the documents' words, and whether it was asked in English.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../config.js";
import { chineseNumeral } from "../ingest/markers.js";
import { placeMentions, PLACES, shortName, type Place } from "../ingest/places.js";
import { TIME_KINDS } from "./times.js";
import { everydayWordsIn, topicality } from "./topicality.js";
import { fold } from "../index/normalize.js";
import { STOPWORDS, subwords, tokenize, words as dictionaryWords } from "../index/tokenizer.js";
import glossary from "./glossary-en.json" with { type: "json" };
import thesaurus from "./thesaurus.json" with { type: "json" };
import { meantWords, respellings } from "./sound-alike.js";
import { namedSchools } from "./institutions.js";

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
  const words = new Set<string>([...QUESTION_WORDS, ...STOPWORDS]);
  for (const e of thesaurus.entries) for (const w of [...e.when, ...e.add]) words.add(w);
  for (const zh of Object.values(glossary.terms)) for (const w of zh.split(/\s+/u)) if (w) words.add(w);
  for (const zh of Object.values(glossary.places)) words.add(zh);
  // Provinces and cities by both names, so that a question's place is one token.
  for (const p of PLACES) if (p.level === "province" || p.level === "city" || p.level === "country") words.add(p.name).add(shortName(p.name));
  return [...words].sort();
}


export type Intent = "lookup" | "responsibility" | "department" | "general";

/**
 * What kind of answer is wanted. A question may ask several ("几点开始，谁负责"); the composer
 * leads with the asked facts and says so plainly when the quoted text does not hold them.
 */
export type Ask =
  | "clock" // 几点
  | "date" // 几月几号
  | "period" // 什么时候, 多久
  | "year" // 哪一年
  | "figure" // 几所, 多少, 比例
  | "money" // 多少钱, 收费
  | "who" // 谁, 哪个部门
  | "contact" // 联系人, 电话
  | "phone" // 电话是多少, 热线: the number itself
  | "address" // 地址, 在什么位置
  | "channel" // 哪个小程序, 公众号, 网站: where to do it
  | "name" // 分别叫什么名字, 是哪几所: the names themselves
  | "progress" // 进展, 完成率
  | "problem" // 困难, 问题
  | "next" // 下一步, 打算
  | "yesno" // …吗, 有没有
  | "fulltext" // 全文, 原文
  | "docnumber" // 文号
  | "breadth"; // 重点抓什么, 具体要搞哪些活动: what a task involves, more than one sentence says

/** "建小学还是中学", "公办还是民办": a choice between two words. */
const CHOICE = /(\p{Script=Han}{2})还是(\p{Script=Han}{2,4}?)(?=[啊呀呢吗嘛的？?，,。！!\s]|$)/u;

/**
 * A word with its numbers in digits, as documents write them ("快乐三十分" → "快乐30分"); only
 * numbers of two characters or more, or before a measure word, so that 一校三址 stays a name.
 */
function withDigits(word: string): string {
  return word.replace(/[一二两三四五六七八九十百]{1,4}(?=[分个所名人次项天年周小时岁])|[一二两三四五六七八九十百]{2,4}/gu, (n) => {
    const v = chineseNumeral(n);
    return Number.isNaN(v) || /^[一二两三四五六七八九]$/u.test(n) ? n : String(v);
  });
}

/** "满分是多少", "录取率是多少": the word written right before the question word, with only 是/有/达到… between. */
const FIGURE_OF = /(\p{Script=Han}+?)(?:是|为|有|要|达到|能达到|大概|大约|一共|总共|共)*(?:多少|(?<!好)几)(?![个所名人项次场批届位家天年岁周期点时月号日千万百十乎公米秒元块张本种类])/u;

function figureSubject(subject: string, groups: readonly TermGroup[]): string | undefined {
  const m = FIGURE_OF.exec(subject);
  if (!m) return undefined;
  const before = subject.slice(0, m.index + m[1]!.length);
  // The nearest word of the question before the question word, with at most two characters after
  // it (录取率, 分数线, 工资涨): the longest of those ending nearest.
  const ends = groups
    // An everyday word (听说 of "听说有个…") is the scene, not what a figure is of.
    .filter((g) => !g.focus && g.word.length >= 2 && topicality(g.word) >= 0.3)
    .map((g) => ({ g, gap: before.length - (before.lastIndexOf(g.word) + g.word.length) }))
    .filter(({ g, gap }) => before.lastIndexOf(g.word) >= 0 && gap <= 2);
  return ends.sort((a, b) => a.gap - b.gap || b.g.word.length - a.g.word.length)[0]?.g.word;
}

/** "多少场", "几所", "多少人次": the unit a count is asked in. */
const MEASURE = /(?:多少|几)\s*(人次|万元|亿元|小时|课时|平方米|个|所|场|次|人|名|项|家|元|天|批|届|班|门|种|件|篇|期|台|套|间|条|支|座|亩|园|校)/u;

/** A day close at hand: what a yearly plan or a monthly report never schedules. */
const NEAR_DAY = /明天|明早|明晚|后天|今晚|今天(?:上午|下午|晚上)|下周[一二三四五六日天末]?|这周[一二三四五六日天末]|本周[一二三四五六日天末]?|\btomorrow\b|\btonight\b|\bnext week\b/iu;

/** "几月几号", "哪几天": a date is asked (an ask, and the kind of time an answer must hold). */
const ASKS_DATE = /几月|几号|几日|哪天|哪一天|哪几天|哪一日|what date/iu;

/** "哪一年开始招生": a year is asked, and an answer without one does not answer. */
const ASKS_YEAR = /哪一年|哪年|哪个年份|什么年份|几几年|\b(?:which|what) year\b|\bin what year\b/iu;

const ASK_RULES: readonly [Ask, RegExp][] = [
  ["clock", /几点|几时|what time/iu],
  ["date", ASKS_DATE],
  ["period", /什么时候|何时|什么时间|多久|多长时间|截止|期限|\bwhen\b|how long|deadline/iu],
  ["year", ASKS_YEAR],
  // What families pay; "拨多少钱" and 经费 ask what the bureau funds, a figure like any other.
  // An amount families pay: "收费有没有监管" asks about oversight, not a price.
  ["money", /^(?!.*(拨|经费|投入|资金|预算|补贴|funding|budget)).*(多少钱|几块钱|交多少|收多少|缴多少|(?:交|缴|付|花)钱|收钱|(?:收费|费用|学费|价格|伙食费|保育费|托费)(?:标准|是|要|大概|大约|一般)*(?:多少|几)|收不收(?:费|钱)|要不要(?:收|交)(?:费|钱)|免不免费|是不是免费|\b(cost|fee|fees|price|tuition)\b)/iu],
  ["figure", /(?<!哪)几(?!点|时|月|号|日)|多少|比例|覆盖率|百分之|提高到|降到|达到多少|面积|规模|how (many|much)|\brate\b|percentage|share|number of/iu],
  ["who", /是谁|谁|哪个(部门|科室|单位|科|处室)|哪些(部门|科室|单位)|牵头|负责部门|责任单位|\bwho\b|which (department|office|unit)|responsible|in charge/iu],
  ["contact", /联系人|电话|联系方式|找谁|contact|phone/iu],
  ["phone", /(?:电话|热线)(?:号码)?(?:是|为)?(?:多少|什么|几号)|号码|打哪个电话|phone number|hotline|telephone/iu],
  ["address", /地址|门牌|在哪条路|(?:在哪(?:里|儿)?|什么地方)(?:召开|举行|举办)|会.{0,12}(?:在哪(?:里|儿)?|什么地方)开|\baddress\b|located|where (?:is|will) .{0,40}\bheld\b/iu],
  ["name", /叫什么名字|叫什么|名字|名称|哪几所|哪所|哪些学校|哪个(?:小学|中学|初中|高中|学校|幼儿园)|哪家|都有谁|有哪些人|是哪些人|哪几位|\bnames?\b|which schools?/iu],
  ["channel", /小程序|公众号|\bapp\b|网址|网站|哪个平台|什么平台|二维码|链接|(?:在)?哪(?:里|儿)?(?:可以|能)?(?:查|看到|查到|办理|申请|报名)|\bwebsite\b|mini ?program|where (?:can|do) (?:i|we) (?:find|check|apply)/iu],
  // "its progress report" names the document, not its progress.
  ["progress", /进展|进度|完成率|完成了|完成情况|做了吗|做得怎么样|落实得|completion|progress(?! reports?\b)|status/iu],
  ["problem", /困难|问题|难点|阻碍|挑战|不足|瓶颈|卡在|difficult|problem|issue|obstacle|challenge/iu],
  ["next", /下一步|接下来|今后|打算|后续|next step|what next|plans? next/iu],
  ["yesno", /吗[？?!！。\s]*$|是否|有没有|能不能|会不会|是不是|可不可以|管不管|^(is|are|does|do|can|will|has|have)\b/iu],
  ["fulltext", /全文|原文|完整内容|full text/iu],
  ["breadth", /(?:抓|做|干|搞|办|开展)(?:些)?(?:什么|啥|哪些)|(?:哪些|什么|啥)\p{Script=Han}{0,2}?(?:举措|措施|办法|对策|说法|要求|工作|方面|内容|任务|建设|活动|准备|安排|重点)|具体(?:要|会|怎么)?(?:做|搞|干|安排|开展|落实)|怎么(?:做|搞|落实|推进)|包括哪些|\bwhat (?:will|does|do|are)\b.{0,40}\b(?:do|plan|plans|measures|include|involve)\b/iu],
  ["docnumber", /文号|发文字号|文件号|文件编号|哪个文件|什么文件|依据.{0,6}文件|document number/iu],
];

export function asksOf(raw: string): Ask[] {
  return ASK_RULES.filter(([, re]) => re.test(raw)).map(([ask]) => ask);
}

/** What the index holds, as far as question understanding needs to know. */
export interface Catalog {
  /** place → years held */
  holdings: Map<string, Set<number>>;
  /** Each held place's city and province, so that a question naming 上海 finds its districts. */
  parents?: Map<string, { city?: string; province?: string }>;
  /** lead departments named in the documents */
  departments: readonly string[];
  /** Whether the documents use a word (a search token): to read words typed with a same-sounding character. */
  knows?: (word: string) => boolean;
  /** Whether some passage writes a phrase as it is: its thesaurus terms are then not searched for it. */
  uses?: (phrase: string) => boolean;
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
  /** A passage that lacks it does not answer (a target year: "2024年预算" is not about 2023's). */
  required?: boolean;
  /**
   * In the clause that asks ("…三年行动计划到2022年，公办幼儿园覆盖率要争取到多少？"): what the
   * question wants stated; the other clauses set the scene. Only marked when there are both.
   * "of" before the question word (覆盖率…多少: a figure stated of it), "counted" after (多少所幼儿园).
   * "kind": in a question of one clause, what 哪些/什么 asks for ("学习型社会建设要办哪些市民活动":
   * 市民 活动), the rest being its topic.
   */
  asked?: "of" | "counted" | "kind";
  /** Alternatives that are guesses at a slip of the pen (小区 → 校区), not other words for the thing. */
  respelled?: string[];
}

export interface Query {
  raw: string;
  language: "zh" | "en";
  /** The question in Chinese, folded (the English one translated through the glossary). */
  text: string;
  districts: string[];
  /** Years of documents the index holds that the question names: a filter. */
  years: number[];
  /** Years the question names that are not a held document's year: a target or deadline the text talks about. */
  targetYears: number[];
  /** What kind of answer is wanted. */
  asks: Ask[];
  /**
   * Each place with its own year, where the question pairs them ("长宁2023年和闵行2021年"): a
   * comparison of those two documents, not of both places' documents of both years.
   */
  sides?: { district: string; year: number }[];
  /** Years written onto a document ("2025年工作要点") that the index does not hold. */
  missingDocumentYears?: number[];
  /** Places named that the index does not hold: 海淀区, 北京. */
  unknownPlaces: string[];
  /** Held places an unknown one sounds like (常宁 → 长宁区 or 长宁县): offered, when more than one. */
  soundsLike?: string[];
  /** The one held place an unknown one sounds like, read as meant (常宁 → 长宁区): the answer says so. */
  readAs?: { typed: string; place: string };
  taskNumber?: string;
  intent: Intent;
  department?: string;
  comparison: boolean;
  /** The question asks who leads or is responsible (also for a task looked up by number). */
  asksLead: boolean;
  /** "是谁", "who": the answer must name a department or a person. */
  asksWho: boolean;
  /** "几月几号" (a date), "几点" (a clock time), "什么时候" (any period): the answer must hold one. */
  asksWhen?: "date" | "clock" | "period" | "year";
  /**
   * The units counts are asked in, in the question's order: "多少场学习" → [场]; "新开办几所学校？推进多少个项目？"
   * → [所, 个]. An answer's figure in one of them is the one meant.
   */
  measures?: string[];
  /**
   * The word a figure is asked of, written just before the question word ("体育中考满分是多少分" →
   * 满分, "中考录取分数线是多少" → 分数): a document that never writes it states no such figure.
   */
  figureOf?: string;
  /** "建小学还是中学": the alternatives one of which the answer must state. */
  choices?: string[];
  /**
   * A day close at hand the question is about ("明天下午的家长座谈会", "下周"): plans and progress
   * reports do not schedule such days, so they cannot answer it.
   */
  nearDay?: string;
  /** Schools the question names (七宝中学): a question about one the documents never mention has no answer in them. */
  schools?: string[];
  groups: TermGroup[];
  /** Words that name what the question is about (夏令营, 学区房), not how it asks (拿到, 谁来): a message with none may be an ellipsis. */
  topicWords?: string[];
  /** Tokens for BM25: the question's own plus thesaurus additions. */
  tokens: string[];
  /**
   * Thesaurus terms for words the documents use as asked, not searched at first (托育 → 托班,
   * 托幼一体): where the documents in scope do not use the word, they are what is searched.
   */
  otherTerms?: string[];
  /** Text for the embedding: the question plus thesaurus additions. */
  searchText: string;
  /**
   * Neighbouring subject words, in the question's order (提升服务品质 → [提升, 服务], [服务, 品质]):
   * a passage that writes them together says what the question says, not only its words.
   */
  neighbours: [string, string][];
}

const RESPONSIBILITY =
  /(哪个|哪些|什么|哪一个)(部门|科室|单位|科|处室)|谁(来)?(牵头|负责|管|主管)|(牵头|负责|主管)(部门|科室|单位)|归谁|由谁|归哪|which department|who (is )?(responsible|leads?|in charge)|responsible for|lead department|\b(?:office|unit|department|bureau|section) (?:leads?|is in charge)\b/iu;
const COMPARISON = /对比|比较|不同|区别|差异|变化|有何变|各区|分别|哪个区|compare|difference|differ|change/iu;

function isEnglish(q: string): boolean {
  const latin = (q.match(/[a-z]/giu) ?? []).length;
  const han = (q.match(/\p{Script=Han}/gu) ?? []).length;
  return latin > 0 && han === 0;
}

/** English → Chinese through the glossary, longest phrase first; numbers survive. */
export function translateEnglish(q: string, held: (place: string) => boolean = () => false): { text: string; places: string[]; synonyms: string[][] } {
  // "Changning's" is Changning.
  let rest = ` ${q.toLowerCase().replace(/['’]s\b/gu, "").replace(/[?!.,;:()"“”]/gu, " ").replace(/\s+/gu, " ")} `;
  const out: string[] = [];
  const places: string[] = [];
  for (const [en, zh] of Object.entries(glossary.places).sort((a, b) => b[0].length - a[0].length)) {
    if (rest.includes(` ${en} `)) {
      places.push(zh);
      rest = rest.split(` ${en} `).join(" ");
    }
  }
  // Any other place, by the pinyin of its name (Zhaoyuan, Qujing): a held place first, else the only one so spelt.
  for (const word of rest.match(/[a-z]{4,}/gu) ?? []) {
    const spelt = PLACES_BY_PINYIN.get(word) ?? [];
    const pick = spelt.filter((p) => held(p.name));
    const place = pick.length > 0 ? pick : spelt.length === 1 ? spelt : [];
    if (place.length === 0) continue;
    places.push(...place.map((p) => p.name));
    rest = rest.split(` ${word} `).join(" ");
  }
  // A plural the glossary lacks is read as its singular: universities → university, campuses → campus.
  rest = rest.replace(/[a-z]+/gu, (w) => (w in glossary.terms ? w : [w.replace(/ies$/u, "y"), w.replace(/es$/u, ""), w.replace(/s$/u, "")].find((s) => s !== w && s in glossary.terms) ?? w));
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
    // "university" → 高校 大学: one thing said two ways, not two things the answer must both say.
    synonyms: out.map((zh) => zh.split(/\s+/u).filter((w) => w.length > 0)).filter((ws) => ws.length > 1),
  };
}

/** Places by the pinyin of their short name, run together as English writes it ("changning"). */
const PLACES_BY_PINYIN = (() => {
  const m = new Map<string, Place[]>();
  for (const p of PLACES) if (p.py) m.set(p.py.replace(/\s+/gu, ""), [...(m.get(p.py.replace(/\s+/gu, "")) ?? []), p]);
  return m;
})();

/** What a title or an honour reads after its city: 上海市示范性…, 上海市特级教师, 上海市文明校园. */
const HONOUR_AFTER_PLACE = /^(?:示范|特色|优秀|标兵|先进|重点|文明|一流|品牌|名校|特级|骨干|级)/u;

const SCHOOL_NAME_END = /^(?:实验)?(?:中学|小学|初中|初级中学|高中|高级中学|完全中学|幼儿园|学校|外国语)/u;

/** Characters around a place name that show it stands alone: 在上海, 长宁的, 去北京呢. */
const BEFORE_PLACE = /[^\p{Script=Han}]$|[在去到和与跟同及、我你请问从是对说看]$/u;
const AFTER_PLACE = /^(?:[^\p{Script=Han}]|$|[的市省区县有是呢吗那这和与、教中高小幼学初课托今明去年2])/u;

/**
 * The places a question names: held ones (any form, since the corpus is about them), and others
 * the table knows (full names anywhere, short names standing alone) to refuse plainly. A city
 * or province that contains held places means those places.
 */
function findPlaces(text: string, catalog: Catalog): { districts: string[]; unknown: string[]; typed: string[] } {
  const held = (p: Place) => catalog.holdings.has(p.name);
  // A short name opening the question stands alone too ("苏州的课后服务…").
  // A short name before a school word is the school's name (延安初级中学, 七宝中学), not the place.
  const acceptShort = (t: string, at: number, end: number) =>
    (at === 0 || BEFORE_PLACE.test(t.slice(0, at))) && AFTER_PLACE.test(t.slice(end)) && !SCHOOL_NAME_END.test(t.slice(end));
  const districts: string[] = [];
  const unknown: string[] = [];
  const typed: string[] = [];
  for (const name of catalog.holdings.keys()) {
    if (!name) continue;
    const short = shortName(name);
    if (text.includes(name) || (short.length >= 2 && text.includes(short))) districts.push(name);
  }
  if (districts.length === 0) {
    // 青埔, 闵航: a held place typed with a character of the same sound, unless that spelling is another place (常宁市 is not 长宁).
    for (const name of catalog.holdings.keys()) {
      const short = shortName(name);
      const spelt = short.length >= 2 ? respellings(short).find((r) => text.includes(r) && placeMentions(r, () => true).length === 0) : undefined;
      if (spelt) {
        districts.push(name);
        typed.push(spelt);
      }
    }
  }
  const named = [...districts];
  for (const m of placeMentions(text, acceptShort)) {
    if (held(m.place) || districts.some((d) => d === m.place.name || shortName(d) === shortName(m.place.name))) continue;
    const inside = [...(catalog.parents ?? new Map()).entries()].filter(([, p]) => p.city === m.place.name || p.province === m.place.name).map(([n]) => n);
    // "争创上海市示范性学区集团", "上海市特级教师": a city naming a title or an honour is no place asked about.
    if (inside.length > 0 && HONOUR_AFTER_PLACE.test(text.slice(m.end))) {
      typed.push(text.slice(m.at, m.end));
      continue;
    }
    // "泸水市什么时候…" where 怒江州's documents are held: a place inside a held one is asked about in its documents.
    const holder = [m.place.city, m.place.province].find((p) => p && held({ name: p } as Place));
    if (holder) {
      if (!districts.includes(holder)) districts.push(holder);
      continue;
    }
    if (inside.length > 0) {
      // "上海市特级教师长宁评上了几个": the city says where 长宁 is; only a city named alone means all of its places.
      typed.push(text.slice(m.at, m.end));
      if (!named.some((d) => inside.includes(d))) for (const n of inside) if (!districts.includes(n)) districts.push(n);
    } else if (!unknown.includes(m.place.name)) {
      unknown.push(m.short ? shortName(m.place.name) : m.place.name);
    }
  }
  return { districts, unknown, typed };
}

/** Held places whose short name sounds like an unknown place's (常宁市 → 长宁区), to offer them. */
function heldSoundingLike(unknown: readonly string[], catalog: Catalog): string[] {
  const out: string[] = [];
  for (const name of catalog.holdings.keys()) {
    const short = shortName(name);
    if (short.length >= 2 && unknown.some((u) => respellings(shortName(u)).includes(short))) out.push(name);
  }
  return out;
}

/** The held places a text names, in full form (长宁区), for follow-ups. */
export function placesNamedIn(text: string, catalog: Catalog): string[] {
  return findPlaces(fold(text), catalog).districts;
}

/**
 * The year written right beside each named place ("长宁2023年", "2021年闵行"), when every place has
 * exactly one and they are not all the same: the question compares those documents.
 */
function yearOfEachPlace(text: string, districts: readonly string[], years: readonly number[]): { district: string; year: number }[] | undefined {
  if (districts.length < 2 || years.length < 2) return undefined;
  const sides = districts.map((district) => {
    const forms = [district, shortName(district)].filter((f) => f.length >= 2).map(escapeRegExp).join("|");
    const beside = new RegExp(`(?:${forms})\\s*的?\\s*((?:19|20)\\d{2})(?!\\d)|(?<!\\d)((?:19|20)\\d{2})\\s*年?\\s*的?\\s*(?:${forms})`, "gu");
    const found = [...new Set([...text.matchAll(beside)].map((m) => Number(m[1] ?? m[2])))].filter((y) => years.includes(y));
    return found.length === 1 ? { district, year: found[0]! } : undefined;
  });
  if (sides.some((s) => !s)) return undefined;
  const pairs = sides as { district: string; year: number }[];
  return new Set(pairs.map((p) => p.year)).size > 1 ? pairs : undefined;
}

/** At this topicality a word names a subject (学区房, 疫苗), not how it is said (拿到, 完全). */
const TOPIC_WORD = 0.75;

/**
 * The words that say what, not who or how (谁来, 怎么弄, 块地多大), nor characters jieba left loose
 * (块下). The index's own dictionary knows only the documents' words: 夏令营 arrives as loose
 * characters yet is a word, while two loose characters are mostly a split's leftovers (人拿 of 几个人拿到).
 */
function topicWordsOf(groups: readonly TermGroup[]): string[] {
  return groups
    .filter((g) => !g.focus && (!g.unknown || g.word.length >= 3) && !/[谁哪啥怎吗么几]|多[大少长久远高]/u.test(g.word) && topicality(g.word) >= TOPIC_WORD)
    .map((g) => g.word);
}

/** A text as a regular expression that matches it literally. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");

/** Years a text names (2023, not the 2023 inside 12023), each once. */
export function yearsNamedIn(text: string): number[] {
  return [...new Set([...text.matchAll(/(?<!\d)((?:19|20)\d{2})(?!\d)/gu)].map((m) => Number(m[1])))];
}

/**
 * "长宁23年", "23年的工作要点": a year written with two digits, as people type it, where it can
 * only be a year (after a place, opening the question, or on a document); "3年行动计划" and
 * "15年教龄" stay as they are.
 */
function fullYears(text: string, placeForms: readonly string[]): string {
  const at = (re: RegExp) => (t: string) => t.replace(re, (m, before: string, yy: string) => `${before}20${yy}年`);
  const forms = placeForms.filter((f) => f.length >= 2).map(escapeRegExp);
  let out = at(/(^)(\d{2})年(?!级|制|代)/u)(text);
  if (forms.length > 0) out = at(new RegExp(`(${forms.join("|")})(\\d{2})年(?!级|制|代)`, "gu"))(out);
  return at(/((?:^|[^\d.])\s*)(\d{2})年(?=度?的?(?:工作要点|工作计划|要点|计划|文件|报告))/gu)(out);
}

/** "043项", "第14项", "第 48 项", "task 43": the number as an integer string (leading zeros dropped). */
function findTaskNumber(text: string): string | undefined {
  const t = text.replace(/(?<!\d)(?:19|20)\d{2}\s*年?/gu, " ");
  const ordinal = /第\s*0*(\d{1,3})\s*(?:项|条)/u.exec(t);
  if (ordinal) return String(Number(ordinal[1]));
  // "043项完成率", "14项是什么" name a task; "17项专项行动", "20项区级综改项目" count things.
  for (const m of t.matchAll(/(?<![\d.])(0*)(\d{1,3})\s*项(?!目(?!前|标))/gu)) {
    const after = t.slice((m.index ?? 0) + m[0].length);
    if (m[1] || !/^\p{Script=Han}/u.test(after) || TASK_FOLLOWER.test(after)) return String(Number(m[2]));
  }
  return undefined;
}

/** What follows a task named by its bare number: a particle or a question about it, not a noun it counts. */
const TASK_FOLLOWER = /^(?:的|里|中|是|有|说|讲|写|要|完成|进展|进度|目前|现在|当前|具体|内容|怎|如何|什么|由|谁|哪|牵头|负责|存在|下一步|遇到|还|呢|吗|全文|原文)/u;

function findDepartment(text: string, departments: readonly string[]): string | undefined {
  // People drop the 局 prefix: "计财科负责什么".
  return departments
    .filter((d) => d.length >= 3)
    .find((d) => text.includes(d) || (d.startsWith("局") && d.length >= 4 && standsAlone(text, d.slice(1))));
}

/** "办公室负责什么" names the bureau's 局办公室; "人民政府办公室" is another organ's. */
function standsAlone(text: string, word: string): boolean {
  const at = text.indexOf(word);
  return at >= 0 && (at === 0 || !/\p{Script=Han}/u.test(text[at - 1]!) || /[的和与、及跟是由]/u.test(text[at - 1]!));
}

/**
 * The words a question is about. A run of single characters the dictionary could not join is
 * a word it does not know (创全 → 创, 全): it is put back together. Lone characters and
 * stopwords say nothing on their own.
 */
export function subjectWords(subject: string): { word: string; unknown: boolean }[] {
  const out = subjectSequence(subject);
  return out.filter((x, i) => out.findIndex((y) => y.word === x.word) === i);
}

/** Groups of words an English term was translated into together become one group, its alternatives. */
function mergeSynonyms(groups: TermGroup[], synonyms: readonly string[][]): void {
  for (const words of synonyms) {
    const members = groups.filter((g) => words.includes(g.word));
    if (members.length < 2) continue;
    const [first, ...rest] = members;
    first!.alternatives = [...new Set(members.flatMap((g) => g.alternatives))];
    for (const r of rest) groups.splice(groups.indexOf(r), 1);
  }
}

const TIME_ASKS: ReadonlySet<Ask> = new Set(TIME_KINDS);
/** "基教科的办公电话是多少": a detail of the unit, not the list of what it leads. */
const DETAIL_OF_A_UNIT: ReadonlySet<Ask> = new Set(["phone", "contact", "address", "channel"]);
/**
 * Asks read only from the sentences that ask: a time ("还管几点睡觉，这是…规定的吗？" asks a
 * rule), a difficulty ("家里经济比较困难，…有没有帮扶？" asks for help, not a report's 困难).
 */
const ASKED_IN_QUESTION: ReadonlySet<Ask> = new Set([...TIME_ASKS, "problem"]);

/**
 * The sentences of a message that end as questions (with ？ or 吗/呢), when the message also has
 * sentences that do not: "孩子上初中，还管几点睡觉，这是区里统一规定的吗？我们是闵行的" asks its
 * 吗 sentence. A question that asks what (…哪天开，在哪里开？) asks with each of its clauses
 * that has a question word; one that asks yes or no (…这是统一规定的吗？) only with its last.
 * Undefined when no sentence, or every one, ends so.
 */
function questionSentences(raw: string): string | undefined {
  const pieces = raw.match(/[^，,。；;！!？?\n]+[，,。；;！!？?\n]*/gu) ?? [];
  const last = pieces.length - 1;
  // A message's last clause with a question word asks, ？ or not: "…头一段到几点结束啊".
  const asksHere = (p: string, i: number) =>
    /[？?]\s*$|[吗呢嘛][啊呀]?[，,。！!？?\s]*$/u.test(p) || (i === last && INTERROGATIVE.test(p) && !/[。！!]\s*$/u.test(p));
  const endsSentence = (p: string, i: number) => i === last || /[。；;！!？?\n]\s*$/u.test(p) || asksHere(p, i);
  const asking = pieces.filter((p, i) => {
    if (asksHere(p, i)) return true;
    // A clause of the same sentence before a question that asks what, with a question word of its own.
    if (!INTERROGATIVE.test(p) || /[。；;！!\n]\s*$/u.test(p)) return false;
    const end = pieces.findIndex((q, j) => j > i && endsSentence(q, j));
    return end >= 0 && asksHere(pieces[end]!, end) && !YES_NO.test(pieces[end]!);
  });
  return asking.length > 0 && asking.length < pieces.length ? asking.join("") : undefined;
}

/** A question asking yes or no, or which of two: the yes/no ask's words, and …还是…. */
const YES_NO = new RegExp(`${ASK_RULES.find(([ask]) => ask === "yesno")![1].source}|还是`, "iu");

/** A word that makes a clause the question: 多少, 几, 谁, 哪, 吗. */
const INTERROGATIVE = /多少|几|什么|啥|谁|哪|是否|有没有|吗|怎么|如何|何时/u;

/**
 * The one clause of a question of several that asks, when its words differ from the scene set
 * before it; undefined for a question of one clause, or where several clauses ask.
 */
function askingClause(subject: string): string | undefined {
  const clauses = subject.split(/[，,。？?！!；;：:\n]/u).map((c) => c.trim()).filter((c) => /\p{Script=Han}{2}/u.test(c));
  if (clauses.length < 2) return undefined;
  const asking = clauses.filter((c) => INTERROGATIVE.test(c));
  return asking.length === 1 ? asking[0] : undefined;
}

/** Whether a word of the asking clause stands before its question word (a figure is stated of it) or after (counted). */
function askedAs(clause: string, word: string): "of" | "counted" {
  const q = INTERROGATIVE.exec(clause)?.index ?? clause.length;
  return clause.indexOf(word) < q ? "of" : "counted";
}

/** The subject's words in the order the question writes them, repeats kept. */
function subjectSequence(subject: string, written?: (phrase: string) => boolean): { word: string; unknown: boolean }[] {
  const all = dictionaryWords(subject, { keepStopwords: true });
  const out: { word: string; unknown: boolean }[] = [];
  let run = "";
  const flush = () => {
    if (run.length >= 2) out.push(...everydayWordsIn(run, written));
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
  return out;
}

/** At most this many characters between two words that stand together (的, 和, a comma). */
export const NEIGHBOUR_GAP = 2;
/** What separates statements: words on either side of it do not stand together. */
export const STATEMENT_BREAK = /[\s。；;！!？?\n]/u;

/**
 * Pairs of words that stand next to each other in the question (at most NEIGHBOUR_GAP
 * characters apart, within one statement), in order. Where a filter word (a place, a year) was
 * taken out, its neighbours were not neighbours in the question, and are not paired.
 */
function neighbourPairs(subject: string, sequence: readonly { word: string }[]): [string, string][] {
  const pairs: [string, string][] = [];
  let cursor = 0;
  let previous: { word: string; end: number } | undefined;
  for (const { word } of sequence) {
    const at = subject.indexOf(word, cursor);
    if (at < 0) {
      // A word the tokenizer rewrote (a number's zeros): the chain breaks there.
      previous = undefined;
      continue;
    }
    const gap = subject.slice(previous?.end ?? 0, at);
    if (previous && previous.word !== word && gap.length <= NEIGHBOUR_GAP && !STATEMENT_BREAK.test(gap)) pairs.push([previous.word, word]);
    previous = { word, end: at + word.length };
    cursor = previous.end;
  }
  return pairs.filter(([a, b], i) => pairs.findIndex(([x, y]) => x === a && y === b) === i);
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
  const translated = language === "en" ? translateEnglish(raw, (p) => catalog.holdings.has(p)) : undefined;
  const folded = fold(translated ? `${translated.text}` : raw).trim();
  // In English the places were read by name already; the glossary's Chinese terms are no places
  // (合作 for "cooperation" is also the short name of 合作市).
  const found = findPlaces(translated ? fold(translated.places.join(" ")) : folded, catalog);
  const { typed } = found;
  // "常宁这边有什么比赛" where only 长宁区 is held and sounds the same: read as 长宁区, and the answer
  // says so. Where several held places sound alike, the question is asked back instead.
  const alike = found.districts.length === 0 ? heldSoundingLike(found.unknown, catalog) : [];
  // "常宁市" written out is that city, not a slip of the pen.
  const slip = found.unknown.length === 1 && !/(?:省|市|区|县|旗|州|盟)$/u.test(found.unknown[0]!);
  const readAs = alike.length === 1 && slip ? { typed: found.unknown[0]!, place: alike[0]! } : undefined;
  const districts = readAs ? [readAs.place] : found.districts;
  const unknown = readAs ? [] : found.unknown;
  const text = fullYears(folded, [...districts, ...districts.map(shortName), ...typed]);
  const named = yearsNamedIn(text);
  const heldYears = new Set(
    [...catalog.holdings.entries()].filter(([d]) => districts.length === 0 || districts.includes(d)).flatMap(([, ys]) => [...ys]),
  );
  // "长宁2024年度预算" in a corpus of 长宁 2020–2023: 2024 is a year the 2023 plan talks about.
  // A year written onto a document ("2025年工作要点", "2019年的计划") names the document; any
  // other year may be one the documents talk about.
  const documentYears = new Set(
    [...text.matchAll(/((?:19|20)\d{2})\s*年?(?:度)?\s*的?\s*(?:上半年|下半年)?\s*(?:[\p{Script=Han}]{0,6}?(?:教育局|教委|教育))?\s*(?:工作要点|工作计划|要点|重点工作|工作报告|文件|反馈)/gu)].map((m) => Number(m[1])),
  );
  const years = named.filter((y) => heldYears.has(y));
  const sides = yearOfEachPlace(text, districts, years);
  const targetYears = named.filter((y) => !heldYears.has(y) && !documentYears.has(y));
  const missingDocumentYears = named.filter((y) => !heldYears.has(y) && documentYears.has(y));
  // What is asked, read from the question as written and as folded (幾點 is 几点; English keeps "what time").
  const asked = language === "en" ? raw : `${raw} ${fold(raw)}`;
  // A time asked is asked in the sentence that asks: "还管几点睡觉，这是区里统一规定的吗？" asks a rule, not a time.
  const questionPart = language === "en" ? undefined : questionSentences(raw);
  const questionAsked = questionPart ? `${questionPart} ${fold(questionPart)}` : asked;
  const questionAsks = asksOf(questionAsked);
  const asks = asksOf(asked).filter((a) => !ASKED_IN_QUESTION.has(a) || questionAsks.includes(a));
  const taskNumber = findTaskNumber(text);
  const department = findDepartment(text, catalog.departments);
  const asksLead = RESPONSIBILITY.test(raw) || RESPONSIBILITY.test(text) || /牵头|责任部门/u.test(text);
  const intent: Intent = taskNumber
    ? "lookup"
    : department && !RESPONSIBILITY.test(raw.replace(department, "")) && !asks.some((a) => DETAIL_OF_A_UNIT.has(a))
      ? "department"
      : asksLead
        ? "responsibility"
        : "general";
  const comparison = districts.length >= 2 || years.length >= 2 || COMPARISON.test(asked);
  const asksWho = /是谁|谁是|\bwho\b|(?:局长|校长|园长|书记|主任|老师|教师|负责人|组长|人员)\S{0,2}(?:叫什么|的名字)/iu.test(asked);
  const asksWhen = ASKS_YEAR.test(questionAsked)
    ? "year"
    : ASKS_DATE.test(questionAsked)
    ? "date"
    : /几点|what time/iu.test(questionAsked)
      ? "clock"
      : /什么时候|何时|什么时间|\bwhen\b/iu.test(questionAsked)
        ? "period"
        : undefined;

  const soundsLike = readAs ? [] : alike;
  const nearDay = NEAR_DAY.exec(language === "en" ? raw : text)?.[0];
  const measures = [...new Set([...text.matchAll(new RegExp(MEASURE.source, "gu"))].map((m) => m[1]!))];
  const choice = CHOICE.exec(text);
  const schools = namedSchools(text, [...districts, ...districts.map(shortName), ...typed, ...unknown]);

  // What the question is about, without the filters it names.
  const placeWords = new Set(
    [...districts, ...found.unknown].flatMap((d) => [d, d.replace(/(新区|区|县|市)$/u, "")]).concat(typed),
  );
  let subject = text;
  for (const p of [...placeWords].sort((a, b) => b.length - a.length)) subject = subject.split(p).join(" ");
  // Document years are filters; a target year stays in the subject as something the text must say.
  subject = subject.replace(/(?<!\d)((?:19|20)\d{2})\s*年?/gu, (m, y: string) => (targetYears.includes(Number(y)) ? ` ${y} ` : " "));
  if (taskNumber) subject = subject.replace(/第?\s*0*\d{1,3}\s*(?:项|条)/gu, " ");
  if (department) subject = subject.split(department).join(" ").split(department.slice(1)).join(" ");

  // "这块下一步": jieba would glue 块下 and leave 一步, which matches every 进一步.
  subject = subject.replace(/下一步/gu, " 下一步 ");
  const additions = thesaurusAdditions(subject);
  const sequence = subjectSequence(subject, catalog.uses);
  const words = sequence.filter((x, i) => sequence.findIndex((y) => y.word === x.word) === i);
  // Words and thesaurus terms are all folded: coverage compares them with folded text as they are.
  // A word the documents never use may be theirs typed with a same-sounding character (晚拖班).
  const knows = catalog.knows;
  // A dictionary word is respelled whole; a run of characters jieba could not join, stretch by stretch.
  // Only into a word of the dictionary the documents use: 个区 (from 各个区) is a token, not a word.
  const isWord = (w: string) => knows!(w) && dictionaryWords(w).length === 1;
  const respelled = (word: string, unknown: boolean) => (unknown ? meantWords(word, isWord) : respellings(word).filter(isWord).slice(0, 1));
  const meant = new Map(words.map(({ word, unknown }) => [word, knows && /^\p{Script=Han}+$/u.test(word) && !knows(word) ? respelled(word, unknown) : []]));
  const asking = askingClause(subject);
  const groups: TermGroup[] = words.map(({ word, unknown }) => {
    const parts = word.length >= 4 ? subwords(word) : [];
    const inDigits = withDigits(word);
    const respelled = meant.get(word)!;
    return {
      word,
      ...(unknown ? { unknown } : {}),
      ...(respelled.length > 0 ? { respelled } : {}),
      alternatives: [word, ...(inDigits !== word ? [inDigits] : []), ...respelled, ...additions.filter((a) => a.phrase.includes(word) || word.includes(a.phrase)).flatMap((a) => a.add)],
      ...(parts.length >= 2 ? { parts } : {}),
      focus: QUESTION_WORDS.has(word),
      ...(/^\d{4}$/u.test(word) && targetYears.includes(Number(word)) ? { required: true } : {}),
      ...(asking?.includes(word) && !QUESTION_WORDS.has(word) ? { asked: askedAs(asking, word) } : {}),
    };
  });
  mergeSynonyms(groups, translated?.synonyms ?? []);
  const figureOf = figureSubject(subject, groups);
  // "要办哪些市民活动": the words after 哪些 say what kind of thing the answer lists.
  const kind = asking ? undefined : /(?:哪些|哪几[个项所类种]?|什么样的|什么|哪类|哪种)(\p{Script=Han}{2,8})/u.exec(subject)?.[1];
  if (kind) for (const g of groups) if (!g.focus && !g.asked && kind.includes(g.word)) g.asked = "kind";
  // A phrase the tokenizer split differently still contributes its additions as one group.
  for (const a of additions) {
    if (!groups.some((g) => g.alternatives.includes(a.add[0] ?? ""))) groups.push({ word: a.phrase, alternatives: [a.phrase, ...a.add], focus: false });
  }
  // The documents' words are searched for what the question says in words they do not use; a
  // word they use is searched as it is (its thesaurus terms still count as covering it), so a
  // staff member's exact 特级教师 is not spread over 骨干教师 and 学科带头人.
  const searched = additions.filter((a) => !catalog.uses?.(a.phrase));
  const additionText = [...searched.flatMap((a) => a.add), ...[...meant.values()].flat()].join(" ");
  const tokens = [...new Set([...tokenize(subject), ...tokenize(additionText)])];
  const otherTerms = [...new Set(tokenize(additions.filter((a) => !searched.includes(a)).flatMap((a) => a.add).join(" ")))].filter((t) => !tokens.includes(t));
  const topicWords = topicWordsOf(groups);
  return {
    raw,
    language,
    text,
    districts,
    years,
    targetYears,
    ...(missingDocumentYears.length > 0 ? { missingDocumentYears } : {}),
    asks,
    ...(sides ? { sides } : {}),
    unknownPlaces: unknown,
    ...(soundsLike.length > 0 ? { soundsLike } : {}),
    ...(readAs ? { readAs } : {}),
    ...(taskNumber ? { taskNumber } : {}),
    intent,
    ...(department ? { department } : {}),
    comparison,
    asksLead,
    asksWho,
    ...(asksWhen ? { asksWhen } : {}),
    ...(measures.length > 0 ? { measures } : {}),
    ...(figureOf ? { figureOf } : {}),
    ...(nearDay ? { nearDay } : {}),
    ...(choice ? { choices: [choice[1]!, choice[2]!] } : {}),
    ...(schools.length > 0 ? { schools } : {}),
    groups,
    ...(topicWords.length > 0 ? { topicWords } : {}),
    tokens,
    ...(otherTerms.length > 0 ? { otherTerms } : {}),
    searchText: `${subject} ${additionText}`.trim(),
    neighbours: neighbourPairs(subject, sequence),
  };
}
