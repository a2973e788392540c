/**
 * A store's vectors in label order, for exact search: the array itself when a build has just
 * made them, else read from vectors.f32 by offset, only the rows a search needs. A loaded index
 * does not hold them (53 MB at 5,000 documents): a filtered search reads its few thousand rows
 * from the page cache in runs, a millisecond or two.
 */
import { closeSync, openSync, readSync } from "node:fs";

export interface FlatVectors {
  /**
   * Calls `visit` for runs of the given labels (ascending): the row of labels[i], for i in
   * from..to-1, starts at data[offsets[i - from]]. False when the vectors cannot be read (the
   * build folder is gone: a newer build went live and this one is being let go).
   */
  forRows(labels: Int32Array, visit: (from: number, to: number, data: Float32Array, offsets: Int32Array) => void): boolean;
}

export function inMemory(flat: Float32Array, dims: number): FlatVectors & { flat: Float32Array } {
  return {
    flat,
    forRows(labels, visit) {
      visit(0, labels.length, flat, labels.map((l) => l * dims));
      return true;
    },
  };
}

/** Rows further apart than this are read separately; closer ones in one read (a few KB wasted). */
const MAX_GAP = 8;

export function onDisk(path: string, dims: number): FlatVectors {
  const rowBytes = dims * 4;
  let scratch = Buffer.alloc(0);
  return {
    forRows(labels, visit) {
      let fd: number;
      try {
        fd = openSync(path, "r");
      } catch {
        return false;
      }
      try {
        for (let from = 0; from < labels.length; ) {
          let to = from + 1;
          while (to < labels.length && labels[to]! - labels[to - 1]! <= MAX_GAP) to++;
          const first = labels[from]!;
          const bytes = (labels[to - 1]! - first + 1) * rowBytes;
          // A fresh buffer of its own starts at offset 0: aligned for a Float32Array view.
          if (scratch.byteLength < bytes) scratch = Buffer.allocUnsafeSlow(Math.max(bytes, 2 * scratch.byteLength));
          if (readSync(fd, scratch, 0, bytes, first * rowBytes) !== bytes) return false;
          const offsets = labels.subarray(from, to).map((l) => (l - first) * dims);
          visit(from, to, new Float32Array(scratch.buffer, scratch.byteOffset, bytes / 4), offsets);
          from = to;
        }
        return true;
      } finally {
        closeSync(fd);
      }
    },
  };
}
