import { spawnSync } from "node:child_process";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Answerer } from "../../src/answer/answerer.js";
import { ChatEngine } from "../../src/chat/engine.js";
import { loadConfig } from "../../src/config.js";
import { createApp } from "../../src/server/app.js";
import { listen } from "../../src/server/listen.js";
import { CITATION_048, ROOT, seedIndex, tempDir } from "../helpers.js";
import { body, DOC_048, DOC_PLAN_2023, enc, startServer, type TestServer } from "./server-helpers.js";

const PUBLIC_URL = "https://edu.example.cn";
const URL_048 = `${PUBLIC_URL}/documents/%E9%95%BF%E5%AE%812021-%E7%AC%AC048%E9%A1%B9#task-048`;
const KEY_A = "key-aaaaaaaaaaaaaaaa";
const KEY_B = "key-bbbbbbbbbbbbbbbb";

let api: TestServer;
let linked: TestServer;
beforeAll(async () => {
  api = await startServer();
  linked = await startServer({ PUBLIC_URL: `${PUBLIC_URL}/` });
});
afterAll(async () => {
  await api.close();
  await linked.close();
});

/** A request exactly as written, bypassing fetch's URL normalisation (which would resolve "../"). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function expectError(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/u);
  const text = await res.text();
  // Never a stack trace or a file path, whatever went wrong.
  expect(text).not.toMatch(/\n\s+at |\/work\/|node_modules|Error:/u);
  const body = JSON.parse(text) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(String(body.error.message)).toMatch(/\p{Script=Han}/u);
  return body.error;
}

describe("POST /api/ask", () => {
  it("answers a parent's question citing task 048 of 长宁区", async () => {
    const res = await api.post("/api/ask", { question: "长宁区小学课后服务到几点结束？" });
    expect(res.status).toBe(200);
    const a = await body(res);
    expect(Object.keys(a)).toEqual(["question", "answer", "grounded", "citations"]);
    expect(a.grounded).toBe(true);
    expect(a.citations[0]).toEqual(CITATION_048);
  });

  it("gives each citation the url of its task on the document page when PUBLIC_URL is set", async () => {
    const a = await body(await linked.post("/api/ask", { question: "长宁区小学课后服务到几点结束？" }));
    expect(a.citations[0].url).toBe(URL_048);
    expect(Object.keys(a.citations[0])).toEqual(["ref", "district", "year", "title", "task", "path", "quote", "label", "url"]);
  });

  it("applies district, year and top like ask's options", async () => {
    const a = await body(await api.post("/api/ask", { question: "托育", district: "闵行" }));
    expect(a.citations[0]).toMatchObject({ district: "闵行区", year: 2021 });
    const b = await body(await api.post("/api/ask", { question: "课后服务", year: "2023", top: 1 }));
    expect(new Set(b.citations.map((c: { year: number }) => c.year))).toEqual(new Set([2023]));
    const e = await expectError(await api.post("/api/ask", { question: "托育", district: "海淀" }), 400, "unknown_district");
    expect(e).toMatchObject({ field: "district", held: ["长宁区", "闵行区", "青浦区"] });
    expect(e.message).toBe("没有收录“海淀”的文件。已收录：长宁区、闵行区、青浦区。");
  });

  it("says what is wrong with each bad request, with a stable code", async () => {
    const cases: [string, unknown, number, string, string?][] = [
      ["not JSON", "{question:", 400, "bad_json"],
      ["an empty body", "", 400, "bad_json"],
      ["an array", "[]", 400, "bad_json"],
      ["null", "null", 400, "bad_json"],
      ["no question", {}, 400, "missing_field", "question"],
      ["a blank question", { question: "   " }, 400, "missing_field", "question"],
      ["a number for the question", { question: 42 }, 400, "invalid_field", "question"],
      ["a 501-character question", { question: "长".repeat(501) }, 400, "question_too_long", "question"],
      ["top 0", { question: "托育", top: 0 }, 400, "invalid_field", "top"],
      ["top 51", { question: "托育", top: 51 }, 400, "invalid_field", "top"],
      ["a fractional year", { question: "托育", year: 2021.5 }, 400, "invalid_field", "year"],
      ["a word for the year", { question: "托育", year: "去年" }, 400, "invalid_field", "year"],
      ["a number for the district", { question: "托育", district: 7 }, 400, "invalid_field", "district"],
    ];
    for (const [what, body, status, code, field] of cases) {
      const e = await expectError(await api.post("/api/ask", body), status, code).catch((err: Error) => {
        throw new Error(`${what}: ${err.message}`);
      });
      if (field) expect(e.field, what).toBe(field);
    }
    const long = await expectError(await api.post("/api/ask", { question: "长".repeat(501) }), 400, "question_too_long");
    expect(long).toMatchObject({ max: 500, message: "问题太长了，最多 500 个字。" });
    // 500 characters is still a question.
    expect((await api.post("/api/ask", { question: `课后服务${"长".repeat(496)}` })).status).toBe(200);
  });
});

describe("the same answers as ask --json", () => {
  const questions = ["长宁区小学课后服务到几点结束？", "043项完成率多少？", "怎么申请美国大学？", "教育信息化由哪个部门牵头？", "孩子不到三岁能送托吗？"];
  const cli = (env: Record<string, string>) =>
    spawnSync("npm", ["run", "--silent", "ask", "--", "--json"], {
      cwd: ROOT,
      env: { ...process.env, INDEX_DIR: tempDir("epb-serve-cli-"), LOG_LEVEL: "error", ...env },
      input: `${questions.join("\n")}\n`,
      encoding: "utf8",
      timeout: 120_000,
    });

  it.each([
    ["without PUBLIC_URL", {}, () => api],
    ["with PUBLIC_URL", { PUBLIC_URL }, () => linked],
  ])("byte for byte, %s", async (_, env, server) => {
    const r = cli(env);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(questions.length);
    for (const [i, q] of questions.entries()) expect(await (await server().post("/api/ask", { question: q })).text()).toBe(lines[i]);
    if ("PUBLIC_URL" in env) expect(JSON.parse(lines[0]!).citations[0].url).toBe(URL_048);
  }, 120_000);
});

describe("POST /api/chat", () => {
  it("keeps follow-up context per conversation", async () => {
    const first = await body(await api.post("/api/chat", { conversation: "parent-1", message: "长宁学校体育场地每周开放多长时间？" }));
    expect(first).toMatchObject({ conversation: "parent-1", kind: "answer", grounded: true, question: "长宁学校体育场地每周开放多长时间？" });
    expect(first.citations[0]).toMatchObject({ district: "长宁区", year: 2023, task: "16", docId: DOC_PLAN_2023, label: "〔长宁2023·第16项〕" });
    expect(first.citations[0].page).toBe(`/documents/${enc(DOC_PLAN_2023)}?q=${enc(first.citations[0].quote)}#task-16`);
    expect(first.text).toContain("〔长宁2023·第16项〕");

    const followUp = await body(await api.post("/api/chat", { conversation: "parent-1", message: "那闵行呢？" }));
    expect(followUp.question).toBe("闵行区学校体育场地每周开放多长时间？");
    expect(followUp.citations[0]).toMatchObject({ district: "闵行区", task: "5", label: "〔闵行2021下半年·第5项〕" });

    // Another conversation has no earlier question: the same words are a question of their own.
    const stranger = await body(await api.post("/api/chat", { conversation: "parent-2", message: "那闵行呢？" }));
    expect(stranger).toMatchObject({ kind: "refusal", question: "那闵行呢？", grounded: false, citations: [] });
  });

  it("answers commands as the other surfaces do", async () => {
    const about = await body(await api.post("/api/chat", { conversation: "staff-1", message: "/about" }));
    expect(about).toMatchObject({ kind: "about", citations: [] });
    expect(about.text).toContain("目前收录 5 份文件：");
    const task = await body(await api.post("/api/chat", { conversation: "staff-1", message: "/task 青浦 2019 26" }));
    expect(task.kind).toBe("task");
    expect(task.text).toContain("牵头部门：局信息办");
  });

  it("carries the url with PUBLIC_URL", async () => {
    const r = await body(await linked.post("/api/chat", { conversation: "c1", message: "长宁区小学课后服务到几点结束？" }));
    expect(r.citations[0].url).toBe(URL_048);
  });

  it("refuses bad requests with stable codes", async () => {
    expect((await expectError(await api.post("/api/chat", { message: "托育" }), 400, "missing_field")).field).toBe("conversation");
    expect((await expectError(await api.post("/api/chat", { conversation: "c" }), 400, "missing_field")).field).toBe("message");
    expect((await expectError(await api.post("/api/chat", { conversation: "../../x", message: "托育" }), 400, "invalid_field")).field).toBe("conversation");
    expect((await expectError(await api.post("/api/chat", { conversation: "c".repeat(101), message: "托育" }), 400, "invalid_field")).field).toBe("conversation");
    await expectError(await api.post("/api/chat", { conversation: "c", message: "问".repeat(501) }), 400, "question_too_long");
    await expectError(await api.post("/api/chat", "{"), 400, "bad_json");
  });
});

describe("documents", () => {
  it("lists the holdings", async () => {
    const { documents } = await body(await api.get("/api/documents"));
    expect(documents.map((d: { id: string }) => d.id)).toEqual(["长宁2020-第043项", DOC_048, DOC_PLAN_2023, "闵行2021下半年-要点", "青浦2019-要点"]);
    expect(documents[2]).toEqual({
      id: DOC_PLAN_2023,
      place: "长宁区",
      year: 2023,
      period: null,
      genre: "plan",
      title: "2023年长宁区教育局工作要点",
      issuer: "上海市长宁区教育局",
      docNumber: "长教〔2023〕8号",
      issuedOn: "2023-03-01",
      tasks: 30,
      sourceUrl: null,
      page: `/documents/${enc(DOC_PLAN_2023)}`,
    });
    const linkedDocs = (await body(await linked.get("/api/documents"))).documents;
    expect(linkedDocs[2].url).toBe(`${PUBLIC_URL}/documents/${enc(DOC_PLAN_2023)}`);
  });

  it("gives one task whole, with its parts, leads and contacts", async () => {
    const t = await body(await api.get(`/api/documents/${enc(DOC_048)}/tasks/048`));
    expect(t.document).toMatchObject({ id: DOC_048, place: "长宁区", year: 2021, genre: "report" });
    expect(t).toMatchObject({ number: "048", ref: "〔长宁区·2021年重点工作第048项〕", page: `/documents/${enc(DOC_048)}#task-048`, passage: false });
    expect(t.parts.map((p: { label: string }) => p.label)).toEqual(["一、", "二、", "三、"]);
    expect(t.parts[0].parts[1]).toMatchObject({ label: "（二）", title: "小学生校内课后服务工程" });
    expect(t.parts[0].parts[1].text).toContain("16:30 至 18:00");
    expect(t.contacts).toEqual({ names: ["宗宏", "石东红"], phones: ["22050781", "22050725"] });
    expect(t.progress).toEqual(["进展情况 25%"]);
    // People drop the leading zeros: 48 is 第048项.
    expect((await body(await api.get(`/api/documents/${enc(DOC_048)}/tasks/48`))).number).toBe("048");

    const lead = await body(await api.get(`/api/documents/${enc("青浦2019-要点")}/tasks/26`));
    expect(lead.leads.map((l: { department: string }) => l.department)).toEqual(["局信息办"]);
    expect(lead.section).toBe("八、聚焦提高教育保障能力，着力夯实教育发展基础");
    const linkedTask = await body(await linked.get(`/api/documents/${enc(DOC_048)}/tasks/048`));
    expect(linkedTask.url).toBe(URL_048);
  });

  it("refuses unknown documents and tasks", async () => {
    expect(await expectError(await api.get(`/api/documents/${enc("海淀2024-要点")}/tasks/1`), 404, "unknown_document")).toMatchObject({ document: "海淀2024-要点" });
    expect(await expectError(await api.get(`/api/documents/${enc(DOC_PLAN_2023)}/tasks/31`), 404, "unknown_task")).toMatchObject({ document: DOC_PLAN_2023, task: "31" });
    await expectError(await api.get(`/api/documents/${enc(DOC_PLAN_2023)}/tasks/..%2F..%2Fetc`), 404, "unknown_task");
    await expectError(await api.get(`/documents/${enc("海淀2024-要点")}`), 404, "unknown_document");
  });

  it("serves a document page with an anchor per task, under a strict content policy", async () => {
    const res = await api.get(`/documents/${enc(DOC_PLAN_2023)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/u.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const html = await res.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect([...html.matchAll(/<article class="task" id="task-(\d+)">/gu)].map((m) => m[1])).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    expect(html).toContain("<h1>2023年长宁区教育局工作要点</h1>");
    expect(html).toContain("<dt>文号</dt><dd>长教〔2023〕8号</dd>");
    expect(html).toContain("<dt>发文单位</dt><dd>上海市长宁区教育局</dd>");
    expect(html).toContain("<dt>日期</dt><dd>2023年3月1日</dd>");
    expect(html).toContain('<h2 id="section-3">三、优化资源供给，提升教育服务能级</h2>');
    expect(html).toContain("深化“双减”落实");
  });
});

describe("paths outside the documents", () => {
  it.each([
    "/documents/..%2F..%2Fetc%2Fpasswd",
    "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/documents/..%5C..%5Cetc%5Cpasswd",
    `/api/documents/..%2F..%2Fetc%2Fpasswd/tasks/1`,
  ])("%s is an unknown document (404 JSON), and nothing is read", async (path) => {
    const res = await rawGet(api.url, path);
    expect(res.status).toBe(404);
    const body = JSON.parse(res.body);
    expect(body.error.code).toBe("unknown_document");
    expect(res.body).not.toContain("root:");
  });

  it("resolves raw ../ to a path that is simply not found", async () => {
    for (const path of ["/documents/../../etc/passwd", "/../../../etc/passwd", "/seeds/000_ad213f2b7b9dc53f.txt", "/package.json"]) {
      const res = await rawGet(api.url, path);
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.body).error.code, path).toBe("not_found");
      expect(res.body).not.toContain("root:");
    }
  });

  it("answers a malformed percent-encoding without failing", async () => {
    const res = await rawGet(api.url, "/documents/%E0%A4%A");
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.code).toBe("unknown_document");
    expect((await api.get("/healthz")).status).toBe(200);
  });

  it("shows a browser a page, not JSON, for an unknown address", async () => {
    const res = await api.get(`/documents/${enc("海淀2024-要点")}`, { Accept: "text/html" });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("<h1>没有找到这份文件</h1>");
    await expectError(await api.get("/nowhere"), 404, "not_found");
  });
});

describe("limits", () => {
  it("refuses a body over 16 KB with 413, announced or streamed", async () => {
    const big = JSON.stringify({ question: "托育", padding: "x".repeat(17 * 1024) });
    expect(await expectError(await api.post("/api/ask", big), 413, "body_too_large")).toMatchObject({ max: 16384 });
    // No Content-Length: the limit is counted as the body arrives.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode("x".repeat(1024)));
        c.close();
      },
    });
    const res = await fetch(`${api.url}/api/chat`, { method: "POST", body: stream, headers: { "Content-Type": "application/json" }, duplex: "half" } as RequestInit);
    await expectError(res, 413, "body_too_large");
    expect((await api.get("/healthz")).status).toBe(200);
  });

  it("limits each client's questions per minute, and says when to come back", async () => {
    const limited = await startServer({ RATE_LIMIT_PER_MINUTE: "2" });
    try {
      for (let i = 0; i < 2; i++) expect((await limited.post("/api/ask", { question: "托育" })).status).toBe(200);
      const res = await limited.post("/api/chat", { conversation: "c", message: "托育" });
      const e = await expectError(res, 429, "rate_limited");
      const wait = Number(res.headers.get("retry-after"));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      expect(e.retryAfter).toBe(wait);
      // Reading documents is not a question: it stays open.
      expect((await limited.get("/api/documents")).status).toBe(200);
      expect((await limited.get("/healthz")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("failures", () => {
  it("answer 500 with a stable code and keep the details in the log", async () => {
    // An answerer whose index has gone away mid-flight: the error names a path and must not leak.
    class Broken extends Answerer {
      override answer(): never {
        throw new Error("ENOENT: no such file, open '/srv/secret/vector-store/builds/x/vectors.bin'");
      }
    }
    const answerer = new Broken(await seedIndex(), {});
    const server = await listen(createApp({ engine: new ChatEngine(answerer), server: loadConfig({}).server }), { host: "127.0.0.1", port: 0 });
    try {
      for (const [path, payload] of [
        ["/api/ask", { question: "托育" }],
        ["/api/chat", { conversation: "c", message: "托育" }],
      ] as const) {
        const res = await fetch(`${server.url}${path}`, { method: "POST", body: JSON.stringify(payload) });
        const text = await res.clone().text();
        expect(text).not.toContain("secret");
        expect(await expectError(res, 500, "internal")).toEqual({ code: "internal", message: "服务器出了点问题，没能完成。请稍后再试。" });
      }
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe("API keys", () => {
  let keyed: TestServer;
  beforeAll(async () => {
    keyed = await startServer({ API_KEYS: `${KEY_A}, ${KEY_B}`, RATE_LIMIT_PER_MINUTE: "1" });
  });
  afterAll(() => keyed.close());

  it("refuses the API without a valid key", async () => {
    const res = await keyed.post("/api/ask", { question: "托育" });
    await expectError(res, 401, "unauthorized");
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    await expectError(await keyed.post("/api/ask", { question: "托育" }, { Authorization: "Bearer wrong-key-wrong-key" }), 401, "unauthorized");
    await expectError(await keyed.get("/api/documents", { "X-API-Key": `${KEY_A}x` }), 401, "unauthorized");
    await expectError(await keyed.get("/api/documents", { Authorization: `Basic ${KEY_A}` }), 401, "unauthorized");
  });

  it("accepts either header, and counts each key's questions separately", async () => {
    expect((await keyed.post("/api/ask", { question: "托育" }, { Authorization: `Bearer ${KEY_A}` })).status).toBe(200);
    expect((await keyed.post("/api/ask", { question: "托育" }, { "X-API-Key": KEY_B })).status).toBe(200);
    await expectError(await keyed.post("/api/ask", { question: "托育" }, { "X-API-Key": KEY_A }), 429, "rate_limited");
    expect((await keyed.get("/api/documents", { "X-API-Key": KEY_A })).status).toBe(200);
  });

  it("keeps the pages, the document pages and the health check open", async () => {
    expect((await keyed.get("/healthz")).status).toBe(200);
    expect((await keyed.get("/")).status).toBe(200);
    expect((await keyed.get(`/documents/${enc(DOC_048)}`)).status).toBe(200);
  });
});

describe("the web chat page", () => {
  it("offers the examples, the question box and the documents, and runs only its own script", async () => {
    const res = await api.get("/");
    const html = await res.text();
    const nonce = /script-src 'nonce-([^']+)'/u.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect([...html.matchAll(/<button type="button" class="example" data-q="([^"]+)">/gu)].map((m) => m[1])).toEqual([
      "长宁区小学课后服务到几点结束？",
      "孩子不到三岁能送托吗？",
      "教育信息化由哪个部门牵头？",
    ]);
    expect(html).toContain('<textarea id="q" name="q" maxlength="500"');
    expect(html).toContain(`<a href="/documents/${enc(DOC_048)}">关于区政府重点工作目标完成情况的反馈</a>`);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });
});
