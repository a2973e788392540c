/** Telegram HTML: everything from documents and users escaped; long texts split under the limit. */
import { splitMeasured } from "../chat/split.js";

/** Telegram rejects a message longer than this. */
export const TELEGRAM_MAX_CHARS = 4096;
/** We split a little below it, so a split never lands on the limit exactly. */
const SPLIT_AT = 3900;

export function escapeHtml(s: string): string {
  return s.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;");
}

/** The reply as HTML: escaped text, citation labels in bold so they stand out on a phone. */
export function toHtml(text: string): string {
  return escapeHtml(text).replace(/〔[^〔〕]{1,120}〕/gu, (ref) => `<b>${ref}</b>`);
}

/**
 * Splits plain text into parts of at most `max` characters, at a paragraph, line or sentence end
 * when there is one, so that each part stays valid once escaped and formatted.
 */
export function splitText(text: string, max = SPLIT_AT): string[] {
  return splitMeasured(text, max);
}

/** Escaping can lengthen text (& → &amp;): split the plain text so each escaped part still fits. */
export function htmlParts(text: string): string[] {
  return splitText(text).flatMap((p) => (toHtml(p).length <= TELEGRAM_MAX_CHARS ? [toHtml(p)] : splitText(p, 1000).map(toHtml)));
}
