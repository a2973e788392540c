/**
 * Every setting in one place, read from the environment and validated at start: a wrong value
 * is a clear error naming the variable, not a crash later.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** The folder holding our package.json: the same answer from src/, dist/ and dist/chunks/. */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "edu-plan-bot") return dir;
    if (dirname(dir) === dir) return resolve(from, "..");
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const positiveInt = (def: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(def));

const schema = z.object({
  DOCS_DIR: z.preprocess(emptyToUndefined, z.string().default("seeds")),
  INDEX_DIR: z.preprocess(emptyToUndefined, z.string().default("vector-store")),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  ),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  OPENAI_MODEL: z.preprocess(emptyToUndefined, z.string().default("gpt-4o-mini")),
  OPENAI_EMBEDDING_MODEL: optionalString,
  OPENAI_TIMEOUT_MS: positiveInt(20_000),
  BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: z.preprocess(emptyToUndefined, z.url().optional()),
  BOT_MODE: z.preprocess(emptyToUndefined, z.enum(["polling", "webhook"]).default("polling")),
  WEBHOOK_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  WEBHOOK_SECRET: optionalString,
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535, "a TCP port, 1–65535").default(8080)),
  // Loopback by default: a webhook behind a reverse proxy needs nothing more; HOST=0.0.0.0 listens on every interface.
  HOST: z.preprocess(emptyToUndefined, z.string().regex(/^[\w.:-]+$/u, "an address to listen on, e.g. 127.0.0.1 or 0.0.0.0").default("127.0.0.1")),
  REDIS_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^rediss?$/u, error: "a redis:// or rediss:// URL" }).optional()),
  MAX_UPDATES_IN_FLIGHT: positiveInt(64),
  // The address people reach the server at: citations link to its document pages.
  PUBLIC_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/u }).optional()),
  API_KEYS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((s) => s.split(",").map((k) => k.trim()).filter((k) => k.length > 0))
      .refine((keys) => keys.every((k) => k.length >= 16), "each key needs at least 16 characters")
      .default([]),
  ),
  ADMIN_IDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/u, "a comma-separated list of Telegram user ids")
      .transform((s) => s.split(",").map((x) => Number(x.trim())))
      .default([]),
  ),
  RATE_LIMIT_PER_MINUTE: positiveInt(12),
  FEEDBACK_LOG: z.preprocess(emptyToUndefined, z.string().default("var/feedback.jsonl")),
  // 企业微信 self-built app: all five or none (checked below). Messages never echo the values: they are secrets.
  WECOM_CORP_ID: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{1,64}$/u, "the 企业ID (CorpID), e.g. ww0123456789abcdef").optional()),
  WECOM_AGENT_ID: z.preprocess(emptyToUndefined, z.string().regex(/^\d{1,12}$/u, "the app's AgentId, a number").optional()),
  WECOM_SECRET: z.preprocess(emptyToUndefined, z.string().regex(/^\S{8,256}$/u, "the app's Secret").optional()),
  // The console allows letters and digits, at most 32 of them.
  WECOM_TOKEN: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9]{1,32}$/u, "the callback Token: letters and digits, at most 32").optional()),
  // 43 base64 characters that decode to the 32-byte AES key (the console generates it).
  WECOM_AES_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((k) => /^[A-Za-z0-9+/]{43}$/u.test(k) && Buffer.from(`${k}=`, "base64").length === 32, "the callback EncodingAESKey: 43 letters and digits")
      .optional(),
  ),
  WECOM_API_ROOT: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/u }).default("https://qyapi.weixin.qq.com")),
});

export interface Config {
  docsDir: string;
  indexDir: string;
  logLevel: string | undefined;
  openai?: {
    apiKey: string;
    baseURL?: string;
    model: string;
    embeddingModel?: string;
    timeoutMs: number;
  };
  telegram: {
    token?: string;
    apiRoot?: string;
    mode: "polling" | "webhook";
    webhookUrl?: string;
    webhookSecret?: string;
    port: number;
    host: string;
    /** Updates handled at once; past it, fetching (polling) or accepting (webhook: 503) waits. */
    maxInFlight: number;
    adminIds: number[];
    rateLimitPerMinute: number;
  };
  /** `npm run serve`. */
  server: {
    host: string;
    port: number;
    /** Without a trailing slash: "https://edu.example.cn". */
    publicUrl?: string;
    /** Empty: the API is open. */
    apiKeys: string[];
    rateLimitPerMinute: number;
  };
  feedbackLog: string;
  /** Shared state (chats, answers, counters, feedback) in Redis; in memory without it. */
  redisUrl?: string;
  /** The 企业微信 channel at /wecom/callback on `npm run serve`; set when the WECOM_* variables are. */
  wecom?: {
    corpId: string;
    agentId: number;
    secret: string;
    token: string;
    aesKey: string;
    /** Without a trailing slash: "https://qyapi.weixin.qq.com". */
    apiRoot: string;
  };
}

