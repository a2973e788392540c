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

/**
 * The schools a question names (七宝中学, 天山学校), without the places before them; kinds
 * (公办小学, 哪所小学) are not names.
 */
export function namedSchools(text: string, placeForms: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(SCHOOL)) {
    let name = m[1]!.replace(QUESTION_BOUNDARY, "");
    for (const p of [...placeForms].sort((a, b) => b.length - a.length)) if (p && name.startsWith(p)) name = name.slice(p.length);
    if (name.length >= 2 && !GENERIC_MODIFIER.test(name) && isProperName(name)) out.push(name + m[0].slice(m[1]!.length));
  }
  return [...new Set(out)];
}
