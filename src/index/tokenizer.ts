/**
 * Tokens for both retrievers. Numbers, times, shares and Latin words are cut by our own rules
 * (jieba splits "24" into "2","4"); Han runs go to jieba in search mode, with the domain's
 * terms inserted so that 晚托班, 课后服务 and 局基教科 stay whole.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PROJECT_ROOT } from "../config.js";
import { fold } from "./normalize.js";

const require = createRequire(import.meta.url);

interface JiebaBinding {
  load(dict: string, hmm: string, user: string, idf: string, stopWords: string): void;
  cutForSearch(s: string, hmm: boolean): string[];
  cut(s: string, hmm: boolean): string[];
  insertWord(w: string): boolean;
}

/**
 * nodejs-jieba's native module, required directly from where `npm ci` compiles it: the package's
 * own entry first asks node-pre-gyp where the binary is, which loads node-pre-gyp and its
 * dependencies (a tenth of a cold `ask`). The entry is the fallback for a binary installed elsewhere.
 * We load the dictionaries once, explicitly (the entry would load jieba's own on first use).
 */
function jiebaBinding(): JiebaBinding {
  const compiled = join(dirname(require.resolve("nodejs-jieba")), "..", "build", "Release", "jieba.node");
  if (existsSync(compiled)) return require(compiled) as JiebaBinding;
  const entry = require("nodejs-jieba") as { load(opts: Record<string, string>): void } & Omit<JiebaBinding, "load">;
  return { ...entry, load: (dict, hmmDict, userDict, idfDict, stopWordDict) => entry.load({ dict, hmmDict, userDict, idfDict, stopWordDict }) };
}
const jieba = jiebaBinding();

/** Data files are found from the project root: the same path from src/ and from the bundle in dist/. */
const HERE = join(PROJECT_ROOT, "src/index");

function readWordList(file: string): string[] {
  return readFileSync(join(HERE, file), "utf8")
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .flatMap((l) => l.split(/\s+/u))
    .filter((w) => w.length > 0);
}

export const CURATED_TERMS: readonly string[] = readWordList("terms.txt");
export const STOPWORDS: ReadonlySet<string> = new Set(readWordList("stopwords.txt"));

const PACKAGE_DICT_DIR = join(dirname(require.resolve("nodejs-jieba")), "..", "dict");
/** jieba's full dictionary, from which each index cuts its own (see dictionary.ts). */
export const FULL_DICTIONARY = join(PACKAGE_DICT_DIR, "jieba.dict.utf8");

let loadedFrom: string | undefined;
const inserted = new Set<string>();

function load(dict: string, userDict: string): void {
  const files = {
    dict,
    hmmDict: join(PACKAGE_DICT_DIR, "hmm_model.utf8"),
    userDict,
    // Keyword extraction is never used: a one-line IDF table spares parsing jieba's 5.8 MB one.
    idfDict: join(HERE, "idf-placeholder.utf8"),
    stopWordDict: join(PACKAGE_DICT_DIR, "stop_words.utf8"),
  };
  // A missing dictionary aborts the process inside jieba (SIGABRT): check first.
  for (const [name, path] of Object.entries(files)) {
    if (!existsSync(path)) throw new Error(`jieba ${name} not found at ${path}`);
  }
  jieba.load(files.dict, files.hmmDict, files.userDict, files.idfDict, files.stopWordDict);
  inserted.clear();
}

/** Loads jieba's full dictionary (about a second) unless a dictionary is loaded already. */
export function loadJieba(): void {
  if (loadedFrom) return;
  load(FULL_DICTIONARY, join(PACKAGE_DICT_DIR, "user.dict.utf8"));
  loadedFrom = FULL_DICTIONARY;
  addTerms(CURATED_TERMS);
}

/** Switches jieba to an index's own dictionary (jieba.dict.utf8 and user.dict.utf8 in `dir`). */
export function useDictionary(dir: string): void {
  const dict = join(dir, "jieba.dict.utf8");
  if (loadedFrom === dict) return;
  load(dict, join(dir, "user.dict.utf8"));
  loadedFrom = dict;
}

/** Keeps these terms whole from now on (in whatever dictionary is loaded). Idempotent. */
export function addTerms(terms: Iterable<string>): void {
  loadJieba();
  for (const raw of terms) {
    const t = fold(raw.trim());
    if (t.length < 2 || inserted.has(t) || !/\p{Script=Han}/u.test(t)) continue;
    jieba.insertWord(t);
    inserted.add(t);
  }
}

// Times (16:30), shares (50%), sums (5+2), decimals and integers, Latin words, Han runs.
const PIECE = /(\d{1,2}:\d{2})|(\d+(?:\.\d+)?%)|(\d+\+\d+)|(\d+(?:\.\d+)?)|([a-z][a-z0-9]*)|(\p{Script=Han}+)/gu;

export interface TokenizeOptions {
  /** Keep stopwords (the vector side wants every signal; BM25 and coverage do not). */
  keepStopwords?: boolean;
}

/** Folded text with a number's spaces closed up ("16 : 30" → "16:30"), ready to cut into pieces. */
function prepared(text: string): string {
  return fold(text).replace(/(\d)\s+(?=[%+:])|(?<=[+:])\s+(?=\d)/gu, "$1");
}

/** Pieces of prepared text, Han runs cut by the given function. */
function piecesOf(folded: string, cutHan: (han: string) => string[], opts: TokenizeOptions): string[] {
  const out: string[] = [];
  for (const m of folded.matchAll(PIECE)) {
    const [piece, time, share, sum, num, latin, han] = m;
    if (time || share || sum || latin) out.push(piece);
    else if (num) out.push(num.replace(/^0+(?=\d)/u, ""));
    else if (han) out.push(...cutHan(han));
  }
  return opts.keepStopwords ? out : out.filter((t) => !STOPWORDS.has(t));
}

function pieces(text: string, cutHan: (han: string) => string[], opts: TokenizeOptions): string[] {
  loadJieba();
  return piecesOf(prepared(text), cutHan, opts);
}

/** Search tokens: every dictionary word and its sub-words, with HMM for unknown words (BM25, vectors). */
export function tokenize(text: string, opts: TokenizeOptions = {}): string[] {
  return pieces(text, (han) => jieba.cutForSearch(han, true), opts);
}

/**
 * Dictionary words only, without HMM guessing: what a question is about, word by word.
 * HMM glues colloquial fragments into non-words ("有开", "想学") that no document contains.
 */
export function words(text: string, opts: TokenizeOptions = {}): string[] {
  return pieces(text, (han) => jieba.cut(han, false), opts);
}

/** The dictionary sub-words of a compound: 足球学校 → 足球, 学校. */
export function subwords(word: string): string[] {
  loadJieba();
  return jieba.cutForSearch(fold(word), false).filter((w) => w.length >= 2 && w !== word);
}

/** Overlapping Han character pairs: a segmentation-free signal for the vector side. */
export function hanBigrams(text: string): string[] {
  return pairsOf(fold(text));
}

function pairsOf(folded: string): string[] {
  const out: string[] = [];
  for (const run of folded.match(/\p{Script=Han}+/gu) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

/**
 * `tokenize(text)` and `hanBigrams(text)` at once, folding the text once: what an index build
 * reads of each chunk. (Closing up a number's spaces never joins two Han runs, so the pairs of
 * the prepared text are those of the folded text.)
 */
export function tokensAndPairs(text: string): { tokens: string[]; pairs: string[] } {
  loadJieba();
  const folded = prepared(text);
  return { tokens: piecesOf(folded, (han) => jieba.cutForSearch(han, true), {}), pairs: pairsOf(folded) };
}
