/**
 * Clean-up that loses no wording: page-break splits rejoined, stray markdown and table pipes
 * dropped, line endings unified. Brackets are left as written so that quotes stay verbatim;
 * the marker rules accept both widths instead.
 */
import { startsWithMarker } from "./markers.js";

/** Characters after which a line may legitimately end a paragraph. */
const PARAGRAPH_END = /[。！？!?；;：:」”’）)》】]$/u;
/** Running text has sentence punctuation; a heading or a signature line usually has none. */
const RUNNING_TEXT = /[。，,；;、]/u;

export function normaliseNewlines(text: string): string {
  return text.replace(/^\uFEFF/u, "").replace(/\r\n?/gu, "\n").replace(/[\u2028\u2029]/gu, "\n");
}

/** Drops markup that is not part of the wording: `**bold**` markers and table pipes. */
export function stripMarkup(line: string): string {
  return line
    .replace(/\*\*/gu, "")
    .replace(/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/u, "") // a markdown table's rule line
    .replace(/^\s*\|+\s*/u, "")
    .replace(/\s*\|+\s*$/u, "")
    .replace(/[ \t\u00A0\u3000]+$/u, "");
}

/**
 * A page break in the source shows as a blank line in the middle of a sentence
 * (`建\n\n成全国首个`). Such a line is running text that stops without closing punctuation,
 * and the next line starts with no marker of its own.
 */
function isBrokenOff(line: string, next: string): boolean {
  const prev = line.trimEnd();
  if (prev.length === 0 || PARAGRAPH_END.test(prev)) return false;
  if (!RUNNING_TEXT.test(prev)) return false;
  // A short heading such as "一、坚持立德树人，培养…" ends without punctuation on purpose.
  if (startsWithMarker(prev) && prev.length < 40 && !/[。；;]/u.test(prev)) return false;
  const head = next.trimStart();
  if (head.length === 0 || startsWithMarker(head)) return false;
  if (/^(联系人|联系电话|附件)/u.test(head)) return false;
  return true;
}

/**
 * Returns the document as cleaned lines: markup dropped, page-break splits rejoined
 * without adding characters, empty lines removed.
 */
export function cleanLines(text: string): string[] {
  const raw = normaliseNewlines(text).split("\n").map(stripMarkup);
  const out: string[] = [];
  let i = 0;
  while (i < raw.length) {
    let line = raw[i] ?? "";
    i++;
    if (line.trim().length === 0) continue;
    // Join across one or more blank lines while the sentence is visibly unfinished.
    for (;;) {
      let j = i;
      while (j < raw.length && (raw[j] ?? "").trim().length === 0) j++;
      const next = raw[j];
      if (next === undefined || j === i) break; // no blank line: a real line break
      if (!isBrokenOff(line, next)) break;
      line = line.trimEnd() + next.trimStart();
      i = j + 1;
    }
    out.push(line.trim());
  }
  return out.filter((l) => l.length > 0);
}

/** Collapses spaces that PDF conversion puts between digits and CJK: "2023 年" → "2023年". */
export function tightenSpaces(s: string): string {
  return s
    .replace(/([\p{Script=Han}）》”])\s+(?=[\p{Script=Han}\d《“（])/gu, "$1")
    .replace(/(\d)\s+(?=[\p{Script=Han}])/gu, "$1")
    .replace(/\s+/gu, " ")
    .trim();
}
