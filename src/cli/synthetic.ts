/**
 * A synthetic corpus for the benchmark: documents with the seeds' structure (work plans with
 * sections, numbered items and lead departments; progress reports with nested parts), written
 * for other districts and years, with sentences drawn from every real document in the
 * repository, recombined across tasks, figures changed and wording varied. Each document also
 * names a few schools of its own, so the vocabulary keeps growing with the corpus, as a real
 * one's does. Deterministic for a given seed.
 */
import { readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { districtShort, KNOWN_DISTRICTS } from "../ingest/metadata.js";
import type { PlanDocument } from "../ingest/types.js";
import { seededRandom } from "../index/random.js";

const CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const SWAPS: [string, string][] = [
  ["推进", "推动"], ["加强", "强化"], ["完善", "健全"], ["开展", "组织开展"], ["提升", "提高"],
  ["落实", "贯彻落实"], ["深化", "持续深化"], ["建设", "建设工作"], ["学校", "中小学校"], ["教师", "教职工"],
];
const DEPARTMENTS = ["局基教科", "局人事科", "局计财科", "局德育科", "局办公室", "局信息办", "局规划办", "局法制科", "局托幼办", "局民教办"];

/**
 * The clauses of real documents' tasks. Synthetic sentences join two or three of them, so that
 * sentences, like a real corpus's, rarely repeat word for word, however many documents are made.
 */
export function clausePool(documents: readonly PlanDocument[]): string[] {
  // Paragraphs of documents read without numbering are often page furniture, and an issuer's
  // name is no clause of a task: a question made of either has no one right answer.
  return documents
    .flatMap((d) => d.tasks.filter((t) => !t.passage).flatMap((t) => t.text.split(/[，。；\n]/u)))
    .map((c) => c.replace(/\s+/gu, "").trim())
    .filter(
      (c) =>
        c.length >= 6 &&
        c.length <= 40 &&
        /^\p{Script=Han}/u.test(c) &&
        !/[“”《》()（）：:|｜]/u.test(c) &&
        !/(?:人民政府|教育局|教育厅|委员会|办公室)$/u.test(c),
    );
}

/** Every real document in the repository: the seeds and the real-document fixtures. */
export function realDocumentFolders(root: string): string[] {
  const fixtures = join(root, "tests/real-docs");
  return [join(root, "seeds"), ...readdirSync(fixtures, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(fixtures, e.name)).sort()];
}

/** A name the corpus has not seen (two Han characters of its own), for a school of one document. */
function newName(pool: readonly string[], next: () => number): string {
  let name = "";
  while (name.length < 2) {
    const s = pool[Math.floor(next() * pool.length)]!;
    const c = s[Math.floor(next() * s.length)]!;
    if (/\p{Script=Han}/u.test(c)) name += c;
  }
  return name;
}

function vary(sentence: string, next: () => number, district: string, names: readonly string[]): string {
  let s = sentence.replace(/\d+/gu, (d) => String(Math.max(1, Math.round(Number(d) * (0.5 + next())))));
  for (const [a, b] of SWAPS) if (next() < 0.3) s = s.split(a).join(b);
  if (next() < 0.3) s = s.replace(/小学|中学|幼儿园|学校/u, (w) => `${names[Math.floor(next() * names.length)]}${w}`);
  return s.replace(/长宁|闵行|青浦/gu, district.replace(/区$/u, ""));
}

export function syntheticDocument(i: number, pool: readonly string[], seed = 1): { name: string; text: string } {
  const next = seededRandom(seed * 100_003 + i);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const shanghai = KNOWN_DISTRICTS.filter((d) => d.city === "上海市");
  const district = pick(shanghai).name;
  const year = 2015 + Math.floor(next() * 12);
  const names = Array.from({ length: 3 }, () => newName(pool, next));
  const sentence = () => `${Array.from({ length: 2 + Math.floor(next() * 2) }, () => pick(pool)).join("，")}。`;
  const sentences = (n: number) => Array.from({ length: n }, () => vary(sentence(), next, district, names)).join("");
  const title = (s: string) => s.replace(/[，。；、].*$/u, "").slice(0, 18);

  if (next() < 0.7) {
    const lines = [`${year}年${district}教育工作要点`, sentences(2)];
    let item = 0;
    const sections = 4 + Math.floor(next() * 5);
    for (let s = 0; s < sections; s++) {
      lines.push(`${CN[s]}、${title(vary(pick(pool), next, district, names))}`);
      const items = 3 + Math.floor(next() * 4);
      for (let k = 0; k < items; k++) {
        item++;
        const lead = next() < 0.5 ? `（牵头部门：${pick(DEPARTMENTS)}）` : "";
        lines.push(`${item}. ${title(vary(pick(pool), next, district, names))}。${sentences(2 + Math.floor(next() * 3))}${lead}`);
      }
    }
    return { name: `syn-${String(i).padStart(4, "0")}.txt`, text: `${lines.join("\n\n")}\n` };
  }
  const task = String(1 + Math.floor(next() * 120)).padStart(3, "0");
  const parts = ["本月进展情况", "存在问题", "下一步工作打算"];
  const lines = [`${district}教育局关于区政府 ${year} 年重点工作目标推进情况的反馈`, "区府办：", `第 ${task} 项：${sentences(3)}`];
  parts.forEach((p, k) => {
    lines.push(`${CN[k]}、${p}${k === 0 ? ` ${Math.floor(next() * 100)}%` : ""}`);
    for (let j = 0; j < 3 + Math.floor(next() * 3); j++) lines.push(`（${CN[j]}）${title(vary(pick(pool), next, district, names))}`, sentences(2));
  });
  lines.push(`${district}教育局`, `${year}年${1 + Math.floor(next() * 12)}月${1 + Math.floor(next() * 28)}日`, "联系人：张三、李四", "联系电话：12345678");
  return { name: `syn-${String(i).padStart(4, "0")}.txt`, text: `${lines.join("\n\n")}\n` };
}

/** Writes documents numbered from..to-1 (syn-0000.txt…) into the folder. */
export async function writeSyntheticCorpus(dir: string, from: number, to: number, pool: readonly string[], onProgress?: (done: number) => void): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = from; i < to; i++) {
    const d = syntheticDocument(i, pool);
    await writeFile(join(dir, d.name), d.text);
    onProgress?.(i + 1 - from);
  }
}

