import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { realDocumentFolders } from "../../src/cli/synthetic.js";
import { chunkDocument } from "../../src/ingest/chunk.js";
import { loadDocuments } from "../../src/ingest/load.js";
import { citableParts } from "../../src/ingest/types.js";
import { plainReader } from "../../src/index/builds.js";
import { readDocumentStore, writeDocumentStore } from "../../src/index/document-store.js";
import { ROOT, tempDir } from "../helpers.js";

describe("the document store", () => {
  it("gives back every real document and chunk exactly, keys in order, each text stored once", async () => {
    const documents = (await Promise.all(realDocumentFolders(ROOT).map(async (f) => (await loadDocuments(f)).documents))).flat();
    const chunks = documents.flatMap(chunkDocument);
    const dir = tempDir("epb-store-");
    await writeDocumentStore(dir, documents, chunks);
    const back = await readDocumentStore(dir, plainReader(dir));
    expect(JSON.stringify(back.documents)).toBe(JSON.stringify(documents));
    expect(JSON.stringify(back.chunks)).toBe(JSON.stringify(chunks));
    // Statements, parts, leads' sentences and chunks are pieces of their tasks' texts, not copies.
    const stored = readdirSync(dir).filter((f) => f.startsWith("texts-")).reduce((n, f) => n + readFileSync(join(dir, f), "utf16le").length, 0);
    const tasks = documents.reduce((n, d) => n + d.preamble.length + d.trailer.length + citableParts(d).reduce((m, t) => m + t.text.length, 0), 0);
    expect(stored).toBeLessThan(tasks * 1.05);
    expect(stored).toBeLessThan(JSON.stringify(documents).length / 2);
  });

  it("splits the texts into shards, a document's texts in one", async () => {
    const documents = (await loadDocuments(join(ROOT, "seeds"))).documents;
    const chunks = documents.flatMap(chunkDocument);
    const dir = tempDir("epb-store-");
    await writeDocumentStore(dir, documents, chunks, 10_000);
    expect(readdirSync(dir).filter((f) => f.startsWith("texts-")).length).toBeGreaterThan(1);
    const back = await readDocumentStore(dir, plainReader(dir));
    expect({ documents: back.documents, chunks: back.chunks }).toEqual({ documents, chunks });
    // Each chunk comes back with its task, one of its document's.
    back.chunks.forEach((c, i) => expect(citableParts(back.documents.find((d) => d.id === c.docId)!)).toContain(back.chunkTasks[i]));
  });
});
