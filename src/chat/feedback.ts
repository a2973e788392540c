/**
 * An append-only log of what was asked and how answers were rated, and the counts `/stats` shows:
 * a JSON-lines file for one process, or a list in the shared store when several processes answer
 * as one bot (REDIS_URL).
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Store } from "../store/store.js";

export type LogEvent =
  | { kind: "asked"; at: string; chat: number; question: string; grounded: boolean; refs: string[] }
  | { kind: "feedback"; at: string; chat: number; user: number; vote: "up" | "down"; question: string; refs: string[] };

export interface Stats {
  questions: number;
  grounded: number;
  up: number;
  down: number;
  top: { question: string; count: number }[];
}

export interface FeedbackLog {
  append(event: LogEvent): Promise<void>;
  stats(topN?: number): Promise<Stats>;
}

/** One line per event; a crash loses at most the line being written. */
export class FileFeedbackLog implements FeedbackLog {
  constructor(private readonly file: string) {}

  async append(event: LogEvent): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(event)}\n`, "utf8");
  }

  async stats(topN = 5): Promise<Stats> {
    let text = "";
    try {
      text = await readFile(this.file, "utf8");
    } catch {
      // No log yet: nothing asked.
    }
    const events = text.split("\n").flatMap((line) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as LogEvent];
      } catch {
        return []; // a torn last line
      }
    });
    return statsOf(events, topN);
  }
}

/** The newest events are kept; /stats counts over them. */
const STORE_LOG_MAX = 100_000;

export class StoreFeedbackLog implements FeedbackLog {
  constructor(private readonly store: Store) {}

  append(event: LogEvent): Promise<void> {
    return this.store.append("feedback", event, STORE_LOG_MAX);
  }

  async stats(topN = 5): Promise<Stats> {
    return statsOf(await this.store.entries<LogEvent>("feedback"), topN);
  }
}

function statsOf(events: readonly LogEvent[], topN: number): Stats {
  const s: Stats = { questions: 0, grounded: 0, up: 0, down: 0, top: [] };
  const asked = new Map<string, number>();
  for (const e of events) {
    if (e.kind === "asked") {
      s.questions++;
      if (e.grounded) s.grounded++;
      asked.set(e.question, (asked.get(e.question) ?? 0) + 1);
    } else if (e.kind === "feedback") {
      if (e.vote === "up") s.up++;
      else s.down++;
    }
  }
  s.top = [...asked.entries()].sort((a, b) => b[1] - a[1]).slice(0, topN).map(([question, count]) => ({ question, count }));
  return s;
}
