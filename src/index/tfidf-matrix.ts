/**
 * The TF-IDF matrix an LSA fit reduces, and the products the randomized SVD needs. Values are
 * not stored: each is (1 + ln count) × idf ÷ the row's length, computed where it is read, which
 * gives the very numbers `tfidfRow` gives (the same operations in the same order) in half the
 * memory; column numbers take 16 bits. A·X adds eight entries of a row per pass over its output
 * row: each output value still sums its terms in the original order, so the results are the
 * same to the last bit, about four times sooner.
 */
import type { FeatureRows } from "./feature-rows.js";

export interface TfidfMatrix {
  rows: number;
  cols: number;
  /** Compressed rows: row r's entries are rowStart[r] .. rowStart[r+1]-1, in the order the row met them. */
  rowStart: Int32Array;
  idx: Uint16Array | Int32Array;
  counts: Uint16Array | Int32Array;
  idf: Float32Array;
  /** The L2 length of each row's values before normalising. */
  norms: Float64Array;
}

/** 1 + ln c for small counts, looked up instead of computed at every read. */
const LOG_TF = Float64Array.from({ length: 4096 }, (_, c) => 1 + Math.log(c));
export const logTf = (c: number) => (c < LOG_TF.length ? LOG_TF[c]! : 1 + Math.log(c));

/**
 * Rows → the TF-IDF matrix, keeping the features that have a column, in the order each row met
 * them. `rows` is used up: its counts become the matrix's, and its feature ids are let go.
 */
export function tfidfMatrix(rows: FeatureRows, columnOf: (id: number) => number, cols: number, idf: Float32Array): TfidfMatrix {
  const n = rows.rowStart.length - 1;
  const { rowStart, ids, counts } = rows;
  let nnz = 0;
  for (const id of ids) if (columnOf(id) >= 0) nnz++;
  const idx = cols <= 1 << 16 ? new Uint16Array(nnz) : new Int32Array(nnz);
  const norms = new Float64Array(n);
  let at = 0;
  let from = rowStart[0]!;
  for (let r = 0; r < n; r++) {
    let sum = 0;
    const to = rowStart[r + 1]!;
    for (let k = from; k < to; k++) {
      const col = columnOf(ids[k]!);
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
  rows.ids = new Int32Array(0);
  return { rows: n, cols, rowStart, idx, counts: counts.subarray(0, at), idf, norms };
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

/** Scratch for one row's entries: where each reads from, and its value. */
function scratch(a: TfidfMatrix): { from: Int32Array; v: Float64Array } {
  let longest = 0;
  for (let r = 0; r < a.rows; r++) longest = Math.max(longest, a.rowStart[r + 1]! - a.rowStart[r]!);
  return { from: new Int32Array(longest), v: new Float64Array(longest) };
}

/** Row r's values, and where each reads a row of a (cols×width, row-major) matrix from. */
function rowEntries(a: TfidfMatrix, r: number, width: number, from: Int32Array, v: Float64Array): number {
  const start = a.rowStart[r]!;
  const entries = a.rowStart[r + 1]! - start;
  for (let e = 0; e < entries; e++) {
    const k = start + e;
    from[e] = a.idx[k]! * width;
    v[e] = (logTf(a.counts[k]!) * a.idf[a.idx[k]!]!) / a.norms[r]!;
  }
  return entries;
}

/**
 * Y = A · X, X cols×l row-major; Y (rows×l) is written column after column (as Gram–Schmidt reads
 * it), into `y` when given. Each row is summed in a small buffer, then spread into the columns.
 */
export function timesDense(a: TfidfMatrix, x: Float64Array, l: number, y: Float64Array = new Float64Array(a.rows * l)): Float64Array {
  const { from, v } = scratch(a);
  const acc = new Float64Array(l);
  for (let r = 0; r < a.rows; r++) {
    const entries = rowEntries(a, r, l, from, v);
    acc.fill(0);
    accumulate(acc, 0, x, from, v, entries, l);
    for (let j = 0; j < l; j++) y[j * a.rows + r] = acc[j]!;
  }
  return y;
}

/** Z (cols×l, row-major) = Aᵀ · Y, Y rows×l stored column after column: row by row, each of Y's rows gathered once. */
export function transposeTimesDense(a: TfidfMatrix, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.cols * l);
  const { from, v } = scratch(a);
  const yRow = new Float64Array(l);
  for (let r = 0; r < a.rows; r++) {
    for (let j = 0; j < l; j++) yRow[j] = y[j * a.rows + r]!;
    const entries = rowEntries(a, r, l, from, v);
    for (let e = 0; e < entries; e++) {
      const base = from[e]!;
      const ve = v[e]!;
      for (let j = 0; j < l; j++) z[base + j]! += ve * yRow[j]!;
    }
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
    const entries = rowEntries(a, r, dims, from, v);
    acc.fill(0);
    accumulate(acc, 0, v64, from, v, entries, dims);
    let sum = 0;
    for (let d = 0; d < dims; d++) sum += acc[d]! * acc[d]!;
    const norm = Math.sqrt(sum) || 1;
    for (let d = 0; d < dims; d++) out[r * dims + d] = acc[d]! / norm;
  }
  return out;
}
