/**
 * Follow-ups: a short message read against the conversation's last question. "那闵行呢？" asks the
 * last question of another place or year; "存在什么困难？" and "谁牵头？" ask about the task the last
 * answer cited; "那心理健康呢？" asks the last kind of question (who leads, how many) about
 * another topic. Anything else is a question of its own.
 */
import { itemName } from "../ingest/cite.js";
import { fold } from "../index/normalize.js";
import type { Ask } from "./understand.js";
import { placesNamedIn, yearsNamedIn, type Catalog } from "./understand.js";

/** What a conversation keeps of its last question, to read the next message against. */
export interface LastQuestion {
  /** The question as answered (itself resolved, when it was a follow-up). */
  question: string;
  asks: Ask[];
  /** The task the answer cited first. */
  task?: { district: string; year: number; number: string };
}

/** Words that only carry the conversation along: 那, 呢, 在这方面. */
const FILLER = /^(那么|那|还有|另外|请问|那请问)|(在这方面|这方面|这一块|这块|那块|方面|的情况|情况|怎么样|如何|同一年|同年|那一年|这一年|那年|这年|当年|同样|一样|也|呢|吗)|[？?。！!，,\s]/gu;
/** A message that asks only which part or which fact of the last task: 困难, 下一步, 谁牵头. */
const ABOUT_LAST_TASK =
  /^(目前|现在|当前|还)?(存在|遇到|碰到|有|还有|是)?(什么|哪些|啥)?(困难|问题|难点|下一步|打算|进展|进度|完成率|完成情况|牵头部门|牵头单位|牵头|负责部门|负责|谁负责|谁牵头|哪个部门|哪个科室|谁管|联系人|电话|联系方式|目标|措施|全文|原文)+(是什么|是谁|有哪些|是多少|多少|怎么做|怎么办)?$/u;

/** Words around the asked part that say nothing of a topic: "下一步有什么打算", "有啥困难". */
const ASK_GLUE = /这个|那个|这项|那项|这块|那块|有|什么|哪些|啥|是|还|的|怎么做|怎么办|怎么弄|咋办|咋弄|咋|怎么|如何|具体|目前|现在|当前|遇到|碰到|存在|准备|打算要|要|没有|没|吗|呢|了/gu;
const PART_WORDS = /^(?:困难|问题|难点|下一步|打算|计划|安排|进展|进度|完成率|完成情况|牵头部门|牵头单位|牵头|负责部门|负责|谁负责|谁牵头|哪个部门|哪个科室|谁管|联系人|电话|联系方式|目标|措施|全文|原文)+$/u;

/** A message that asks only which part or which fact of the last task, in any order of its words. */
function asksAboutLastTask(rest: string): boolean {
  return ABOUT_LAST_TASK.test(rest) || PART_WORDS.test(rest.replace(ASK_GLUE, ""));
}

/** How each kind of question reads, to ask it again about another topic. */
const ASK_PHRASES: Partial<Record<Ask, string>> = {
  who: "由哪个部门牵头",
  clock: "几点",
  date: "什么时候",
  period: "什么时候",
  figure: "是多少",
  progress: "进展如何",
  problem: "存在什么问题",
  next: "下一步怎么做",
};

/** A place as the question wrote it, in full (长宁区) or short (长宁). */
function writtenForm(name: string): RegExp {
  const short = name.length > 2 ? name.replace(/(新区|区|县|市|省)$/u, "") : name;
  return new RegExp(`${short}(?:新区|区|县|市|省)?`, "gu");
}

function withoutPlacesAndYears(text: string, places: readonly string[]): string {
  let rest = text;
  for (const p of places) rest = rest.replace(writtenForm(p), "");
  return rest.replace(/(?<!\d)(?:19|20)\d{2}\s*(?:年度|年)?(?:上半年|下半年)?/gu, "").replace(/^的|的$/gu, "");
}

/** The last question with its place or year swapped for the ones the follow-up names. */
function swapInto(last: string, places: readonly string[], years: readonly number[], catalog: Catalog): string {
  let q = last;
  if (places.length > 0) {
    const old = placesNamedIn(q, catalog);
    if (old.length > 0) {
      old.forEach((o, i) => (q = q.replace(writtenForm(o), i === 0 ? places.join("和") : "")));
    } else {
      q = `${places.join("和")}${q}`;
    }
  }
  if (years.length > 0) {
    const old = yearsNamedIn(q);
    q = old.length > 0 ? q.replace(String(old[0]), String(years[0])) : `${years[0]}年${q}`;
  } else if (places.length > 0) {
    // "闵行呢？" after a question on 长宁 2023: 闵行's documents are of other years; the year goes.
    const kept = yearsNamedIn(q)[0];
    if (kept !== undefined && !places.some((p) => catalog.holdings.get(p)?.has(kept))) q = q.replace(new RegExp(`${kept}\\s*(?:年度|年)?(?:上半年|下半年)?`, "u"), "");
  }
  return q;
}

