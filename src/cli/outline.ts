/**
 * `npm run outline -- <file> [--json]`: shows how a document was parsed, the way a person
 * would check it against the original.
 */
import { leadsBySentence } from "../ingest/annotations.js";
import { readDocument } from "../ingest/read.js";
import type { Part, PlanDocument, Task } from "../ingest/types.js";
import { bookTitle, outlineText as T } from "../messages.js";
import { runCli, command } from "./common.js";

function shorten(s: string, max: number): string {
  const flat = s.replace(/\s+/gu, " ");
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function partLines(part: Part, depth: number): string[] {
  const head = `${"  ".repeat(depth)}${part.label} ${part.title === part.label ? "" : part.title}`.trimEnd();
  return [head, ...part.parts.flatMap((p) => partLines(p, depth + 1))];
}

function taskLines(task: Task, genre: PlanDocument["genre"]): string[] {
  const label = task.passage ? `§${task.number}` : genre === "report" ? `第 ${task.number} 项` : /^\d+$/u.test(task.number) ? `${task.number}.` : task.number.startsWith("第") ? task.number : `（${task.number}）`;
  const out = [`  ${label} ${task.title}${task.progress.length ? `  〔${T.progress}：${task.progress.join("；")}〕` : ""}`];
  const departments = [...new Set(task.leadDepartments.map((l) => l.department))];
  if (departments.length > 1) {
    // Departments written in one annotation share its sentence: show them together.
    for (const g of leadsBySentence(task.leadDepartments)) {
      const partners = g.partners.length > 0 ? `；${T.partner}·${g.partners.join("、")}` : "";
      out.push(`      ${T.lead}·${g.departments.join("、")}${partners}：${shorten(g.sentence, 36)}`);
    }
  } else if (departments.length === 1) {
    out.push(`      ${T.lead}：${departments[0]}`);
  }
  out.push(...task.parts.flatMap((p) => partLines(p, 2)));
  if (task.contacts) {
    out.push(`      ${T.contacts}：${task.contacts.names.join("、")}  ${T.phones}：${task.contacts.phones.join("、")}`);
  }
  return out;
}

export function renderOutline(doc: PlanDocument): string {
  const meta = [
    doc.district,
    `${doc.year}${doc.period ?? ""}`,
    T.genre[doc.genre],
    bookTitle(doc.title),
    doc.issuer,
    doc.docNumber,
    doc.issuedOn,
    doc.tasks.some((t) => t.passage) ? T.passages(doc.tasks.length) : T.tasks(doc.tasks.length),
    doc.sourceFile,
  ].filter((x): x is string => Boolean(x));
  const lines = [meta.join(" · ")];
  for (const w of doc.warnings) lines.push(`${T.noStructure}：${w}`);
  let section: string | undefined;
  for (const task of doc.tasks) {
    if (task.section && task.section !== section) {
      section = task.section;
      lines.push(section);
    }
    lines.push(...taskLines(task, doc.genre));
  }
  return lines.join("\n");
}

await runCli(async (argv) => {
  const program = command("outline")
    .argument("<file>", "document to parse")
    .option("--json", "print the parsed structure as JSON")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const [file] = program.args;
  const doc = await readDocument(file ?? "");
  process.stdout.write(program.opts().json ? `${JSON.stringify(doc, null, 2)}\n` : `${renderOutline(doc)}\n`);
});
