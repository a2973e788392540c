/**
 * The embedded default embedding, behind LangChain's `Embeddings` interface so that a user's own
 * embeddings plug in instead. Honestly named: latent semantic analysis over this corpus, not a
 * neural model.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Embeddings } from "@langchain/core/embeddings";
import { alignedView } from "./aligned.js";
import type { ReadBuildFile } from "./builds.js";
import { featureRows, type FeatureRows } from "./feature-rows.js";
import { fitLsaRows, project, projectRows, tfidfRow, type FitOptions, type LsaModel } from "./lsa.js";
import { hanBigrams, tokenize } from "./tokenizer.js";

/** Words (kept with stopwords removed) plus bigrams, so unsegmented phrasing still overlaps. */
export function lsaFeatures(text: string): string[] {
  return [...tokenize(text), ...hanBigrams(text).map((b) => `#${b}`)];
}

export class LsaEmbeddings extends Embeddings {
  private readonly index: Map<string, number>;

  constructor(readonly model: LsaModel) {
    super({});
    this.index = new Map(model.vocab.map((t, i) => [t, i]));
  }

  static fit(texts: readonly string[], opts: Partial<FitOptions> = {}): LsaEmbeddings {
    return LsaEmbeddings.fitRows(featureRows(texts.map(lsaFeatures)), opts).embeddings;
  }

  /**
   * Fitted to rows of features (`lsaFeatures` of each text, cut by the caller), with each row's
   * vector: exactly what `embedDocuments` would give for the texts, without cutting them again.
   */
  static fitRows(rows: FeatureRows, opts: Partial<FitOptions> = {}): { embeddings: LsaEmbeddings; vectors: Float32Array } {
    const n = rows.rowStart.length - 1;
    const minDf = opts.minDf ?? (n < 2000 ? 1 : 2);
    const { model, vectors } = fitLsaRows(rows, { dims: opts.dims ?? 128, minDf, maxVocab: opts.maxVocab ?? 60_000 });
    return { embeddings: new LsaEmbeddings(model), vectors };
  }

  /** The vectors of some rows (`which`, in that order) under this model, as `embedDocuments` would give them. */
  embedRows(rows: FeatureRows, which: readonly number[]): Float32Array {
    return projectRows(rows, which, this.model, this.index);
  }

  get dims(): number {
    return this.model.dims;
  }

  embedText(text: string): number[] {
    return project(tfidfRow(lsaFeatures(text), this.index, this.model.idf), this.model);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embedText(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embedText(document);
  }

  async save(dir: string): Promise<void> {
    await writeFile(join(dir, "lsa-vocab.json"), JSON.stringify({ dims: this.model.dims, vocab: this.model.vocab }));
    const bin = new Float32Array(this.model.idf.length + this.model.projection.length);
    bin.set(this.model.idf, 0);
    bin.set(this.model.projection, this.model.idf.length);
    await writeFile(join(dir, "lsa-matrix.f32"), Buffer.from(bin.buffer));
  }

  static async load(read: ReadBuildFile): Promise<LsaEmbeddings> {
    const { dims, vocab } = JSON.parse((await read("lsa-vocab.json")).toString("utf8")) as { dims: number; vocab: string[] };
    const buf = await read("lsa-matrix.f32");
    const all = alignedView(buf, Float32Array);
    // Views into the file's buffer, not copies: the projection is the largest thing in memory.
    const idf = all.subarray(0, vocab.length);
    const projection = all.subarray(vocab.length);
    if (projection.length !== vocab.length * dims) throw new Error("lsa-matrix.f32 does not match lsa-vocab.json");
    return new LsaEmbeddings({ vocab, idf, projection, dims });
  }
}
