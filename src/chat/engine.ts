/**
 * The conversation, apart from any surface: a chat's message plus its recent context in, a reply
 * out (text, citations, buttons as plain data). Knows nothing of Telegram or terminals.
 */
import { randomBytes } from "node:crypto";
import type { Answerer } from "../answer/answerer.js";
import type { Answer, Citation } from "../answer/types.js";
import { citationLabel, itemName, taskLabel } from "../ingest/cite.js";
import { unitsOf } from "../ingest/annotations.js";
import { taskUrl } from "./links.js";
import { citableParts, type PlanDocument, type Task } from "../ingest/types.js";
import { taskOrdinal } from "../ingest/markers.js";
import { placesNamedIn, yearsNamedIn } from "../retrieve/understand.js";
import { resolveFollowUp, type LastQuestion } from "../retrieve/followup.js";
import { bookTitle, chatText as T, serverText } from "../messages.js";
import { foundTooLittle, type RetrievalResult } from "../retrieve/retriever.js";
import { MemoryStore } from "../store/memory.js";
import type { Store } from "../store/store.js";
import { docKey, encodeButton } from "./buttons.js";

/** What a chat remembers between messages: enough for "那闵行呢？" and "牵头部门是谁？". */
export interface ChatContext {
  /** The last question as answered, what it asked, and the task its answer cited first. */
  last?: LastQuestion;
  /** The task the last answer cited first, for /task with no arguments. */
  lastTask?: { docId: string; number: string };
}

export interface Button {
  text: string;
  /** Short, opaque: the details stay server-side (Telegram allows 64 bytes). */
  data: string;
  /** A link to open instead (a task on its document page, with PUBLIC_URL). */
  url?: string;
}

export type ReplyKind = "answer" | "refusal" | "help" | "about" | "task" | "sources" | "notice";

export interface Reply {
  kind: ReplyKind;
  text: string;
  citations: Citation[];
  /** Rows of buttons. */
  buttons: Button[][];
  /** Set for answers: the id the sources and feedback buttons refer to. */
  answerId?: string;
  /** The question actually answered (after follow-up resolution). */
  question?: string;
  answer?: Answer;
  /** What retrieval found behind the answer (for scoring and the sources view). */
  retrieval?: RetrievalResult;
  /** Set for a task's full text: which task, so a surface can offer it in parts. */
  task?: { docId: string; number: string };
}

export interface StoredAnswer {
  question: string;
  answer: Answer;
}

/** Longest message we read; longer ones are cut at this length (and the reply says so). */
export const MAX_QUESTION_CHARS = 500;
/** How long the buttons under an answer keep working. */
export const ANSWER_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** A follow-up this short may leave its subject to the last question ("几个人拿到了？"). */
const ELLIPSIS_CHARS = 16;

export class ChatEngine {
  /**
   * Answers are kept in the store (shared by every bot process with Redis) under random ids: an id
   * cannot be guessed, so nobody opens another person's sources or votes on answers they never saw.
   */
  constructor(
    private answerer: Answerer,
    private readonly store: Store = new MemoryStore(),
    /** Where document pages are served (PUBLIC_URL): citations then open as links. */
    private readonly publicUrl?: string,
  ) {}

  /** The answerer in use now (replaced when the index is). */
  get currentAnswerer(): Answerer {
    return this.answerer;
  }

  /** Swaps in an answerer over a new index (documents added or removed) without dropping chats. */
  replaceAnswerer(answerer: Answerer): void {
    this.answerer = answerer;
  }

  get documents(): readonly PlanDocument[] {
    return this.answerer.index.documents;
  }

  examples(): string[] {
    return T.examples;
  }

  storedAnswer(id: string): Promise<StoredAnswer | undefined> {
    return this.store.get<StoredAnswer>(`answer:${id}`);
  }

