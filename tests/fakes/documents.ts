/** Documents in the formats bureaus publish, made here so the tests need no binary fixtures. */
import iconv from "iconv-lite";
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from "docx";

export function gbk(text: string): Buffer {
  return iconv.encode(text, "gbk");
}

export async function docx(lines: readonly string[]): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: lines.map((l) => new Paragraph(l)) }] });
  return Packer.toBuffer(doc);
}

/** A .docx holding a title and a table, as task breakdowns are often published. */
export async function docxTable(title: string, rows: readonly (readonly string[])[]): Promise<Buffer> {
  const table = new Table({ rows: rows.map((r) => new TableRow({ children: r.map((c) => new TableCell({ children: [new Paragraph(c)] })) })) });
  return Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph(title), table] }] }));
}

export function html(lines: readonly string[]): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>通知</title><style>.x{color:red}</style></head><body>
<header class="site-header"><a href="/">首页</a> | <a href="/news">新闻动态</a> | 政务公开</header>
<nav id="main-nav"><ul><li>机构概况</li><li>办事指南</li><li>互动交流</li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 工作计划</div>
<article>${lines.map((l) => `<p>${l.replace(/&/gu, "&amp;").replace(/</gu, "&lt;")}</p>`).join("\n")}</article>
<div class="share-bar">分享到：微信 微博</div>
<footer>版权所有 © 某区教育局 沪ICP备00000000号</footer>
<script>var tracker = "不应出现";</script>
</body></html>`;
}

/**
 * A PDF with a real text layer: each line drawn in a CID font whose codes are Unicode code points,
 * mapped back by a ToUnicode CMap (what a text extractor reads). No font is embedded.
 */
export function pdf(lines: readonly string[]): Buffer {
  const hex = (s: string) => [...s].map((c) => (c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")).join("");
  const content = ["BT /F1 12 Tf 40 800 Td 14 TL", ...lines.map((l) => `<${hex(l)}> Tj T*`), "ET"].join("\n");
  const ranges = Array.from({ length: 256 }, (_, i) => {
    const h = i.toString(16).padStart(2, "0");
    return `<${h}00> <${h}ff> <${h}00>`;
  });
  const cmap = `/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n${ranges.length} beginbfrange\n${ranges.join("\n")}\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type0 /BaseFont /NoFont /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
    "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoFont /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 /CIDToGIDMap /Identity >>",
    `<< /Length ${Buffer.byteLength(cmap)} >>\nstream\n${cmap}\nendstream`,
    "<< /Type /FontDescriptor /FontName /NoFont /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

/** A PDF with pages but no text: what a scanner produces. */
export function scannedPdf(): Buffer {
  return pdf([]);
}
