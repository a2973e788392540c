/**
 * A document as one readable page: its heading facts, its sections, and every task with an
 * anchor (`#task-14`) that citations link to. `?q=<quote>` (or the anchor alone) marks the cited
 * task and the quoted span inside it, in the browser, with a few lines of script.
 */
import { taskAnchor } from "../chat/links.js";
import { OPENING, taskLabel } from "../ingest/cite.js";
import { unitsOf } from "../ingest/annotations.js";
import type { Part, PlanDocument, Task } from "../ingest/types.js";
import { serverText } from "../messages.js";
import { esc, page } from "./html.js";

const T = serverText.document;

/**
 * Where a document came from, when it is known. The data model gains `sourceUrl` with the
 * ingest work (DESIGN.md); reading it as optional here keeps the page right before and after.
 */
export function sourceUrlOf(doc: PlanDocument): string | undefined {
  const url = (doc as PlanDocument & { sourceUrl?: unknown }).sourceUrl;
  // Only web addresses become links: a javascript: or file: URL in a document must not.
  return typeof url === "string" && /^https?:\/\//iu.test(url) ? url : undefined;
}

/** "2023-03-01" → "2023年3月1日". */
function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** Lines of text as paragraphs; blank lines dropped. */
function paragraphs(text: string, cls?: string): string {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => `<p${cls ? ` class="${cls}"` : ""}>${esc(l)}</p>`)
    .join("\n");
}

function renderPart(part: Part): string {
  const [head = "", ...rest] = part.text.split("\n");
  return `<div class="part"><p class="part-head">${esc(head.trim())}</p>
${paragraphs(rest.join("\n"))}
${part.parts.map(renderPart).join("\n")}</div>`;
}

function renderTask(doc: PlanDocument, task: Task): string {
  const anchor = taskAnchor(task.number);
  const { leading, partners } = unitsOf(task.leadDepartments);
  const facts = [
    leading.length > 0 ? `<p class="fact">${esc(T.leads)}${esc(leading.join("、"))}</p>` : "",
    partners.length > 0 ? `<p class="fact">${esc(T.partners)}${esc(partners.join("、"))}</p>` : "",
    task.progress.length > 0 ? `<p class="fact">${esc(T.progress)}${esc(task.progress.join("；"))}</p>` : "",
    task.contacts?.names.length ? `<p class="fact">${esc(T.contacts)}${esc(task.contacts.names.join("、"))}</p>` : "",
    task.contacts?.phones.length ? `<p class="fact">${esc(T.phones)}${esc(task.contacts.phones.join("、"))}</p>` : "",
  ].filter((f) => f.length > 0);
  return `<article class="task" id="${esc(anchor)}">
<h3><a class="num" href="#${esc(anchor)}">${esc(taskLabel(doc, task.number, task.passage))}</a> ${esc(task.title)}</h3>
<div class="body">
${paragraphs(task.statement)}
${task.parts.map(renderPart).join("\n")}
</div>
${facts.join("\n")}
</article>`;
}

/** Tasks in order, with a section heading wherever the section changes. */
function renderBody(doc: PlanDocument): { html: string; contents: { id: string; title: string }[] } {
  const out: string[] = [];
  const contents: { id: string; title: string }[] = [];
  let current: string | undefined;
  for (const task of doc.tasks) {
    if (task.section && task.section !== current) {
      const id = `section-${contents.length + 1}`;
      contents.push({ id, title: task.section });
      out.push(`<h2 id="${id}">${esc(task.section)}</h2>`);
    }
    current = task.section;
    out.push(renderTask(doc, task));
  }
  return { html: out.join("\n"), contents };
}

