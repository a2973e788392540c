/**
 * Text → PlanDocument. Pure: no files, no clocks. Two genres share one clean-up and one set
 * of marker rules; the walk differs. Every line of the source ends up in exactly one place
 * (preamble, a section heading, a task, or the trailer), which the tests check.
 */
import { createHash } from "node:crypto";
import { cleanLines } from "./clean.js";
import {
  extractContacts,
  extractFigures,
  extractProgress,
  isContactLine,
  leadAssignments,
} from "./annotations.js";
import { inlineMarkerStarts, readMarker, type MarkerKind } from "./markers.js";
import {
  districtShort,
  findDate,
  findDistrict,
  findDocNumber,
  findIssuer,
  findPeriod,
  findTitle,
  findYear,
} from "./metadata.js";
import type { Genre, Part, PlanDocument, Task } from "./types.js";

/** A task before the document's id is known. */
type DraftTask = Omit<Task, "docId">;

interface Body {
  genre: Genre;
  preamble: string[];
  sections: string[];
  tasks: DraftTask[];
  trailer: string[];
  warnings: string[];
}

const DATE_ONLY = /^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$/u;
const SIGNATURE = /^(?:[\p{Script=Han}]{2,3}市)?[\p{Script=Han}]{2,8}(?:教育局|人民政府|办公室)(?:\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?$/u;

function isSignatureLine(line: string): boolean {
  return DATE_ONLY.test(line) || SIGNATURE.test(line) || /^(抄送|印发|公开属性)[：:]/u.test(line);
}

/** The first clause of a task: up to its first full stop (or colon), at most ~40 characters. */
export function firstClause(text: string, max = 40): string {
  const flat = text.replace(/\s*\n\s*/gu, "");
  const end = flat.search(/[。：:；;！？]/u);
  let clause = end >= 0 ? flat.slice(0, end) : flat;
  if (clause.length > max) {
    const comma = clause.lastIndexOf("，", max);
    clause = comma > 8 ? clause.slice(0, comma) : clause.slice(0, max);
  }
  return clause.replace(/\s+/gu, " ").trim();
}

interface Fragment {
  text: string;
  /** False when the fragment was cut out of a longer line (a document delivered as one line). */
  startsLine: boolean;
}

/** Splits lines where an inline marker of the given kinds begins, keeping every character. */
function unfold(lines: readonly string[], kinds: readonly MarkerKind[]): Fragment[] {
  const out: Fragment[] = [];
  for (const line of lines) {
    let from = 0;
    for (const at of inlineMarkerStarts(line, kinds)) {
      out.push({ text: line.slice(from, at).trim(), startsLine: from === 0 });
      from = at;
    }
    out.push({ text: line.slice(from).trim(), startsLine: from === 0 });
  }
  return out.filter((f) => f.text.length > 0);
}

function newTask(number: string, firstLine: string, section: string | undefined): DraftTask {
  return {
    number,
    title: "",
    ...(section ? { section } : {}),
    text: firstLine,
    statement: "",
    parts: [],
    leadDepartments: [],
    figures: [],
    progress: [],
  };
}

function finishTask(task: DraftTask, lines: readonly string[]): DraftTask {
  const text = task.text.trim();
  const contacts = extractContacts(lines);
  return {
    ...task,
    text,
    statement: task.statement.trim() || text,
    title: firstClause(task.statement || text),
    leadDepartments: leadAssignments(text),
    figures: extractFigures(text),
    progress: extractProgress(text),
    ...(contacts ? { contacts } : {}),
  };
}

/**
 * 工作要点: sections `一、…`, items `N.` numbered across the whole document. A candidate marker
 * counts only when it continues the numbering, so "2.0版本" or a stray "3." inside a sentence
 * stays text.
 */
function parsePlanBody(lines: readonly string[]): Body {
  const fragments = unfold(lines, ["cnComma", "arabicDot"]);
  const preamble: string[] = [];
  const trailer: string[] = [];
  const tasks: { task: DraftTask; lines: string[] }[] = [];
  const sections: string[] = [];
  let section: string | undefined;
  let nextSection = 1;
  let nextItem = 1;

  for (const { text: fragment, startsLine } of fragments) {
    const m = readMarker(fragment);
    if (m?.kind === "cnComma" && m.ordinal === nextSection && m.rest.length <= 50 && !/[。]/u.test(m.rest)) {
      section = fragment;
      sections.push(fragment);
      nextSection++;
      continue;
    }
    if (m?.kind === "arabicDot" && m.ordinal === nextItem) {
      tasks.push({ task: newTask(m.written, m.rest, section), lines: [fragment] });
      nextItem++;
      continue;
    }
    const current = tasks.at(-1);
    if (!current) {
      preamble.push(fragment);
    } else if (isSignatureLine(fragment) || trailer.length > 0) {
      trailer.push(fragment);
    } else {
      current.task.text += (startsLine ? "\n" : " ") + fragment;
      current.lines.push(fragment);
    }
  }
  return {
    genre: "plan",
    preamble,
    sections,
    trailer,
    tasks: tasks.map(({ task, lines: l }) => finishTask(task, l)),
    warnings: [],
  };
}

interface OpenPart {
  kind: MarkerKind;
  part: Part;
}

/**
 * 重点工作推进情况反馈: `第 043 项：…` then parts nested by marker kind. Which kind is the outer
 * level is learnt from the order they appear in: a kind seen before closes everything below it.
 */
function parseReportBody(lines: readonly string[]): Body {
  const fragments = unfold(lines, ["arabicParen", "circled", "cnParen"]);
  const preamble: string[] = [];
  const trailer: string[] = [];
  const tasks: { task: DraftTask; lines: string[] }[] = [];
  let stack: OpenPart[] = [];

  for (const { text: line } of fragments) {
    const m = readMarker(line);
    if (m?.kind === "reportTask") {
      const task = newTask(m.written, line, undefined);
      task.statement = m.rest;
      tasks.push({ task, lines: [line] });
      stack = [];
      continue;
    }
    const current = tasks.at(-1);
    if (!current) {
      preamble.push(line);
      continue;
    }
    if (isSignatureLine(line)) {
      trailer.push(line);
      continue;
    }
    current.task.text += "\n" + line;
    current.lines.push(line);
    if (isContactLine(line)) continue;
    if (m) {
      const sibling = stack.findIndex((s) => s.kind === m.kind);
      if (sibling >= 0) stack = stack.slice(0, sibling);
      const part: Part = { label: m.label, title: firstClause(m.rest) || m.label, text: line, parts: [] };
      (stack.at(-1)?.part.parts ?? current.task.parts).push(part);
      stack.push({ kind: m.kind, part });
      continue;
    }
    const open = stack.at(-1);
    if (open) open.part.text += "\n" + line;
    else current.task.statement += "\n" + line;
  }
  return {
    genre: "report",
    preamble,
    sections: [],
    trailer,
    tasks: tasks.map(({ task, lines: l }) => finishTask(task, l)),
    warnings: [],
  };
}

/** A document with no recognisable numbering is still searchable: one passage per paragraph. */
function passagesBody(lines: readonly string[]): Body {
  const tasks = lines.map((line, i) => ({ ...finishTask(newTask(String(i + 1), line, undefined), [line]), passage: true }));
  return {
    genre: "plan",
    preamble: [],
    sections: [],
    trailer: [],
    tasks,
    warnings: ["未识别出编号的任务（既无“第 N 项”，也无“1.”这样的条目），已按段落收录。"],
  };
}

function isReport(lines: readonly string[]): boolean {
  return lines.some((l) => readMarker(l)?.kind === "reportTask");
}

function makeId(district: string, year: number, period: string | undefined, body: Body): string {
  const first = body.tasks[0];
  const what = body.warnings.length > 0 ? "文件" : body.genre === "plan" ? "要点" : `第${first?.number ?? ""}项`;
  return `${districtShort(district)}${year || ""}${period ?? ""}-${what}`;
}

export class ParseError extends Error {
  constructor(
    readonly code: "empty" | "no-text",
    message: string,
  ) {
    super(message);
    this.name = "ParseError";
  }
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function parseDocument(text: string, sourceFile: string): PlanDocument {
  const lines = cleanLines(text);
  if (lines.length === 0) throw new ParseError("empty", `${sourceFile}: the document has no text`);
  if (!lines.some((l) => /\p{Script=Han}/u.test(l))) {
    throw new ParseError("no-text", `${sourceFile}: the document has no Chinese text`);
  }

  let body = isReport(lines) ? parseReportBody(lines) : parsePlanBody(lines);
  if (body.tasks.length === 0) body = passagesBody(lines);

  const head = body.preamble.length > 0 ? body.preamble : lines.slice(0, 3);
  const title = findTitle(head, body.genre);
  const issuedOn = findDate([...body.preamble, ...body.trailer]);
  const allText = lines.join("\n");
  const warnings = [...body.warnings];
  const district = findDistrict(title, head.join("\n"), allText);
  if (!district) warnings.push("没有找到文件所属的区。");
  const year = findYear(title, issuedOn, allText);
  if (!year) warnings.push("没有找到文件的年份。");
  const period = findPeriod(title);
  const issuer = findIssuer(body.preamble, body.trailer);
  const docNumber = findDocNumber(body.preamble);
  const id = makeId(district ?? "未知", year ?? 0, period, body);

  return {
    id,
    district: district ?? "未知地区",
    year: year ?? 0,
    ...(period ? { period } : {}),
    genre: body.genre,
    title,
    ...(issuer ? { issuer } : {}),
    ...(docNumber ? { docNumber } : {}),
    ...(issuedOn ? { issuedOn } : {}),
    sourceFile,
    sha256: sha256(text),
    preamble: body.preamble.join("\n"),
    sections: body.sections,
    trailer: body.trailer.join("\n"),
    tasks: body.tasks.map((t) => ({ ...t, docId: id })),
    warnings,
  };
}

