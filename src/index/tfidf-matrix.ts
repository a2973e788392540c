/**
 * The TF-IDF matrix an LSA fit reduces, and the products the randomized SVD needs. Values are
 * not stored: each is (1 + ln count) × idf ÷ the row's length, computed where it is read, which
 * gives the very numbers `tfidfRow` gives (the same operations in the same order) in half the
 * memory. Rows are kept for A·X and columns for Aᵀ·Y, so that both write one output row at a
 * time and add eight entries per pass over it: each output value still sums its terms in the
 * original order, so the results are the same to the last bit, about four times sooner.
 */
import type { FeatureRows } from "./feature-rows.js";

export interface TfidfMatrix {
  rows: number;
  cols: number;
  /** Compressed rows: row r's entries are rowStart[r] .. rowStart[r+1]-1, in the order the row met them. */
  rowStart: Int32Array;
  idx: Int32Array;
  counts: Uint16Array | Int32Array;
  idf: Float32Array;
  /** The L2 length of each row's values before normalising. */
  norms: Float64Array;
  /** Compressed columns: column i's entries (rows ascending) are colStart[i] .. colStart[i+1]-1. */
  colStart: Int32Array;
  colRows: Int32Array;
  colCounts: Uint16Array | Int32Array;
}

/** 1 + ln c for small counts, looked up instead of computed at every read. */
const LOG_TF = Float64Array.from({ length: 4096 }, (_, c) => 1 + Math.log(c));
export const logTf = (c: number) => (c < LOG_TF.length ? LOG_TF[c]! : 1 + Math.log(c));

/**
 * Rows → the TF-IDF matrix, keeping the features that have a column, in the order each row met
 * them. Built in place: `rows` is used up (its arrays become the matrix's).
 */
export function tfidfMatrix(rows: FeatureRows, columnOf: (id: number) => number, cols: number, idf: Float32Array): TfidfMatrix {
  const n = rows.rowStart.length - 1;
  const { rowStart, ids: idx, counts } = rows;
  const norms = new Float64Array(n);
  let at = 0;
  let from = rowStart[0]!;
  for (let r = 0; r < n; r++) {
    let sum = 0;
    const to = rowStart[r + 1]!;
    for (let k = from; k < to; k++) {
      const col = columnOf(idx[k]!);
      if (col < 0) continue;
      const c = counts[k]!;
      idx[at] = col;
      counts[at] = c;
      const v = logTf(c) * idf[col]!;
      sum += v * v;
      at++;
    }
    from = to;
    rowStart[r + 1] = at;
    norms[r] = Math.sqrt(sum) || 1;
  }
  const a = { rows: n, cols, rowStart, idx: idx.subarray(0, at), counts: counts.subarray(0, at), idf, norms };
  return { ...a, ...columns(a) };
}

/** The same entries by column, rows ascending. */
function columns(a: Pick<TfidfMatrix, "rows" | "cols" | "rowStart" | "idx" | "counts">): Pick<TfidfMatrix, "colStart" | "colRows" | "colCounts"> {
  const colStart = new Int32Array(a.cols + 1);
  for (const i of a.idx) colStart[i + 1]!++;
  for (let i = 0; i < a.cols; i++) colStart[i + 1]! += colStart[i]!;
  const next = colStart.slice(0, a.cols);
  const colRows = new Int32Array(a.idx.length);
  const colCounts = a.counts instanceof Uint16Array ? new Uint16Array(a.idx.length) : new Int32Array(a.idx.length);
  for (let r = 0; r < a.rows; r++) {
    for (let k = a.rowStart[r]!; k < a.rowStart[r + 1]!; k++) {
      const at = next[a.idx[k]!]!++;
      colRows[at] = r;
      colCounts[at] = a.counts[k]!;
    }
  }
  return { colStart, colRows, colCounts };
}

/**
 * out[at .. at+len) += Σ v[e] · src[from[e] .. from[e]+len) over the entries e in order, adding
 * eight entries per pass: each out value is still the same running sum, term after term.
 */
