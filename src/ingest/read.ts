/**
 * The file edge of ingestion: bytes → text, with a typed error for every way a file can be
 * unusable. Everything after this is pure.
 */
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { extractText, FormatError } from "./formats.js";
import { parseDocument, ParseError, type ParseOptions } from "./parse.js";
import type { PlanDocument } from "./types.js";

export type IngestErrorCode =
  | "missing"
  | "not-a-file"
  | "empty"
  | "binary"
  | "too-large"
  | "unreadable"
  | "no-text"
  | "no-body"
  | "password-protected"
  | "no-text-layer"
  | "unsupported";

export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = "IngestError";
  }
}

/** 20 MiB of text is far beyond any plan; a larger file is a mistake, not a document. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export async function readDocumentText(file: string): Promise<string> {
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new IngestError("not-a-file", file, `${file} is not a regular file`);
    size = s.size;
  } catch (e) {
    if (e instanceof IngestError) throw e;
    throw new IngestError("missing", file, `${file} does not exist or cannot be opened`);
  }
  if (size === 0) throw new IngestError("empty", file, `${file} is empty`);
  if (size > MAX_FILE_BYTES) throw new IngestError("too-large", file, `${file} is ${size} bytes, over ${MAX_FILE_BYTES}`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new IngestError("unreadable", file, `${file} could not be read: ${(e as Error).message}`);
  }
  let text: string;
  try {
    ({ text } = await extractText(file, bytes));
  } catch (e) {
    if (e instanceof FormatError) throw new IngestError(e.code, file, `${file}: ${e.message}`);
    throw e;
  }
  if (text.trim().length === 0) throw new IngestError("empty", file, `${file} has no text`);
  return text;
}

/**
 * What the person adding a document said of it (`ingest --district`, `--source`), kept beside the
 * file as FILE.meta.json so that every later build reads the document the same way.
 */
export async function readSidecar(file: string): Promise<ParseOptions> {
  try {
    const meta = JSON.parse(await readFile(`${file}.meta.json`, "utf8")) as ParseOptions;
    return { ...(typeof meta.district === "string" ? { district: meta.district } : {}), ...(typeof meta.sourceUrl === "string" ? { sourceUrl: meta.sourceUrl } : {}) };
  } catch {
    return {};
  }
}

export async function readDocument(file: string, given: ParseOptions = {}): Promise<PlanDocument> {
  const text = await readDocumentText(file);
  const opts = { ...(await readSidecar(file)), ...given };
  try {
    return parseDocument(text, basename(file), opts);
  } catch (e) {
    if (e instanceof ParseError) throw new IngestError(e.code, file, e.message);
    throw e;
  }
}
