/** Question → answer: retrieval, then the extractive composer, then (when configured) the model. */
import type { Config } from "../config.js";
import type { SearchIndex } from "../index/search-index.js";
import type { Holdings } from "../messages.js";
import { catalogOf, PlanRetriever, type RetrievalResult, type SearchOptions } from "../retrieve/retriever.js";
import { composeExtractive } from "./extractive.js";
import type { LlmComposer } from "./llm.js";
import type { Answer } from "./types.js";

export interface Answered {
  answer: Answer;
  retrieval: RetrievalResult;
}

export class Answerer {
  readonly retriever: PlanRetriever;
  readonly holdings: Holdings;
  /** Loaded on first use: the OpenAI client costs half a second to import, and most runs have no key. */
  private llm: Promise<LlmComposer> | undefined;

  constructor(
    readonly index: SearchIndex,
    private readonly config: Pick<Config, "openai">,
  ) {
    this.retriever = new PlanRetriever(index);
    this.holdings = catalogOf(index).holdings;
  }

  private composer(): Promise<LlmComposer> | undefined {
    const openai = this.config.openai;
    if (!openai) return undefined;
    this.llm ??= import("./llm.js").then((m) => new m.LlmComposer(openai));
    return this.llm;
  }

  async answer(question: string, opts: SearchOptions = {}): Promise<Answered> {
    const retrieval = await this.retriever.search(question, opts);
    const extractive = composeExtractive(retrieval, this.holdings);
    // Weak evidence is refused before any model sees it: no prompt can talk it into an answer.
    const llm = this.composer();
    if (!llm || !extractive.grounded) return { answer: extractive, retrieval };
    const composed = await (await llm).compose(retrieval);
    return { answer: composed ?? extractive, retrieval };
  }
}
