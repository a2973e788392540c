/**
 * Terms the corpus itself tells us to keep whole: lead departments (局基教科), quoted terms
 * (“双减”, “一校三址”, “5+2”). Derived at index time, saved with the index, and inserted into
 * jieba before any question is cut.
 */
import type { PlanDocument } from "../ingest/types.js";

const QUOTED = /[“"「]([^”"」]{2,10})[”"」]/gu;

export function corpusTerms(documents: readonly PlanDocument[]): string[] {
  const terms = new Set<string>();
  for (const doc of documents) {
    for (const task of doc.tasks) {
      for (const l of task.leadDepartments) terms.add(l.department);
      for (const m of task.text.matchAll(QUOTED)) {
        const t = (m[1] ?? "").trim();
        // Slogans with spaces or sentence punctuation are phrases, not terms.
        if (!/[\s，。；、]/u.test(t)) terms.add(t);
      }
    }
  }
  return [...terms].sort();
}

/** Every department named as a lead, most frequent first, with the short form people type (计财科). */
export function departmentNames(documents: readonly PlanDocument[]): string[] {
  const count = new Map<string, number>();
  for (const doc of documents) for (const t of doc.tasks) for (const l of t.leadDepartments) count.set(l.department, (count.get(l.department) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d);
}
