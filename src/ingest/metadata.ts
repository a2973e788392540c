/**
 * Metadata read from the text itself (never from the file name): the district, the year,
 * the title, issuer, document number and date.
 */
import districtData from "./districts.json" with { type: "json" };
import { tightenSpaces } from "./clean.js";
import type { Genre } from "./types.js";

export interface District {
  name: string;
  short: string;
  city: string;
}

export const KNOWN_DISTRICTS: readonly District[] = districtData.districts;

/** The known districts a text names by their short form (长宁, 闵行…), in the list's order. */
export function districtsNamedIn(text: string): District[] {
  return KNOWN_DISTRICTS.filter((d) => text.includes(d.short));
}

const DATE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/u;
const DOC_NUMBER = /[\p{Script=Han}]{1,6}\s*[〔［[]\s*\d{4}\s*[〕］\]]\s*\d{1,4}\s*号/u;
const ISSUER = /((?:[\p{Script=Han}]{2,3}市)?[\p{Script=Han}]{2,4}(?:区|县|新区)教育局)/u;

function isoDate(m: RegExpExecArray): string {
  const [, y, mo, d] = m;
  return `${y}-${(mo ?? "").padStart(2, "0")}-${(d ?? "").padStart(2, "0")}`;
}

/** The first full date: a plan's or report's signing date stands before or after the body, never inside a task. */
export function findDate(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const m = DATE.exec(line);
    if (m) return isoDate(m);
  }
  return undefined;
}

/**
 * The title: for a plan, the plan's own name ("2023年长宁区教育局工作要点") rather than the
 * covering notice; for a report, its heading ("…推进情况的反馈").
 */
export function findTitle(head: readonly string[], genre: Genre): string {
  const stripAttachment = (l: string) => l.replace(/^附件\s*[：:]?\s*/u, "");
  const candidates = head.map(stripAttachment).filter((l) => l.length >= 4 && l.length <= 80);
  if (genre === "plan") {
    const own = candidates.find((l) => /(工作要点|工作计划|工作重点)$/u.test(l) && !/关于|通知/u.test(l));
    if (own) return tightenSpaces(own);
    for (const l of candidates) {
      const quoted = /《([^》]*(?:要点|计划|重点))》/u.exec(l);
      if (quoted?.[1]) return tightenSpaces(quoted[1]);
    }
  }
  const heading = candidates.find((l) => /(反馈|报告|情况|通知|要点|计划|方案|总结)$/u.test(l) && !/[：:。]$/u.test(l));
  if (heading) return tightenSpaces(heading);
  return tightenSpaces(candidates.find((l) => !/[：:]$/u.test(l)) ?? head[0] ?? "");
}

/** Which district a text is about: its title first, then the head of the document, then the body by count. */
export function findDistrict(title: string, head: string, body: string): string | undefined {
  for (const scope of [title, head]) {
    const hit = KNOWN_DISTRICTS.map((d) => ({ d, at: scope.indexOf(d.short) }))
      .filter((x) => x.at >= 0)
      .sort((a, b) => a.at - b.at)[0];
    if (hit) return hit.d.name;
  }
  let best: { name: string; count: number } | undefined;
  for (const d of KNOWN_DISTRICTS) {
    const count = body.split(d.short).length - 1;
    if (count > 0 && (!best || count > best.count)) best = { name: d.name, count };
  }
  if (best) return best.name;
  // An unlisted district still names itself through its bureau: "XX区教育局".
  const issuer = ISSUER.exec(head) ?? ISSUER.exec(body);
  const bureau = issuer?.[1]?.replace(/^[\p{Script=Han}]{2,3}市/u, "").replace(/教育局$/u, "");
  return bureau && bureau.length >= 2 ? bureau : undefined;
}

export function findYear(title: string, issuedOn: string | undefined, body: string): number | undefined {
  const inTitle = /(\d{4})\s*年/u.exec(title);
  if (inTitle) return Number(inTitle[1]);
  if (issuedOn) return Number(issuedOn.slice(0, 4));
  const anywhere = /((?:19|20)\d{2})\s*年/u.exec(body);
  return anywhere ? Number(anywhere[1]) : undefined;
}

export function findIssuer(head: readonly string[], trailer: readonly string[]): string | undefined {
  // A signature line is the bureau's name alone, or followed by the date.
  for (const line of [...trailer, ...head]) {
    const m = new RegExp(`^${ISSUER.source}\\s*(?:${DATE.source})?$`, "u").exec(line.replace(/文件$/u, ""));
    if (m?.[1]) return m[1];
  }
  for (const line of head) {
    const m = new RegExp(`^${ISSUER.source}关于`, "u").exec(line);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

export function findDocNumber(head: readonly string[]): string | undefined {
  for (const line of head) {
    const m = DOC_NUMBER.exec(line);
    if (m) return m[0].replace(/\s+/gu, "");
  }
  return undefined;
}

export function findPeriod(title: string): string | undefined {
  return /(上半年|下半年|第[一二三四]季度)/u.exec(title)?.[1];
}

export function districtShort(name: string): string {
  return KNOWN_DISTRICTS.find((d) => d.name === name)?.short ?? name.replace(/(新区|区|县)$/u, "");
}
