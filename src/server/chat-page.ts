/**
 * The web chat at `/`: server-rendered HTML and one small script, no build step. It talks to
 * `/api/chat` with a random conversation id kept for the tab, so follow-ups ("那闵行呢？") work;
 * each answer lists its short citations as links that open the cited task on its document page.
 */
import { documentPath } from "../chat/links.js";
import type { PlanDocument } from "../ingest/types.js";
import { serverText } from "../messages.js";
import { esc, page, scriptJson } from "./html.js";

const T = serverText.chat;

const STYLE = `
.intro{color:var(--muted)}
.examples{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 1rem}
.examples button{background:#fff;color:var(--accent);font-size:.95rem;text-align:left}
#log{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
#log li{padding:.6rem .8rem;border-radius:.75rem;border:1px solid var(--line)}
#log li.you{background:#eef5fc;border-color:#cfe0f3;justify-self:end;max-width:90%}
#log li.bot{background:#fff}
#log .who{font-size:.8rem;color:var(--muted);margin:0}
#log .text{white-space:pre-wrap;margin:.2rem 0}
#log .sources{font-size:.92rem;margin:.4rem 0 0;padding-top:.4rem;border-top:1px dashed var(--line)}
#log .sources a{display:inline-block;margin:.1rem .4rem .1rem 0;min-height:32px}
form{margin:1rem 0;display:grid;gap:.5rem}
textarea,input{font:inherit;width:100%;padding:.6rem;border:1px solid var(--line);border-radius:.5rem}
textarea{min-height:4.5rem;resize:vertical}
.row{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
#status{min-height:1.5em;margin:0}
#status.error{color:#b42318;font-weight:600}
#key-box{border:1px solid #f0c000;background:var(--cited);border-radius:.5rem;padding:.5rem .75rem}
.docs{font-size:.95rem}
.docs ul{padding-left:1.25rem}
`;

/** Runs in the page. Strings come from messages.ts through `T`; everything shown is set as text, never HTML. */
const SCRIPT = `(function () {
  var T = JSON.parse(document.getElementById("strings").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var log = $("log"), form = $("ask"), input = $("q"), send = $("send"), status = $("status");
  var keyBox = $("key-box"), keyInput = $("key");
  var saved = function (k) { try { return sessionStorage.getItem(k) || ""; } catch (e) { return ""; } };
  var save = function (k, v) { try { sessionStorage.setItem(k, v); } catch (e) { /* private mode: keep it for this page only */ } };
  var newId = function () {
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  };
  var conversation = saved("epb-conversation") || newId();
  save("epb-conversation", conversation);
  var apiKey = saved("epb-key");
  var busy = false;

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function add(role, text, citations) {
    var li = document.createElement("li");
    li.className = role;
    var who = document.createElement("p");
    who.className = "who";
    who.textContent = role === "you" ? T.you : T.bot;
    var body = document.createElement("p");
    body.className = "text";
    body.textContent = text;
    li.appendChild(who);
    li.appendChild(body);
    if (citations && citations.length) {
      var src = document.createElement("p");
      src.className = "sources";
      src.appendChild(document.createTextNode(T.sources));
      var seen = {};
      citations.forEach(function (c) {
        if (seen[c.page]) return;
        seen[c.page] = true;
        var a = document.createElement("a");
        a.href = c.page;
        a.target = "_blank";
        a.rel = "noopener";
        a.className = "citation";
        a.textContent = c.label;
        a.title = c.ref;
        src.appendChild(a);
      });
      li.appendChild(src);
    }
    log.appendChild(li);
    li.scrollIntoView({ block: "nearest" });
    return li;
  }

  function ask(message) {
    message = message.trim();
    if (!message || busy) return;
    busy = true;
    send.disabled = true;
    say(T.sending, false);
    add("you", message);
    var headers = { "Content-Type": "application/json" };
    if (apiKey) headers["X-API-Key"] = apiKey;
    fetch("/api/chat", { method: "POST", headers: headers, body: JSON.stringify({ conversation: conversation, message: message }) })
      .then(function (res) {
        return res.json().catch(function () { return null; }).then(function (data) {
          if (!res.ok) {
            if (res.status === 401) keyBox.hidden = false;
            var text = data && data.error && data.error.message ? data.error.message : T.failed + "（HTTP " + res.status + "）";
            say(res.status === 401 ? text + " " + T.keyNeeded : text, true);
            return;
          }
          say("", false);
          add("bot", data.text, data.citations);
          input.value = "";
        });
      }, function () { say(T.networkError, true); })
      .then(function () { busy = false; send.disabled = false; });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); ask(input.value); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); ask(input.value); }
  });
  document.querySelectorAll("button.example").forEach(function (b) {
    b.addEventListener("click", function () { ask(b.getAttribute("data-q") || ""); });
  });
  $("new-chat").addEventListener("click", function () {
    conversation = newId();
    save("epb-conversation", conversation);
    log.textContent = "";
    say("", false);
    input.focus();
  });
  $("key-save").addEventListener("click", function () {
    apiKey = keyInput.value.trim();
    save("epb-key", apiKey);
    keyBox.hidden = true;
    say("", false);
  });
})();`;

export function chatPage(opts: { examples: string[]; documents: readonly PlanDocument[]; nonce: string }): string {
  const strings = { you: T.you, bot: T.bot, sources: T.sources, sending: T.sending, networkError: T.networkError, failed: T.failed, keyNeeded: T.keyNeeded };
  const body = `<div class="wrap">
<header>
<h1>${esc(T.title)}</h1>
<p class="intro">${esc(T.intro)}</p>
</header>
<main>
<p class="muted">${esc(T.examples)}</p>
<div class="examples">${opts.examples.map((q) => `<button type="button" class="example" data-q="${esc(q)}">${esc(q)}</button>`).join("")}</div>
<ol id="log" aria-live="polite"></ol>
<p id="status" role="status"></p>
<div id="key-box" hidden>
<label for="key">${esc(T.keyLabel)}</label>
<div class="row"><input id="key" type="password" autocomplete="off"><button type="button" id="key-save">${esc(T.keySave)}</button></div>
</div>
<form id="ask">
<label for="q" class="muted">${esc(T.label)}</label>
<textarea id="q" name="q" maxlength="500" placeholder="${esc(T.placeholder)}" required></textarea>
<div class="row"><button type="submit" id="send">${esc(T.send)}</button><button type="button" class="secondary" id="new-chat">${esc(T.newChat)}</button></div>
</form>
</main>
<footer>
<section class="docs"><p class="muted">${esc(T.documents)}</p><ul>${opts.documents
    .map((d) => `<li><a href="${esc(documentPath(d.id))}">${esc(d.title)}</a> <span class="muted">${esc(`${d.district} ${d.year}${d.period ?? ""}`)}</span></li>`)
    .join("")}</ul></section>
<p class="muted">${esc(T.footer)}</p>
</footer>
</div>
<script type="application/json" id="strings">${scriptJson(strings)}</script>`;
  return page({ title: T.title, nonce: opts.nonce, body, style: STYLE, script: SCRIPT });
}
