/**
 * Which embedding the index uses: the embedded LSA by default; `OpenAIEmbeddings` from
 * @langchain/openai when OPENAI_API_KEY and OPENAI_EMBEDDING_MODEL are set (any
 * OpenAI-compatible server, through OPENAI_BASE_URL).
 */
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { OpenAIEmbeddings } from "@langchain/openai";
import type { Config } from "../config.js";
import { LsaEmbeddings } from "./embeddings-lsa.js";

export interface EmbeddingSpec {
  kind: "lsa" | "openai";
  model?: string;
  /** Builds the embeddings for a corpus (LSA is fitted to it; a remote model is not). */
  create(texts: readonly string[]): Promise<EmbeddingsInterface & { dims?: number }>;
  /** Re-creates the embeddings of a saved build. */
  load(buildDir: string): Promise<EmbeddingsInterface>;
}

export const lsaSpec: EmbeddingSpec = {
  kind: "lsa",
  create: async (texts) => LsaEmbeddings.fit(texts),
  load: (dir) => LsaEmbeddings.load(dir),
};

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
    create: () => openAiEmbeddings(openai),
    load: () => openAiEmbeddings(openai),
  };
}
