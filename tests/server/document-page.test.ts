import { describe, expect, it } from "vitest";
import type { PlanDocument } from "../../src/ingest/types.js";
import { documentPage } from "../../src/server/document-page.js";
import { parseSeed } from "../helpers.js";

const NONCE = "test-nonce";

/** A real parsed plan with hostile text put into it, as a crafted document could carry. */
function hostile(sourceUrl?: string): PlanDocument {
  const doc = parseSeed("002");
  const [first, ...rest] = doc.tasks;
  return {
    ...doc,
    title: `2023年<img src=x onerror=alert(1)>工作要点`,
    docNumber: `长教"〔2023〕'8号`,
    ...(sourceUrl ? { sourceUrl } : {}),
    tasks: [{ ...first!, title: "</h3><script>alert(2)</script>", statement: "第一句 & <b>不是粗体</b>\n第二行" }, ...rest],
  } as PlanDocument;
}

describe("a document page", () => {
  it("escapes everything the document says", () => {
    const html = documentPage(hostile(), NONCE);
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<script>alert(2)");
    expect(html).not.toContain("<b>不是粗体</b>");
    expect(html).toContain("<h1>2023年&lt;img src=x onerror=alert(1)&gt;工作要点</h1>");
    expect(html).toContain("&lt;/h3&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(html).toContain("<p>第一句 &amp; &lt;b&gt;不是粗体&lt;/b&gt;</p>\n<p>第二行</p>");
    expect(html).toContain("<dd>长教&quot;〔2023〕&#39;8号</dd>");
    // The only scripts are the page's own, carrying the nonce.
    expect([...html.matchAll(/<script\b[^>]*>/gu)].map((m) => m[0])).toEqual([`<script nonce="${NONCE}">`]);
  });

  it("links the source only when it is a web address", () => {
    expect(documentPage(hostile("javascript:alert(1)"), NONCE)).not.toContain("<dt>来源</dt>");
    expect(documentPage(hostile("file:///etc/passwd"), NONCE)).not.toContain("<dt>来源</dt>");
    expect(documentPage(hostile("https://edu.example.cn/a?b=1&c=\"2\""), NONCE)).toContain(
      '<dt>来源</dt><dd><a href="https://edu.example.cn/a?b=1&amp;c=&quot;2&quot;" rel="noopener noreferrer">https://edu.example.cn/a?b=1&amp;c=&quot;2&quot;</a></dd>',
    );
    expect(documentPage(parseSeed("002"), NONCE)).not.toContain("<dt>来源</dt>");
  });

  it("lays a report task out with its nested parts, progress and contacts", () => {
    const html = documentPage(parseSeed("001"), NONCE);
    expect(html).toContain('<article class="task" id="task-048">');
    expect(html).toContain('<h3><a class="num" href="#task-048">第048项</a> ');
    expect(html).toContain('<div class="part"><p class="part-head">一、本月进展情况 25%</p>');
    expect(html).toContain('<div class="part"><p class="part-head">（二）小学生校内课后服务工程</p>');
    expect(html).toContain('<p class="fact">进度：进展情况 25%</p>');
    expect(html).toContain('<p class="fact">联系人：宗宏、石东红</p>');
    expect(html).toContain('<p class="fact">联系电话：22050781、22050725</p>');
    expect(html).toContain("<dt>日期</dt><dd>2021年3月25日</dd>");
  });

  it("names each plan item's lead units once", () => {
    const html = documentPage(parseSeed("004"), NONCE);
    const item4 = html.slice(html.indexOf('id="task-4"'), html.indexOf('id="task-5"'));
    expect(item4).toContain('<p class="fact">牵头部门：局基教科、局综改办、局人事科</p>');
  });
});
