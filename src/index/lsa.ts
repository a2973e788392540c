/**
 * Latent semantic analysis, computed locally with no downloaded weights: TF-IDF over words and
 * Han bigrams, reduced by a randomized truncated SVD (Halko, Martinsson & Tropp 2011).
 * Terms that co-occur across tasks land near each other, so 托班 and 托育 help each other.
 */

import { IntList } from "./int-list.js";
import { seededRandom } from "./random.js";

/** A sparse row: parallel arrays of column indices and values. */
export interface SparseRow {
  idx: Int32Array;
  val: Float64Array;
}

export interface LsaModel {
  vocab: string[];
  idf: Float32Array;
  /** Term projection V, vocab.length × dims, row-major. */
  projection: Float32Array;
  dims: number;
}


function gaussian(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/**
 * The TF-IDF matrix in compressed rows. Values are not stored: each is (1 + ln count) × idf ÷ the
 * row's length, computed where it is read, which halves the matrix's memory and gives the very
 * numbers `tfidfRow` gives (the same operations in the same order).
 */
interface TfidfMatrix {
  rows: number;
  rowStart: Int32Array;
  idx: Int32Array;
  counts: Uint32Array;
  idf: Float32Array;
  /** The L2 length of each row's unnormalised values. */
  norms: Float64Array;
}

/** 1 + ln c for small counts, looked up instead of computed at every read. */
const LOG_TF = Float64Array.from({ length: 4096 }, (_, c) => 1 + Math.log(c));
const logTf = (c: number) => (c < LOG_TF.length ? LOG_TF[c]! : 1 + Math.log(c));

/** Value k of row r (k within the row's range). */
function valueAt(a: TfidfMatrix, r: number, k: number): number {
  return (logTf(a.counts[k]!) * a.idf[a.idx[k]!]!) / a.norms[r]!;
}

/** Y (rows×l) = A (rows×m, sparse) · X (m×l, dense). */
function sparseTimesDense(a: TfidfMatrix, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  for (let r = 0; r < a.rows; r++) {
    const out = r * l;
    for (let k = a.rowStart[r]!; k < a.rowStart[r + 1]!; k++) {
      const base = a.idx[k]! * l;
      const v = valueAt(a, r, k);
      for (let j = 0; j < l; j++) y[out + j]! += v * x[base + j]!;
    }
  }
  return y;
}

/** Z (m×l) = Aᵀ · Y (rows×l). */
function sparseTransposeTimesDense(a: TfidfMatrix, m: number, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(m * l);
  for (let r = 0; r < a.rows; r++) {
    const src = r * l;
    for (let k = a.rowStart[r]!; k < a.rowStart[r + 1]!; k++) {
      const base = a.idx[k]! * l;
      const v = valueAt(a, r, k);
      for (let j = 0; j < l; j++) z[base + j]! += v * y[src + j]!;
    }
  }
  return z;
}

/**
 * Orthonormalises the columns of an n×l row-major matrix in place (modified Gram–Schmidt).
 * Worked on a transposed copy, so that each column is contiguous: the same operations in the
 * same order, without striding through memory (at 100,000 rows the strided form was 4× slower).
 */
function orthonormalise(a: Float64Array, n: number, l: number): void {
  const t = new Float64Array(n * l);
  for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) t[j * n + i] = a[i * l + j]!;
  for (let j = 0; j < l; j++) {
    const cj = j * n;
    for (let p = 0; p < j; p++) {
      const cp = p * n;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += t[cj + i]! * t[cp + i]!;
      for (let i = 0; i < n; i++) t[cj + i]! -= dot * t[cp + i]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += t[cj + i]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) t[cj + i] = norm > 1e-12 ? t[cj + i]! / norm : 0;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) a[i * l + j] = t[j * n + i]!;
}

/** Eigen-decomposition of a symmetric l×l matrix by cyclic Jacobi rotations. */
function symmetricEigen(c: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(c);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1);
        const sin = t * cos;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = cos * akp - sin * akq;
          a[k * l + q] = sin * akp + cos * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = cos * apk - sin * aqk;
          a[q * l + k] = sin * apk + cos * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = cos * vkp - sin * vkq;
          v[k * l + q] = sin * vkp + cos * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i]!;
  return { values, vectors: v };
}

/**
 * Term projection V (m×k) of the truncated SVD A ≈ U Σ Vᵀ of the rows×m matrix A.
 * A row's embedding is then row · V, which equals its row of U Σ.
 */
