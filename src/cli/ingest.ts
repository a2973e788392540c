/**
 * `npm run ingest -- <file or folder>…`: adds documents to the documents folder and updates the
 * index incrementally. `--remove <id>` takes one out, `--list` shows what is loaded.
 * Every file is read and parsed before it is copied in; a bad one is reported and the rest go on.
 * Nothing is lost: a replaced or removed file is moved aside, not deleted. The previous index stays
 * live until the new one is complete.
 */
import { copyFile, mkdir, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { loadConfig, type Config } from "../config.js";
import { SUPPORTED_EXTENSIONS } from "../ingest/formats.js";
import { listDocumentFiles, loadDocuments } from "../ingest/load.js";
import { sha256, type ParseOptions } from "../ingest/parse.js";
import { IngestError, readDocument } from "../ingest/read.js";
import type { PlanDocument } from "../ingest/types.js";
import { buildIndex } from "../index/open.js";
import { initLogger, log } from "../log.js";
import { ingestErrorText, ingestText as T } from "../messages.js";
import { runCli, UsageError, command } from "./common.js";
import { indexOptions } from "./open-index.js";
import { progressReporter } from "./progress.js";

type Status = "added" | "replaced" | "unchanged" | "skipped";

interface Row {
  file: string;
  doc?: PlanDocument;
  status: Status;
  reason?: string;
}

async function expand(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (s?.isDirectory()) {
      for (const e of (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
        if (e.isFile() && SUPPORTED_EXTENSIONS.includes(extname(e.name).toLowerCase())) out.push(join(p, e.name));
      }
    } else {
      out.push(p); // a missing file is reported by readDocument
    }
  }
  return out;
}

/** Moves a file out of the way, keeping it: documents are never deleted. */
async function setAside(config: Config, file: string, why: "replaced" | "removed"): Promise<string> {
  const dir = join(config.docsDir, `.${why}`);
  await mkdir(dir, { recursive: true });
  const to = join(dir, `${new Date().toISOString().replace(/[:.]/gu, "-")}-${basename(file)}`);
  await rename(file, to);
  return to;
}

function table(rows: readonly Row[]): string {
  const head = T.tableHead.join("\t");
  return [
    head,
    ...rows.map((r) =>
      [
        basename(r.file),
        // 市 may be a city or a county-level city: say which; 区, 县, 省 say it themselves.
        r.doc ? `${r.doc.district || T.noPlace}${r.doc.level === "county-city" || r.doc.level === "city" ? `（${T.level[r.doc.level]}）` : ""}` : "—",
        r.doc ? String(r.doc.year || "—") : "—",
        r.doc ? T.genre[r.doc.genre] : "—",
        r.doc ? String(r.doc.tasks.length) : "—",
        r.doc ? String(new Set(r.doc.tasks.flatMap((t) => t.leadDepartments.map((l) => l.department))).size) : "—",
        `${T.status[r.status]}${r.reason ? `：${r.reason}` : ""}`,
      ].join("\t"),
    ),
  ].join("\n");
}

/**
 * What the person said of a document (`--district`, `--source`), kept beside it as FILE.meta.json
 * so that every later build reads it the same way. True when that changed what was kept.
 */
async function writeGiven(target: string, given: ParseOptions): Promise<boolean> {
  if (!given.district && !given.sourceUrl) return false;
  const text = `${JSON.stringify(given)}\n`;
  const before = await readFile(`${target}.meta.json`, "utf8").catch(() => undefined);
  if (before === text) return false;
  await writeFile(`${target}.meta.json`, text);
  return true;
}

async function add(config: Config, paths: readonly string[], given: ParseOptions): Promise<Row[]> {
  const files = await expand(paths);
  if (files.length === 0) throw new UsageError(T.nothingToAdd);
  await mkdir(config.docsDir, { recursive: true });
  const existing = new Map<string, string>(); // sha256 → file name in the documents folder
  for (const f of await listDocumentFiles(config.docsDir)) existing.set(sha256(await readFile(f)), basename(f));
  const progress = progressReporter();
  const rows: Row[] = [];
  for (const [i, file] of files.entries()) {
    progress.update("documents", i, files.length);
    try {
      const doc = await readDocument(file, given);
      const bytes = await readFile(file);
      const name = basename(file);
      const same = existing.get(sha256(bytes));
      if (same) {
        // The text is loaded already; a place or source given now still applies to it.
        const updated = await writeGiven(join(config.docsDir, same), given);
        rows.push({ file, doc, status: "unchanged", ...(updated ? { reason: T.givenUpdated(same) } : same !== name ? { reason: T.sameAs(same) } : {}) });
        continue;
      }
      const target = join(config.docsDir, name);
      const replacing = await stat(target).then(() => true, () => false);
      if (replacing) await setAside(config, target, "replaced");
      // Copied under a temporary name and renamed: a half-copied file is never read as a document.
      const tmp = join(config.docsDir, `.${name}.${process.pid}.tmp`);
      await copyFile(file, tmp);
      await writeGiven(target, given);
      await rename(tmp, target);
      existing.set(sha256(bytes), name);
      rows.push({ file, doc, status: replacing ? "replaced" : "added" });
    } catch (e) {
      if (!(e instanceof IngestError)) throw e;
      log().info({ file, code: e.code }, "file skipped");
      rows.push({ file, status: "skipped", reason: ingestErrorText[e.code](basename(file)) });
    }
  }
  progress.stop();
  return rows;
}

async function reindex(config: Config) {
  const progress = progressReporter();
  const result = await buildIndex({
    ...indexOptions(config),
    incremental: true,
    onProgress: progress.update,
  });
  progress.stop();
  return result;
}

await runCli(async (argv) => {
  const program = command("ingest")
    .argument("[paths...]", "files or folders to add")
    .option("--remove <id>", "take a document out (its file is moved to .removed/)")
    .option("--list", "show the loaded documents")
    .option("--district <place>", "the place the documents are about, when their text does not say (e.g. 海淀区)")
    .option("--source <url>", "where the documents were published")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const opts = program.opts<{ remove?: string; list?: boolean; district?: string; source?: string }>();
  const config = loadConfig();
  initLogger(config.logLevel, "warn");

  if (opts.list) {
    const { documents } = await loadDocuments(config.docsDir);
    process.stdout.write(`${T.listHead.join("\t")}\n${documents.map((d) => [d.id, d.district, d.year, T.genre[d.genre], d.tasks.length, d.sourceFile].join("\t")).join("\n")}\n`);
    return;
  }

  let rows: Row[] = [];
  if (opts.remove) {
    const { documents } = await loadDocuments(config.docsDir);
    const doc = documents.find((d) => d.id === opts.remove);
    if (!doc) throw new UsageError(T.noSuchId(opts.remove, documents.map((d) => d.id)));
    const aside = await setAside(config, join(config.docsDir, doc.sourceFile), "removed");
    process.stdout.write(`${T.removed(doc.id, aside)}\n`);
  } else {
    if (program.args.length === 0) throw new UsageError(T.usage);
    rows = await add(config, program.args, { ...(opts.district ? { district: opts.district } : {}), ...(opts.source ? { sourceUrl: opts.source } : {}) });
    process.stdout.write(`${table(rows)}\n`);
    for (const r of rows) for (const w of r.doc?.warnings ?? []) process.stderr.write(`${basename(r.file)}：${w}\n`);
  }

  const { index, embedded, reused, failures } = await reindex(config);
  for (const f of failures) process.stderr.write(`${ingestErrorText[f.code](f.file)}\n`);
  process.stdout.write(`${T.indexed(index.documents.length, index.chunks.length, embedded, reused)}\n`);
  const skipped = rows.filter((r) => r.status === "skipped").length + failures.length;
  if (skipped > 0) {
    process.stderr.write(`${T.skipped(skipped)}\n`);
    process.exitCode = 1;
  }
});
