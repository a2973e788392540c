/**
 * The documents and chunks of a build on disk. Loading one JSON file of every document meant
 * parsing one string of 158 MB at 5,000 documents (and V8 refuses strings past 512 MB, near
 * 40,000), with each text stored three times over (a task's text, its statement, its parts, its
 * chunks). Here each text is written once, into text shards (texts-0.txt, …, each a few tens of
 * MB), and documents.jsonl holds one small JSON line per document in which every text is a
 * reference [start, end) into its shard. A statement, a part, a lead's sentence or a chunk that
 * is a piece of its task's text refers into it. Loaded, every text is a slice of its shard's
 * string, which V8 keeps as a view: the corpus sits in memory once.
 */
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Chunk, LeadAssignment, Part, PlanDocument, Task } from "../ingest/types.js";

/** [start, end) in a shard, in UTF-16 code units (string indices). */
type Ref = [number, number];

type PackedPart = Omit<Part, "text" | "parts"> & { text: Ref; parts: PackedPart[] };
type PackedLead = Omit<LeadAssignment, "sentence"> & { sentence: Ref };
type PackedTask = Omit<Task, "docId" | "text" | "statement" | "parts" | "leadDepartments"> & { text: Ref; statement: Ref; parts: PackedPart[]; leadDepartments: PackedLead[] };
type PackedChunk = Omit<Chunk, "docId" | "text"> & { text: Ref };
type PackedDocument = Omit<PlanDocument, "preamble" | "trailer" | "tasks"> & { shard: number; preamble: Ref; trailer: Ref; tasks: PackedTask[]; chunks: PackedChunk[] };

/** A new shard starts past this many characters: far below V8's longest string. */
const SHARD_CHARS = 32 * 1024 * 1024;
/** Written to disk in pieces of about this many characters. */
const WRITE_CHARS = 1024 * 1024;

const shardName = (n: number) => `texts-${n}.txt`;

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
    const ref: Ref = [this.length, this.length + text.length];
    this.length += text.length;
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= WRITE_CHARS) await this.flush();
    return ref;
  }

  /** A text that is likely a piece of `whole` (at `wholeRef`): a reference into it when it is. */
  async within(text: string, whole: string, wholeRef: Ref): Promise<Ref> {
    const at = whole.indexOf(text);
    return at >= 0 ? [wholeRef[0] + at, wholeRef[0] + at + text.length] : this.put(text);
  }

  /** Called between documents: a document's texts never straddle two shards. */
  async nextShardIfFull(): Promise<void> {
    if (this.length < this.shardChars) return;
    await this.close();
    this.shard++;
    this.length = 0;
  }

  private async flush(): Promise<void> {
    await this.file?.write(this.pending.join(""));
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

async function packTask(task: Task, w: ShardWriter): Promise<PackedTask> {
  const { docId: _docId, ...rest } = task;
  const text = await w.put(task.text);
  const leads: PackedLead[] = [];
  for (const l of task.leadDepartments) leads.push({ ...l, sentence: await w.within(l.sentence, task.text, text) });
  return { ...rest, text, statement: await w.within(task.statement, task.text, text), parts: await packParts(task.parts, w, task.text, text), leadDepartments: leads };
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
      const taskRefs = new Map<string, { text: string; ref: Ref }>();
      for (const t of doc.tasks) {
        const packed = await packTask(t, w);
        tasks.push(packed);
        taskRefs.set(t.number, { text: t.text, ref: packed.text });
      }
      const packedChunks: PackedChunk[] = [];
      for (; c < chunks.length && chunks[c]!.docId === doc.id; c++) {
        const { docId: _docId, ...chunk } = chunks[c]!;
        const task = taskRefs.get(chunk.taskNumber);
        packedChunks.push({ ...chunk, text: task ? await w.within(chunk.text, task.text, task.ref) : await w.put(chunk.text) });
      }
      const packed: PackedDocument = { ...doc, shard: w.shard, preamble: await w.put(doc.preamble), trailer: await w.put(doc.trailer), tasks, chunks: packedChunks };
      await lines.write(`${JSON.stringify(packed)}\n`);
    }
    if (c !== chunks.length) throw new Error(`chunk ${chunks[c]?.id} is not listed with its document`);
  } finally {
    await w.close();
    await lines.close();
  }
}

/** The files a store of this build is made of, for reading them (checked against the manifest) before they are parsed. */
export function documentStoreFiles(names: Iterable<string>): string[] {
  return [...names].filter((n) => n === "documents.jsonl" || /^texts-\d+\.txt$/u.test(n));
}

/** Reads the documents and their chunks back: every text a slice of its shard. */
export async function readDocumentStore(dir: string, read: (name: string) => Promise<Buffer> = (name) => readFile(join(dir, name))): Promise<{ documents: PlanDocument[]; chunks: Chunk[] }> {
  const lines = await read("documents.jsonl");
  const shards: string[] = [];
  const shard = async (n: number) => (shards[n] ??= (await read(shardName(n))).toString("utf8"));
  const documents: PlanDocument[] = [];
  const chunks: Chunk[] = [];
  for (let start = 0; start < lines.length; ) {
    let end = lines.indexOf(10, start);
    if (end < 0) end = lines.length;
    const packed = JSON.parse(lines.toString("utf8", start, end)) as PackedDocument;
    start = end + 1;
    const s = await shard(packed.shard);
    const text = (r: Ref) => s.slice(r[0], r[1]);
    const unpackParts = (parts: PackedPart[]): Part[] => parts.map((p) => ({ ...p, text: text(p.text), parts: unpackParts(p.parts) }));
    const { shard: _shard, chunks: packedChunks, ...doc } = packed;
    const tasks = packed.tasks.map(
      (t): Task => ({
        ...t,
        docId: doc.id,
        text: text(t.text),
        statement: text(t.statement),
        parts: unpackParts(t.parts),
        leadDepartments: t.leadDepartments.map((l) => ({ ...l, sentence: text(l.sentence) })),
      }),
    );
    documents.push({ ...doc, preamble: text(packed.preamble), trailer: text(packed.trailer), tasks });
    // In the order a chunk is made with (id, docId first).
    for (const { id, ...c } of packedChunks) chunks.push({ id, docId: doc.id, ...c, text: text(c.text) });
  }
  return { documents, chunks };
}
