/**
 * Which embedding the index uses: the embedded LSA by default; `OpenAIEmbeddings` from
 * @langchain/openai when OPENAI_API_KEY and OPENAI_EMBEDDING_MODEL are set (any
 * OpenAI-compatible server, through OPENAI_BASE_URL).
 */
import { OpenAIEmbeddings } from "@langchain/openai";
import type { Config } from "../config.js";
import { lsaSpec, type EmbeddingSpec } from "./search-index.js";

export function openAiEmbeddings(openai: NonNullable<Config["openai"]>): OpenAIEmbeddings {
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
    create: async () => openAiEmbeddings(openai),
    load: async () => openAiEmbeddings(openai),
  };
}