  /** A text message (or command) in, a reply and the chat's new context out. */
  async handle(message: string, context: ChatContext = {}): Promise<{ reply: Reply; context: ChatContext }> {
    const text = message.replace(/\s+/gu, " ").trim();
    if (text.length === 0) return { reply: notice(T.empty), context };
    const command = /^\/(\w+)(?:@\w+)?\s*(.*)$/u.exec(text);
    if (command) return { reply: this.command(command[1]!.toLowerCase(), command[2] ?? "", context), context };

    const truncated = text.length > MAX_QUESTION_CHARS;
    const { question, answer, retrieval } = await this.answerInContext(truncated ? text.slice(0, MAX_QUESTION_CHARS) : text, context.last);
    const reply = { ...(await this.answerReply(question, answer)), retrieval };
    if (truncated) reply.text = `${T.truncated(MAX_QUESTION_CHARS)}\n\n${reply.text}`;
    const first = answer.citations[0];
    const task = first ? { district: first.district, year: first.year, number: first.task } : context.last?.task;
    return {
      reply,
      context: {
        last: { question, asks: retrieval.query.asks, ...(task ? { task } : {}) },
        ...(first ? { lastTask: { docId: first.docId, number: first.task } } : context.lastTask ? { lastTask: context.lastTask } : {}),
      },
    };
  }

  /** The sources behind an answer: each citation with its full label and quote. */
  async sources(answerId: string): Promise<Reply> {
    const stored = await this.storedAnswer(answerId);
    if (!stored) return notice(T.sourcesGone);
    const lines = stored.answer.citations.map((c, i) => `${i + 1}. ${c.ref}\n${bookTitle(c.title)}${c.path.length ? `\n${c.path.join(" › ")}` : ""}\n“${c.quote}”`);
    return { kind: "sources", text: `${T.sourcesTitle}\n\n${lines.join("\n\n")}`, citations: stored.answer.citations, buttons: this.fullTextButtons(stored.answer.citations) };
  }

  /**
   * One button per cited task to read it whole: with PUBLIC_URL a link to the task on its
   * document page, else a button that sends the task's text into the chat. Surfaces without
   * buttons (企业微信) write the links into the text.
   */
  fullTextButtons(citations: readonly Citation[]): Button[][] {
    const seen = new Set<string>();
    const rows: Button[][] = [];
    for (const c of citations) {
      const doc = this.documents.find((d) => d.id === c.docId);
      if (!doc || seen.has(`${c.docId}#${c.task}`)) continue;
      seen.add(`${c.docId}#${c.task}`);
      const passage = citableParts(doc).find((t) => t.number === c.task)?.passage;
      const label = `${doc.district}${doc.year}${doc.period ?? ""} ${taskLabel(doc, c.task, passage)}`;
      rows.push([
        this.publicUrl
          ? { text: `${serverText.readFull}：${label}`, data: "", url: taskUrl(this.publicUrl, c.docId, c.task) }
          : { text: `${serverText.fullText}：${label}`, data: encodeButton({ kind: "fullTask", doc: docKey(c.docId), number: c.task }) },
      ]);
    }
    return rows;
  }

  /**
   * The message read against the conversation (a follow-up takes the last question's place,
   * year or task). A full question the conversation's scope leaves unanswered ("教育信息化由哪个
   * 部门牵头？" after a question on 长宁, whose documents name no leads) is answered as asked.
   */
  private async answerInContext(message: string, last: LastQuestion | undefined) {
    const question = resolveFollowUp(message, last, this.answerer.retriever.catalog);
    const inContext = await this.answerer.answer(question);
    if (inContext.answer.grounded) return { question, ...inContext };
    const asAsked = question === message ? inContext : await this.answerer.answer(message);
    if (asAsked.answer.grounded) return { question: message, ...asAsked };
    // "几个人拿到了？" after a question on teachers' awards: an ellipsis that only the last
    // question's subject completes. Read together, the two are one question. A message that names
    // a subject of its own (夏令营有几个？) is no ellipsis, whether or not the documents speak of it.
    // A message the last question's place or year was swapped into ("那青浦呢？") was read against it already.
    const swapped = question !== message && (asAsked.retrieval.query.districts.length > 0 || asAsked.retrieval.query.years.length > 0);
    const ellipsis = foundTooLittle(asAsked.retrieval) && !asAsked.retrieval.query.topicWords && !swapped;
    if (last && ellipsis && message.length <= ELLIPSIS_CHARS) {
      const together = `${last.question.replace(/[？?。！!\s]+$/u, "")}，${message}`;
      const joined = await this.answerer.answer(together);
      if (joined.answer.grounded) return { question: together, ...joined };
    }
    return { question, ...inContext };
  }

