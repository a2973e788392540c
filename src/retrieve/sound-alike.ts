/**
 * Words typed with a wrong character of the right sound. People type pinyin on a phone and take
 * the first character offered: 晚拖班 for 晚托班, 心里咨询 for 心理咨询, 锻练 for 锻炼, 青埔 for
 * 青浦, 闵航 for 闵行. A word the documents never use, that becomes one of theirs when one
 * character is swapped for another of the same sound (any reading: 行 is xing and hang), is read
 * as the documents' word. One character only, and only into a word the documents hold, so a
 * question about something they never mention (校服, 工资) finds nothing to become.
 */
import data from "./homophones.json" with { type: "json" };

const SOUNDS: Readonly<Record<string, string>> = data.sounds;

/** Each character's readings, from the table's sound → characters. */
const READINGS = (() => {
  const m = new Map<string, string[]>();
  for (const [sound, chars] of Object.entries(SOUNDS)) for (const c of chars) m.set(c, [...(m.get(c) ?? []), sound]);
  return m;
})();

/** Characters sharing a reading with `c`, `c` itself excluded. */
function sameSound(c: string): string[] {
  const out = new Set<string>();
  for (const sound of READINGS.get(c) ?? []) for (const other of SOUNDS[sound] ?? "") if (other !== c) out.add(other);
  return [...out];
}

/** `word` with one character swapped for one of the same sound: every spelling, unchecked. */
export function respellings(word: string): string[] {
  const chars = [...word];
  const out: string[] = [];
  chars.forEach((c, i) => {
    for (const other of sameSound(c)) out.push([...chars.slice(0, i), other, ...chars.slice(i + 1)].join(""));
  });
  return out;
}

/** The shortest and longest stretch of a typed run looked at: words are two to four characters. */
const MIN_WORD = 2;
const MAX_WORD = 4;

/**
 * The documents' words a typed word means: its stretches of two to four characters that the
 * documents do not use, respelled into ones they do. Longest first; a stretch inside a longer
 * one already read is not read again.
 */
export function meantWords(typed: string, known: (word: string) => boolean): string[] {
  const chars = [...typed];
  const found: { at: number; end: number; word: string }[] = [];
  for (let len = Math.min(MAX_WORD, chars.length); len >= MIN_WORD; len--) {
    for (let at = 0; at + len <= chars.length; at++) {
      const end = at + len;
      if (found.some((f) => f.at <= at && end <= f.end)) continue;
      const stretch = chars.slice(at, end).join("");
      if (!/^\p{Script=Han}+$/u.test(stretch) || known(stretch)) continue;
      const meant = respellings(stretch).find(known);
      if (meant) found.push({ at, end, word: meant });
    }
  }
  return [...new Set(found.map((f) => f.word))];
}
