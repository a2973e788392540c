/**
 * What a button under a reply does, and how that is written into Telegram's callback data: one
 * place for the prefixes and their parsing. Ids are stable (an answer's random id, a document's
 * short hash), never a position in a list that a reload can reorder. Telegram allows 64 bytes.
 */
import { createHash } from "node:crypto";

export type ButtonAction =
  | { kind: "sources"; answerId: string }
  | { kind: "vote"; answerId: string; vote: "up" | "down" }
  | { kind: "example"; index: number }
  /** One of several plans holding the asked task number (/task 14). */
  | { kind: "task"; doc: string; number: string }
  /** The whole text of a task whose summary was sent (/task 043). */
  | { kind: "fullTask"; doc: string; number: string };

export const MAX_BUTTON_DATA_BYTES = 64;

const PREFIX = { sources: "src", vote: "fb", example: "ex", task: "task", fullTask: "full" } as const;

/** A document's id as a short stable key: ids are Chinese and can outgrow the 64 bytes. */
export function docKey(docId: string): string {
  return createHash("sha256").update(docId).digest("base64url").slice(0, 10);
}

export function encodeButton(a: ButtonAction): string {
  const fields = (() => {
    switch (a.kind) {
      case "sources":
        return [a.answerId];
      case "vote":
        return [a.answerId, a.vote];
      case "example":
        return [String(a.index)];
      case "task":
      case "fullTask":
        return [a.doc, a.number];
    }
  })();
  const data = [PREFIX[a.kind], ...fields].join(":");
  if (Buffer.byteLength(data) > MAX_BUTTON_DATA_BYTES) throw new Error(`button data over ${MAX_BUTTON_DATA_BYTES} bytes: ${data}`);
  return data;
}

const ID = /^[\w-]{1,32}$/u;
const NUMBER = /^[^:]{1,16}$/u;

/** The action behind callback data, or undefined for anything else (old, foreign or forged data). */
export function decodeButton(data: string): ButtonAction | undefined {
  const [prefix, a = "", b = "", ...rest] = data.split(":");
  if (rest.length > 0) return undefined;
  switch (prefix) {
    case PREFIX.sources:
      return ID.test(a) && b === "" ? { kind: "sources", answerId: a } : undefined;
    case PREFIX.vote:
      return ID.test(a) && (b === "up" || b === "down") ? { kind: "vote", answerId: a, vote: b } : undefined;
    case PREFIX.example:
      return /^\d{1,2}$/u.test(a) && b === "" ? { kind: "example", index: Number(a) } : undefined;
    case PREFIX.task:
    case PREFIX.fullTask:
      return ID.test(a) && NUMBER.test(b) ? { kind: prefix === PREFIX.task ? "task" : "fullTask", doc: a, number: b } : undefined;
    default:
      return undefined;
  }
}
