/**
 * Which embedding the index uses: the embedded LSA by default; `OpenAIEmbeddings` from
 * @langchain/openai when OPENAI_API_KEY and OPENAI_EMBEDDING_MODEL are set (any
 * OpenAI-compatible server, through OPENAI_BASE_URL).
 */
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { OpenAIEmbeddings } from "@langchain/openai";
import type { Config } from "../config.js";
import type { ReadBuildFile } from "./builds.js";
import { LsaEmbeddings } from "./embeddings-lsa.js";
import type { FeatureRows } from "./feature-rows.js";

/** A build's chunks as an embedding reads them. */
export interface ChunkCorpus {
  size: number;
  /** What a model embeds of chunk i: its context and its text. */
  text(i: number): string;
  /** What LSA counts of each chunk (the same text's words and Han pairs), cut once by the build with its BM25 tokens. */
  features: FeatureRows;
}

export interface EmbeddingSpec {
  kind: "lsa" | "openai";
  model?: string;
  /**
   * The embedding for a build's chunks, with every chunk's vector when making it gives them (LSA
   * is fitted to the chunks and projects them as it goes; a remote model is only connected to).
   */
  create(chunks: ChunkCorpus): Promise<{ embeddings: EmbeddingsInterface; vectors?: Float32Array }>;
  /** Re-creates the embeddings of a saved build, reading its files through `read`. */
  load(read: ReadBuildFile): Promise<EmbeddingsInterface>;
}

export const lsaSpec: EmbeddingSpec = {
  kind: "lsa",
  create: async (chunks) => LsaEmbeddings.fitRows(chunks.features),
  load: (read) => LsaEmbeddings.load(read),
};

/** How many texts go to a remote model in one request. */
const BATCH = 256;

/**
 * The vectors of chunks `which` (in that order), one row of `dims` each: LSA reads the features
 * the build already cut; another model embeds the texts, a batch at a time.
 */
export async function embedChunks(
  embeddings: EmbeddingsInterface,
  chunks: ChunkCorpus,
  which: readonly number[],
  onProgress: (done: number) => void = () => {},
): Promise<{ vectors: Float32Array; dims: number }> {
  if (embeddings instanceof LsaEmbeddings) return { vectors: embeddings.embedRows(chunks.features, which), dims: embeddings.dims };
  const out: number[][] = [];
  for (let b = 0; b < which.length; b += BATCH) {
    out.push(...(await embeddings.embedDocuments(which.slice(b, b + BATCH).map((i) => chunks.text(i)))));
    onProgress(Math.min(b + BATCH, which.length));
  }
  const dims = out[0]?.length ?? 0;
  const vectors = new Float32Array(out.length * dims);
  out.forEach((v, i) => vectors.set(v, i * dims));
  return { vectors, dims };
}

/** Imported on use: the OpenAI client is half a second of start-up that the default never needs. */
export async function openAiEmbeddings(openai: NonNullable<Config["openai"]>): Promise<OpenAIEmbeddings> {
  const { OpenAIEmbeddings } = await import("@langchain/openai");
  return new OpenAIEmbeddings({
    apiKey: openai.apiKey,
    model: openai.embeddingModel ?? "text-embedding-3-small",
    encodingFormat: "float",
    timeout: openai.timeoutMs,
    maxRetries: 2,
    ...(openai.baseURL ? { configuration: { baseURL: openai.baseURL } } : {}),
  });
}

export function embeddingSpecFor(config: Config): EmbeddingSpec {
  const openai = config.openai;
  if (!openai?.embeddingModel) return lsaSpec;
  return {
    kind: "openai",
    model: openai.embeddingModel,
    create: async () => ({ embeddings: await openAiEmbeddings(openai) }),
    load: () => openAiEmbeddings(openai),
  };
}
