/**
 * Schools and bodies by name. A name (七宝中学, 延安初级中学, 青浦区家庭教育指导与研究中心) points
 * at one; a kind (公办小学, 随迁子女学校, 区心理健康教育中心) at many. The words that make a kind are
 * data (generic-names.json).
 */
import { words } from "../index/tokenizer.js";
import genericNames from "./generic-names.json" with { type: "json" };
import { topicality } from "./topicality.js";

/** Words that make a kind of school or body (公办, 随迁子女, 心理健康教育…), longest first. */
export const GENERIC_MODIFIER = new RegExp(`^(?:${[...genericNames.modifiers].sort((a, b) => b.length - a.length).join("|")})+$`, "u");

/** A school's kind word, what stands before it is its name. */
const SCHOOL = /(\p{Script=Han}{2,10}?)(?:实验小学|实验中学|中学|小学|学校|幼儿园|学院|大学)/gu;
/** Where a name cannot reach past in a question: a particle, a pronoun, a verb of going or reading. */
const QUESTION_BOUNDARY = /^.*[的对在和与跟、所个家哪些那这里吗呢啊么们我你他她读上念去进到从是有建办开底想要送让给被把新]/u;

/**
 * A school's own name is made of words everyday Chinese rarely uses (七宝, 天山, 延安): a phrase of
 * everyday words before 学校 (放学后学校, 多少幼儿园, 孩子…学校) is the question's wording, not a name.
 */
function isProperName(name: string): boolean {
  const parts = words(name, { keepStopwords: true });
  return parts.length > 0 && parts.every((w) => !GENERIC_MODIFIER.test(w) && (w.length === 1 ? false : topicality(w) >= PROPER_NAME_TOPICALITY));
}

/** How rare in everyday Chinese each word of a school's name must be (topicality 1: rarest). */
const PROPER_NAME_TOPICALITY = 0.9;

/** A body's kind word in the documents' text: what stands before it may be its name. */
const BODY = /(\p{Script=Han}{2,12}?)(?:小学|中学|学校|幼儿园|学院|大学|中心|基地|实验室|研究院|科学院|研究所|医院|协会|学会|基金会|出版社|集团|公司)/gu;
/** Where a name cannot reach past in the documents' text: a preposition or a count (加强对随迁子女学校, 3所随迁学校). */
const TEXT_BOUNDARY = /^.*(?:[对为在将把向的等、所个家]|成立|组建|委托|引进|依托|建立|第三方)/u;

/**
 * What stands before each kind word, cut at the last boundary character (and by `trim`), when it
 * is two characters or more and not only kind words: 延安初级 in 延安初级中学, not 随迁子女 in 随迁子女学校.
 */
function namesBeforeKinds(text: string, kinds: RegExp, boundary: RegExp, trim: (name: string) => string = (n) => n): { name: string; whole: string }[] {
  return [...text.matchAll(kinds)]
    .map((m) => ({ name: trim(m[1]!.replace(boundary, "")), kind: m[0].slice(m[1]!.length) }))
    .filter(({ name }) => name.length >= 2 && !GENERIC_MODIFIER.test(name))
    .map(({ name, kind }) => ({ name, whole: name + kind }));
}

/**
 * The schools a question names (七宝中学, 天山学校), without the places before them; kinds
 * (公办小学, 哪所小学) are not names.
 */
export function namedSchools(text: string, placeForms: readonly string[]): string[] {
  const places = [...placeForms].sort((a, b) => b.length - a.length);
  const withoutPlace = (name: string) => places.reduce((n, p) => (p && n.startsWith(p) ? n.slice(p.length) : n), name);
  const named = namesBeforeKinds(text, SCHOOL, QUESTION_BOUNDARY, withoutPlace).filter(({ name }) => isProperName(name));
  return [...new Set([...named.map(({ whole }) => whole), ...numberedSchools(text, places)])];
}

/** A school called by its place or name and its number, as people say it: 青浦二中, 七宝三小, 复旦附中. */
const NUMBERED_SCHOOL = /(\p{Script=Han}{2,6}?)([一二三四五六七八九十]{1,2}|附)([中小])(?![学心间午国文期班型时朋孩节组])/gu;

function numberedSchools(text: string, places: readonly string[]): string[] {
  return [...text.matchAll(NUMBERED_SCHOOL)]
    .map((m) => ({ name: m[1]!.replace(QUESTION_BOUNDARY, ""), whole: m[0] }))
    .filter(({ name }) => name.length >= 2 && (places.includes(name) || isProperName(name)))
    .map(({ name, whole }) => whole.slice(whole.indexOf(name)));
}

/** The schools and bodies a quote names, each once (延安初级中学, 青浦区家庭教育指导与研究中心); kinds are not names. */
export function bodiesNamedIn(text: string): string[] {
  return [...new Set(namesBeforeKinds(text, BODY, TEXT_BOUNDARY).map(({ name }) => name))];
}
