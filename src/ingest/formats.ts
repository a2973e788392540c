/**
 * Bytes → text for the formats bureaus publish, each through a well-kept library: text in UTF-8
 * or GB18030/GBK (chardet + iconv-lite), .docx (mammoth), .pdf with a text layer (unpdf, pdf.js),
 * .html saved from a bureau's site (node-html-parser; navigation dropped). Each library is
 * imported when a file needs it: a command that reads no file (ask, on a current index) loads none.
 */
import { extname } from "node:path";
import type { HTMLElement } from "node-html-parser";

const iconvLite = async () => (await import("iconv-lite")).default;

export type Format = "text" | "docx" | "pdf" | "html";

/** Why a file gave no text, in terms the reader's caller turns into an IngestError. */
export class FormatError extends Error {
  constructor(
    readonly code: "binary" | "unreadable" | "password-protected" | "no-text-layer" | "unsupported",
    message: string,
  ) {
    super(message);
    this.name = "FormatError";
  }
}

const EXTENSIONS: Record<string, Format> = {
  ".txt": "text",
  ".text": "text",
  ".md": "text",
  ".docx": "docx",
  ".pdf": "pdf",
  ".html": "html",
  ".htm": "html",
};

export const SUPPORTED_EXTENSIONS = Object.keys(EXTENSIONS);

const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);

/** By extension, corrected by the bytes (a .txt that is really a PDF is read as a PDF). */
export function formatOf(file: string, bytes: Uint8Array): Format {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return "pdf"; // %PDF
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
    // OLE compound file: an encrypted .docx, or a legacy .doc.
    throw new FormatError("password-protected", "an encrypted Office file or a legacy .doc; save it as an unprotected .docx");
  }
  const byExt = EXTENSIONS[extname(file).toLowerCase()];
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // A Word file renamed to .txt is still a Word file (zip entry names are stored uncompressed).
    if (byExt === "docx" || Buffer.from(bytes).includes("word/document.xml")) return "docx";
    // Its extension may be a supported one: the file is what is wrong, not its type.
    throw new FormatError("binary", "a zip archive, not a document");
  }
  if (!byExt) throw new FormatError("unsupported", `unsupported file type ${extname(file) || "(none)"}`);
  return byExt;
}

/** Decodes text in whatever encoding it came in: UTF-8 when it is valid, else what chardet finds. */
export async function decodeText(bytes: Uint8Array): Promise<{ text: string; encoding: string }> {
  if (bytes.includes(0)) throw new FormatError("binary", "contains NUL bytes");
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/u, ""), encoding: "UTF-8" };
  } catch {
    // Not UTF-8: Chinese government files are often GBK / GB18030.
  }
  const [chardet, iconv] = await Promise.all([import("chardet").then((m) => m.default), iconvLite()]);
  const guess = chardet.detect(bytes) ?? "";
  const encoding = /^(GB|Big5|EUC|UTF-16|UTF-32|Shift_JIS|ISO-2022)/iu.test(guess) ? guess : "GB18030";
  const name = /^GB/iu.test(encoding) ? "GB18030" : encoding; // GB18030 is a superset of GBK and GB2312
  if (!iconv.encodingExists(name)) throw new FormatError("unreadable", `unknown text encoding ${guess}`);
  const text = iconv.decode(Buffer.from(bytes), name);
  const bad = (text.match(/\uFFFD/gu) ?? []).length;
  if (bad > text.length * 0.01) throw new FormatError("binary", "not text in any known encoding");
  return { text, encoding: name };
}

/** Through HTML, so that a table's rows stay rows (raw text would put every cell on its own line). */
async function docxText(bytes: Uint8Array): Promise<string> {
  const mammoth = (await import("mammoth")).default;
  try {
    const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
    return await htmlToText(value);
  } catch (e) {
    throw new FormatError("unreadable", `not a readable .docx: ${(e as Error).message}`);
  }
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const { getDocumentProxy } = await import("unpdf");
  let text = "";
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    for (let p = 1; p <= pdf.numPages; p++) {
      const { items } = await (await pdf.getPage(p)).getTextContent();
      // pdf.js marks line ends; keeping them keeps the document's lines (and its numbering) apart.
      for (const item of items) if ("str" in item) text += item.str + (item.hasEOL ? "\n" : "");
      text += "\n";
    }
  } catch (e) {
    const err = e as Error;
    if (err.name === "PasswordException" || /password/iu.test(err.message)) throw new FormatError("password-protected", "the PDF is password-protected");
    throw new FormatError("unreadable", `not a readable PDF: ${err.message}`);
  }
  if (!/\p{Script=Han}/u.test(text)) throw new FormatError("no-text-layer", "the PDF has no text layer (a scan?): run OCR first");
  return text;
}

/** Page furniture that is not the document: menus, headers, footers, share bars. */
const FURNITURE = "script, style, noscript, nav, header, footer, aside, form, iframe, button, select";
const FURNITURE_NAME = /(^|[-_\s])(nav|navbar|menu|breadcrumb|crumb|footer|header|sidebar|share|toolbar|topbar|banner|links?)([-_\s]|$)/iu;

async function htmlToText(raw: string): Promise<string> {
  const { parse: parseHtml } = await import("node-html-parser");
  const root = parseHtml(raw, { blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  // A table row becomes one line of cells: the parser reads tasks laid out in a table from it.
  for (const tr of root.querySelectorAll("tr")) {
    const cells = tr.querySelectorAll("td, th").map((c) => c.structuredText.replace(/\s+/gu, " ").trim());
    tr.replaceWith(`<p>${cells.join(" | ").replace(/&/gu, "&amp;").replace(/</gu, "&lt;")}</p>`);
  }
  for (const el of root.querySelectorAll(FURNITURE)) el.remove();
  for (const el of root.querySelectorAll("[class], [id]")) {
    if (FURNITURE_NAME.test(`${el.getAttribute("class") ?? ""} ${el.getAttribute("id") ?? ""}`)) el.remove();
  }
  const main: HTMLElement = root.querySelector("article") ?? root.querySelector("main") ?? root.querySelector("#content, .content, .article, .TRS_Editor") ?? root.querySelector("body") ?? root;
  return main.structuredText;
}

async function htmlText(bytes: Uint8Array): Promise<string> {
  return htmlToText((await decodeHtmlBytes(bytes)).text);
}

/** An HTML page names its charset in a meta tag; trust it over guessing. */
async function decodeHtmlBytes(bytes: Uint8Array): Promise<{ text: string }> {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString("latin1");
  const declared = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/iu.exec(head)?.[1];
  if (declared && !/utf-?8/iu.test(declared)) {
    const iconv = await iconvLite();
    if (iconv.encodingExists(declared)) return { text: iconv.decode(Buffer.from(bytes), declared) };
  }
  return decodeText(bytes);
}

export async function extractText(file: string, bytes: Uint8Array): Promise<{ text: string; format: Format }> {
  const format = formatOf(file, bytes);
  switch (format) {
    case "docx":
      return { text: await docxText(bytes), format };
    case "pdf":
      return { text: await pdfText(bytes), format };
    case "html":
      return { text: await htmlText(bytes), format };
    default:
      return { text: (await decodeText(bytes)).text, format };
  }
}
