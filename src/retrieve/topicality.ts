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

/** Whether everyday Chinese has the word at all (its topicality is then measured, not assumed). */
export function isEverydayWord(word: string): boolean {
  return IDF[word] !== undefined;
}

/**
 * A run of characters the index's dictionary could not join, cut into the everyday words it holds
 * (晚饭后 → 晚饭, 新房售楼 → 新房 售楼): the index knows only the documents' words, so a
 * parent's 晚饭 or 旁边 arrives as loose characters; so does a name the documents write but the
 * dictionary lacks. Longest words first; characters left over
 * between words stay together as an unknown run.
 */
export function everydayWordsIn(run: string, written: (phrase: string) => boolean = () => false): { word: string; unknown: boolean }[] {
  const out: { word: string; unknown: boolean }[] = [];
  let rest = "";
  const flushRest = () => {
    if (rest.length >= 2) out.push({ word: rest, unknown: true });
    rest = "";
  };
  for (let i = 0; i < run.length; ) {
    // A number with its measure (三十分 of 快乐三十分) stays whole: it is read in digits later.
    const number = /^[一二两三四五六七八九十百千万零]+[分个所名人次项天年周岁届班门]?/u.exec(run.slice(i))?.[0];
    if (number) {
      rest += number;
      i += number.length;
      continue;
    }
    // An everyday word, or a name the documents write (徐泾 of 徐泾买).
    const len = [4, 3, 2].find((n) => i + n <= run.length && (IDF[run.slice(i, i + n)] !== undefined || written(run.slice(i, i + n))));
    if (len) {
      flushRest();
      out.push({ word: run.slice(i, i + len), unknown: false });
      i += len;
    } else {
      rest += run[i];
      i++;
    }
  }
  flushRest();
  return out;
}
