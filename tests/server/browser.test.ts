/**
 * The web chat and the document pages in a real browser: Debian's Chromium driven through
 * playwright-core. Screenshots are kept in tests/artifacts/ (ignored by git) for a person to look at.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";
import { DOC_048, enc, startServer, type TestServer } from "./server-helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = join(ROOT, "tests", "artifacts");
const present = existsSync(CHROMIUM);
// Skipped only on a developer's machine without Chromium; CI installs it (.ci/run), and there a missing browser fails.
const skip = !present && !process.env.CI;
if (skip) console.warn(`[browser test skipped] no Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (CI installs it and never skips).`);

const KEY = "browser-key-0123456789";
let server: TestServer;
let keyed: TestServer;
let browser: BrowserContext;
let profile: string;

/** A phone: 390 × 844 CSS pixels, touch. */
async function phonePage(): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

async function ask(page: Page, question: string): Promise<void> {
  const before = await page.locator("#log li.bot").count();
  await page.fill("#q", question);
  await page.click("#send");
  await page.locator("#log li.bot").nth(before).waitFor();
}

const squeeze = (s: string) => s.replace(/\s+/gu, "");

// Run inside the page (as source text: the tests are typed for Node, not the DOM).
const FITS_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth";
const MARK_IN_VIEW = `(() => {
  const m = document.querySelector(".cited mark");
  const r = m && m.getBoundingClientRect();
  return Boolean(r && r.top >= 0 && r.top < window.innerHeight);
})()`;
const CITED_TASK = `(() => {
  const all = [...document.querySelectorAll(".cited")];
  const marks = [...(all[0] ? all[0].querySelectorAll("mark") : [])];
  return {
    ids: all.map((e) => e.id),
    marked: marks.map((m) => m.textContent || "").join(""),
    background: all[0] ? getComputedStyle(all[0]).backgroundColor : "",
    title: document.querySelector("h1") && document.querySelector("h1").textContent,
    fits: ${FITS_SCREEN},
  };
})()`;

describe.skipIf(skip)("the web chat in Chromium", () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServer();
    keyed = await startServer({ API_KEYS: KEY });
    profile = mkdtempSync(join(tmpdir(), "epb-chromium-"));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
      isMobile: true,
      hasTouch: true,
      viewport: { width: 390, height: 844 },
      locale: "zh-CN",
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await keyed?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("answers a question with a citation link that opens the task, highlighted, on its document page", async () => {
    const page = await phonePage();
    await page.goto(`${server.url}/`);
    await ask(page, "长宁区小学课后服务到几点结束？");
    const answer = page.locator("#log li.bot").last();
    expect(await answer.locator(".text").textContent()).toContain("在放学后至 16:30 分和 16:30 至 18:00 的两个服务时间段内");
    const link = answer.locator("a.citation").first();
    expect(await link.textContent()).toBe("〔长宁2021·第048项〕");
    const href = (await link.getAttribute("href"))!;
    expect(href.startsWith(`/documents/${enc(DOC_048)}?q=`)).toBe(true);
    expect(href.endsWith("#task-048")).toBe(true);
    const quote = new URL(href, server.url).searchParams.get("q")!;
    expect(quote).toContain("16:30 至 18:00");
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(FITS_SCREEN)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "chat.png"), fullPage: true });

    const [doc] = await Promise.all([browser.waitForEvent("page"), link.click()]);
    await doc.waitForLoadState("load");
    // The script scrolls the quote into view once the page has loaded (after the browser's own jump to the anchor).
    await doc.waitForFunction(MARK_IN_VIEW, undefined, { timeout: 5000 });
    const cited = (await doc.evaluate(CITED_TASK)) as { ids: string[]; marked: string; background: string; title: string; fits: boolean };
    expect(cited.ids).toEqual(["task-048"]);
    expect(squeeze(cited.marked)).toBe(squeeze(quote));
    expect(cited.background).not.toBe("rgba(0, 0, 0, 0)");
    expect(cited.title).toBe("关于区政府重点工作目标完成情况的反馈");
    expect(cited.fits).toBe(true);
    await doc.screenshot({ path: join(ARTIFACTS, "document-048.png") });
    await doc.close();
    await page.close();
  });

  it("keeps follow-ups in one conversation, and answers a tapped example", async () => {
    const page = await phonePage();
    await page.goto(`${server.url}/`);
    await page.tap("button.example >> nth=2");
    await page.locator("#log li.bot").first().waitFor();
    expect(await page.locator("#log li.you .text").first().textContent()).toBe("教育信息化由哪个部门牵头？");
    expect(await page.locator("#log li.bot .text").first().textContent()).toContain("由局信息办牵头");

    await ask(page, "长宁的操场周末开放吗？");
    await ask(page, "那闵行呢？");
    const last = page.locator("#log li.bot").last();
    expect(await last.locator("a.citation").first().textContent()).toBe("〔闵行2021下半年·第5项〕");
    expect(await page.locator("#log li").count()).toBe(6);
    await page.screenshot({ path: join(ARTIFACTS, "follow-up.png"), fullPage: true });
    await page.close();
  });

  it("says clearly when the server refuses, and when it cannot be reached", async () => {
    const page = await phonePage();
    await page.goto(`${keyed.url}/`);
    await page.fill("#q", "托育");
    await page.click("#send");
    await page.locator("#status.error").waitFor();
    expect(await page.locator("#status").textContent()).toContain("需要有效的访问密钥");
    expect(await page.locator("#key-box").isVisible()).toBe(true);
    await page.fill("#key", KEY);
    await page.click("#key-save");
    await ask(page, "孩子不到三岁能送托吗？");
    expect(await page.locator("#log li.bot a.citation").count()).toBeGreaterThan(0);

    await keyed.close();
    await page.fill("#q", "托育");
    await page.click("#send");
    await page.locator("#status.error").waitFor();
    expect(await page.locator("#status").textContent()).toBe("连不上服务器，请检查网络后再试。");
    await page.screenshot({ path: join(ARTIFACTS, "error.png") });
    await page.close();
  });
});
