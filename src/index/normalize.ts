/**
 * Text folding applied before anything else, to documents and questions alike, so that a
 * question in 繁體 or with full-width digits finds the same tasks.
 */
import { Converter } from "opencc-js/t2cn";

const toSimplified = Converter({ from: "hk", to: "cn" });

/** Full-width ASCII (０-９, Ａ-Ｚ, ＋, ％) to half-width; ideographic space to a space. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/gu, " ");
}

/** The folded form used for matching. Brackets and punctuation survive as half-width. */
export function fold(s: string): string {
  return toHalfWidth(toSimplified(s)).toLowerCase();
}
