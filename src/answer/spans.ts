/**
 * Sentences and clause spans of a passage, as exact substrings: whatever is quoted must stand
 * verbatim in the document.
 */

export interface Span {
  text: string;
  /** Offset in the passage. */
  start: number;
}

/** Sentences, each ending at 。！？；or a line end; the end punctuation stays with its sentence. */
export function sentences(passage: string): Span[] {
  const out: Span[] = [];
  const re = /[^。！？!?；;\n]+[。！？!?；;]*/gu;
  for (const m of passage.matchAll(re)) {
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text.length > 0) out.push({ text, start: (m.index ?? 0) + lead });
  }
  return out;
}

/**
 * A sentence's clauses (split after ，,：:), each an exact substring of the sentence. A colon or
 * comma between digits (16:30, 1,200) is part of a number, never a clause boundary.
 */
export function clauses(sentence: string): Span[] {
  const out: Span[] = [];
  const re = /(?:[^，,：:]|(?<=\d)[,:：](?=\d))+[，,：:]?/gu;
  for (const m of sentence.matchAll(re)) out.push({ text: m[0], start: m.index ?? 0 });
  return out;
}

/**
 * The best window of consecutive clauses no longer than `max` characters, by the sum of the
 * clauses' scores; the sentence whole when it fits. Trailing commas are trimmed.
 */
export function bestWindow(sentence: string, score: (clause: string) => number, max: number): string {
  if (sentence.length <= max) return sentence;
  // A clause too long to quote (a PDF's table of contents, a run of cited documents) is windowed by finer pieces.
  const byClause = clauses(sentence);
  const parts = byClause.some((p) => p.text.length > max) ? pieces(sentence) : byClause;
  let best = { from: 0, to: 0, score: -Infinity };
  for (let i = 0; i < parts.length; i++) {
    let len = 0;
    let s = 0;
    for (let j = i; j < parts.length; j++) {
      len += parts[j]!.text.length;
      if (len > max && j > i) break;
      s += score(parts[j]!.text);
      if (s > best.score) best = { from: i, to: j, score: s };
    }
  }
  const start = parts[best.from]!.start;
  const end = parts[best.to]!.start + parts[best.to]!.text.length;
  const window = sentence.slice(start, end).replace(/[，,：:]$/u, "").trimEnd();
  return window.length <= max ? window : cutAt(window, max);
}

/** Finer pieces for a clause too long to quote: split after spaces, 、 and closing brackets (…》(锦政教督发〔2020〕8号)). */
function pieces(sentence: string): Span[] {
  return [...sentence.matchAll(/[^\s、）)》]+[\s、）)》]*|[\s、）)》]+/gu)].map((m) => ({ text: m[0], start: m.index ?? 0 }));
}

/**
 * A clause longer than a quote may be (text extracted from a PDF without punctuation) is cut at
 * the last space before the limit, else at the limit, never inside a number or a Latin word.
 */
function cutAt(text: string, max: number): string {
  const space = text.lastIndexOf(" ", max);
  if (space > max / 2) return text.slice(0, space);
  let end = max;
  while (end > max / 2 && /[\dA-Za-z.:%]/u.test(text[end - 1] ?? "") && /[\dA-Za-z.:%]/u.test(text[end] ?? "")) end--;
  return text.slice(0, end);
}