function truncatedSvdProjection(rows: TfidfMatrix, m: number, k: number, seed = 42): { projection: Float32Array; dims: number } {
  const n = rows.rows;
  const dims = Math.max(1, Math.min(k, n, m));
  const l = Math.min(dims + 10, n, m);
  const next = seededRandom(seed);
  const omega = new Float64Array(m * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(next);

  let y = sparseTimesDense(rows, omega, l);
  for (let iter = 0; iter < 2; iter++) {
    orthonormalise(y, n, l);
    const z = sparseTransposeTimesDense(rows, m, y, l);
    orthonormalise(z, m, l);
    y = sparseTimesDense(rows, z, l);
  }
  orthonormalise(y, n, l);
  const bt = sparseTransposeTimesDense(rows, m, y, l); // Bᵀ = Aᵀ Q, m×l
  const c = new Float64Array(l * l); // B Bᵀ = (Bᵀ)ᵀ Bᵀ
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < l; p++) {
      const bip = bt[i * l + p]!;
      if (bip === 0) continue;
      for (let q = p; q < l; q++) c[p * l + q]! += bip * bt[i * l + q]!;
    }
  }
  for (let p = 0; p < l; p++) for (let q = 0; q < p; q++) c[p * l + q] = c[q * l + p]!;
  const { values, vectors } = symmetricEigen(c, l);
  const order = [...values.keys()].sort((a, b) => values[b]! - values[a]!).slice(0, dims);

  const projection = new Float32Array(m * dims);
  order.forEach((col, d) => {
    const sigma = Math.sqrt(Math.max(values[col]!, 0));
    if (sigma < 1e-9) return;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let p = 0; p < l; p++) s += bt[i * l + p]! * vectors[p * l + col]!;
      projection[i * dims + d] = s / sigma;
    }
  });
  return { projection, dims };
}

/** Features of one text: term index → weight, by sublinear TF × IDF, L2-normalised. */
export function tfidfRow(terms: readonly string[], index: ReadonlyMap<string, number>, idf: Float32Array): SparseRow {
  const tf = new Map<number, number>();
  for (const t of terms) {
    const i = index.get(t);
    if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
  }
  const idx = Int32Array.from(tf.keys());
  const val = Float64Array.from(idx, (i) => (1 + Math.log(tf.get(i) ?? 1)) * (idf[i] ?? 0));
  const norm = Math.sqrt(val.reduce((s, v) => s + v * v, 0)) || 1;
  for (let k = 0; k < val.length; k++) val[k]! /= norm;
  return { idx, val };
}

export function project(row: SparseRow, model: LsaModel): number[] {
  const out = new Float64Array(model.dims);
  for (let k = 0; k < row.idx.length; k++) {
    const base = (row.idx[k] ?? 0) * model.dims;
    const v = row.val[k] ?? 0;
    for (let d = 0; d < model.dims; d++) out[d]! += v * model.projection[base + d]!;
  }
  const norm = Math.sqrt(out.reduce((s, x) => s + x * x, 0)) || 1;
  return Array.from(out, (x) => x / norm);
}

export interface FitOptions {
  dims: number;
  /** Terms in fewer texts than this are left out: they cannot relate texts to each other. */
  minDf: number;
  maxVocab: number;
}

/** The corpus as the fit reads it: each row's distinct features in the order first met, with their counts. */
export interface FeatureRows {
  /** Row r's entries are rowStart[r] .. rowStart[r+1]-1. */
  rowStart: Int32Array;
  /** Feature ids, into `terms`. */
  ids: Int32Array;
  counts: Uint32Array;
  /** Feature id → the feature (a word, or "#" and a Han pair). */
  terms: readonly string[];
}

/** Gathers rows of feature ids: each row's distinct ids in the order first met, with their counts. */
export class FeatureRowsBuilder {
  private readonly rowEnds = new IntList();
  private readonly ids = new IntList();
  private readonly counts = new IntList();
  /** Scratch: where a feature stands in the row being added, plus one (0: not in it). */
  private slot = new Int32Array(1024);

