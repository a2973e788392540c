/** Loads every document in a folder, keeping going past bad files and reporting each. */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { SUPPORTED_EXTENSIONS } from "./formats.js";
import { IngestError, readDocument } from "./read.js";
import type { PlanDocument } from "./types.js";

/** Files we read as documents; anything else in the folder (a .gitkeep, a note) is ignored. */
export const DOCUMENT_EXTENSIONS = SUPPORTED_EXTENSIONS;

export interface LoadResult {
  documents: PlanDocument[];
  failures: IngestError[];
}

export async function listDocumentFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && DOCUMENT_EXTENSIONS.some((x) => e.name.toLowerCase().endsWith(x)))
    .map((e) => join(dir, e.name))
    .sort();
}

export async function loadDocuments(dir: string): Promise<LoadResult> {
  let files: string[];
  try {
    files = await listDocumentFiles(dir);
  } catch {
    throw new IngestError("missing", dir, `documents folder ${dir} does not exist`);
  }
  const documents: PlanDocument[] = [];
  const failures: IngestError[] = [];
  const ids = new Set<string>();
  for (const file of files) {
    try {
      const doc = await readDocument(file);
      // Two documents may read the same (two reports of one district and year): keep both, apart.
      let id = doc.id;
      for (let n = 2; ids.has(id); n++) id = `${doc.id}-${n}`;
      ids.add(id);
      documents.push(id === doc.id ? doc : { ...doc, id, tasks: doc.tasks.map((t) => ({ ...t, docId: id })), ...(doc.opening ? { opening: { ...doc.opening, docId: id } } : {}) });
    } catch (e) {
      if (e instanceof IngestError) failures.push(e);
      else throw e;
    }
  }
  return { documents, failures };
}
