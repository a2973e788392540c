/** What every command shares: one error boundary that speaks Chinese to people and English to the log. */
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config.js";
import { IngestError } from "../ingest/read.js";
import { DocsDirError, IndexDirError } from "../index/builds.js";
import { log } from "../log.js";
import { cliText, ingestErrorText, servingText } from "../messages.js";

/** Thrown by a command that has already told the person what went wrong. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function describeError(e: unknown): string | undefined {
  if (e instanceof IngestError) return ingestErrorText[e.code](e.file);
  if (e instanceof ConfigError) return cliText.configError(e.problems.length > 0 ? e.problems.map(cliText.configProblem).join("\n") : e.message);
  if (e instanceof UsageError) return e.message;
  if (e instanceof DocsDirError) return e.code === "missing" ? servingText.docsDirMissing(e.dir) : servingText.docsDirNotFolder(e.dir);
  if (e instanceof IndexDirError) return servingText.indexDirUnwritable(e.dir, servingText.why[e.code] ?? servingText.whyOther(e.code));
  return undefined;
}

export async function runCli(main: (argv: string[]) => Promise<void>): Promise<void> {
  // A closed pipe (`… | head`) is the reader's choice, not our failure.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
  });
  try {
    await main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    const known = describeError(e);
    if (known) {
      log().info({ error: (e as Error).message }, "command refused its input");
      process.stderr.write(`${known}\n`);
      process.exitCode = 1;
      return;
    }
    log().error({ err: e }, "unexpected failure");
    process.stderr.write(`${cliText.unexpected}\n`);
    process.exitCode = 2;
  }
}

/**
 * A command whose own errors (an unknown option, a bad value) reach people in Chinese; the
 * reason a value was refused (our own message) is kept.
 */
export function command(name: string): Command {
  return new Command(name).exitOverride().configureOutput({ outputError: (text, write) => write(`${commanderInChinese(text.trim())}\n`) });
}

function commanderInChinese(text: string): string {
  const unknown = /^error: unknown option '([^']+)'/u.exec(text);
  if (unknown) return cliText.unknownOption(unknown[1]!);
  const invalid = /^error: option '([^']+)' argument '([^']*)' is invalid\.\s*(.*)$/su.exec(text);
  if (invalid) return cliText.invalidOption(invalid[1]!, invalid[2]!, invalid[3]!);
  const missing = /^error: option '([^']+)' argument missing/u.exec(text);
  if (missing) return cliText.optionNeedsValue(missing[1]!);
  if (/^error: too many arguments/u.test(text)) return cliText.tooManyArguments;
  return text;
}
