/**
 * How much a word says about what a question is about, from how common it is in everyday
 * Chinese (jieba's general-corpus IDF, see scripts/make-general-idf.mjs). A tiny corpus cannot
 * tell this alone: in five documents 随时 and 检查 are as rare as 校服 and 疫苗, so a parent's
 * "随时能打的心理咨询" or "校服质量有没有人检查" was refused for the everyday words it used.
 */
import data from "./general-idf.json" with { type: "json" };

const IDF: Readonly<Record<string, number>> = data.idf;

/** At or below this general IDF a word is everyday language (经济 3.6, 学校 5.7)… */
const EVERYDAY_IDF = 5;
/** …and from this one on it names a topic (疫苗 7.3, 学费 9.0). */
const TOPICAL_IDF = 9;
/** Everyday words still count a little: "质量" is sometimes the point. */
const EVERYDAY_FLOOR = 0.25;

/** 0.25..1: 1 for topic words and words everyday Chinese rarely uses, less for everyday words. */
export function topicality(word: string): number {
  const idf = IDF[word];
  if (idf === undefined) return 1;
  const share = (idf - EVERYDAY_IDF) / (TOPICAL_IDF - EVERYDAY_IDF);
  return Math.min(1, Math.max(EVERYDAY_FLOOR, share));
}
