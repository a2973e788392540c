/**
 * How a citation reads: 〔长宁区·2023年工作要点·第14项〕,
 * 〔长宁区·2021年重点工作第048项·（二）小学生校内课后服务工程〕.
 */
import type { PlanDocument } from "./types.js";

export function docShortTitle(doc: Pick<PlanDocument, "year" | "period" | "genre">): string {
  const year = doc.year ? `${doc.year}年${doc.period ?? ""}` : "";
  return doc.genre === "plan" ? `${year}工作要点` : `${year}重点工作`;
}

export function taskLabel(doc: Pick<PlanDocument, "genre">, taskNumber: string, passage = false): string {
  if (passage) return `第${taskNumber}段`;
  return `第${taskNumber}项`;
}

/** The label people read. The last element of the path is the most specific part. */
export function citationLabel(
  doc: Pick<PlanDocument, "district" | "year" | "period" | "genre">,
  taskNumber: string,
  path: readonly string[] = [],
  passage = false,
): string {
  const task = taskLabel(doc, taskNumber, passage);
  const where = doc.genre === "plan" ? `${docShortTitle(doc)}·${task}` : `${docShortTitle(doc)}${task}`;
  const part = path.at(-1);
  return `〔${doc.district}·${where}${part ? `·${part}` : ""}〕`;
}
