/**
 * Real published documents as an evaluation set: each folder under tests/real-docs holds the
 * texts as published and a manifest written from reading them (place, year, numbering, items,
 * leads, questions). Scoring parses them as a deployment would, builds a scratch index and asks
 * the questions; it also checks what the parser read against what the manifest says.
 */
import { copyFile, mkdtemp, readdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { readMarker } from "../ingest/markers.js";
import { readDocument } from "../ingest/read.js";
import { fold } from "../normalize.js";
import type { PlanDocument, Task } from "../ingest/types.js";
import { PLACES, placeByName, shortName } from "../ingest/places.js";
import { buildIndex } from "../index/open.js";
import type { SearchIndex } from "../index/search-index.js";
import { normTask, type EvalItem } from "./evaluate.js";

export interface RealQuestion {
  q: string;
  /** The item as numbered in the document ("14", "二·3"); null for a document without numbering. */
  item: string | null;
  facts: string[];
}

export interface RealDocEntry {
  file: string;
  district: string;
  level?: string;
  year: number;
  genre: string;
  title?: string;
  /** Numbered items visible in the text (older manifests call it items_visible). */
  items?: number;
  items_visible?: number;
  restarts?: boolean;
  sample_items?: { item: string; starts: string }[];
  leads?: { item: string; units: string[] }[];
  questions: RealQuestion[];
}

export interface RealDoc {
  entry: RealDocEntry;
  path: string;
}

/** Every manifest entry of the given folders, with the path of its text. */
export async function loadRealDocs(dirs: readonly string[]): Promise<RealDoc[]> {
  const out: RealDoc[] = [];
  for (const dir of dirs) {
    const manifest = join(dir, "manifest.json");
    if (!existsSync(manifest)) continue;
    const entries = JSON.parse(await readFile(manifest, "utf8")) as RealDocEntry[];
    for (const entry of entries) out.push({ entry, path: join(dir, entry.file) });
  }
  return out;
}

/** The folders of a named set: "real" is every folder under tests/real-docs but the held-out one. */
export async function realSetFolders(root: string, set: string): Promise<string[]> {
  const names = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  // "real" is every folder but the held-out ones (heldout, heldout2…), each scored on its own.
  return names.filter((n) => (set === "real" ? !n.startsWith("heldout") : n === set)).sort().map((n) => join(root, n));
}

/**
 * The questions of the documents as eval items. An item is named as the parser numbers it when
 * the manifest writes it in another notation of the same item (see `taskForItem`).
 */
export function realEvalItems(docs: readonly RealDoc[], parsed: ReadonlyMap<string, PlanDocument> = new Map()): EvalItem[] {
  return docs.flatMap(({ entry, path }) =>
    entry.questions.map((q, i) => {
      const doc = parsed.get(path);
      const task = q.item === null ? "*" : ((doc && taskForItem(doc, q.item)?.number) ?? q.item);
      return {
        id: `${basename(entry.file, ".txt")}-${i + 1}`,
        category: entry.genre,
        question: q.q,
        // Manifests write places as the document does (重慶市); the parser reads them folded (重庆市).
        expect: [{ district: currentName(entry.district), year: entry.year, task }],
        ...(q.facts.length > 0 ? { mustContain: q.facts } : {}),
      };
    }),
  );
}

const lastPart = (key: string) => key.split("·").at(-1);

/**
 * The parsed task a manifest's item names. Manifests are written by people reading the page:
 * where only one section of a "一、…（一）（二）" document is visible, one writes its second item
 * "2" and another "一·二", while the parser, which reads （一） under 一、 as numbering that
 * restarts, names it "一·二". Either notation names the item when exactly one task fits it.
 */
export function taskForItem(doc: PlanDocument, item: string): Task | undefined {
  const key = normTask(item);
  const exact = doc.tasks.find((t) => normTask(t.number) === key);
  if (exact) return exact;
  // Only where the notations cannot mean two items: the parser's sections are one ("一·二" and "2"
  // on a page showing one part), or the manifest's section is the one the task stands under.
  const prefixes = new Set(doc.tasks.filter((t) => t.number.includes("·")).map((t) => normTask(t.number).split("·")[0]));
  const sectionOf = (t: Task) => normTask(readMarker(t.section ?? "")?.written ?? "");
  const fits = doc.tasks.filter((t) => {
    const number = normTask(t.number);
    if (lastPart(number) !== lastPart(key) || number.includes("·") === key.includes("·")) return false;
    if (!key.includes("·")) return prefixes.size === 1;
    // A part the reader named by its heading (目标·4, for targets under no numbered part) fits a task under none.
    const head = key.split("·")[0]!;
    return sectionOf(t) === head || (!t.section && !/^\d+$/u.test(head));
  });
  return fits.length === 1 ? fits[0] : undefined;
}

export interface StructureCheck {
  file: string;
  placeOk: boolean;
  yearOk: boolean;
  /** What the parser read, beside what the manifest says. */
  got: { district: string; year: number; tasks: number; title: string };
  want: { district: string; year: number; items: number; title?: string };
  samplesOk: number;
  samples: number;
  leadsOk: number;
  leads: number;
}

/**
 * The place's name in today's divisions: manifests write places as the document does (重慶市,
 * 海门市 before it became 海门区 in 2020); the parser reads them folded, from the current table.
 */
function currentName(written: string): string {
  const name = fold(written);
  // A zone (南湖新区) is no division of the table: not renamed to a 南湖区 elsewhere.
  if (placeByName(name) || /(?:新区|新城|开发区|高新区|园区)$/u.test(name)) return name;
  const renamed = PLACES.filter((p) => shortName(p.name) === shortName(name) && p.level !== "province" && p.level !== "country");
  return renamed.length === 1 ? renamed[0]!.name : name;
}

const flat = (s: string) => s.replace(/\s+/gu, "");

export function checkStructure(doc: PlanDocument, entry: RealDocEntry): StructureCheck {
  const items = entry.items ?? entry.items_visible ?? 0;
  const taskFor = (item: string) => taskForItem(doc, item);
  const samples = entry.sample_items ?? [];
  const samplesOk = samples.filter((s) => flat(taskFor(s.item)?.text ?? "").includes(flat(s.starts))).length;
  const leads = entry.leads ?? [];
  const leadsOk = leads.filter((l) => {
    const got = taskFor(l.item)?.leadDepartments.map((d) => d.department) ?? [];
    return l.units.every((u) => got.some((g) => g.includes(u) || u.includes(g)));
  }).length;
  return {
    file: entry.file,
    placeOk: doc.district === currentName(entry.district),
    yearOk: doc.year === entry.year,
    got: { district: doc.district, year: doc.year, tasks: doc.tasks.filter((t) => !t.passage).length, title: doc.title },
    want: { district: entry.district, year: entry.year, items, ...(entry.title ? { title: entry.title } : {}) },
    samplesOk,
    samples: samples.length,
    leadsOk,
    leads: leads.length,
  };
}

/** Parses every document, copies the texts into a scratch folder and builds an index over them. */
export async function realSetIndex(
  docs: readonly RealDoc[],
): Promise<{ index: SearchIndex; checks: StructureCheck[]; parsed: Map<string, PlanDocument> }> {
  const docsDir = await mkdtemp(join(tmpdir(), "epb-real-docs-"));
  const checks: StructureCheck[] = [];
  const parsed = new Map<string, PlanDocument>();
  for (const { entry, path } of docs) {
    const doc = await readDocument(path);
    parsed.set(path, doc);
    checks.push(checkStructure(doc, entry));
    await copyFile(path, join(docsDir, `${basename(join(path, ".."))}-${entry.file}`));
  }
  const indexDir = await mkdtemp(join(tmpdir(), "epb-real-index-"));
  const { index } = await buildIndex({ docsDir, indexDir });
  return { index, checks, parsed };
}
