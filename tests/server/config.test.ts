import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { ROOT } from "../helpers.js";

describe("server configuration", () => {
  it("listens on loopback port 8080, with no public URL and no keys, by default", () => {
    expect(loadConfig({}).server).toEqual({ host: "127.0.0.1", port: 8080, apiKeys: [], rateLimitPerMinute: 12 });
  });

  it("reads HOST, PORT, PUBLIC_URL (without its trailing slash) and comma-separated API_KEYS", () => {
    const c = loadConfig({ HOST: "0.0.0.0", PORT: "3000", PUBLIC_URL: "https://edu.example.cn/qa/", API_KEYS: " key-aaaaaaaaaaaaaaaa , key-bbbbbbbbbbbbbbbb ,", RATE_LIMIT_PER_MINUTE: "30" });
    expect(c.server).toEqual({ host: "0.0.0.0", port: 3000, publicUrl: "https://edu.example.cn/qa", apiKeys: ["key-aaaaaaaaaaaaaaaa", "key-bbbbbbbbbbbbbbbb"], rateLimitPerMinute: 30 });
    expect(c.telegram.port).toBe(3000);
  });

  it.each([
    [{ PORT: "0" }, "PORT"],
    [{ PORT: "65536" }, "PORT"],
    [{ PORT: "99999" }, "PORT"],
    [{ PORT: "80.5" }, "PORT"],
    [{ PUBLIC_URL: "edu.example.cn" }, "PUBLIC_URL"],
    [{ PUBLIC_URL: "javascript:alert(1)" }, "PUBLIC_URL"],
    [{ PUBLIC_URL: "ftp://edu.example.cn" }, "PUBLIC_URL"],
    [{ API_KEYS: "short" }, "API_KEYS"],
  ])("rejects %o naming the variable", (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it("accepts the ends of the port range", () => {
    expect(loadConfig({ PORT: "1" }).server.port).toBe(1);
    expect(loadConfig({ PORT: "65535" }).server.port).toBe(65535);
  });
});

describe("src/server in the one-way flow", () => {
  const eslint = new ESLint({ cwd: ROOT });
  const lint = async (file: string, code: string) => (await eslint.lintText(code, { filePath: `${ROOT}/${file}` }))[0]!.messages.map((m) => m.ruleId);

  it.each([
    ["src/server/x.ts", "../bot/bot.js"],
    ["src/server/x.ts", "../cli/common.js"],
    ["src/server/x.ts", "grammy"],
    ["src/chat/x.ts", "../server/app.js"],
    ["src/bot/x.ts", "../server/app.js"],
    ["src/config.ts", "./server/app.js"],
  ])("forbids %s importing %s", async (file, from) => {
    expect(await lint(file, `import * as m from "${from}";\nexport const x = m;\n`)).toContain("no-restricted-imports");
  });

  it("lets the server use the chat engine and below, and the commands start it", async () => {
    expect(await lint("src/server/x.ts", 'import { ChatEngine } from "../chat/engine.js";\nimport { citationLabel } from "../ingest/cite.js";\nexport const x = [ChatEngine, citationLabel];\n')).toEqual([]);
    expect(await lint("src/cli/x.ts", 'import { createApp } from "../server/app.js";\nexport const x = createApp;\n')).toEqual([]);
  });
});
