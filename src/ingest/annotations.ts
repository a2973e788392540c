/**
 * What a task says about itself besides its wording: who leads it (per sentence),
 * which figures it commits to, whom to call, how far along it is.
 */
import type { Contacts, LeadAssignment } from "./types.js";

const LEAD_WORD = "(?:牵头部门|牵头单位|牵头科室|牵头处室|责任部门|责任单位|责任科室|责任处室|负责部门|负责科室|负责处室|主责处室|主责部门)";
/**
 * `（牵头部门：局基教科、局综改办）` and the variants other districts write, in any brackets
 * (〔责任单位:各区(市)、工委组织部〕: a unit's own "(市)" stands inside 〔…〕) or none
 * (`牵头单位：局基教科。`); a following `；配合部门：…` or `，责任处室：…` in the same brackets is not a
 * lead (a bracket the page cut off before it closes still counts).
 */
const bracketed = (open: string, close: string) => `[${open}]\\s*${LEAD_WORD}\\s*[：:]\\s*((?:(?!${NEXT_LABEL})[^${close}；;])+?)\\s*(?:[；;,，][^${close}]*)?(?:[${close}]|$)`;
/** Where a unit list ends and another label begins: "，责任处室:…", "，配合部门:…". */
const NEXT_LABEL = "[,，]\\s*\\p{Script=Han}{2,6}[：:]";
/** A unit's name may run so far before its kind word (市发展改革委, 自治区党委组织部). */
const NAME_RUN = "[^、，,。；;：:（()）\\s\\d]{0,12}?";
/** Kind words that make a name a unit wherever it stands: 局, 委, 厅, 政府, 科协… */
const UNIT_KIND = "(?:委员会|委|局|厅|政府|党委|团委|妇联|科协|残联|办公室)";
/** Kind words that make a unit only after a level (党委宣传部, 区教育中心): 家长会, 公办 are no units. */
const PART_KIND = "(?:会|办|部|院|中心|处|科|室)";
const LEVEL = "(?:[市区县省州旗盟]|自治区|各|党委|市委|区委|县委|省委|团)";
/**
 * A unit, as task tables name them at a sentence's end: 市教委, 市发展改革委, 党委宣传部, 民委(宗教局).
 * Not a school (学校, 大学: where, not who) and not an aside (含…, 以下简称…, 即…).
 */
const UNIT_NAME = `(?!含|以下简称|简称|即|如|包括|详见|见|其中|不含)(?:${LEVEL}${NAME_RUN}${PART_KIND}|${NAME_RUN}${UNIT_KIND})(?:[（(][^、（()）]{1,8}[）)])?`;
/** What such a list may end with: "（…、团委组织实施）", "（…按职责分工负责）". */
const LIST_VERB = "(?:按职责分工负责|分工负责|共同负责|组织实施|负责落实|负责|牵头|落实|实施)";
/**
 * "（市教委、市财政局、市发展改革委。列在首位的为牵头部门或单位…）", "（自治区党委组织部、…、
 * 民委(宗教局)、团委组织实施）": a list of units in brackets at a sentence's end, with no label;
 * the first listed leads, the others work with it, as such tables say (and usually write once, "下同").
 */
const UNLABELLED = `[（(]\\s*(?<listed>${UNIT_NAME}(?:\\s*[、，,]\\s*${UNIT_NAME})*)\\s*${LIST_VERB}?\\s*(?:[。；;][^（()）]*)?[）)](?=[ \\t]*(?:[。；;\\n]|$))`;
const LEAD_ANNOTATION = new RegExp(
  [
    bracketed("（(", "）)"),
    bracketed("〔", "〕"),
    bracketed("【", "】"),
    `(?<![（(〔【]\\s*)${LEAD_WORD}\\s*[：:]\\s*((?:(?!${NEXT_LABEL})[^。；;\\n（()）〔〕【】])+)`,
    UNLABELLED,
  ].join("|"),
  "gu",
);

/** A text with its lead annotations taken out: what the task says, for its title. */
export function withoutLeadNotes(text: string): string {
  return text.replace(LEAD_ANNOTATION, "");
}

/** A sentence that is only a lead annotation ("（牵头单位：基础教育科）"): says who, not what. */
export function isLeadNote(sentence: string): boolean {
  const rest = withoutLeadNotes(sentence).replace(/[\s。；;，,]/gu, "");
  return rest.length === 0 && sentence.trim().length > 0;
}

export function splitDepartments(list: string): string[] {
  return list
    .split(/[、，,；;\s和及]+/u)
    .map((d) => d.trim())
    .filter((d) => d.length > 0);
}

/** The units that lead a task, each once, in the order written; the units only working with them apart. */
export function unitsOf(leads: readonly LeadAssignment[]): { leading: string[]; partners: string[] } {
  const leading = [...new Set(leads.filter((l) => l.role !== "partner").map((l) => l.department))];
  const partners = [...new Set(leads.filter((l) => l.role === "partner").map((l) => l.department))].filter((d) => !leading.includes(d));
  return { leading, partners };
}

