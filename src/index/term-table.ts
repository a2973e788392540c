/**
 * The words and Han pairs a build cuts, each given a number once: BM25 and LSA then count
 * numbers, not strings. A pair is named "#" + the pair, as LSA's features always were.
 */
export class TermTable {
  private readonly words = new Map<string, number>();
  private readonly pairs = new Map<string, number>();
  /** Id → the word, or "#" and the pair. */
  readonly terms: string[] = [];

  word(w: string): number {
    let id = this.words.get(w);
    if (id === undefined) {
      id = this.terms.push(w) - 1;
      this.words.set(w, id);
    }
    return id;
  }

  pair(p: string): number {
    let id = this.pairs.get(p);
    if (id === undefined) {
      id = this.terms.push(`#${p}`) - 1;
      this.pairs.set(p, id);
    }
    return id;
  }
}