  addRow(...parts: ArrayLike<number>[]): void {
    const start = this.ids.length;
    for (const ids of parts) {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (id >= this.slot.length) {
          const bigger = new Int32Array(Math.max(id + 1, this.slot.length * 2));
          bigger.set(this.slot);
          this.slot = bigger;
        }
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

  finish(terms: readonly string[]): FeatureRows {
    const rowStart = new Int32Array(this.rowEnds.length + 1);
    rowStart.set(this.rowEnds.toArray(), 1);
    return { rowStart, ids: this.ids.toArray(), counts: new Uint32Array(this.counts.toArray().buffer), terms };
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

/**
 * Fits the model to the rows and gives each row's embedding with it (row · V, unit length, as
 * `project` computes it), so an index build never cuts its chunks a second time.
 */
export function fitLsaRows(rows: FeatureRows, opts: FitOptions): { model: LsaModel; vectors: Float32Array } {
  const n = rows.rowStart.length - 1;
  const df = new Int32Array(rows.terms.length);
  for (const id of rows.ids) df[id]!++;
  const vocabIds = [...df.keys()]
    .filter((id) => df[id]! >= opts.minDf && df[id]! < n) // a term in every text separates nothing
    .sort((a, b) => df[b]! - df[a]! || (rows.terms[a]! < rows.terms[b]! ? -1 : 1))
    .slice(0, opts.maxVocab);
  const vocab = vocabIds.map((id) => rows.terms[id]!);
  const column = new Int32Array(rows.terms.length).fill(-1);
  vocabIds.forEach((id, i) => (column[id] = i));
  const idf = Float32Array.from(vocabIds, (id) => Math.log((1 + n) / (1 + df[id]!)) + 1);
  const matrix = tfidfMatrix(rows, (id) => column[id]!, idf);
  const { projection, dims } = truncatedSvdProjection(matrix, vocab.length, opts.dims);
  const model = { vocab, idf, projection, dims };
  return { model, vectors: projectMatrix(matrix, model) };
}

/** The rows' embeddings under a model fitted before (an incremental build keeps it): features it lacks are left out. */
export function projectRows(rows: FeatureRows, which: readonly number[], model: LsaModel, index: ReadonlyMap<string, number>): Float32Array {
  const column = new Int32Array(rows.terms.length);
  rows.terms.forEach((t, id) => (column[id] = index.get(t) ?? -1));
  const picked: FeatureRows = { ...rows, rowStart: new Int32Array(which.length + 1) };
  const ids: number[] = [];
  const counts: number[] = [];
  which.forEach((r, i) => {
    for (let k = rows.rowStart[r]!; k < rows.rowStart[r + 1]!; k++) {
      ids.push(rows.ids[k]!);
      counts.push(rows.counts[k]!);
    }
    picked.rowStart[i + 1] = ids.length;
  });
  return projectMatrix(tfidfMatrix({ ...picked, ids: Int32Array.from(ids), counts: Uint32Array.from(counts) }, (id) => column[id]!, model.idf), model);
}

/** Rows → TF-IDF, keeping the features that have a column, in the order each row met them (as `tfidfRow` does). */
function tfidfMatrix(rows: FeatureRows, columnOf: (id: number) => number, idf: Float32Array): TfidfMatrix {
  const n = rows.rowStart.length - 1;
  let nnz = 0;
  for (const id of rows.ids) if (columnOf(id) >= 0) nnz++;
  const a: TfidfMatrix = { rows: n, rowStart: new Int32Array(n + 1), idx: new Int32Array(nnz), counts: new Uint32Array(nnz), idf, norms: new Float64Array(n) };
  let at = 0;
  for (let r = 0; r < n; r++) {
    let sum = 0;
    for (let k = rows.rowStart[r]!; k < rows.rowStart[r + 1]!; k++) {
      const col = columnOf(rows.ids[k]!);
      if (col < 0) continue;
      a.idx[at] = col;
      a.counts[at] = rows.counts[k]!;
      const v = logTf(rows.counts[k]!) * idf[col]!;
      sum += v * v;
      at++;
    }
    a.rowStart[r + 1] = at;
    a.norms[r] = Math.sqrt(sum) || 1;
  }
  return a;
}

/** Each row's embedding: row · V, scaled to unit length. */
function projectMatrix(a: TfidfMatrix, model: LsaModel): Float32Array {
  const dims = model.dims;
  const out = new Float32Array(a.rows * dims);
  const acc = new Float64Array(dims);
  for (let r = 0; r < a.rows; r++) {
    acc.fill(0);
    for (let k = a.rowStart[r]!; k < a.rowStart[r + 1]!; k++) {
      const base = a.idx[k]! * dims;
      const v = valueAt(a, r, k);
      for (let d = 0; d < dims; d++) acc[d]! += v * model.projection[base + d]!;
    }
    let sum = 0;
    for (let d = 0; d < dims; d++) sum += acc[d]! * acc[d]!;
    const norm = Math.sqrt(sum) || 1;
    for (let d = 0; d < dims; d++) out[r * dims + d] = acc[d]! / norm;
  }
  return out;
}
