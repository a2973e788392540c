/**
 * The numbering markers Chinese government documents use, in both bracket widths.
 * Each kind is one level of an outline; which level is which is decided by order of
 * appearance, not by the kind, because documents nest them differently.
 */

export type MarkerKind = "cnComma" | "cnParen" | "arabicDot" | "arabicParen" | "circled" | "reportTask" | "cnShi" | "cnOrdinal";

export interface Marker {
  kind: MarkerKind;
  /** 1-based ordinal: 一 → 1, ③ → 3, "043" → 43. */
  ordinal: number;
  /** The number as written: "043", "14", "三". */
  written: string;
  /** The label as written, trimmed: "（二）", "1.", "(3)", "①", "一、", "第 043 项：". */
  label: string;
  /** The line after the label. */
  rest: string;
}

const CN_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** 一 → 1, 十二 → 12, 二十 → 20, 二十三 → 23, 一百 → 100, 两百二十 → 220. Returns NaN for anything else. */
export function chineseNumeral(s: string): number {
  if (s.length === 0) return Number.NaN;
  const hundred = s.indexOf("百");
  if (hundred >= 0) {
    const hundreds = hundred === 1 ? (CN_DIGITS[s[0]!] ?? Number.NaN) : Number.NaN;
    const rest = s.slice(hundred + 1);
    return hundreds * 100 + (rest.length > 0 ? chineseNumeral(rest) : 0);
  }
  const ten = s.indexOf("十");
  if (ten < 0) return s.length === 1 ? (CN_DIGITS[s] ?? Number.NaN) : Number.NaN;
  const tens = ten === 0 ? 1 : (CN_DIGITS[s.slice(0, ten)] ?? Number.NaN);
  const units = ten === s.length - 1 ? 0 : (CN_DIGITS[s.slice(ten + 1)] ?? Number.NaN);
  return tens * 10 + units;
}

const CN = "[一二三四五六七八九十]{1,3}";

/** The numeral inside a part or article numbered in words: 第三条 → 三, 第一部分 → 一. */
const insideOrdinal = (written: string): string => written.replace(/^第\s*|\s*(?:部分|条)$/gu, "");
const CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

const RULES: { kind: MarkerKind; re: RegExp; ordinal: (n: string) => number }[] = [
  { kind: "reportTask", re: /^(第\s*(\d{1,4})\s*项\s*[：:]?)\s*/u, ordinal: Number },
  { kind: "cnParen", re: new RegExp(`^([（(]\\s*(${CN})\\s*[）)])\\s*`, "u"), ordinal: chineseNumeral },
  { kind: "arabicParen", re: /^([（(]\s*(\d{1,3})\s*[）)])\s*/u, ordinal: Number },
  { kind: "cnComma", re: new RegExp(`^((${CN})\\s*[、.．])\\s*`, "u"), ordinal: chineseNumeral },
  // "2.0版本" and "1-12 月" are not markers: the dot must not be followed by a digit.
  { kind: "arabicDot", re: /^((\d{1,3})\s*[.．、](?!\d))\s*/u, ordinal: Number },
  { kind: "circled", re: new RegExp(`^(([${CIRCLED}]))\\s*`, "u"), ordinal: (c) => CIRCLED.indexOf(c) + 1 },
  // "一是全力推进…": summaries and reports often number their points this way, each on its own line.
  { kind: "cnShi", re: new RegExp(`^((${CN})是)(?=\\p{Script=Han})`, "u"), ordinal: chineseNumeral },
  // "第一部分:坚持…", "第三条 …": parts and articles numbered in words, cited as written (第一部分).
  { kind: "cnOrdinal", re: new RegExp(`^((第\\s*${CN}\\s*(?:部分|条))\\s*[：:、.．]?)\\s*`, "u"), ordinal: (w) => chineseNumeral(insideOrdinal(w)) },
];

export function readMarker(line: string): Marker | undefined {
  for (const rule of RULES) {
    const m = rule.re.exec(line);
    if (!m) continue;
    const written = m[2] ?? "";
    const ordinal = rule.ordinal(written);
    if (!Number.isFinite(ordinal) || ordinal <= 0) continue;
    return { kind: rule.kind, ordinal, written, label: (m[1] ?? "").trim(), rest: line.slice(m[0].length) };
  }
  return undefined;
}

export function startsWithMarker(line: string): boolean {
  return readMarker(line) !== undefined;
}

/**
 * Places inside a line where a marker of the given kinds may begin an inline item:
 * after white space or after a sentence end. Used to unfold documents delivered as one long line.
 */
export function inlineMarkerStarts(line: string, kinds: readonly MarkerKind[]): number[] {
  const starts: number[] = [];
  const re = /(?<=[\s。；;])(?=[（(]?[\d一二三四五六七八九十①-⑳])/gu;
  for (const m of line.matchAll(re)) {
    const at = m.index ?? 0;
    if (at === 0) continue;
    const marker = readMarker(line.slice(at));
    if (marker && kinds.includes(marker.kind)) starts.push(at);
  }
  return starts;
}

/** A task number as written ("043", "14", "三") as an integer, for comparing with a question's. */
export function taskOrdinal(number: string): number {
  const bare = insideOrdinal(number);
  return /^\d+$/u.test(bare) ? Number(bare) : chineseNumeral(bare);
}
