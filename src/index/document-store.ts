/**
 * The documents and chunks of a build on disk. Loading one JSON file of every document meant
 * parsing one string of 158 MB at 5,000 documents (and V8 refuses strings past 512 MB, near
 * 40,000), with each text stored three times over (a task's text, its statement, its parts, its
 * chunks). Here each text is written once, into text shards (texts-0.utf16, …, each a few tens
 * of MB), and documents.jsonl holds one small JSON line per document in which every text is a
 * reference [start, end) into its shard. A title, a statement, a part, a lead's sentence or a
 * chunk that is a piece of its task's text refers into it; a task's section is the number of the
 * document's section; a chunk is its task and path, its id and context made again as chunking
 * made them. Loaded, every text is a slice of its shard's string, which V8 keeps as a view: the
 * corpus sits in memory once. Shards are UTF-16, as JavaScript strings are: for Chinese text
 * that is a third smaller than UTF-8, and decoding it is a copy (about 10× faster).
 */
import { open } from "node:fs/promises";
import { join } from "node:path";
import { makeChunk } from "../ingest/chunk.js";
import { citableParts, type Chunk, type LeadAssignment, type Part, type PlanDocument, type Task } from "../ingest/types.js";
import type { ReadBuildFile } from "./builds.js";

/**
 * Where a text stands in its shard, in UTF-16 code units (string indices): start × 2²⁶ + length,
 * one JSON number. (A pair would be an array for the parser to make and the collector to free,
 * a million times at 5,000 documents.)
 */
type Ref = number;
const SPAN = 2 ** 26;
const ref = (start: number, length: number): Ref => start * SPAN + length;
const refStart = (r: Ref) => Math.floor(r / SPAN);
/** A ref to the piece of `whole` (at `wholeRef`) that starts `at`, `length` long. */
const refWithin = (wholeRef: Ref, at: number, length: number) => ref(refStart(wholeRef) + at, length);

type PackedPart = Omit<Part, "text" | "parts"> & { text: Ref; parts: PackedPart[] };
type PackedLead = Omit<LeadAssignment, "sentence"> & { sentence: Ref };
type PackedTask = Omit<Task, "docId" | "title" | "section" | "text" | "statement" | "parts" | "leadDepartments"> & {
  title: Ref | string;
  /** The number of the document's section, or the heading itself when the document does not list it. */
  section?: number | string;
  text: Ref;
  statement: Ref;
  parts: PackedPart[];
  leadDepartments: PackedLead[];
};
/** A chunk as its task (by position in the document) and path; the whole chunk when it is not what `makeChunk` makes of them. */
type PackedChunk = { task: number; path: string[]; text: Ref } | (Omit<Chunk, "docId" | "text"> & { text: Ref });
/** `opening`: where in `tasks` the document's opening (前言) is packed; it is not one of its tasks. */
type PackedDocument = Omit<PlanDocument, "preamble" | "trailer" | "tasks" | "opening"> & { preamble: Ref; trailer: Ref; tasks: PackedTask[]; opening?: number };
/** One line of documents.jsonl: the document's shard, the document, its chunks. */
type Line = [shard: number, document: PackedDocument, chunks: PackedChunk[]];

/** A new shard starts past this many characters: far below V8's longest string (and within a Ref's reach). */
const SHARD_CHARS = 32 * 1024 * 1024;
/** Written to disk in pieces of about this many characters. */
const WRITE_CHARS = 1024 * 1024;

const shardName = (n: number) => `texts-${n}.utf16`;

/** Appends texts to the current shard and says where each one stands. */
class ShardWriter {
  shard = 0;
  private length = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  private file: Awaited<ReturnType<typeof open>> | undefined;

  constructor(
    private readonly dir: string,
    private readonly shardChars: number,
  ) {}

