/**
 * A jieba dictionary cut to this corpus. jieba's full dictionary (349k words) takes over a second
 * and ~250 MB to load; segmenting a text only ever consults the dictionary words that occur in
 * it. So we keep every dictionary word that occurs in the (folded) corpus or in the vocabulary
 * questions use, and two placeholder entries that keep jieba's frequency total and its minimum
 * weight as they were: the corpus is then cut exactly as the full dictionary would cut it.
 */
import { readFileSync } from "node:fs";
import { fold } from "./normalize.js";

/** Private-use characters: they never occur in text, they only carry frequency mass. */
const MASS = "\uE000";
const FLOOR = "\uE001";

interface FullDictionary {
  entries: Map<string, string>;
  /** Every proper prefix of a dictionary word: a substring scan stops as soon as none continues. */
  prefixes: Set<string>;
  freqSum: number;
  minFreq: number;
  medianFreq: number;
  maxLen: number;
}

/** Read for each build and let go after it: held, its maps would cost a serving process over 100 MB. */
function readFull(path: string): FullDictionary {
  const entries = new Map<string, string>();
  const prefixes = new Set<string>();
  const freqs: number[] = [];
  let maxLen = 1;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const [word, freq] = line.split(" ");
    if (!word || !freq) continue;
    entries.set(word, line.trimEnd());
    for (let i = 1; i < word.length; i++) prefixes.add(word.slice(0, i));
    freqs.push(Number(freq));
    if (word.length > maxLen) maxLen = word.length;
  }
  freqs.sort((a, b) => a - b);
  return {
    entries,
    prefixes,
    freqSum: freqs.reduce((s, f) => s + f, 0),
    minFreq: freqs[0] ?? 1,
    medianFreq: freqs[Math.floor(freqs.length / 2)] ?? 1,
    maxLen: Math.min(maxLen, 16),
  };
}

export interface CorpusDictionary {
  /** jieba.dict.utf8 contents */
  dict: string;
  /** user.dict.utf8 contents: domain terms with the weight jieba gives inserted words */
  user: string;
  words: number;
}

/**
 * @param texts the corpus (any form: it is folded here as the tokenizer folds it)
 * @param vocabulary words questions use that must stay words (question words, thesaurus…)
 * @param terms domain terms to keep whole even where the dictionary would cut them
 */
export function corpusDictionary(fullDictPath: string, texts: Iterable<string>, vocabulary: Iterable<string>, terms: Iterable<string>): CorpusDictionary {
  const full = readFull(fullDictPath);
  const kept = new Map<string, string>();
  // Documents repeat their phrasing (headings, set formulas): each distinct run of Han is scanned once.
  const scanned = new Set<string>();
  const scan = (text: string) => {
    for (const run of fold(text).match(/\p{Script=Han}+/gu) ?? []) {
      if (scanned.has(run)) continue;
      scanned.add(run);
      for (let i = 0; i < run.length; i++) {
        for (let len = 1; len <= full.maxLen && i + len <= run.length; len++) {
          const w = run.slice(i, i + len);
          const line = full.entries.get(w);
          if (line !== undefined) kept.set(w, line);
          if (!full.prefixes.has(w)) break;
        }
      }
    }
  };
  for (const t of texts) scan(t);
  for (const v of vocabulary) scan(v);
  // Compounds of two corpus words that the corpus never writes together (教师工资 = 教师 + 工资)
  // stay words too: a question using one asks about something the documents do not cover.
  // They occur nowhere in the corpus, so the corpus is still cut exactly as before.
  const corpusWords = new Set(kept.keys());
  for (const [w, line] of full.entries) {
    if (w.length < 3 || w.length > 6 || kept.has(w) || !/^\p{Script=Han}+$/u.test(w)) continue;
    for (let i = 2; i <= w.length - 2; i++) {
      if (corpusWords.has(w.slice(0, i)) && corpusWords.has(w.slice(i))) {
        kept.set(w, line);
        break;
      }
    }
  }
  let keptSum = 0;
  for (const line of kept.values()) keptSum += Number(line.split(" ")[1]);
  const lines = [...kept.values()];
  lines.push(`${FLOOR} ${full.minFreq} x`);
  lines.push(`${MASS} ${Math.max(1, full.freqSum - keptSum - full.minFreq)} x`);
  const user = [...new Set([...terms].map((t) => fold(t.trim())).filter((t) => t.length >= 2 && /\p{Script=Han}/u.test(t)))]
    .map((t) => `${t} ${full.medianFreq} n`)
    .join("\n");
  return { dict: `${lines.join("\n")}\n`, user: `${user}\n`, words: kept.size };
}
