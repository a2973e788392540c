/**
 * Latent semantic analysis, computed locally with no downloaded weights: TF-IDF over words and
 * Han bigrams, reduced by a randomized truncated SVD (Halko, Martinsson & Tropp 2011).
 * Terms that co-occur across tasks land near each other, so 托班 and 托育 help each other.
 */

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

/** Y (rows×l) = A (rows×m, sparse) · X (m×l, dense). */
function sparseTimesDense(rows: readonly SparseRow[], x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(rows.length * l);
  rows.forEach((row, r) => {
    const out = r * l;
    for (let k = 0; k < row.idx.length; k++) {
      const base = (row.idx[k] ?? 0) * l;
      const v = row.val[k] ?? 0;
      for (let j = 0; j < l; j++) y[out + j]! += v * x[base + j]!;
    }
  });
  return y;
}

/** Z (m×l) = Aᵀ · Y (rows×l). */
function sparseTransposeTimesDense(rows: readonly SparseRow[], m: number, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(m * l);
  rows.forEach((row, r) => {
    const src = r * l;
    for (let k = 0; k < row.idx.length; k++) {
      const base = (row.idx[k] ?? 0) * l;
      const v = row.val[k] ?? 0;
      for (let j = 0; j < l; j++) z[base + j]! += v * y[src + j]!;
    }
  });
  return z;
}

/** Orthonormalises the columns of an n×l matrix in place (modified Gram–Schmidt). */
function orthonormalise(a: Float64Array, n: number, l: number): void {
  for (let j = 0; j < l; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += a[i * l + j]! * a[i * l + p]!;
      for (let i = 0; i < n; i++) a[i * l + j]! -= dot * a[i * l + p]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += a[i * l + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) a[i * l + j] = norm > 1e-12 ? a[i * l + j]! / norm : 0;
  }
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
export function truncatedSvdProjection(rows: readonly SparseRow[], m: number, k: number, seed = 42): { projection: Float32Array; dims: number } {
  const n = rows.length;
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

export function fitLsa(termLists: readonly string[][], opts: FitOptions): LsaModel {
  const df = new Map<string, number>();
  for (const terms of termLists) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = termLists.length;
  const vocab = [...df.entries()]
    .filter(([, d]) => d >= opts.minDf && d < n) // a term in every text separates nothing
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, opts.maxVocab)
    .map(([t]) => t);
  const index = new Map(vocab.map((t, i) => [t, i]));
  const idf = Float32Array.from(vocab, (t) => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1);
  const rows = termLists.map((terms) => tfidfRow(terms, index, idf));
  const { projection, dims } = truncatedSvdProjection(rows, vocab.length, opts.dims);
  return { vocab, idf, projection, dims };
}