  /** A text of its own. */
  async put(text: string): Promise<Ref> {
    if (!this.file) this.file = await open(join(this.dir, shardName(this.shard)), "w");
    if (text.length >= SPAN || this.length >= SPAN) throw new Error(`a text of ${text.length} characters does not fit a shard`);
    const at = ref(this.length, text.length);
    this.length += text.length;
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= WRITE_CHARS) await this.flush();
    return at;
  }

  /** A text that is likely a piece of `whole` (at `wholeRef`): a reference into it when it is. */
  async within(text: string, whole: string, wholeRef: Ref): Promise<Ref> {
    const at = whole.indexOf(text);
    return at >= 0 ? refWithin(wholeRef, at, text.length) : this.put(text);
  }

  /** Called between documents: a document's texts never straddle two shards. */
  async nextShardIfFull(): Promise<void> {
    if (this.length < this.shardChars) return;
    await this.close();
    this.shard++;
    this.length = 0;
  }

  private async flush(): Promise<void> {
    await this.file?.write(this.pending.join(""), null, "utf16le");
    this.pending = [];
    this.pendingChars = 0;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.file?.close();
    this.file = undefined;
  }
}

async function packParts(parts: readonly Part[], w: ShardWriter, task: string, taskRef: Ref): Promise<PackedPart[]> {
  const out: PackedPart[] = [];
  for (const p of parts) out.push({ ...p, text: await w.within(p.text, task, taskRef), parts: await packParts(p.parts, w, task, taskRef) });
  return out;
}

async function packTask(task: Task, sections: readonly string[], w: ShardWriter): Promise<PackedTask> {
  const { docId: _docId, ...rest } = task;
  const section = task.section;
  const text = await w.put(task.text);
  const title = task.text.indexOf(task.title);
  const leads: PackedLead[] = [];
  for (const l of task.leadDepartments) leads.push({ ...l, sentence: await w.within(l.sentence, task.text, text) });
  const sectionAt = section === undefined ? -1 : sections.indexOf(section);
  return {
    ...rest,
    ...(section === undefined ? {} : { section: sectionAt >= 0 ? sectionAt : section }),
    title: title >= 0 ? refWithin(text, title, task.title.length) : task.title,
    text,
    statement: await w.within(task.statement, task.text, text),
    parts: await packParts(task.parts, w, task.text, text),
    leadDepartments: leads,
  };
}

/** Writes documents.jsonl and the text shards. `chunks` are the documents' chunks, listed document by document. */
export async function writeDocumentStore(dir: string, documents: readonly PlanDocument[], chunks: readonly Chunk[], shardChars = SHARD_CHARS): Promise<void> {
  const w = new ShardWriter(dir, shardChars);
  const lines = await open(join(dir, "documents.jsonl"), "w");
  let c = 0;
  try {
    for (const doc of documents) {
      await w.nextShardIfFull();
      const tasks: PackedTask[] = [];
      const taskAt = new Map<string, number>();
      const parts = citableParts(doc);
      for (const t of parts) {
        taskAt.set(t.number, tasks.length);
        tasks.push(await packTask(t, doc.sections, w));
      }
      const packedChunks: PackedChunk[] = [];
      for (; c < chunks.length && chunks[c]!.docId === doc.id; c++) {
        const chunk = chunks[c]!;
        const at = taskAt.get(chunk.taskNumber);
        const task = at === undefined ? undefined : parts[at]!;
        const text = task ? await w.within(chunk.text, task.text, tasks[at!]!.text) : await w.put(chunk.text);
        const remade = task && JSON.stringify(makeChunk(doc, task, chunk.path, chunk.text)) === JSON.stringify(chunk);
        if (remade) packedChunks.push({ task: at!, path: chunk.path, text });
        else {
          const { docId: _docId, ...whole } = chunk;
          packedChunks.push({ ...whole, text });
        }
      }
      // The opening keeps its key's place (documents come back with their keys in order).
      const packed: PackedDocument = { ...(doc as Omit<PlanDocument, "opening">), preamble: await w.put(doc.preamble), trailer: await w.put(doc.trailer), tasks, ...(doc.opening ? { opening: doc.tasks.length } : {}) };
      const line: Line = [w.shard, packed, packedChunks];
      await lines.write(`${JSON.stringify(line)}\n`);
    }
    if (c !== chunks.length) throw new Error(`chunk ${chunks[c]?.id} is not listed with its document`);
  } finally {
    await w.close();
    await lines.close();
  }
}

