import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../redis-server.js";
import { copyFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "../helpers.js";
import { spawnServe, stopSpawned } from "./server-helpers.js";

afterEach(stopSpawned);

describe("npm run serve", () => {
  it("serves on the configured loopback port and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const { child, stderr, exited } = await spawnServe(port);
    expect(stderr()).toContain(`问答服务已启动：http://127.0.0.1:${port}（已收录 5 份文件；Ctrl-C 停止）`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", documents: 5 });
    const a = (await (await fetch(`http://127.0.0.1:${port}/api/ask`, { method: "POST", body: JSON.stringify({ question: "长宁区小学课后服务到几点结束？" }) })).json()) as {
      citations: { task: string; district: string }[];
    };
    expect(a.citations[0]).toMatchObject({ task: "048", district: "长宁区" });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);

  it("answers from a document ingested while it runs, within seconds, without a restart", async () => {
    const docs = tempDir("epb-serve-docs-");
    for (const f of readdirSync(join(ROOT, "seeds"))) copyFileSync(join(ROOT, "seeds", f), join(docs, f));
    const port = await freePort();
    const { child, exited } = await spawnServe(port, { DOCS_DIR: docs });
    writeFileSync(join(docs, "jiading2024.txt"), "2024年嘉定区教育局工作要点\n一、办好人民满意的教育\n1. 全区公办小学课后服务延长至18:30。（牵头单位：基础教育科）\n2. 新增托班学位600个。\n");
    let documents = 5;
    for (let i = 0; i < 60 && documents < 6; i++) {
      await new Promise((r) => setTimeout(r, 500));
      documents = ((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { documents: number }).documents;
    }
    expect(documents).toBe(6);
    const a = (await (await fetch(`http://127.0.0.1:${port}/api/ask`, { method: "POST", body: JSON.stringify({ question: "嘉定新增托班学位多少个？" }) })).json()) as { answer: string };
    expect(a.answer.split("\n")[0]).toBe("600个〔嘉定2024·第2项〕");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 90_000);

  it("says in Chinese when the port is taken, and exits non-zero", async () => {
    const port = await freePort();
    const first = await spawnServe(port);
    const second = await spawnServe(port);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`端口 ${port} 已被占用（127.0.0.1），请用 PORT 换一个端口。`);
    expect(second.stderr()).not.toMatch(/\n\s+at /u);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  }, 60_000);
});
