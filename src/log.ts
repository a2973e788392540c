/**
 * One structured logger for the whole program. Logs go to stderr so that stdout stays the
 * program's output (one JSON object per line for `ask --json`). Quiet unless asked: the CLI
 * defaults to warnings, the bot to info.
 */
import { pino, type Logger } from "pino";

let root: Logger | undefined;

/** Keeps secrets out of every log line, whatever the caller passes. */
const REDACT = ["token", "apiKey", "*.token", "*.apiKey", "config.telegram.token", "config.openai.apiKey"];

export function initLogger(level: string | undefined, fallback = "warn"): Logger {
  // An unknown level (LOG_LEVEL=verbose) must not throw here: the logger is needed to report that
  // very configuration error, which names the variable instead of printing pino's stack.
  const known = level !== undefined && (level === "silent" || level in pino.levels.values);
  root = pino(
    { level: known ? level : fallback, redact: { paths: REDACT, censor: "[redacted]" }, base: undefined },
    pino.destination({ fd: 2, sync: true }),
  );
  return root;
}

export function log(): Logger {
  return root ?? initLogger(process.env.LOG_LEVEL, "warn");
}

/** Removes a bot token from any text (grammY error messages contain the request URL). */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join("[redacted]");
  return out.replace(/bot\d+:[A-Za-z0-9_-]{20,}/gu, "bot[redacted]");
}
