/**
 * The conversation, apart from any surface: a chat's message plus its recent context in, a reply
 * out (text, citations, buttons as plain data). Knows nothing of Telegram or terminals.
 */
import { randomBytes } from "node:crypto";
import type { Answerer } from "../answer/answerer.js";
import type { Answer, Citation } from "../answer/types.js";
import { citationLabel } from "../ingest/cite.js";
import type { PlanDocument, Task } from "../ingest/types.js";
import { taskOrdinal } from "../ingest/markers.js";
import { districtsNamedIn } from "../ingest/metadata.js";
import { yearsNamedIn } from "../retrieve/understand.js";
import { chatText as T } from "../messages.js";
import { MemoryStore } from "../store/memory.js";
import type { Store } from "../store/store.js";
import { docKey, encodeButton } from "./buttons.js";

/** What a chat remembers between messages: enough for "那闵行呢？" and "牵头部门是谁？". */
export interface ChatContext {
  lastQuestion?: string;
  /** The task the last answer cited first. */
  lastTask?: { docId: string; number: string };
}

export interface Button {
  text: string;
  /** Short, opaque: the details stay server-side (Telegram allows 64 bytes). */
  data: string;
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

export class ChatEngine {
  /**
   * Answers are kept in the store (shared by every bot process with Redis) under random ids: an id
   * cannot be guessed, so nobody opens another person's sources or votes on answers they never saw.
   */
  constructor(
    private answerer: Answerer,
    private readonly store: Store = new MemoryStore(),
  ) {}

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
    const question = this.resolveFollowUp(truncated ? text.slice(0, MAX_QUESTION_CHARS) : text, context);
    const { answer } = await this.answerer.answer(question);
    const reply = await this.answerReply(question, answer);
    if (truncated) reply.text = `${T.truncated(MAX_QUESTION_CHARS)}\n\n${reply.text}`;
    const first = answer.citations[0];
    return {
      reply,
      context: {
        lastQuestion: question,
        ...(first ? { lastTask: { docId: first.docId, number: first.task } } : context.lastTask ? { lastTask: context.lastTask } : {}),
      },
    };
  }

  /** The sources behind an answer: each citation with its full label and quote. */
  async sources(answerId: string): Promise<Reply> {
    const stored = await this.storedAnswer(answerId);
    if (!stored) return notice(T.sourcesGone);
    const lines = stored.answer.citations.map((c, i) => `${i + 1}. ${c.ref}\n《${c.title}》${c.path.length ? `\n${c.path.join(" › ")}` : ""}\n“${c.quote}”`);
    return { kind: "sources", text: `${T.sourcesTitle}\n\n${lines.join("\n\n")}`, citations: stored.answer.citations, buttons: [] };
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

  /**
   * "那闵行呢？" asks the last question of another district (or year); "牵头部门是谁？" asks about
   * the task the last answer cited. Anything else is a question of its own.
   */
  resolveFollowUp(text: string, context: ChatContext): string {
    const last = context.lastQuestion;
    // A message that names its own task is a question of its own, however short.
    if (/\d{1,3}\s*项|第\s*\d/u.test(text)) return text;
    if (last && text.length <= 12 && /^(那|那么)?.{1,8}(呢|怎么样|如何)[？?]?$/u.test(text)) {
      const district = districtsNamedIn(text)[0];
      const year = yearsNamedIn(text)[0];
      if (district || year) {
        let q = last;
        if (district) {
          const old = districtsNamedIn(q)[0];
          q = old ? q.replace(new RegExp(`${old.short}(区|新区)?`, "u"), district.name) : `${district.name}${q}`;
        }
        if (year) {
          const old = yearsNamedIn(q)[0];
          q = old ? q.replace(String(old), String(year)) : `${year}年${q}`;
        }
        return q;
      }
    }
    const namesPlace = districtsNamedIn(text).length > 0 || yearsNamedIn(text).length > 0;
    if (context.lastTask && !namesPlace && text.length <= 14 && /牵头|负责|谁管|哪个部门|哪个科室|联系人|电话|进展|完成率|困难/u.test(text) && !/\p{Script=Han}{2,}(工作|项目|计划|教育)/u.test(text)) {
      const doc = this.documents.find((d) => d.id === context.lastTask!.docId);
      if (doc) return `${doc.district}${doc.year}年第${context.lastTask.number}项${text}`;
    }
    return text;
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
    const lines = this.documents.map((d) => `• ${d.district} ${d.year}${d.period ?? ""}《${d.title}》${T.taskCount(d.tasks.length, d.genre)}`);
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
    const district = districtsNamedIn(rest)[0]?.name;
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
        buttons: matches.slice(0, 6).map(({ d, t }) => [{ text: `${d.district} ${d.year}${d.period ?? ""} 第${t.number}项`, data: encodeButton({ kind: "task", doc: docKey(d.id), number: t.number }) }]),
      };
    }
    return this.taskReply(matches[0]!.d.id, matches[0]!.t.number);
  }

  taskReply(docId: string, number: string): Reply {
    const doc = this.documents.find((d) => d.id === docId);
    const task = doc?.tasks.find((t) => t.number === number);
    if (!doc || !task) return notice(T.taskNotFound(number));
    return { kind: "task", text: renderTask(doc, task), citations: [], buttons: [], task: { docId, number } };
  }
}

function notice(text: string): Reply {
  return { kind: "notice", text, citations: [], buttons: [] };
}

export function renderTask(doc: PlanDocument, task: Task): string {
  const lines = [`${citationLabel(doc, task.number, [], task.passage)}《${doc.title}》`, task.section ? `${task.section}` : "", task.text];
  const leads = [...new Set(task.leadDepartments.map((l) => l.department))];
  if (leads.length > 0) lines.push(`${T.leads}${leads.join("、")}`);
  return lines.filter((l) => l.length > 0).join("\n");
}
