import { describe, expect, it } from "vitest";
import { featureRows } from "../../src/index/feature-rows.js";
import { tfidfRow } from "../../src/index/lsa.js";
import { seededRandom } from "../../src/index/random.js";
import { projectMatrix, tfidfMatrix, timesDense, transposeTimesDense } from "../../src/index/tfidf-matrix.js";

/** Rows of 0–40 features from 60, so that rows and columns have both few and more than eight entries. */
function corpus() {
  const next = seededRandom(11);
  const lists = Array.from({ length: 90 }, () => Array.from({ length: Math.floor(next() * 40) }, () => `t${Math.floor(next() ** 2 * 60)}`));
  const index = new Map<string, number>(Array.from({ length: 50 }, (_, i) => [`t${i}`, i])); // t50…t59 have no column
  const idf = Float32Array.from({ length: 50 }, () => 1 + next() * 3);
  const dense = (rows: number, cols: number) => Float64Array.from({ length: rows * cols }, () => next() - 0.5);
  return { lists, index, idf, dense };
}

describe("the TF-IDF matrix's products", () => {
  const { lists, index, idf, dense } = corpus();
  const naive = lists.map((terms) => tfidfRow(terms, index, idf));
  // Built afresh for each product: the matrix is built in the rows' arrays.
  const matrix = () => {
    const rows = featureRows(lists);
    return tfidfMatrix(rows, (id) => index.get(rows.terms[id]!) ?? -1, 50, idf);
  };

  const n = lists.length;

  it("A·X sums each value in the order the plain row-by-row product does, to the last bit (Y column after column)", () => {
    const l = 13;
    const x = dense(50, l);
    const want = new Float64Array(n * l);
    naive.forEach((row, r) => row.idx.forEach((i, k) => {
      for (let j = 0; j < l; j++) want[j * n + r]! += row.val[k]! * x[i * l + j]!;
    }));
    expect(timesDense(matrix(), x, l)).toEqual(want);
  });

  it("Aᵀ·Y likewise, row after row into each column", () => {
    const l = 7;
    const y = dense(n, l); // column after column
    const want = new Float64Array(50 * l);
    naive.forEach((row, r) => row.idx.forEach((i, k) => {
      for (let j = 0; j < l; j++) want[i * l + j]! += row.val[k]! * y[j * n + r]!;
    }));
    expect(transposeTimesDense(matrix(), y, l)).toEqual(want);
  });

  it("projects each row as one text is projected", () => {
    const dims = 5;
    const projection = Float32Array.from(dense(50, dims));
    const got = projectMatrix(matrix(), projection, dims);
    naive.forEach((row, r) => {
      const acc = new Float64Array(dims);
      row.idx.forEach((i, k) => {
        for (let d = 0; d < dims; d++) acc[d]! += row.val[k]! * projection[i * dims + d]!;
      });
      const norm = Math.sqrt(acc.reduce((s, v) => s + v * v, 0)) || 1;
      expect(got.subarray(r * dims, (r + 1) * dims)).toEqual(Float32Array.from(acc, (v) => v / norm));
    });
  });
});
