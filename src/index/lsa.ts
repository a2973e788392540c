/**
 * Latent semantic analysis, computed locally with no downloaded weights: TF-IDF over words and
 * Han bigrams, reduced by a randomized truncated SVD (Halko, Martinsson & Tropp 2011).
 * Terms that co-occur across tasks land near each other, so 托班 and 托育 help each other.
 */

import type { FeatureRows } from "./feature-rows.js";
import { seededRandom } from "./random.js";
import { projectMatrix, tfidfMatrix, timesDense, transposeTimesDense, type TfidfMatrix } from "./tfidf-matrix.js";

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

/** Ω, m×l, Gaussian: the sketch's random start (free once Y = A·Ω is made). */
function randomMatrix(m: number, l: number, seed: number): Float64Array {
  const next = seededRandom(seed);
  const omega = new Float64Array(m * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(next);
  return omega;
}

/** Orthonormalises the l columns of an n×l matrix stored column after column, in place (modified Gram–Schmidt). */
function orthonormaliseColumns(a: Float64Array, n: number, l: number): void {
  for (let j = 0; j < l; j++) {
    const cj = j * n;
    for (let p = 0; p < j; p++) {
      const cp = p * n;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += a[cj + i]! * a[cp + i]!;
      for (let i = 0; i < n; i++) a[cj + i]! -= dot * a[cp + i]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += a[cj + i]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) a[cj + i] = norm > 1e-12 ? a[cj + i]! / norm : 0;
  }
}

/** The same for an n×l matrix stored row after row (worked on a column-major copy: each column contiguous). */
function orthonormaliseRows(a: Float64Array, n: number, l: number): void {
  const t = new Float64Array(n * l);
  for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) t[j * n + i] = a[i * l + j]!;
  orthonormaliseColumns(t, n, l);
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
  // Y (n×l, the largest matrix) is kept column after column, as Gram–Schmidt reads it: no copy
  // of it is ever made, and each product overwrites the last. Z (m×l) is kept row after row.
  const y = timesDense(rows, randomMatrix(m, l, seed), l);
  for (let iter = 0; iter < 2; iter++) {
    orthonormaliseColumns(y, n, l);
    const z = transposeTimesDense(rows, y, l);
    orthonormaliseRows(z, m, l);
    timesDense(rows, z, l, y);
  }
  orthonormaliseColumns(y, n, l);
  const bt = transposeTimesDense(rows, y, l); // Bᵀ = Aᵀ Q, m×l
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

/**
 * Fits the model to the rows and gives each row's embedding with it (row · V, unit length, as
 * `project` computes it), so an index build never cuts its chunks a second time. The rows are
 * used up: the TF-IDF matrix is built in their arrays.
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
  const matrix = tfidfMatrix(rows, (id) => column[id]!, vocab.length, idf);
  const { projection, dims } = truncatedSvdProjection(matrix, vocab.length, opts.dims);
  return { model: { vocab, idf, projection, dims }, vectors: projectMatrix(matrix, projection, dims) };
}

/** The rows' embeddings under a model fitted before (an incremental build keeps it): features it lacks are left out. */
export function projectRows(rows: FeatureRows, which: readonly number[], model: LsaModel, index: ReadonlyMap<string, number>): Float32Array {
  const column = new Int32Array(rows.terms.length);
  rows.terms.forEach((t, id) => (column[id] = index.get(t) ?? -1));
  const rowStart = new Int32Array(which.length + 1);
  const ids: number[] = [];
  const counts: number[] = [];
  which.forEach((r, i) => {
    for (let k = rows.rowStart[r]!; k < rows.rowStart[r + 1]!; k++) {
      ids.push(rows.ids[k]!);
      counts.push(rows.counts[k]!);
    }
    rowStart[i + 1] = ids.length;
  });
  const picked: FeatureRows = { rowStart, ids: Int32Array.from(ids), counts: Int32Array.from(counts), terms: rows.terms };
  return projectMatrix(tfidfMatrix(picked, (id) => column[id]!, model.vocab.length, model.idf), model.projection, model.dims);
}