function accumulate(out: Float64Array, at: number, src: Float64Array, from: Int32Array, v: Float64Array, entries: number, len: number): void {
  let e = 0;
  for (; e + 8 <= entries; e += 8) {
    const b0 = from[e]!, b1 = from[e + 1]!, b2 = from[e + 2]!, b3 = from[e + 3]!, b4 = from[e + 4]!, b5 = from[e + 5]!, b6 = from[e + 6]!, b7 = from[e + 7]!;
    const v0 = v[e]!, v1 = v[e + 1]!, v2 = v[e + 2]!, v3 = v[e + 3]!, v4 = v[e + 4]!, v5 = v[e + 5]!, v6 = v[e + 6]!, v7 = v[e + 7]!;
    for (let j = 0; j < len; j++) {
      out[at + j] = out[at + j]! + v0 * src[b0 + j]! + v1 * src[b1 + j]! + v2 * src[b2 + j]! + v3 * src[b3 + j]! + v4 * src[b4 + j]! + v5 * src[b5 + j]! + v6 * src[b6 + j]! + v7 * src[b7 + j]!;
    }
  }
  for (; e < entries; e++) {
    const b = from[e]!;
    const ve = v[e]!;
    for (let j = 0; j < len; j++) out[at + j]! += ve * src[b + j]!;
  }
}

/** Scratch for one row's or column's entries: where each reads from, and its value. */
function scratch(a: TfidfMatrix): { from: Int32Array; v: Float64Array } {
  let longest = 0;
  for (let r = 0; r < a.rows; r++) longest = Math.max(longest, a.rowStart[r + 1]! - a.rowStart[r]!);
  for (let i = 0; i < a.cols; i++) longest = Math.max(longest, a.colStart[i + 1]! - a.colStart[i]!);
  return { from: new Int32Array(longest), v: new Float64Array(longest) };
}

/** Y (rows×l, row-major) = A · X (cols×l, row-major); written into `y` when given. */
export function timesDense(a: TfidfMatrix, x: Float64Array, l: number, y: Float64Array = new Float64Array(a.rows * l)): Float64Array {
  y.fill(0);
  const { from, v } = scratch(a);
  for (let r = 0; r < a.rows; r++) {
    const start = a.rowStart[r]!;
    const entries = a.rowStart[r + 1]! - start;
    for (let e = 0; e < entries; e++) {
      const k = start + e;
      from[e] = a.idx[k]! * l;
      v[e] = (logTf(a.counts[k]!) * a.idf[a.idx[k]!]!) / a.norms[r]!;
    }
    accumulate(y, r * l, x, from, v, entries, l);
  }
  return y;
}

/** Z (cols×l, row-major) = Aᵀ · Y (rows×l, row-major). */
export function transposeTimesDense(a: TfidfMatrix, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.cols * l);
  const { from, v } = scratch(a);
  for (let i = 0; i < a.cols; i++) {
    const start = a.colStart[i]!;
    const entries = a.colStart[i + 1]! - start;
    for (let e = 0; e < entries; e++) {
      const r = a.colRows[start + e]!;
      from[e] = r * l;
      v[e] = (logTf(a.colCounts[start + e]!) * a.idf[i]!) / a.norms[r]!;
    }
    accumulate(z, i * l, y, from, v, entries, l);
  }
  return z;
}

/** Each row's embedding: row · V (cols×dims), scaled to unit length, as `project` computes it. */
export function projectMatrix(a: TfidfMatrix, projection: Float32Array, dims: number): Float32Array {
  const v64 = Float64Array.from(projection);
  const out = new Float32Array(a.rows * dims);
  const acc = new Float64Array(dims);
  const { from, v } = scratch(a);
  for (let r = 0; r < a.rows; r++) {
    const start = a.rowStart[r]!;
    const entries = a.rowStart[r + 1]! - start;
    for (let e = 0; e < entries; e++) {
      const k = start + e;
      from[e] = a.idx[k]! * dims;
      v[e] = (logTf(a.counts[k]!) * a.idf[a.idx[k]!]!) / a.norms[r]!;
    }
    acc.fill(0);
    accumulate(acc, 0, v64, from, v, entries, dims);
    let sum = 0;
    for (let d = 0; d < dims; d++) sum += acc[d]! * acc[d]!;
    const norm = Math.sqrt(sum) || 1;
    for (let d = 0; d < dims; d++) out[r * dims + d] = acc[d]! / norm;
  }
  return out;
}
