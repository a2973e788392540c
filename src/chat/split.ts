/**
 * Long replies cut into messages a chat service accepts, at a paragraph, line or sentence end when
 * there is one. Telegram counts characters; 企业微信 counts UTF-8 bytes (a Chinese character is 3).
 */

export type Measure = "chars" | "utf8";

/** How many UTF-16 units of `text`, from its start, fit within `max` of the measure. */
function fitting(text: string, max: number, measure: Measure): number {
  if (measure === "chars") return Math.min(max, text.length);
  let bytes = 0;
  let units = 0;
  for (const ch of text) {
    bytes += Buffer.byteLength(ch, "utf8");
    if (bytes > max) break;
    units += ch.length;
  }
  return units;
}

export function sizeOf(text: string, measure: Measure): number {
  return measure === "chars" ? text.length : Buffer.byteLength(text, "utf8");
}

/** Parts of at most `max` (characters or bytes), each trimmed where it was cut. */
export function splitMeasured(text: string, max: number, measure: Measure = "chars"): string[] {
  const parts: string[] = [];
  let rest = text;
  while (sizeOf(rest, measure) > max) {
    const window = rest.slice(0, fitting(rest, max, measure));
    const cut = Math.max(window.lastIndexOf("\n\n"), window.lastIndexOf("\n"), window.lastIndexOf("。") + 1, window.lastIndexOf("；") + 1);
    const at = cut > window.length / 2 ? cut : window.length;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}
