/**
 * How a citation reads: 〔长宁区·2023年工作要点·第14项〕,
 * 〔长宁区·2021年重点工作第048项·（二）小学生校内课后服务工程〕.
 */
import type { PlanDocument } from "./types.js";

/** Cited as 〔…·前言〕: the covering notice and the lines before the first item. */
export const OPENING = "前言";

export function docShortTitle(doc: Pick<PlanDocument, "year" | "period" | "genre">): string {
  const year = doc.year ? `${doc.year}年${doc.period ?? ""}` : "";
  return doc.genre === "plan" ? `${year}工作要点` : `${year}重点工作`;
}

export function taskLabel(doc: Pick<PlanDocument, "genre">, taskNumber: string, passage = false): string {
  // Paragraphs are numbered; the opening passage (前言) is named.
  if (passage) return /^\d+$/u.test(taskNumber) ? `第${taskNumber}段` : taskNumber;
  // Numbering that restarts per section is cited with its section: "二·3" reads 二、第3项.
  const restart = /^(.+)·(.+)$/u.exec(taskNumber);
  if (restart) return /^\d+$/u.test(restart[2]!) ? `${restart[1]}、第${restart[2]}项` : `${restart[1]}（${restart[2]}）`;
  return itemName(taskNumber);
}

/** An item's number as a phrase: 第14项; parts and articles numbered in words as written (第一部分, 第三条). */
export function itemName(taskNumber: string): string {
  return taskNumber.startsWith("第") ? taskNumber : `第${taskNumber}项`;
}

/**
 * The label an answer's text carries, short enough for a phone: 〔长宁2023·第14项〕. The full
 * label (with the part and the document's kind) is the citation's `ref`, shown in the sources view.
 */
export function shortLabel(doc: Pick<PlanDocument, "district" | "year" | "period"> & Partial<Pick<PlanDocument, "title" | "sourceFile">>, taskNumber: string, passage = false): string {
  const place = doc.district.length > 2 ? doc.district.replace(/(特别行政区|自治区|自治州|自治县|新区|省|市|区|县|旗|盟)$/u, "") : doc.district;
  return `〔${place || unplacedName(doc)}${doc.year || ""}${doc.period ?? ""}·${taskLabel({ genre: "plan" }, taskNumber, passage)}〕`;
}

/** How many characters of its title name a document whose place nobody gave. */
const UNPLACED_TITLE = 12;

/**
 * A document whose text never names its place (and nobody gave one with --district) is cited by
 * its title, else its file name: 〔《XX区教育局2023年工作计划》·第4项〕, never 〔·第4项〕.
 */
function unplacedName(doc: Partial<Pick<PlanDocument, "title" | "sourceFile">>): string {
  // The year is in the label already.
  const title = (doc.title ?? "").replace(/(?:19|20)\d{2}\s*年度?/gu, "").trim();
  if (title) return `《${title.length > UNPLACED_TITLE ? `${title.slice(0, UNPLACED_TITLE)}…` : title}》`;
  const file = (doc.sourceFile ?? "").split(/[\\/]/u).at(-1)?.replace(/\.[a-z]+$/iu, "");
  return file ? `《${file}》` : "";
}

/**
 * Where in the task: the most specific part, and, when it is nested, the top-level part too,
 * since a report repeats its sub-headings under 进展 / 问题 / 下一步 and a label must point at one place.
 */
export function partLabel(path: readonly string[]): string {
  const last = path.at(-1);
  if (!last) return "";
  if (path.length === 1) return last;
  // "一、本月进展情况 25%" → "一、本月进展情况": the figure belongs to the text, not the address.
  const top = (path[0] ?? "").replace(/\s*\d+(?:\.\d+)?\s*[%％]\s*$/u, "");
  return `${top}·${last}`;
}

/** The label people read: 〔长宁区·2021年重点工作第048项·一、本月进展情况·（二）小学生校内课后服务工程〕. */
export function citationLabel(
  doc: Pick<PlanDocument, "district" | "year" | "period" | "genre"> & Partial<Pick<PlanDocument, "title" | "sourceFile">>,
  taskNumber: string,
  path: readonly string[] = [],
  passage = false,
): string {
  const task = taskLabel(doc, taskNumber, passage);
  const where = doc.genre === "plan" ? `${docShortTitle(doc)}·${task}` : `${docShortTitle(doc)}${task}`;
  const part = partLabel(path);
  return `〔${doc.district || unplacedName(doc)}·${where}${part ? `·${part}` : ""}〕`;
}
