/** What an answer is, as the `ask --json` contract and the chat surfaces see it. */

export interface Citation {
  /** 〔长宁区·2023年工作要点·第14项〕 */
  ref: string;
  /** The short label the answer's text uses: 〔长宁2023·第14项〕. */
  label: string;
  district: string;
  year: number;
  /** The document's title. */
  title: string;
  /** The task or item number as written: "043", "14". */
  task: string;
  /** Breadcrumb inside the task: ["一、本月进展情况 25%", "（二）小学生校内课后服务工程"]. */
  path: string[];
  /** Verbatim from the document: a contiguous span of the cited task's text. */
  quote: string;
  /** Internal: which document and chunk, for the "sources" view. Not part of the JSON contract. */
  docId: string;
  chunkId: string;
}

export interface Answer {
  question: string;
  answer: string;
  grounded: boolean;
  citations: Citation[];
  /** How it was composed: "extractive" always works; "llm" when a model answered and passed checks. */
  mode: "extractive" | "llm";
  language: "zh" | "en";
}

/** The contract of `ask --json`, in its field order. */
export function toJson(a: Answer): { question: string; answer: string; grounded: boolean; citations: Omit<Citation, "docId" | "chunkId">[] } {
  return {
    question: a.question,
    answer: a.answer,
    grounded: a.grounded,
    citations: a.citations.map(({ ref, district, year, title, task, path, quote, label }) => ({ ref, district, year, title, task, path, quote, label })),
  };
}
