/**
 * The engine's reply as 企业微信 text messages: plain text with the short citations as the engine
 * wrote them, then one "阅读全文" link per cited task when PUBLIC_URL is set (WeCom text messages
 * open <a href> links), each message within WeCom's 2,048 bytes.
 */
import type { Button, Reply } from "../../chat/engine.js";
import { sizeOf, splitMeasured } from "../../chat/split.js";

/** WeCom cuts a text message's content after this many UTF-8 bytes. */
export const WECOM_MAX_BYTES = 2048;

function link(b: Button & { url: string }): string {
  // Quotes cannot end the attribute early; the URL is otherwise ours (PUBLIC_URL and encoded ids).
  return `<a href="${b.url.replace(/"/gu, "%22")}">${b.text}</a>`;
}

/**
 * `fullText` are the engine's read-in-full buttons for the reply's citations: only the link ones
 * are used (a button that sends the task's text has nothing to press in a text message).
 */
export function wecomTexts(reply: Reply, fullText: Button[][]): string[] {
  let text = reply.text;
  // /start offers example questions as buttons; here they are listed to copy.
  if (reply.kind === "help") {
    const examples = reply.buttons.flat().filter((b) => !b.url);
    if (examples.length > 0) text += `\n\n${examples.map((b) => `• ${b.text}`).join("\n")}`;
  }
  const links = fullText.flat().filter((b): b is Button & { url: string } => Boolean(b.url)).map(link);
  const parts = splitMeasured(text, WECOM_MAX_BYTES, "utf8");
  if (links.length === 0) return parts;
  const tail = links.join("\n");
  const last = parts.at(-1);
  if (last !== undefined && sizeOf(`${last}\n\n${tail}`, "utf8") <= WECOM_MAX_BYTES) return [...parts.slice(0, -1), `${last}\n\n${tail}`];
  return [...parts, ...splitMeasured(tail, WECOM_MAX_BYTES, "utf8")];
}
