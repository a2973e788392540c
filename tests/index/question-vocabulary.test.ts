import { describe, expect, it } from "vitest";
import { readQuestionVocabulary } from "../../src/index/question-vocabulary.js";
import { questionVocabulary } from "../../src/retrieve/understand.js";

describe("the question vocabulary the index reads", () => {
  it("is the one question understanding uses (else run: npx tsx scripts/make-vocabulary.ts)", () => {
    expect(readQuestionVocabulary()).toEqual(questionVocabulary());
  });
});
