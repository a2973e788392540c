/**
 * The pages' shared frame: escaping, the script nonce and the style every page uses. Everything
 * shown comes from documents or users, so every piece of text goes through `esc`.
 */
import { randomBytes } from "node:crypto";

export function esc(s: string): string {
  return s.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;").replace(/"/gu, "&quot;").replace(/'/gu, "&#39;");
}

/** A value for an inline script: JSON that cannot close the script element or break a line. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</gu, "\\u003c").replace(/\u2028/gu, "\\u2028").replace(/\u2029/gu, "\\u2029");
}

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/** Only the inline style and script this page carries may run: a document's text can never inject one. */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Mobile first: one column, readable line length, large enough tap targets; plain when printed. */
const STYLE = `
:root{color-scheme:light;--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--accent:#0b5cad;--hl:#fff3b0;--cited:#fffbe6}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:17px/1.75 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:var(--ink);background:#fff;overflow-wrap:anywhere}
.wrap{max-width:46rem;margin:0 auto;padding:1rem}
a{color:var(--accent)}
h1{font-size:1.4rem;line-height:1.4;margin:.5rem 0 1rem}
h2{font-size:1.15rem;line-height:1.5;margin:2rem 0 .75rem;padding-top:.5rem;border-top:1px solid var(--line)}
h3{font-size:1.05rem;line-height:1.5;margin:0 0 .5rem}
p{margin:.4rem 0}
nav.top{display:flex;gap:1rem;justify-content:space-between;align-items:center;font-size:.95rem}
button,.button{font:inherit;min-height:44px;padding:.5rem 1rem;border:1px solid var(--accent);border-radius:.5rem;background:var(--accent);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--accent)}
.muted{color:var(--muted);font-size:.92rem}
mark{background:var(--hl);color:inherit;padding:0 .1em}
@media print{nav.top,.noprint,button{display:none!important}body{font-size:12pt}a{color:inherit;text-decoration:none}.wrap{max-width:none;padding:0}}
`;

export function page(opts: { title: string; nonce: string; body: string; style?: string; script?: string }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(opts.title)}</title>
<style nonce="${opts.nonce}">${STYLE}${opts.style ?? ""}</style>
</head>
<body>
${opts.body}
${opts.script ? `<script nonce="${opts.nonce}">${opts.script}</script>` : ""}
</body>
</html>
`;
}