const WECOM_REQUIRED = ["WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_AES_KEY"] as const;

/** One thing wrong with the configuration, as data: the log says it in English, people read it in Chinese. */
export interface ConfigProblem {
  variable: string;
  /** choice: one of `values`; needs: set together with `needs`; value: any other bad value. */
  kind: "choice" | "needs" | "value";
  values?: string[];
  needs?: string[];
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    message: string,
    readonly problems: ConfigProblem[] = [],
  ) {
    super(message);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    const problems = parsed.error.issues.map((i): ConfigProblem => {
      const values = "values" in i && Array.isArray(i.values) ? i.values.map(String) : undefined;
      return values ? { variable: i.path.join("."), kind: "choice", values } : { variable: i.path.join("."), kind: "value" };
    });
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`, problems);
  }
  const e = parsed.data;
  if (e.BOT_MODE === "webhook" && (!e.WEBHOOK_URL || !e.WEBHOOK_SECRET)) {
    throw new ConfigError("invalid configuration:\n  BOT_MODE=webhook needs WEBHOOK_URL and WEBHOOK_SECRET", [{ variable: "BOT_MODE", kind: "needs", needs: ["WEBHOOK_URL", "WEBHOOK_SECRET"] }]);
  }
  const wecomSet = WECOM_REQUIRED.filter((k) => e[k] !== undefined);
  if (wecomSet.length > 0 && wecomSet.length < WECOM_REQUIRED.length) {
    const missing = WECOM_REQUIRED.filter((k) => e[k] === undefined);
    throw new ConfigError(`invalid configuration:\n  the 企业微信 channel needs ${missing.join(", ")} as well (or none of ${WECOM_REQUIRED.join(", ")})`, [
      { variable: wecomSet.join("、"), kind: "needs", needs: missing },
    ]);
  }
  const root = (p: string) => resolve(PROJECT_ROOT, p);
  return {
    docsDir: root(e.DOCS_DIR),
    indexDir: root(e.INDEX_DIR),
    logLevel: e.LOG_LEVEL,
    ...(e.OPENAI_API_KEY
      ? {
          openai: {
            apiKey: e.OPENAI_API_KEY,
            ...(e.OPENAI_BASE_URL ? { baseURL: e.OPENAI_BASE_URL } : {}),
            model: e.OPENAI_MODEL,
            ...(e.OPENAI_EMBEDDING_MODEL ? { embeddingModel: e.OPENAI_EMBEDDING_MODEL } : {}),
            timeoutMs: e.OPENAI_TIMEOUT_MS,
          },
        }
      : {}),
    telegram: {
      ...(e.BOT_TOKEN ? { token: e.BOT_TOKEN } : {}),
      ...(e.TELEGRAM_API_ROOT ? { apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/u, "") } : {}),
      mode: e.BOT_MODE,
      ...(e.WEBHOOK_URL ? { webhookUrl: e.WEBHOOK_URL } : {}),
      ...(e.WEBHOOK_SECRET ? { webhookSecret: e.WEBHOOK_SECRET } : {}),
      port: e.PORT,
      host: e.HOST,
      maxInFlight: e.MAX_UPDATES_IN_FLIGHT,
      adminIds: e.ADMIN_IDS,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    },
    server: {
      host: e.HOST,
      port: e.PORT,
      ...(e.PUBLIC_URL ? { publicUrl: e.PUBLIC_URL.replace(/\/+$/u, "") } : {}),
      apiKeys: e.API_KEYS,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    },
    feedbackLog: root(e.FEEDBACK_LOG),
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
    ...(e.WECOM_CORP_ID && e.WECOM_AGENT_ID && e.WECOM_SECRET && e.WECOM_TOKEN && e.WECOM_AES_KEY
      ? {
          wecom: {
            corpId: e.WECOM_CORP_ID,
            agentId: Number(e.WECOM_AGENT_ID),
            secret: e.WECOM_SECRET,
            token: e.WECOM_TOKEN,
            aesKey: e.WECOM_AES_KEY,
            apiRoot: e.WECOM_API_ROOT.replace(/\/+$/u, ""),
          },
        }
      : {}),
  };
}
