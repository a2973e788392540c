/**
 * Text → PlanDocument. Pure: no files, no clocks. Two genres share one clean-up and one set
 * of marker rules; the walk differs. Every line of the source ends up in exactly one place
 * (preamble, a section heading, a task, or the trailer), which the tests check.
 */
import { createHash } from "node:crypto";
import { cleanLines } from "./clean.js";
import { fold } from "../normalize.js";
import { OPENING } from "./cite.js";
import {
  extractContacts,
  extractFigures,
  extractProgress,
  isContactLine,
  leadAssignments,
  splitDepartments,
  withoutLeadNotes,
} from "./annotations.js";
import { inlineMarkerStarts, readMarker, type MarkerKind } from "./markers.js";
import {
  CLUTTER,
  districtShort,
  findDate,
  findDocNumber,
  findIssuer,
  findPeriod,
  findPlace,
  findSourceUrl,
  findTitle,
  findYear,
  WRITTEN_DOC_NUMBER,
} from "./metadata.js";
import { placeByName } from "./places.js";
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
  /** How many of the tasks are whole parts with no item (陵川's 一、): they do not count as found items. */
  wholeParts?: number;
}

const DATE_ONLY = /^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$/u;
const SIGNATURE = /^(?:[\p{Script=Han}]{2,3}市)?[\p{Script=Han}]{2,8}(?:教育局|人民政府|办公室)(?:\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?$/u;

function isSignatureLine(line: string): boolean {
  return DATE_ONLY.test(line) || SIGNATURE.test(line) || /^(抄送|印发|公开属性)[：:]/u.test(line);
}

/** The first clause of a task: up to its first full stop (or colon), at most ~40 characters. */
export function firstClause(text: string, max = 40): string {
  const flat = text.replace(/\s*\n\s*/gu, "");
  const end = flat.search(/[。；;！？]|[：:](?!\d)/u);
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
  // "一是…。二是…。" is a paragraph of items only when the paragraph is that list (it opens with 一是);
  // inside a paragraph that says something first ("1、强化控辍保学。一是…二是…") they are its points.
  for (const line of lines) {
    let from = 0;
    const pointList = /^\s*一是/u.test(line) && /二是/u.test(line);
    const starts = inlineMarkerStarts(line, kinds).filter((at) => readMarker(line.slice(at))?.kind !== "cnShi" || pointList);
    for (const at of starts) {
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
    // "3. 新增托班学位600个" with "（牵头单位：学前教育科）" on the next line: the note is no part of the title.
    title: firstClause(withoutLeadNotes(task.statement || text)),
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
function parsePlanBody(lines: readonly string[], itemKind: MarkerKind = "arabicDot", sectionKind: MarkerKind = "cnComma"): Body {
  const fragments = unfold(lines, [sectionKind, itemKind]);
  const preamble: string[] = [];
  const trailer: string[] = [];
  const tasks: { task: DraftTask; lines: string[]; sectionNumber?: string; wholePart?: boolean }[] = [];
  const sections: string[] = [];
  let section: string | undefined;
  let sectionNumber: string | undefined;
  let nextSection = 1;
  let nextItem = firstOrdinal(fragments, itemKind);
  // Items may start again under every section (（一） under each 一、 often does): then "3" alone
  // would be ambiguous, and every item is numbered within its section ("二·3").
  let restarted = false;
  /** Seen numbering run on into a new section (闵行's （一）…（三十） across its parts). */
  let continued = false;
  let itemsInSection = 0;

  /**
   * A part's own paragraphs before its first item. A part with no item at all is one task of
   * its own, numbered as the part (陵川's "一、扛牢主体责任" is one paragraph, its 二、 has （一）（二）),
   * where items are numbered in words and so cited within their part anyway; otherwise they go
   * where running text always went.
   */
  let pending: { number: string; heading: string; rest: string; lines: { text: string; startsLine: boolean }[] } | undefined;
  const wholeParts = itemKind === "cnParen" || itemKind === "cnShi";
  const place = (fragment: string, startsLine: boolean) => {
    const current = tasks.at(-1);
    if (!current) {
      preamble.push(fragment);
    } else if (isSignatureLine(fragment) || trailer.length > 0) {
      trailer.push(fragment);
    } else {
      current.task.text += (startsLine ? "\n" : " ") + fragment;
      current.lines.push(fragment);
    }
  };
  const settle = (itemFollows: boolean) => {
    if (!pending) return;
    const said = pending.lines.map((l) => l.text).join("");
    if (!itemFollows && wholeParts && said.length >= 20 && /[。；;]/u.test(said)) {
      const task = newTask(pending.number, pending.rest, pending.heading);
      // The heading is the title; its paragraphs follow on lines of their own.
      task.text += pending.lines.map((l) => `\n${l.text}`).join("");
      tasks.push({ task, lines: [pending.heading, ...pending.lines.map((l) => l.text)], wholePart: true });
    } else {
      for (const l of pending.lines) place(l.text, l.startsLine);
    }
    pending = undefined;
  };

  for (const { text: fragment, startsLine } of fragments) {
    const m = readMarker(fragment);
    if (m?.kind === sectionKind && m.ordinal === nextSection && m.rest.length <= 50 && !/[。]/u.test(m.rest)) {
      settle(false);
      section = fragment;
      sectionNumber = m.written;
      sections.push(fragment);
      nextSection++;
      itemsInSection = 0;
      pending = { number: m.written, heading: fragment, rest: m.rest, lines: [] };
      continue;
    }
    if (m?.kind === itemKind && m.ordinal === 1 && nextItem > 1 && itemsInSection === 0 && section !== undefined) {
      nextItem = 1;
      restarted = true;
    }
    if (m?.kind === itemKind && m.ordinal > 1 && m.ordinal === nextItem && itemsInSection === 0 && tasks.length > 0) continued = true;
    if (m?.kind === itemKind && m.ordinal === nextItem) {
      settle(true);
      tasks.push({ task: newTask(m.written, m.rest, section), lines: [fragment], ...(sectionNumber ? { sectionNumber } : {}) });
      nextItem++;
      itemsInSection++;
      continue;
    }
    // The signature closes the last part: what it holds so far is settled before the signature.
    if (pending && (isSignatureLine(fragment) || trailer.length > 0)) settle(false);
    if (pending) pending.lines.push({ text: fragment, startsLine });
    else place(fragment, startsLine);
  }
  settle(false);
  // By the convention of official documents, （一） under 一、 starts again in every part: when
  // only one part's items survive (a page cut short), they are still numbered within it.
  const nested = (itemKind === "cnParen" && sectionKind === "cnComma") || (itemKind === "cnShi" && (sectionKind === "cnComma" || sectionKind === "cnParen"));
  const byConvention = !continued && nested && tasks.length > 0 && tasks.every((t) => t.sectionNumber || t.wholePart);
  const qualified = restarted || byConvention;
  const numbered = (t: DraftTask, sectionNo: string | undefined) => (qualified && sectionNo ? { ...t, number: `${sectionNo}·${t.number}` } : t);
  // Items numbered on across parts (闵行's （一）…（三十）) are cited by their number alone: a whole
  // part numbered 一 would share it with item （一）. Its paragraphs are running text again.
  if (!qualified) dissolveWholeParts(tasks, preamble);
  return {
    genre: "plan",
    preamble,
    sections,
    trailer,
    // A whole part is titled by its heading, not by the run of its heading into its paragraph.
    tasks: tasks.map(({ task, lines: l, sectionNumber: n, wholePart }) => {
      const done = finishTask(numbered(task, n), l);
      return wholePart ? { ...done, title: firstClause(readMarker(l[0] ?? "")?.rest || done.title) } : done;
    }),
    warnings: qualified ? ["条目编号在每个部分重新开始，引用时带上部分的编号（如“二、第3项”）。"] : [],
    wholeParts: tasks.filter((t) => t.wholePart).length,
  };
}

/** Whole parts back into running text: each part's paragraphs join the task before it, or the preamble. */
function dissolveWholeParts(tasks: { task: DraftTask; lines: string[]; wholePart?: boolean }[], preamble: string[]): void {
  for (let i = 0; i < tasks.length; ) {
    const whole = tasks[i]!;
    if (!whole.wholePart) {
      i++;
      continue;
    }
    tasks.splice(i, 1);
    // Its heading stays a part heading (in sections); its paragraphs go where running text goes.
    const paragraphs = whole.lines.slice(1);
    const before = tasks[i - 1];
    if (before) {
      before.task.text += paragraphs.map((l) => `\n${l}`).join("");
      before.lines.push(...paragraphs);
    } else {
      preamble.push(...paragraphs);
    }
  }
}

/**
 * Where a page cut from a longer document starts its numbering: items 35., 36., 37. with no 1.
 * before them. Only a run that continues (35 then 36) counts; otherwise numbering starts at 1.
 */
function firstOrdinal(fragments: readonly Fragment[], itemKind: MarkerKind): number {
  const ordinals = fragments.filter((f) => f.startsLine).map((f) => readMarker(f.text)).filter((m) => m?.kind === itemKind).map((m) => m!.ordinal);
  const first = ordinals[0];
  if (first === undefined || first <= 1 || ordinals.includes(1) || ordinals[1] !== first + 1) return 1;
  return first;
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

/** The brackets a unit heading may stand in: 【安保科】, ［教育科］, [建设科]. */
const UNIT_BRACKETS = /^[【［[]\s*|\s*[】］\]]$/gu;

/** A heading that names whose items follow: 【安保科】, 民幼科, 党建科 工会 (short, no sentence punctuation, no marker). */
function isUnitHeading(line: string): boolean {
  const bare = line.replace(UNIT_BRACKETS, "").trim();
  return bare.length >= 2 && bare.length <= 15 && !/[。；;，,：:、！？]/u.test(bare) && readMarker(line) === undefined && /\p{Script=Han}{2}/u.test(bare) && !CLUTTER.test(line);
}

/** A heading naming units (安保科, 党建科 工会) is who leads the items under it, unless an item names its own. */
function withHeadingLeads(task: DraftTask): DraftTask {
  const heading = task.number.slice(0, task.number.lastIndexOf("·"));
  const units = splitDepartments(heading).filter((u) => /(?:科|室|中心|处|办|站|会|部|所|组)$/u.test(u));
  if (task.leadDepartments.length > 0 || units.length === 0) return task;
  return { ...task, leadDepartments: units.map((department) => ({ department, sentence: task.text })) };
}

/**
 * Plans grouped under unit headings (a monthly plan by office: 【安保科】 1. 2. 3., 民幼科 1. 2.):
 * items restart at 1 under each heading, and each is cited with its heading (〔…·安保科、第1项〕).
 */
function unitHeadedBody(lines: readonly string[]): Body {
  const preamble: string[] = [];
  const trailer: string[] = [];
  const sections: string[] = [];
  const tasks: { task: DraftTask; lines: string[] }[] = [];
  let heading: string | undefined;
  let nextItem = 1;
  for (const [i, line] of lines.entries()) {
    const m = readMarker(line);
    if (isUnitHeading(line) && readMarker(lines[i + 1] ?? "")?.kind === "arabicDot" && readMarker(lines[i + 1] ?? "")?.ordinal === 1) {
      heading = line.replace(UNIT_BRACKETS, "").trim();
      sections.push(line);
      nextItem = 1;
      continue;
    }
    // "4.6月26日幼升小…": the item due next, whose text opens with a date, is no decimal.
    const dated = new RegExp(`^${nextItem}[.．](?=\\d{1,2}月)`, "u").exec(line);
    if (heading && ((m?.kind === "arabicDot" && m.ordinal === nextItem) || dated)) {
      const rest = dated ? line.slice(dated[0].length) : m!.rest;
      tasks.push({ task: newTask(`${heading}·${nextItem}`, rest, sections.at(-1)), lines: [line] });
      nextItem++;
      continue;
    }
    const current = tasks.at(-1);
    if (!current) preamble.push(line);
    else if (isSignatureLine(line) || trailer.length > 0) trailer.push(line);
    else {
      current.task.text += `\n${line}`;
      current.lines.push(line);
    }
  }
  return {
    genre: "plan",
    preamble,
    sections,
    trailer,
    tasks: tasks.map(({ task, lines: l }) => withHeadingLeads(finishTask(task, l))),
    warnings: sections.length >= 2 ? ["条目按单位（科室）分组，每组重新编号，引用时带上单位名（如“安保科、第1项”）；单位即牵头单位。"] : [],
  };
}

const CN_POINTS = "一二三四五六七八九十";

/**
 * A paragraph that carries the whole document's points inline ("…主要开展了以下工作。一是抢抓
 * 时代机遇。…二是纳入发展规划。…", a reply letter or a progress summary): each 一是, 二是… in
 * order is an item; what stands before the first is the opening, what follows the paragraph the trailer.
 */
function inlinePointsBody(lines: readonly string[]): Body {
  const empty: Body = { genre: "plan", preamble: [...lines], sections: [], trailer: [], tasks: [], warnings: [] };
  const pointsIn = (line: string) => line.split(/(?=(?<![\p{Script=Han}])[一二三四五六七八九十]{1,2}是)|(?<=[。；;])(?=[一二三四五六七八九十]{1,2}是)/u);
  let at = -1;
  let best: string[] = [];
  lines.forEach((line, i) => {
    // A paragraph that opens with its first point ("一是切实…。二是扎实…") has no text before it.
    const split = pointsIn(line);
    const pieces = /^[一二三四五六七八九十]{1,2}是/u.test(split[0] ?? "") ? ["", ...split] : split;
    const ordered = pieces.filter((p, k) => k > 0 && p.startsWith(`${CN_POINTS[k - 1] ?? "十"}是`));
    if (ordered.length >= 3 && ordered.length === pieces.length - 1 && ordered.length > best.length - 1) {
      at = i;
      best = pieces;
    }
  });
  if (at < 0) return empty;
  const [lead, ...points] = best;
  const tasks = points.map((p) => {
    const number = /^([一二三四五六七八九十]{1,2})是/u.exec(p)![1]!;
    return finishTask(newTask(number, p.trim(), undefined), [p]);
  });
  return {
    genre: "plan",
    preamble: [...lines.slice(0, at), ...(lead?.trim() ? [lead.trim()] : [])],
    sections: [],
    trailer: lines.slice(at + 1),
    tasks,
    warnings: ["条目是一段话里的“一是、二是…”，每一点作为一条。"],
  };
}

/**
 * Plans whose only numbering is 一、二、 with the points written inline as 一是…二是…: each
 * numbered heading is a task, and its 一是 / 二是 points are its parts.
 */
function sectionsAsTasks(lines: readonly string[]): Body {
  const body = parsePlanBody(lines, "cnComma", "reportTask");
  for (const task of body.tasks) {
    const points = task.text.split(/(?=(?<![\p{Script=Han}])[一二三四五六七八九十]{1,2}是)|(?<=[。；;])(?=[一二三四五六七八九十]{1,2}是)/u);
    task.parts = points
      .filter((p) => /^[一二三四五六七八九十]{1,2}是/u.test(p))
      .map((p) => {
        const label = /^[一二三四五六七八九十]{1,2}是/u.exec(p)![0];
        return { label, title: firstClause(p.slice(label.length)), text: p.trim(), parts: [] };
      });
    if (task.parts.length > 0) task.statement = points[0]?.trim() ?? task.text;
  }
  return body;
}

const CELL_SPLIT = /\s*[|｜]\s*|\t+/u;

/** A row's cells, without the empty ones a leading or trailing "|" leaves. */
function rowCells(line: string): string[] {
  const cells = line.split(CELL_SPLIT).map((c) => c.trim());
  while (cells.length > 0 && !cells.at(-1)) cells.pop();
  while (cells.length > 0 && !cells[0]) cells.shift();
  return cells;
}

/** A row's number: alone in its cell ("14", "14.") or opening the task's name ("14.改扩建…"). */
const ROW_NUMBER = /^(\d{1,3})(?:\s*[.、．](?!\d)\s*(.*))?$/u;

interface TableColumns {
  /** Where the number stands: its own column (序号), else inside the task column. */
  number: number;
  task: number;
  lead: number;
  progress: number;
  /** The header, to name the report columns a row's parts come from. */
  header: readonly string[];
}

/**
 * Columns a progress table reports in (完成情况, 取得成效, 存在问题, 下一步措施): each row's cell in
 * one becomes a part of its task, named by the column, so a question about a task's progress or
 * problems is answered from that cell as from a report's part.
 */
const REPORT_COLUMN = /情况|进展|进度|成效|问题|困难|下一步|打算|措施/u;

function reportParts(cells: readonly { header: string; text: string }[]): Part[] {
  return cells
    .filter((c) => c.text && REPORT_COLUMN.test(c.header) && !/任务|目标|事项|内容/u.test(c.header))
    .map((c) => ({ label: c.header.replace(/\s+/gu, ""), title: c.header.replace(/\s+/gu, ""), text: c.text, parts: [] }));
}

/**
 * The column of the lead units: the first header cell a pattern names, in the patterns' order.
 * A leader's column (牵头领导, 分管领导) names a person, not a unit (责任科室 is the lead).
 */
function unitColumn(header: readonly string[], patterns: readonly RegExp[]): number {
  for (const re of patterns) {
    const at = header.findIndex((c) => re.test(c.replace(/\s+/gu, "")) && !/领导/u.test(c));
    if (at >= 0) return at;
  }
  return -1;
}

function tableColumns(header: readonly string[]): TableColumns {
  const col = (re: RegExp) => header.findIndex((c) => re.test(c.replace(/\s+/gu, "")));
  const ownNumber = col(/^(序号|编号)$/u);
  // Without a task column (序号 | 指标 | 分值 | 赋分办法), the first column after the number names the row.
  const named = col(/任务|工作|事项|内容|措施/u);
  const task = named >= 0 ? named : ownNumber >= 0 ? ownNumber + 1 : 0;
  const lead = unitColumn(header, [/牵头|主要责任/u, /责任单位|责任部门|责任科室/u, /部门|单位|科室|责任/u]);
  return { number: ownNumber >= 0 ? ownNumber : task, task, lead, progress: col(/完成情况|进展|推进情况/u), header };
}

/**
 * Tasks laid out in a table (a pipe or tab table in text; HTML and .docx tables arrive as such):
 * a header row names the columns, each row with a number in its first cells is a task. The
 * number may stand alone (序号) or open the task's name ("14.改扩建…"); a merged category cell
 * ("四、教育文化") may stand before it on the category's first row only, so each row's cells are
 * matched to the header from where its number is.
 */
function tableBody(lines: readonly string[]): Body {
  const isHeader = (cells: string[]) => cells.length >= 3 && (cells.some((c) => /任务|工作|事项|内容|措施/u.test(c)) || /^(序号|编号)$/u.test(cells[0]!.replace(/\s+/gu, "")));
  const rowIndex = lines.findIndex((l) => isHeader(rowCells(l)) && !CLUTTER.test(l));
  if (rowIndex < 0) return { genre: "plan", preamble: [...lines], sections: [], trailer: [], tasks: [], warnings: [] };
  const columns = tableColumns(rowCells(lines[rowIndex]!));
  const preamble = lines.slice(0, rowIndex + 1);
  const sections: string[] = [];
  const trailer: string[] = [];
  const tasks: DraftTask[] = [];
  let section: string | undefined;
  for (const line of lines.slice(rowIndex + 1)) {
    const row = readTableRow(rowCells(line), columns);
    if (!row) {
      const last = tasks.at(-1);
      if (last && trailer.length === 0 && !isSignatureLine(line) && !CLUTTER.test(line)) last.text += `\n${line}`;
      else trailer.push(line);
      continue;
    }
    if (row.category) {
      section = row.category;
      sections.push(section);
    }
    const task = finishTask(newTask(row.number, row.text, section), [line]);
    task.leadDepartments = splitDepartments(row.lead).map((department) => ({ department, sentence: row.name || row.text }));
    if (row.progress) task.progress = [row.progress];
    task.parts = row.parts;
    if (row.parts.length > 0) task.statement = row.statement;
    tasks.push(task);
  }
  return { genre: "plan", preamble, sections, trailer, tasks, warnings: ["条目是表格的行：序号（或事项名称前的编号）是编号，“部门/单位”一列是牵头部门。"] };
}

interface TableRow {
  number: string;
  /** The merged category cell before the number, on a category's first row. */
  category?: string;
  /** The task's name cell. */
  name: string;
  /** Every cell but the number, the category and the lead units, as the task's text. */
  text: string;
  lead: string;
  progress: string;
  /** The cells in report columns (完成情况, 存在问题…), as parts. */
  parts: Part[];
  /** The text without those cells. */
  statement: string;
}

function readTableRow(row: readonly string[], columns: TableColumns): TableRow | undefined {
  const at = row.slice(0, 2).findIndex((c) => ROW_NUMBER.test(c));
  if (at < 0 || row.length < 2) return undefined;
  const [, number, inlineName] = ROW_NUMBER.exec(row[at]!)!;
  const before = row.slice(0, at);
  if (before.some((c) => readMarker(c)?.kind !== "cnComma")) return undefined;
  // Shift the header's columns to this row: its number cell stands where the header's number column is.
  const shift = at - (inlineName || columns.number !== columns.task ? columns.number : columns.task - 1);
  const cell = (c: number) => (c >= 0 ? (row[c + shift] ?? "") : "");
  const lead = columns.lead !== columns.task ? cell(columns.lead) : "";
  const cells = row.map((c, i) => (i === at ? (inlineName ?? "") : c));
  const kept = cells.map((c, i) => ({ text: c, header: columns.header[i - shift] ?? "", i })).filter((c) => c.i >= at && c.text && !(lead && c.i === columns.lead + shift));
  const parts = reportParts(kept.filter((c) => c.i - shift > columns.task));
  const inParts = new Set(parts.map((p) => p.text));
  return {
    number: number!,
    ...(before[0] ? { category: before[0] } : {}),
    name: cell(columns.task).replace(ROW_NUMBER, "$2") || (inlineName ?? ""),
    text: kept.map((c) => c.text).join("；"),
    lead,
    progress: columns.progress >= 0 ? cell(columns.progress) : "",
    parts,
    statement: kept.filter((c) => !inParts.has(c.text)).map((c) => c.text).join("；"),
  };
}

/**
 * A table flattened with spaces: a header line "序号  目标任务 三季度 推进情况", then one line
 * per row that opens with its number ("131 加大普惠性幼儿园扶持力度…"); numbers may be sparse
 * but rise. Lines between rows (a progress cell spilt into "1.…" "2.…") belong to the row above.
 */
function spacedTable(lines: readonly string[]): Body | undefined {
  const start = lines.findIndex((l) => {
    const cells = l.trim().split(/\s+/u);
    return !/[|｜\t]/u.test(l) && /^(序号|编号)$/u.test(cells[0] ?? "") && cells.length >= 3 && cells.slice(1).filter(isHeaderCell).length >= 2;
  });
  if (start < 0) return undefined;
  const tasks: { task: DraftTask; lines: string[] }[] = [];
  const trailer: string[] = [];
  let last = 0;
  for (const line of lines.slice(start + 1)) {
    const row = /^(\d{1,4})\s+(\S.*)$/u.exec(line.trim());
    if (row && Number(row[1]) > last) {
      last = Number(row[1]);
      tasks.push({ task: newTask(row[1]!, row[2]!, undefined), lines: [row[2]!] });
    } else if (tasks.length > 0 && trailer.length === 0 && !isSignatureLine(line)) {
      const current = tasks.at(-1)!;
      current.task.text += `\n${line}`;
      current.lines.push(line);
    } else if (tasks.length > 0) {
      trailer.push(line);
    }
  }
  if (tasks.length < 2) return undefined;
  return {
    genre: "plan",
    preamble: lines.slice(0, start + 1),
    sections: [],
    trailer,
    tasks: tasks.map(({ task, lines: l }) => finishTask(task, l)),
    warnings: ["条目是表格的行（单元格以空格分隔）：每行以序号开头。"],
  };
}

/** A header cell: short, and naming a column kind (序号, 重点工作任务, 牵头责任单位, 分 管 县领导, 完成时限…). */
const HEADER_WORDS = /^(序号|编号|[\p{Script=Han}]{0,6}(任务|工作|内容|措施|目标|单位|部门|科室|领导|时限|节点|时间|情况|备注))$/u;
const isHeaderCell = (l: string) => l.replace(/\s+/gu, "").length <= 10 && HEADER_WORDS.test(l.replace(/\s+/gu, ""));

/**
 * A table copied from a web page arrives one cell per line: a header of short cells (序号 /
 * 重点工作任务 / 主要责任单位 / …), then each row as its number alone on a line followed by its
 * cells; category rows (一、…) stand between rows. Cells map to columns in order; the
 * responsible-unit column gives the leads and a progress column the progress.
 */
function cellPerLineTable(lines: readonly string[]): Body | undefined {
  const headerAt = (i: number) => isHeaderCell(lines[i] ?? "") && isHeaderCell(lines[i + 1] ?? "") && isHeaderCell(lines[i + 2] ?? "");
  let start = lines.findIndex((l, i) => /^序号|^编号/u.test(l) && headerAt(i));
  // No 序号 column ("工作任务 / 责任单位 / 主要工作 / 完成时限"): each row opens with its task cell,
  // numbered ("2.推进普惠幼儿园扩面。"), and the unit cell right after it.
  const numberedCells = start < 0;
  if (numberedCells) start = lines.findIndex((l, i) => /任务|事项/u.test(l) && headerAt(i) && /单位|部门|科室/u.test(lines[i + 1] ?? ""));
  if (start < 0) return undefined;
  let end = start;
  while (end < lines.length && isHeaderCell(lines[end]!)) end++;
  const header = lines.slice(start, end).map((c) => c.replace(/\s+/gu, ""));
  const col = (re: RegExp) => header.findIndex((c) => re.test(c));
  // Cells are counted from the row's number: with the number inside the task cell, columns shift by one.
  const shift = numberedCells ? 1 : 0;
  const taskCol = numberedCells ? 1 : Math.max(1, col(/任务|工作|事项|内容|措施|目标/u));
  const leadCol = unitColumn(header, [/牵头|主要责任|责任单位|责任部门|责任科室/u]) + (numberedCells ? shift : 0);
  let nextRow = 1;
  /** A row's task cell: the next number, followed by a short unit cell (教育卫体局), not by another point of a cell's list. */
  const opensRow = (line: string, i: number) => {
    const m = readMarker(line);
    const unit = lines[i + 1] ?? "";
    return m?.kind === "arabicDot" && m.ordinal === nextRow && unit.length <= 30 && !/[。；;，,]/u.test(unit) && /(局|委|办|科|处|室|中心|政府|部|院|队|所|单位)$/u.test(unit.trim());
  };
  const progressCol = col(/完成情况|进展|推进情况/u);
  const preamble = lines.slice(0, end);
  const sections: string[] = [];
  const trailer: string[] = [];
  const rows: { number: string; cells: string[]; section?: string; lines: string[] }[] = [];
  let section: string | undefined;
  for (const [k, line] of lines.slice(end).entries()) {
    const marker = readMarker(line);
    if (!numberedCells && /^\d{1,4}$/u.test(line)) {
      rows.push({ number: line, cells: [], ...(section ? { section } : {}), lines: [line] });
    } else if (numberedCells && opensRow(line, end + k)) {
      nextRow++;
      rows.push({ number: marker!.written, cells: [marker!.rest], ...(section ? { section } : {}), lines: [line] });
    } else if (marker?.kind === "cnComma" && line.length <= 60) {
      section = line;
      sections.push(line);
      // A category row after the last task row still heads the rows to come.
    } else if (rows.length === 0 || isSignatureLine(line)) {
      (rows.length === 0 ? preamble : trailer).push(line);
    } else {
      rows.at(-1)!.cells.push(line);
      rows.at(-1)!.lines.push(line);
    }
  }
  if (rows.length === 0) return undefined;
  const tasks = rows.map((r) => {
    const cell = (c: number) => (c >= 1 ? (r.cells[c - 1] ?? "") : "");
    const taskText = cell(taskCol) || r.cells[0] || "";
    const task = finishTask({ ...newTask(r.number, r.cells.join("\n"), r.section), statement: taskText }, r.lines);
    const dept = leadCol >= 1 ? cell(leadCol) : "";
    task.leadDepartments = splitDepartments(dept).map((department) => ({ department, sentence: taskText }));
    if (progressCol >= 1 && cell(progressCol)) task.progress = [cell(progressCol)];
    return task;
  });
  return { genre: "plan", preamble, sections, trailer, tasks, warnings: ["条目是表格的行（每个单元格一行）：序号一列是编号，“责任单位”一列是牵头单位。"] };
}

/** A document with no recognisable numbering is still searchable: one passage per paragraph. */
function passagesBody(lines: readonly string[]): Body {
  // Page furniture (breadcrumbs, 字体大中小, header fields) is kept, but in the preamble, never as a passage.
  const preamble = lines.filter((l) => CLUTTER.test(l));
  const tasks = lines
    .filter((l) => !CLUTTER.test(l))
    .map((line, i) => ({ ...finishTask(newTask(String(i + 1), line, undefined), [line]), passage: true }));
  return {
    genre: "plan",
    preamble,
    sections: [],
    trailer: [],
    tasks,
    warnings: ["未识别出编号的任务（既无“第 N 项”，也无“1.”这样的条目），已按段落收录。"],
  };
}

/**
 * Plans number their items differently: `1.` under `一、` (the seeds), `（一）` under `一、`, only
 * `一、` with 一是…二是… inside, or a table. The reading that finds the most items wins; the usual
 * one wins ties. Which rule applied is said in the warnings, for `outline`.
 */
function bestPlanReading(lines: readonly string[]): Body {
  // A table with a header row says outright what its rows are: it wins over any guess from markers.
  const cellTable = cellPerLineTable(lines) ?? spacedTable(lines);
  if (cellTable && cellTable.tasks.length >= 2) return cellTable;
  const rowTable = tableBody(lines);
  if (rowTable.tasks.length >= 2) return rowTable;
  const readings: [Body, string | undefined][] = [
    [parsePlanBody(lines, "arabicDot", "cnComma"), undefined],
    [parsePlanBody(lines, "cnParen", "cnComma"), "条目编号不是“1.”，按“（一）”这样的编号识别。"],
    [sectionsAsTasks(lines), "没有“1.”或“（一）”这样的条目编号，按“一、”分项，其中的“一是…二是…”作为分点。"],
    [parsePlanBody(lines, "cnShi", "cnComma"), "条目以“一是、二是…”开头，每行一条。"],
    [parsePlanBody(lines, "cnShi", "cnParen"), "条目以“一是、二是…”开头，每行一条，分在“（一）”这样的部分下。"],
    [unitHeadedBody(lines), undefined],
    [parsePlanBody(lines, "cnOrdinal", "reportTask"), "条目以“第一部分”“第一条”这样的编号开头。"],
  ];
  // A reading wins by the items it found; a part kept whole because it has none is no item found.
  const items = (b: Body) => b.tasks.length - (b.wholeParts ?? 0);
  let best = readings[0]!;
  for (const r of readings.slice(1)) if (items(r[0]) > items(best[0]) + 1) best = r;
  // Points inline in one paragraph are the items only of a document with no numbered item at all.
  if (best[0].tasks.length === 0) best = [inlinePointsBody(lines), undefined];
  const [body, note] = best;
  return note ? { ...body, warnings: [...body.warnings, note] } : body;
}

function isReport(lines: readonly string[]): boolean {
  return lines.some((l) => readMarker(l)?.kind === "reportTask");
}

function makeId(district: string, year: number, period: string | undefined, body: Body): string {
  const first = body.tasks[0];
  const what = first?.passage ? "文件" : body.genre === "plan" ? "要点" : `第${first?.number ?? ""}项`;
  return `${districtShort(district)}${year || ""}${period ?? ""}-${what}`;
}

/** How many last lines of a document kept as passages may hold its signature and date. */
const SIGNATURE_LINES = 8;

/** How far a document without numbered items is searched for its title and issuer. */
const MAX_HEAD_LINES = 40;

/**
 * A document read as passages has no preamble to find its title in: its head is what stands
 * before the first paragraph of running text (site header, metadata, the notice's heading).
 */
function linesBeforeText(lines: readonly string[]): string[] {
  const first = lines.findIndex((l) => l.length > 50 && /[。；]/u.test(l));
  return lines.slice(0, Math.min(first < 0 ? 6 : Math.max(first, 6), MAX_HEAD_LINES));
}

export class ParseError extends Error {
  constructor(
    readonly code: "empty" | "no-text" | "no-body",
    message: string,
  ) {
    super(message);
    this.name = "ParseError";
  }
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * What stands before the first item (the covering notice with its document number, contact
 * person and the meeting that adopted the plan; the plan's general aims), kept searchable as one
 * passage: people ask "文号是什么", "联系谁", "哪次会议通过的". Page furniture stays out.
 */
function openingOf(body: Body, docId: string): { opening?: Task } {
  if (body.tasks.every((t) => t.passage)) return {};
  // Headings (the title, "…教育局文件") say nothing a question asks; a document number does.
  const saysSomething = (l: string) => WRITTEN_DOC_NUMBER.test(l) || (l.replace(/\s/gu, "").length >= 15 && /[，。；：,;:]/u.test(l));
  const lines = body.preamble.filter((l) => !CLUTTER.test(fold(l)) && saysSomething(l));
  const text = lines.join("\n");
  if (text.replace(/\s/gu, "").length < 20) return {};
  return { opening: { ...finishTask(newTask(OPENING, text, undefined), lines), passage: true, docId } };
}

export interface ParseOptions {
  /** The place, when the person adding the document names it (`ingest --district`). */
  district?: string;
  sourceUrl?: string;
}

export function parseDocument(text: string, sourceFile: string, opts: ParseOptions = {}): PlanDocument {
  const lines = cleanLines(text);
  if (lines.length === 0) throw new ParseError("empty", `${sourceFile}: the document has no text`);
  if (!lines.some((l) => /\p{Script=Han}/u.test(l))) {
    throw new ParseError("no-text", `${sourceFile}: the document has no Chinese text`);
  }

  let body = isReport(lines) ? parseReportBody(lines) : bestPlanReading(lines);
  if (body.tasks.length === 0) body = passagesBody(lines);
  // A file holding its title alone ("2023年宝山区教育工作要点") has nothing to answer from.
  const said = body.tasks.filter((t) => !CLUTTER.test(t.text));
  if (body.tasks.every((t) => t.passage) && said.length <= 1 && !/[。；;，,]/u.test(said[0]?.text ?? "")) {
    throw new ParseError("no-body", `${sourceFile}: the document holds a title but no text`);
  }

  // A document kept as passages has only page furniture before them: its title is among the first lines.
  const head = body.preamble.some((l) => !CLUTTER.test(fold(l))) ? body.preamble : linesBeforeText(lines);
  const title = findTitle(head, body.genre);
  // A document kept as passages has no trailer: its signing date stands among its last lines.
  const issuedOn = findDate([...body.preamble, ...body.trailer]) ?? (body.tasks.every((t) => t.passage) ? findDate(lines.slice(-SIGNATURE_LINES)) : undefined);
  const allText = lines.join("\n");
  const warnings = [...body.warnings];
  const given = opts.district ? placeByName(opts.district) : undefined;
  const sourceUrl = opts.sourceUrl ?? findSourceUrl(text);
  const found = opts.district ? undefined : findPlace(title, head, body.trailer, allText, sourceUrl);
  const place = given ?? found?.place;
  const district = opts.district ?? place?.name ?? "";
  if (!district) warnings.push("文件里没有写明所属地区，请用 ingest --district 指定（例如 --district 海淀区）。");
  else if (found?.how === "address") warnings.push(`地区“${district}”是从来源网址推断的，文中没有写明；不对请用 ingest --district 指定。`);
  else if (found?.how === "body") warnings.push(`地区“${district}”是从正文推断的（标题和落款没有写明）；不对请用 ingest --district 指定。`);
  const docNumber = findDocNumber(body.preamble);
  const year = findYear(title, issuedOn, allText, lines.slice(0, 15), place, sourceUrl, docNumber);
  if (!year) warnings.push("没有找到文件的年份。");
  const period = findPeriod(title);
  const issuer = findIssuer(body.preamble, body.trailer);
  const id = makeId(district || "未注明地区", year ?? 0, period, body);

  return {
    id,
    district,
    ...(place ? { level: place.level, ...(place.city ? { city: place.city } : {}), ...(place.province ? { province: place.province } : {}) } : {}),
    ...(sourceUrl ? { sourceUrl } : {}),
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
    ...openingOf(body, id),
    warnings,
  };
}