  private async answerReply(question: string, answer: Answer): Promise<Reply> {
    const answerId = await this.remember({ question, answer });
    const buttons: Button[][] = answer.grounded
      ? [
          [{ text: T.sourcesButton, data: encodeButton({ kind: "sources", answerId }) }],
          [
            { text: "👍", data: encodeButton({ kind: "vote", answerId, vote: "up" }) },
            { text: "👎", data: encodeButton({ kind: "vote", answerId, vote: "down" }) },
          ],
        ]
      : [];
    return { kind: answer.grounded ? "answer" : "refusal", text: answer.answer, citations: answer.citations, buttons, answerId, question, answer };
  }

  private async remember(a: StoredAnswer): Promise<string> {
    const id = randomBytes(12).toString("base64url");
    await this.store.set(`answer:${id}`, a, ANSWER_TTL_MS);
    return id;
  }

  private command(name: string, args: string, context: ChatContext): Reply {
    switch (name) {
      case "start":
        return { kind: "help", text: T.start, citations: [], buttons: T.examples.map((q, i) => [{ text: q, data: encodeButton({ kind: "example", index: i }) }]) };
      case "help":
        return { kind: "help", text: T.help, citations: [], buttons: [] };
      case "about":
        return { kind: "about", text: this.about(), citations: [], buttons: [] };
      case "task":
        return this.task(args, context);
      default:
        return notice(T.unknownCommand(name));
    }
  }

  private about(): string {
    const lines = this.documents.map((d) => `• ${d.district} ${d.year}${d.period ?? ""}${bookTitle(d.title)}${T.taskCount(d.tasks.length, d.genre)}`);
    return `${T.aboutTitle(this.documents.length)}\n${lines.join("\n")}`;
  }

  /** `/task 长宁 2023 14`, `/task 043`: the full text of one task with its lead departments. */
  private task(args: string, context: ChatContext): Reply {
    const numberMatch = /(?:第\s*)?0*(\d{1,3})\s*项?\s*$/u.exec(args.trim());
    if (!numberMatch) {
      if (context.lastTask && args.trim() === "") return this.taskReply(context.lastTask.docId, context.lastTask.number);
      return notice(T.taskUsage);
    }
    const n = Number(numberMatch[1]);
    const rest = args.slice(0, numberMatch.index);
    const district = placesNamedIn(rest, this.answerer.retriever.catalog)[0];
    const year = yearsNamedIn(rest)[0] ?? 0;
    const matches = this.documents.flatMap((d) =>
      (!district || d.district === district) && (!year || d.year === year) ? d.tasks.filter((t) => !t.passage && taskOrdinal(t.number) === n).map((t) => ({ d, t })) : [],
    );
    if (matches.length === 0) return notice(T.taskNotFound(args.trim()));
    if (matches.length > 1) {
      return {
        kind: "notice",
        text: T.taskAmbiguous(matches.map(({ d, t }) => citationLabel(d, t.number))),
        citations: [],
        // A short hash of the document's id: stable across reloads, and short (Telegram allows 64 bytes).
        buttons: matches.slice(0, 6).map(({ d, t }) => [{ text: `${d.district} ${d.year}${d.period ?? ""} ${itemName(t.number)}`, data: encodeButton({ kind: "task", doc: docKey(d.id), number: t.number }) }]),
      };
    }
    return this.taskReply(matches[0]!.d.id, matches[0]!.t.number);
  }

  taskReply(docId: string, number: string): Reply {
    const doc = this.documents.find((d) => d.id === docId);
    const task = doc ? citableParts(doc).find((t) => t.number === number) : undefined;
    if (!doc || !task) return notice(T.taskNotFound(number));
    return { kind: "task", text: renderTask(doc, task), citations: [], buttons: [], task: { docId, number } };
  }
}

function notice(text: string): Reply {
  return { kind: "notice", text, citations: [], buttons: [] };
}

export function renderTask(doc: PlanDocument, task: Task): string {
  const lines = [`${citationLabel(doc, task.number, [], task.passage)}${bookTitle(doc.title)}`, task.section ? `${task.section}` : "", task.text];
  const { leading, partners } = unitsOf(task.leadDepartments);
  if (leading.length > 0) lines.push(`${T.leads}${leading.join("、")}`);
  if (partners.length > 0) lines.push(`${T.partners}${partners.join("、")}`);
  return lines.filter((l) => l.length > 0).join("\n");
}
