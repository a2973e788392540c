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
  const prev = line.trim();
  if (prev.length === 0 || PARAGRAPH_END.test(prev)) return false;
  if (!RUNNING_TEXT.test(prev)) return false;
  // A short heading such as "一、坚持立德树人，培养…" ends without punctuation on purpose.
  if (startsWithMarker(prev) && prev.length < 40 && !/[。；;]/u.test(prev)) return false;
  const head = next.trimStart();
  if (head.length === 0 || startsWithMarker(head)) return false;
  if (/^(联系人|联系电话|附件)/u.test(head)) return false;
  return true;
}

/** A line of a table drawn in box characters that holds no text: a border. */
const BOX_BORDER = /^[\s┌┐└┘├┤┬┴┼─━┏┓┗┛┣┫┳┻╋═║╔╗╚╝╠╣╦╩╬╞╡╪╟╢╫]+$/u;
const BOX_CELL = /[│┃║]/u;

/**
 * A table drawn in box characters (text saved from old documents: ┌─┬─┐, │ 1 │15年教育普及│…)
 * as one line per row, cells split by "|". A cell's text wraps onto lines whose first cell is
 * empty: those are the row's continuation, joined to it cell by cell.
 */
export function unboxTables(lines: readonly string[]): string[] {
  const out: string[] = [];
  let row: string[] | undefined;
  const flush = () => {
    if (row) out.push(row.join(" | "));
    row = undefined;
  };
  for (const line of lines) {
    if (BOX_BORDER.test(line) && /[─━═]/u.test(line)) continue;
    const cells = line.split(BOX_CELL).map((c) => c.trim());
    if (cells.length < 3) {
      flush();
      out.push(line);
      continue;
    }
    if (!cells[0]) cells.shift();
    if (cells.length > 0 && !cells.at(-1)) cells.pop();
    if (row && !cells[0] && cells.length === row.length) {
      row = row.map((c, i) => c + (cells[i] ?? ""));
      continue;
    }
    flush();
    row = cells;
  }
  flush();
  return out;
}

/**
 * Returns the document as cleaned lines: markup dropped, page-break splits rejoined
 * without adding characters, empty lines removed.
 */
/** A row of a table (cells split by tabs, bars or runs of spaces): its line ends are the table's. */
const TABLE_ROW = /\t|[|｜]|\S {2,}\S/u;
/** A line at least this long may be one a page wrapped at its width. */
const WRAPPED_LINE = 15;
/** The share of such lines that must run on for the text to be read as wrapped at a fixed width. */
const WRAPPED_SHARE = 0.3;

/**
 * Text copied from a PDF is wrapped at the page's width, mid-sentence and mid-word, with no blank
 * line between ("有效落实中小学校党组织领\n导的校长负责制"): when many long lines run on into the next,
 * every such break is the page's, not the author's.
 */
function wrappedAtWidth(lines: readonly string[]): boolean {
  const filled = lines
    .map((l, i) => ({ l, next: lines[i + 1] }))
    .filter(({ l, next }) => l.trim().length >= WRAPPED_LINE && next !== undefined && next.trim().length > 0 && !TABLE_ROW.test(l) && !TABLE_ROW.test(next));
  const runOn = filled.filter(({ l, next }) => isBrokenOff(l, next!)).length;
  return filled.length >= 5 && runOn >= WRAPPED_SHARE * filled.length;
}

export function cleanLines(text: string): string[] {
  const raw = unboxTables(normaliseNewlines(text).split("\n")).map(stripMarkup);
  const wrapped = wrappedAtWidth(raw);
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
      // No blank line: a real line break, unless the whole text is wrapped at a page's width.
      if (next === undefined || (j === i && (!wrapped || TABLE_ROW.test(line) || TABLE_ROW.test(next)))) break;
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
