/**
 * The words questions use (question words, stopwords, the thesaurus, the English glossary, place
 * names), which every index keeps whole in its jieba dictionary. They are defined by question
 * understanding in src/retrieve, a later stage; scripts/make-vocabulary.ts copies them into a
 * data file here so that no caller has to pass them in, and a test keeps the copy current.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../config.js";

export const QUESTION_VOCABULARY_FILE = "src/index/question-vocabulary.txt";

let cached: readonly string[] | undefined;

export function readQuestionVocabulary(): readonly string[] {
  cached ??= readFileSync(join(PROJECT_ROOT, QUESTION_VOCABULARY_FILE), "utf8")
    .split("\n")
    .filter((l) => l.length > 0 && !l.startsWith("#"));
  return cached;
}