/** Lead assignments by the sentence they were written after: 由局组织科、局人事科牵头, the units working with them apart. */
export function leadsBySentence(leads: readonly LeadAssignment[]): { departments: string[]; partners: string[]; sentence: string }[] {
  const bySentence = new Map<string, LeadAssignment[]>();
  for (const l of leads) bySentence.set(l.sentence, [...(bySentence.get(l.sentence) ?? []), l]);
  return [...bySentence.entries()].map(([sentence, ls]) => {
    const { leading, partners } = unitsOf(ls);
    return { sentence, departments: leading, partners };
  });
}

/** Trims the glue left around a sentence span once its annotation is cut out. */
function tidySentence(s: string): string {
  return s.replace(/^[\s。；;，,]+/u, "").replace(/[\s。；;，,]+$/u, "").trim();
}

/**
 * Each annotation covers the sentences written since the previous one (or since the
 * start of the item), so one item may name different departments for different sentences.
 */
export function leadAssignments(text: string): LeadAssignment[] {
  const out: LeadAssignment[] = [];
  let from = 0;
  for (const m of text.matchAll(LEAD_ANNOTATION)) {
    const at = m.index ?? 0;
    const sentence = tidySentence(text.slice(from, at));
    const listed = m.groups?.listed !== undefined;
    splitDepartments(m.slice(1).find((g) => g !== undefined) ?? "").forEach((department, i) => {
      out.push({ department, sentence, ...(listed && i > 0 ? { role: "partner" as const } : {}) });
    });
    from = at + m[0].length;
  }
  return out;
}

const UNIT =
  "(?:万元|亿元|元|万人|所|个|项|人次|人|名|位|次|小时|分钟|课时|班|周岁|岁|平方米|亩|家|种|大项|件|批|届|门|节|条|支|套|间|台|倍|份|场|篇|校|园)";
const RANGE_JOIN = "\\s*(?:[—–\\-~～至到])\\s*";
const NUM = "\\d+(?:\\.\\d+)?";
const QUALIFIER = "(?:以上|以下|左右|以内)?";
const FIGURE = new RegExp(
  [
    // Times of day: 16:30 至 18:00, 3点30分
    `\\d{1,2}[:：]\\d{2}(?:\\s*分)?(?:${RANGE_JOIN}\\d{1,2}[:：]\\d{2})?`,
    `\\d{1,2}\\s*点(?:\\s*\\d{1,2}\\s*分|半)?`,
    // Shares: 50%以上, 5%—10%
    `${NUM}\\s*[%％](?:${RANGE_JOIN}${NUM}\\s*[%％])?${QUALIFIER}`,
    // Counts and money: 24 所, 5 万元, 1-2 个, 12-17岁
    `${NUM}(?:${RANGE_JOIN}${NUM})?\\s*${UNIT}${QUALIFIER}`,
    // Shares in words: 約五分之一, 三分之二以上, 七成以上
    `(?:约|約|近|超过|超過|逾)?[一二三四五六七八九十百]+分之[一二三四五六七八九十]+${QUALIFIER}`,
    `(?:约|約|近|超过|超過|逾)?[一二三四五六七八九]成(?:以上|左右|多)`,
  ].join("|"),
  "gu",
);

/** Figures as written. A code like C040201 or J1A-02 is not a figure: no letter or digit may precede. */
export function extractFigures(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(FIGURE)) {
    const at = m.index ?? 0;
    if (at > 0 && /[A-Za-z0-9.]/u.test(text[at - 1] ?? "")) continue;
    // "第 048 项" is a task number and "043 项目" a noun, not commitments.
    if (/第\s*$/u.test(text.slice(Math.max(0, at - 3), at))) continue;
    const f = m[0].trim();
    if (f.endsWith("项") && text[at + m[0].length] === "目") continue;
    // "2021年" style years are dates, not figures; the unit list has no 年, but ranges can end in one.
    if (/^\d{4}$/u.test(f)) continue;
    seen.add(f);
  }
  return [...seen];
}

export function extractContacts(lines: readonly string[]): Contacts | undefined {
  const names: string[] = [];
  const phones: string[] = [];
  for (const line of lines) {
    const who = /^联系人\s*[：:]\s*(.+)$/u.exec(line);
    if (who) names.push(...(who[1] ?? "").split(/[、，,；;\s]+/u).filter((n) => n.length > 0));
    const tel = /^(?:联系电话|电话)\s*[：:]\s*(.+)$/u.exec(line);
    if (tel) phones.push(...(tel[1] ?? "").split(/[、，,；;\s]+/u).filter((p) => /\d/u.test(p)));
  }
  return names.length + phones.length > 0 ? { names, phones } : undefined;
}

export function isContactLine(line: string): boolean {
  return /^(联系人|联系电话|电话)\s*[：:]/u.test(line);
}

const PROGRESS = /(?:完成率|完成进度|总体进度|进展情况|推进情况|完成情况)[^，。；;\n%％]{0,12}?\d+(?:\.\d+)?\s*[%％]/gu;

export function extractProgress(text: string): string[] {
  return [...new Set([...text.matchAll(PROGRESS)].map((m) => m[0].trim()))];
}
