/**
 * A corpus as LSA reads it: for each text (a row), its distinct features (words and Han pairs,
 * as numbers) in the order first met, with how often each occurs. An index build fills it while
 * it cuts each chunk once; the order and the counts are what `tfidfRow` would see.
 */
import { holding, IntList } from "./int-list.js";

export interface FeatureRows {
  /** Row r's entries are rowStart[r] .. rowStart[r+1]-1. */
  rowStart: Int32Array;
  /** Feature ids, into `terms`. */
  ids: Int32Array;
  /** 16 bits when every count fits (they always do in practice), else 32. */
  counts: Uint16Array | Int32Array;
  /** Feature id → the feature (a word, or "#" and a Han pair). */
  terms: readonly string[];
}

export class FeatureRowsBuilder {
  private readonly rowEnds = new IntList();
  private readonly ids = new IntList();
  private readonly counts = new IntList();
  /** Scratch: where a feature stands in the row being added, plus one (0: not in it). */
  private slot: Int32Array = new Int32Array(1024);

  addRow(...parts: ArrayLike<number>[]): void {
    const start = this.ids.length;
    for (const ids of parts) {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        this.slot = holding(this.slot, id);
        const at = this.slot[id]!;
        if (at === 0) {
          this.ids.push(id);
          this.counts.push(1);
          this.slot[id] = this.ids.length;
        } else {
          this.counts.set(at - 1, this.counts.at(at - 1) + 1);
        }
      }
    }
    for (let k = start; k < this.ids.length; k++) this.slot[this.ids.at(k)] = 0;
    this.rowEnds.push(this.ids.length);
  }

  /** The rows (the builder is emptied). */
  finish(terms: readonly string[]): FeatureRows {
    const rowStart = new Int32Array(this.rowEnds.length + 1);
    rowStart.set(this.rowEnds.drain(), 1);
    return { rowStart, ids: this.ids.drain(), counts: this.counts.drain(true), terms };
  }
}

/** Lists of features → rows (for texts cut elsewhere than in an index build). */
export function featureRows(termLists: readonly (readonly string[])[]): FeatureRows {
  const table = new Map<string, number>();
  const builder = new FeatureRowsBuilder();
  for (const terms of termLists) {
    builder.addRow(
      terms.map((t) => {
        let id = table.get(t);
        if (id === undefined) table.set(t, (id = table.size));
        return id;
      }),
    );
  }
  return builder.finish([...table.keys()]);
}