export interface SyntheticQuestion {
  question: string;
  /** The one task that answers it: no other task of that place and year has the clause asked about. */
  docId: string;
  task: string;
}

/**
 * Questions about synthetic documents (syn-*.txt) whose answer is known: a place, a year and the
 * opening of one sentence of one task (two clauses), which no other task of that place and year
 * contains. Deterministic for the documents.
 */
export function syntheticQuestions(documents: readonly PlanDocument[], count: number, seed = 7): SyntheticQuestion[] {
  const synthetic = documents.filter((d) => /^syn-\d+\.txt$/u.test(d.sourceFile) && d.tasks.some((t) => !t.passage));
  const byPlaceYear = new Map<string, PlanDocument[]>();
  for (const d of documents) byPlaceYear.set(`${d.district}/${d.year}`, [...(byPlaceYear.get(`${d.district}/${d.year}`) ?? []), d]);
  const next = seededRandom(seed);
  const out: SyntheticQuestion[] = [];
  for (let attempt = 0; out.length < count && attempt < count * 20 && synthetic.length > 0; attempt++) {
    const doc = synthetic[Math.floor(next() * synthetic.length)]!;
    const tasks = doc.tasks.filter((t) => !t.passage);
    const task = tasks[Math.floor(next() * tasks.length)]!;
    const openings = task.text
      .split(/[。\n]/u)
      .map((s) => s.split("，").slice(0, 2).join("，"))
      .filter((o) => o.includes("，") && o.length <= 40);
    const opening = openings[Math.floor(next() * openings.length)];
    if (!opening) continue;
    const rivals = (byPlaceYear.get(`${doc.district}/${doc.year}`) ?? []).flatMap((d) => d.tasks.filter((t) => t !== task));
    if (rivals.some((t) => t.text.includes(opening))) continue;
    out.push({ question: `${districtShort(doc.district)}${doc.year}年${opening}？`, docId: doc.id, task: task.number });
  }
  return out;
}