function metaList(doc: PlanDocument): string {
  const source = sourceUrlOf(doc);
  const rows: [string, string][] = [
    [T.issuer, doc.issuer ? esc(doc.issuer) : ""],
    [T.issuedOn, doc.issuedOn ? esc(chineseDate(doc.issuedOn)) : ""],
    [T.docNumber, doc.docNumber ? esc(doc.docNumber) : ""],
    [T.source, source ? `<a href="${esc(source)}" rel="noopener noreferrer">${esc(source)}</a>` : ""],
  ];
  return `<dl class="meta">${rows
    .filter(([, v]) => v.length > 0)
    .map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`)
    .join("")}</dl>`;
}

const STYLE = `
.meta{margin:0 0 1rem;display:grid;gap:.1rem}
.meta div{display:flex;gap:.75rem}
.meta dt{color:var(--muted);min-width:4.5em}
.meta dd{margin:0}
.contents{font-size:.95rem;border:1px solid var(--line);border-radius:.5rem;padding:.25rem 1rem}
.contents ol{margin:.25rem 0;padding-left:1.25rem}
.front,.back{color:var(--muted);font-size:.95rem}
.task{margin:0 -.5rem 1rem;padding:.5rem;border-radius:.5rem;scroll-margin-top:1rem}
.task .num{font-weight:700;text-decoration:none;white-space:nowrap}
.task:target,.task.cited{background:var(--cited);outline:2px solid #f0c000}
.part{margin:.25rem 0 .25rem .25rem;padding-left:.75rem;border-left:2px solid var(--line)}
.part-head{font-weight:600}
.fact{color:var(--muted);font-size:.95rem}
@media print{.contents{display:none}.task:target,.task.cited{background:none;outline:none}.task{break-inside:avoid-page}}
`;

/**
 * Runs in the page: finds the cited task (the anchor, else the task holding the quote), marks it,
 * and wraps the quoted span in <mark>. The quote is matched with white space ignored, since the
 * page lays the document's lines out as paragraphs; a span across paragraphs gets one mark each.
 */
const SCRIPT = `(function () {
  var q = new URLSearchParams(location.search).get("q") || "";
  var squeeze = function (s) { return s.replace(/\\s+/g, ""); };
  var needle = squeeze(q);
  var id = "";
  try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = ""; }
  var task = id ? document.getElementById(id) : null;
  if (task && !task.classList.contains("task")) task = null;
  if (!task && needle) {
    var all = document.querySelectorAll(".task");
    for (var i = 0; i < all.length && !task; i++) if (squeeze(all[i].textContent || "").indexOf(needle) >= 0) task = all[i];
  }
  if (!task) return;
  task.classList.add("cited");
  task.setAttribute("aria-current", "true");
  var first = null;
  if (needle) {
    var body = task.querySelector(".body") || task;
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    var nodes = [], flat = "", at = [];
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push(n);
      var t = n.nodeValue || "";
      for (var k = 0; k < t.length; k++) if (!/\\s/.test(t[k])) { flat += t[k]; at.push([nodes.length - 1, k]); }
    }
    var start = flat.indexOf(needle);
    if (start >= 0) {
      var spans = {};
      for (var j = start; j < start + needle.length; j++) {
        var p = at[j], s = spans[p[0]];
        if (!s) spans[p[0]] = [p[1], p[1] + 1]; else s[1] = p[1] + 1;
      }
      Object.keys(spans).map(Number).sort(function (a, b) { return b - a; }).forEach(function (ni) {
        var range = document.createRange();
        range.setStart(nodes[ni], spans[ni][0]);
        range.setEnd(nodes[ni], spans[ni][1]);
        var mark = document.createElement("mark");
        range.surroundContents(mark);
        first = mark;
      });
    }
  }
  // After load: the browser's own jump to the #task anchor comes late, and would otherwise win.
  var show = function () { (first || task).scrollIntoView({ block: first ? "center" : "start" }); };
  if (document.readyState === "complete") show(); else window.addEventListener("load", function () { setTimeout(show, 0); });
})();`;

export function documentPage(doc: PlanDocument, nonce: string): string {
  const { html, contents } = renderBody(doc);
  const genre = `${doc.district} ${doc.year}${doc.period ?? ""} · ${T.genre[doc.genre]}`;
  const body = `<div class="wrap">
<nav class="top noprint"><a href="/">${esc(T.back)}</a><button type="button" class="secondary" id="print">${esc(T.print)}</button></nav>
<header>
<p class="muted">${esc(genre)}</p>
<h1>${esc(doc.title)}</h1>
${metaList(doc)}
</header>
${contents.length > 1 ? `<nav class="contents"><p class="muted">${esc(T.contents)}</p><ol>${contents.map((s) => `<li><a href="#${s.id}">${esc(s.title)}</a></li>`).join("")}</ol></nav>` : ""}
<main>
${doc.preamble.trim() ? `<section class="front" id="${esc(taskAnchor(OPENING))}">${paragraphs(doc.preamble)}</section>` : ""}
${html}
${doc.trailer.trim() ? `<section class="back">${paragraphs(doc.trailer)}</section>` : ""}
</main>
</div>`;
  const script = `document.getElementById("print").addEventListener("click", function () { window.print(); });\n${SCRIPT}`;
  return page({ title: doc.title, nonce, body, style: STYLE, script });
}
