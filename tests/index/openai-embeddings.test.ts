import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { embeddingSpecFor } from "../../src/index/embedding-spec.js";
import { ensureIndex } from "../../src/index/open.js";
import { PlanRetriever } from "../../src/retrieve/retriever.js";
import { startFakeOpenAI, type FakeOpenAI } from "../fakes/openai-server.js";
import { SEEDS, tempDir } from "../helpers.js";

let server: FakeOpenAI;
beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(() => server.close());

describe("OpenAIEmbeddings replaces the embedded default when configured", () => {
  it("embeds chunks and questions through the server, and the index records it", async () => {
    const config = loadConfig({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.baseURL, OPENAI_EMBEDDING_MODEL: "toy-embed" });
    const spec = embeddingSpecFor(config);
    expect(spec.kind).toBe("openai");
    const { index } = await ensureIndex({ docsDir: SEEDS, indexDir: tempDir("epb-oai-"), spec });
    expect(index.manifest.embedding).toEqual({ kind: "openai", model: "toy-embed", dims: 32 });
    expect(server.embeddingRequests.length).toBeGreaterThan(0);
    expect(server.embeddingRequests[0]?.model).toBe("toy-embed");
    const before = server.embeddingRequests.length;
    const r = await new PlanRetriever(index).search("长宁区小学课后服务到几点结束？");
    expect(server.embeddingRequests.length).toBe(before + 1);
    expect(r.hits[0]?.task.number).toBe("048");
  });

  it("is not used without OPENAI_EMBEDDING_MODEL", () => {
    expect(embeddingSpecFor(loadConfig({ OPENAI_API_KEY: "sk-test" })).kind).toBe("lsa");
  });
});