/** Words that ask rather than say what about: 有什么打算, 做得怎么样, 推进到哪一步了. */
const ASKING_WORDS = /有什么|什么|哪些|怎么样|怎么|如何|是多少|多少|有没有|到哪一步|哪一步|打算|安排|进展|情况|做得|完成得|咋样|吗|呢|了|[？?。！!，,\s]/gu;

/** What a question is about, without its place, year and asking words ("新华社区那个新学校推进"), or "" when little is left. */
function topicOf(question: string, catalog: Catalog): string {
  const topic = withoutPlacesAndYears(fold(question), placesNamedIn(question, catalog)).replace(ASKING_WORDS, "").replace(ASK_GLUE, "");
  return (topic.match(/\p{Script=Han}/gu) ?? []).length >= 2 ? topic : "";
}

/** What is left of "青浦也有这个吗？" once its place is taken: the same thing, asked again. */
const SAME_THING = /^(?:有|也有|有没有|是不是|这个|这样|这种|同样|一样|类似|的|也)+$/u;

/** Asks that a message about a part of the last task carries: 下一步, 问题, 进展, 谁牵头. */
const PART_ASKS = /困难|问题|难点|下一步|打算|进展|进度|完成|牵头|负责|联系人|电话/u;
/** The last question looked a task up by its number ("长宁2020年第043项完成了吗？"). */
const NAMES_TASK = /\d{1,3}\s*项|第\s*\d/u;

export function resolveFollowUp(message: string, last: LastQuestion | undefined, catalog: Catalog): string {
  if (!last) return message;
  const text = fold(message).trim();
  // A message that names its own task is a question of its own, however short.
  if (/\d{1,3}\s*项|第\s*\d/u.test(text)) return message;
  const places = placesNamedIn(text, catalog);
  const years = yearsNamedIn(text);
  const residue = text.replace(FILLER, "");
  const rest = withoutPlacesAndYears(residue, places);

  // "那闵行呢？", "长宁2023年在这方面呢？", "青浦也有这个吗？": the same question, elsewhere or in another year.
  if ((places.length > 0 || years.length > 0) && (rest.length === 0 || SAME_THING.test(rest))) return swapInto(last.question, places, years, catalog);
  // "那2021年的覆盖率目标是多少？": another year (or place), a short question of the same subject.
  if ((places.length > 0 || years.length > 0) && rest.length <= 10 && last.task && ABOUT_LAST_TASK.test(rest.replace(/覆盖率|比例|数量/gu, "目标"))) {
    return `${swapInto(last.question, places, years, catalog)} ${rest}`;
  }
  // "存在什么困难？", "下一步呢？", "谁牵头？": the last cited task, and what the last question
  // asked of it (新华社区新建学校 in a report of many sub-topics).
  if (places.length === 0 && years.length === 0 && last.task && rest.length <= 12 && asksAboutLastTask(rest)) {
    const t = last.task;
    const topic = NAMES_TASK.test(last.question) ? "" : topicOf(last.question, catalog);
    return `${t.district}${t.year}年${itemName(t.number)}${topic ? `${topic}，` : ""}${message}`;
  }
  // "小学那块下一步打算做什么？" after a question on task 043: that part of the same task.
  if (places.length === 0 && years.length === 0 && last.task && NAMES_TASK.test(last.question) && rest.length <= 14 && PART_ASKS.test(rest)) {
    const t = last.task;
    return `${t.district}${t.year}年${itemName(t.number)}${message}`;
  }
  // "那心理健康呢？" after "教育信息化谁牵头？": the same kind of question about another topic.
  if (/^(那|那么)?.{1,10}呢[？?]?$/u.test(text) && rest.length > 0) {
    const phrase = last.asks.map((a) => ASK_PHRASES[a]).find((p) => p !== undefined);
    const lastPlaces = placesNamedIn(last.question, catalog);
    const scope = `${(places.length > 0 ? places : lastPlaces).join("和")}${years[0] ?? yearsNamedIn(last.question)[0] ?? ""}`;
    return `${scope}${scope && /\d$/u.test(scope) ? "年" : ""}${rest}${phrase ?? ""}`;
  }
  // "课后服务是啥模式" after a question on 长宁 2023: a short question naming no place stays where the conversation is.
  const lastPlaces = placesNamedIn(last.question, catalog);
  if (places.length === 0 && years.length === 0 && lastPlaces.length > 0 && rest.length <= 12) {
    const year = yearsNamedIn(last.question)[0];
    return `${lastPlaces.join("和")}${year ? `${year}年` : ""}${message}`;
  }
  return message;
}
