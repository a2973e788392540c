/**
 * Tasks → chunks, the unit of retrieval. A plan item is one chunk; a long report task is split
 * along its parts (never across tasks), each chunk carrying its breadcrumb.
 */
import { itemName } from "./cite.js";
import { districtShort } from "./metadata.js";
import { citableParts, type Chunk, type Part, type PlanDocument, type Task } from "./types.js";

/** A part whose whole subtree is at most this long stays one chunk. */
const MAX_CHUNK_CHARS = 600;

export function partHeading(part: Part): string {
  return `${part.label}${part.title === part.label ? "" : part.title}`;
}

/** The part's subtree as it stands in the document. */
export function flattenPart(part: Part): string {
  return [part.text, ...part.parts.map(flattenPart)].join("\n");
}

export function documentLabel(doc: PlanDocument): string {
  return `${doc.district} ${doc.year || ""}${doc.period ?? ""}${doc.genre === "plan" ? "工作要点" : "重点工作"}`;
}

function contextOf(doc: PlanDocument, task: Task, path: readonly string[]): string {
  const head = `${documentLabel(doc)} ${districtShort(doc.district)} ${itemName(task.number)} ${task.title}`;
  return [head, task.section ?? "", ...path].filter((s) => s.length > 0).join(" › ");
}

function partChunks(doc: PlanDocument, task: Task, part: Part, ancestors: string[], out: Chunk[]): void {
  const path = [...ancestors, partHeading(part)];
  const whole = flattenPart(part);
  if (whole.length <= MAX_CHUNK_CHARS || part.parts.length === 0) {
    out.push(makeChunk(doc, task, path, whole));
    return;
  }
  // The part's own heading and paragraphs, when they say more than the heading.
  if (part.text.length > part.label.length + part.title.length + 4) out.push(makeChunk(doc, task, path, part.text));
  for (const child of part.parts) partChunks(doc, task, child, path, out);
}

/** A chunk of a task: its id and context follow from the task and the path (the index's store rebuilds chunks with this). */
export function makeChunk(doc: PlanDocument, task: Task, path: string[], text: string): Chunk {
  const suffix = path.length > 0 ? `#${path.join("/")}` : "";
  return {
    id: `${doc.id}/${task.number}${suffix}`,
    docId: doc.id,
    taskNumber: task.number,
    path,
    text,
    context: contextOf(doc, task, path),
  };
}

export function chunkTask(doc: PlanDocument, task: Task): Chunk[] {
  if (task.parts.length === 0) return [makeChunk(doc, task, [], task.text)];
  const out: Chunk[] = [];
  const contactLines = task.text.split("\n").filter((l) => /^(联系人|联系电话|电话)\s*[：:]/u.test(l));
  out.push(makeChunk(doc, task, [], [task.statement, ...contactLines].join("\n")));
  for (const part of task.parts) partChunks(doc, task, part, [], out);
  return out;
}

export function chunkDocument(doc: PlanDocument): Chunk[] {
  return citableParts(doc).flatMap((t) => chunkTask(doc, t));
}
