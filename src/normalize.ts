/**
 * Text folding applied before anything else, to documents and questions alike, so that a
 * question in 繁體 or with full-width digits finds the same tasks.
 *
 * Folding is character by character, from OpenCC's own tables (regional variants → standard
 * traditional → simplified). OpenCC's phrase-level converter is several times slower and
 * matching only needs both sides folded the same way.
 */
import { from, to } from "opencc-js/preset";

type DictGroup = readonly (string | readonly (readonly [string, string])[])[];

/** Single-character entries of OpenCC dictionaries ("萬 万|與 与|…"), first candidate wins. */
function characterTable(groups: readonly DictGroup[]): Map<string, string> {
  const table = new Map<string, string>();
  for (const group of groups) {
    for (const dict of group) {
      const pairs = typeof dict === "string" ? dict.split("|").map((e) => e.split(" ") as [string, string]) : dict;
      for (const [key, value] of pairs) {
        if (key && value && [...key].length === 1 && !table.has(key)) table.set(key, [...value][0] ?? value);
      }
    }
  }
  return table;
}

const VARIANTS = characterTable([...(from.hk ?? []), ...(from.tw ?? [])] as DictGroup[]);
const TRADITIONAL = characterTable((to.cn ?? []) as DictGroup[]);

/**
 * A variant is folded only on its way to a simplified character (裏 → 裡 → 里): the variant
 * tables also list simplified characters (么), which must stay as they are.
 */
function simplifiedChar(ch: string): string {
  const direct = TRADITIONAL.get(ch);
  if (direct) return direct;
  const variant = VARIANTS.get(ch);
  return (variant && TRADITIONAL.get(variant)) ?? ch;
}

/**
 * Every character that folding changes: documents are mostly simplified already, and only these
 * need a lookup. Folding covers the CJK blocks of the Basic Multilingual Plane (the ideographs
 * people type); characters beyond it stay as written.
 */
const FOLDED_BLOCKS = /^[\u3400-\u9FFF\uF900-\uFAFF]$/u;
const SIMPLIFIED = new Map(
  [...new Set([...TRADITIONAL.keys(), ...VARIANTS.keys()])]
    .filter((ch) => FOLDED_BLOCKS.test(ch))
    .map((ch) => [ch, simplifiedChar(ch)] as const)
    .filter(([ch, s]) => s !== ch),
);
const CHANGING = new RegExp(`[${[...SIMPLIFIED.keys()].join("").replace(/[\\\]^-]/gu, "\\$&")}]`, "gu");

export function toSimplified(s: string): string {
  return s.replace(CHANGING, (ch) => SIMPLIFIED.get(ch) ?? ch);
}

/** Full-width ASCII (０-９, Ａ-Ｚ, ＋, ％) to half-width; ideographic space to a space. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/gu, " ");
}

/** The folded form used for matching. Brackets and punctuation survive as half-width. */
export function fold(s: string): string {
  return toHalfWidth(toSimplified(s)).toLowerCase();
}
