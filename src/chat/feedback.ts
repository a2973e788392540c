/**
 * An append-only JSON-lines log of what was asked and how answers were rated, and the counts
 * `/stats` shows. One line per event; a crash loses at most the line being written.
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";

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

export class FeedbackLog {
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
    const s: Stats = { questions: 0, grounded: 0, up: 0, down: 0, top: [] };
    const asked = new Map<string, number>();
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      let e: LogEvent;
      try {
        e = JSON.parse(line) as LogEvent;
      } catch {
        continue; // a torn last line
      }
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
}
