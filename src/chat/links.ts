/**
 * Where a citation opens: its task's anchor on the document's page. The surfaces (ask --json,
 * the HTTP API, Telegram, the web chat) all build links here, so they always agree with the
 * routes and anchors the document pages serve.
 */
import { toJson, type Answer, type Citation } from "../answer/types.js";

export type CitationJson = ReturnType<typeof toJson>["citations"][number] & { url?: string };
export type AnswerJson = Omit<ReturnType<typeof toJson>, "citations"> & { citations: CitationJson[] };

/** The page of one document (ids hold Chinese and punctuation: always percent-encoded). */
export function documentPath(docId: string): string {
  return `/documents/${encodeURIComponent(docId)}`;
}

/** The element id of a task on its document's page. */
export function taskAnchor(number: string): string {
  return `task-${number}`;
}

/** `${PUBLIC_URL}/documents/<docId>#task-<number>`. */
export function taskUrl(publicUrl: string, docId: string, number: string): string {
  return `${publicUrl}${documentPath(docId)}#${taskAnchor(number)}`;
}

/** A link within the site that also highlights the quoted span (`?q=`) inside the cited task. */
export function quotePath(c: Pick<Citation, "docId" | "task" | "quote">): string {
  return `${documentPath(c.docId)}?q=${encodeURIComponent(c.quote)}#${taskAnchor(c.task)}`;
}

/**
 * The `ask --json` object. With PUBLIC_URL, each citation also carries the `url` that opens it:
 * an extra field, which the contract allows; without it the object is exactly the contract's.
 */
export function answerJson(answer: Answer, publicUrl?: string): AnswerJson {
  const json = toJson(answer);
  if (!publicUrl) return json;
  return { ...json, citations: json.citations.map((c, i) => ({ ...c, url: taskUrl(publicUrl, answer.citations[i]!.docId, c.task) })) };
}

/** "长宁" → "长宁区", as the index names districts; undefined when no held district fits. */
export function heldDistrict(held: Iterable<string>, raw: string): string | undefined {
  return [...held].find((d) => d === raw || d.startsWith(raw));
}
