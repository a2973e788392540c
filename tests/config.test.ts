import { spawnSync } from "node:child_process";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { ROOT } from "./helpers.js";

describe("configuration", () => {
  it("has working defaults with no environment at all", () => {
    const c = loadConfig({});
    expect(c.openai).toBeUndefined();
    expect(c.telegram).toMatchObject({ mode: "polling", port: 8080, adminIds: [], rateLimitPerMinute: 12 });
    expect(c.docsDir.endsWith("/seeds")).toBe(true);
  });

  it.each([
    [{ OPENAI_BASE_URL: "not a url" }, "OPENAI_BASE_URL"],
    [{ ADMIN_IDS: "alice,bob" }, "ADMIN_IDS"],
    [{ PORT: "-1" }, "PORT"],
    [{ BOT_MODE: "carrier-pigeon" }, "BOT_MODE"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ BOT_MODE: "webhook" }, "WEBHOOK_URL"],
    [{ PORT: "99999" }, "PORT"],
    [{ PORT: "0" }, "PORT"],
    [{ HOST: "every interface" }, "HOST"],
    [{ REDIS_URL: "http://127.0.0.1:6379" }, "REDIS_URL"],
    [{ MAX_UPDATES_IN_FLIGHT: "0" }, "MAX_UPDATES_IN_FLIGHT"],
  ])("rejects %o naming the variable", (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it("stops a command at start with a clear message, not a crash later", () => {
    const r = spawnSync("npm", ["run", "--silent", "ask", "--", "托育"], { cwd: ROOT, env: { ...process.env, PORT: "eighty" }, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("配置有误，请检查环境变量");
    expect(r.stderr).toContain("  PORT 的值不对");
    expect(r.stderr).not.toMatch(/\n\s+at /u);
    // People read which values are allowed, in Chinese; the log keeps the English detail.
    const level = spawnSync("npm", ["run", "--silent", "ask", "--", "托育"], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "loud" }, encoding: "utf8", timeout: 60_000 });
    expect(level.stderr).toContain("LOG_LEVEL 只能是 fatal、error、warn、info、debug、trace、silent 之一");
    expect(level.stderr).not.toContain("invalid configuration");
  });

  it("names an unknown LOG_LEVEL instead of printing the logger's stack", () => {
    const r = spawnSync("npm", ["run", "--silent", "ask", "--", "托育"], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "verbose" }, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("LOG_LEVEL");
    expect(r.stderr).not.toMatch(/\n\s+at /u);
  });

  it("binds the webhook to loopback unless HOST says otherwise, and reads REDIS_URL", () => {
    expect(loadConfig({}).telegram.host).toBe("127.0.0.1");
    expect(loadConfig({ HOST: "0.0.0.0" }).telegram.host).toBe("0.0.0.0");
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: "redis://127.0.0.1:6379/2" }).redisUrl).toBe("redis://127.0.0.1:6379/2");
  });
});

describe("the one-way flow of stages", () => {
  const eslint = new ESLint({ cwd: ROOT });
  const lint = async (file: string, code: string) => (await eslint.lintText(code, { filePath: `${ROOT}/${file}` }))[0]!.messages.map((m) => m.ruleId);

  it.each([
    ["src/ingest/x.ts", 'import { tokenize } from "../index/tokenizer.js";\nexport const x = tokenize;\n'],
    ["src/retrieve/x.ts", 'import { composeExtractive } from "../answer/extractive.js";\nexport const x = composeExtractive;\n'],
    ["src/answer/x.ts", 'import { Bot } from "grammy";\nexport const x = Bot;\n'],
    ["src/chat/x.ts", 'import { ChatOpenAI } from "@langchain/openai";\nexport const x = ChatOpenAI;\n'],
  ])("forbids %s importing to its right", async (file, code) => {
    expect(await lint(file, code)).toContain("no-restricted-imports");
  });

  it("allows importing to the left", async () => {
    expect(await lint("src/answer/x.ts", 'import { tokenize } from "../index/tokenizer.js";\nexport const x = tokenize;\n')).toEqual([]);
  });
});
