/**
 * `npm run ask -- "问题"`: the answer for a person; `--json`: one JSON object
 * {question, answer, grounded, citations}; no question and stdin not a terminal: one question
 * per line, one JSON object (or answer) per line, in order.
 */
import { createInterface } from "node:readline";
import { InvalidArgumentError } from "commander";
import { Answerer } from "../answer/answerer.js";
import type { Answer } from "../answer/types.js";
import { answerJson, heldDistrict } from "../chat/links.js";
import { answerText } from "../messages.js";
import { loadConfig } from "../config.js";
import { initLogger } from "../log.js";
import { bookTitle, chatText, cliText, servingText } from "../messages.js";
import type { SearchOptions } from "../retrieve/retriever.js";
import { runCli, UsageError, command } from "./common.js";
import { openIndex } from "./open-index.js";

interface AskOptions {
  json?: boolean;
  top?: number;
  district?: string;
  year?: number;
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("需要一个正整数");
  return n;
};

/** In a terminal the sources follow the answer: each full label with its document's title. */
function forPerson(answer: Answer): string {
  if (answer.citations.length === 0) return answer.answer;
  const t = answerText[answer.language];
  const refs = [...new Map(answer.citations.map((c) => [c.ref, c.title])).entries()].map(([ref, title]) => `${ref}${bookTitle(title)}`);
  return `${answer.answer}\n\n${t.sources}${answer.language === "zh" ? "：" : ":"}\n${refs.join("\n")}`;
}

function print(answer: Answer, json: boolean, publicUrl: string | undefined): void {
  process.stdout.write(json ? `${JSON.stringify(answerJson(answer, publicUrl))}\n` : `${forPerson(answer)}\n`);
}

/** "长宁" → "长宁区", as the index names districts. */
function districtOption(answerer: Answerer, raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const found = heldDistrict(answerer.holdings.keys(), raw);
  if (!found) throw new UsageError(`没有收录“${raw}”的文件。已收录：${[...answerer.holdings.keys()].join("、")}`);
  return found;
}

await runCli(async (argv) => {
  const program = command("ask")
    .argument("[question...]", "the question")
    .option("--json", "print one JSON object per question")
    .option("--top <n>", "how many tasks to consider", positiveInt)
    .option("--district <name>", "only this district (长宁, 闵行区…)")
    .option("--year <year>", "only this year", positiveInt)
    .exitOverride();
  program.parse(argv, { from: "user" });
  const opts = program.opts<AskOptions>();
  const question = program.args.join(" ").trim();
  const batch = program.args.length === 0 && !process.stdin.isTTY;
  if (!batch && question.length === 0) throw new UsageError(cliText.emptyQuestion);

  const config = loadConfig();
  initLogger(config.logLevel, "warn");
  const { index } = await openIndex(config);
  // Nothing to cite: say so plainly, not a refusal listing no holdings ("目前收录的是的文件").
  if (index.documents.length === 0) throw new UsageError(servingText.noDocuments);
  const answerer = new Answerer(index, config);
  const district = districtOption(answerer, opts.district);
  const search: SearchOptions = {
    ...(opts.top ? { top: opts.top } : {}),
    ...(district ? { district } : {}),
    ...(opts.year ? { year: opts.year } : {}),
  };

  if (!batch) {
    print((await answerer.answer(question, search)).answer, Boolean(opts.json), config.server.publicUrl);
    return;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const q = line.trim();
    // An empty line still gets its line of output: the answers stay aligned with the questions.
    const answer: Answer = q.length === 0 ? { question: "", answer: chatText.empty, grounded: false, citations: [], mode: "extractive", language: "zh" } : (await answerer.answer(q, search)).answer;
    print(answer, Boolean(opts.json), config.server.publicUrl);
  }
});