/**
 * The lines of a file, read a few MB at a time: the whole file (31 MB at 5,000 documents) is
 * never one buffer, which would outlive its use until a full collection and, freed, stay in the
 * process's memory.
 */
async function* fileLines(path: string, chunkBytes = 4 * 1024 * 1024): AsyncGenerator<string> {
  const file = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let tail = Buffer.alloc(0);
    for (let n; (n = (await file.read(buf, 0, chunkBytes, null)).bytesRead) > 0; ) {
      const chunk = tail.length > 0 ? Buffer.concat([tail, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (let end; (end = chunk.indexOf(10, start)) >= 0; start = end + 1) yield chunk.toString("utf8", start, end);
      tail = Buffer.from(chunk.subarray(start));
    }
    if (tail.length > 0) yield tail.toString("utf8");
  } finally {
    await file.close();
  }
}

/** Reads the documents and their chunks back from `dir` (shards through `read`): every text a slice of its shard. */
export async function readDocumentStore(dir: string, read: ReadBuildFile): Promise<{ documents: PlanDocument[]; chunks: Chunk[]; chunkTasks: Task[] }> {
  const shards: string[] = [];
  const shard = async (n: number) => (shards[n] ??= (await read(shardName(n))).toString("utf16le"));
  const documents: PlanDocument[] = [];
  const chunks: Chunk[] = [];
  const chunkTasks: Task[] = [];
  for await (const line of fileLines(join(dir, "documents.jsonl"))) {
    const [shardNumber, packed, packedChunks] = JSON.parse(line) as Line;
    const s = await shard(shardNumber);
    const text = (r: Ref) => {
      const start = Math.floor(r / SPAN);
      return s.slice(start, start + (r - start * SPAN));
    };
    // The parsed objects become the documents: references replaced in place, so every key keeps
    // its place (as the parser wrote it) and nothing is copied.
    const unpackParts = (parts: PackedPart[]): Part[] => {
      for (const p of parts) {
        (p as unknown as Part).text = text(p.text);
        unpackParts(p.parts);
      }
      return parts as unknown as Part[];
    };
    for (const t of packed.tasks) {
      const task = t as unknown as Task;
      task.title = typeof t.title === "string" ? t.title : text(t.title);
      if (t.section !== undefined) task.section = typeof t.section === "number" ? packed.sections[t.section]! : t.section;
      task.text = text(t.text);
      task.statement = text(t.statement);
      unpackParts(t.parts);
      for (const l of t.leadDepartments) (l as unknown as LeadAssignment).sentence = text(l.sentence);
      task.docId = packed.id;
    }
    const all = packed.tasks as unknown as Task[];
    const document = packed as unknown as PlanDocument;
    if (packed.opening !== undefined) {
      document.tasks = all.slice(0, packed.opening);
      document.opening = all[packed.opening]!;
    }
    document.preamble = text(packed.preamble);
    document.trailer = text(packed.trailer);
    documents.push(document);
    for (const c of packedChunks) {
      if ("task" in c) {
        const task = all[c.task]!;
        chunks.push(makeChunk(document, task, c.path, text(c.text)));
        chunkTasks.push(task);
      } else {
        // In the order a chunk is made with (id, docId first).
        const { id, ...rest } = c;
        chunks.push({ id, docId: document.id, ...rest, text: text(c.text) });
        // The opening (前言) is stored whole with its document; its chunks are found here.
        const task = citableParts(document).find((t) => t.number === c.taskNumber);
        if (!task) throw new Error(`chunk ${id} names a task its document does not have`);
        chunkTasks.push(task);
      }
    }
  }
  return { documents, chunks, chunkTasks };
}
