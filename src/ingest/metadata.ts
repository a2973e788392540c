/**
 * Metadata read from the text itself (never from the file name): the place and its level, the
 * year, the title, issuer, document number, date and where it was published. Everything is read
 * after folding to simplified characters; the text itself stays as written.
 */
import { fold } from "../normalize.js";
import { tightenSpaces } from "./clean.js";
import { placeMentions, PLACES, shortName, within, type Place } from "./places.js";
import type { Genre } from "./types.js";

export interface District {
  name: string;
  short: string;
  city: string;
}

/** Every place a document or question may name (the table behind the parser), short and full. */
export const KNOWN_DISTRICTS: readonly District[] = PLACES.filter((p) => p.level !== "country").map((p) => ({ name: p.name, short: shortName(p.name), city: p.city ?? p.province ?? p.name }));

/** Who issues education documents, after the place's name: 教育局, 教育厅, 人民政府办公室, 市委… */
const ISSUER_WORD =
  /^(?:教育局|教育厅|教育委员会|教委|教育体育局|教体局|教育和体育局|教育文体局|教育文化体育局|教育科技局|教育科学技术局|社会事业局|社会事业发展局|人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府|教育工委|教育工作委员会|委员会|委|教育|党委|党工委)/u;

/** Web-page furniture and header fields: never a title, a task or a passage. */
export const CLUTTER =
  /当前位置|首页\s*[>＞»]|[>＞»]\s*\S{1,12}\s*[>＞»]|字[体号]\s*[：:【[]|【\s*[大中小]|浏览次数|阅读次数|点击数|访问量|打印本页|【\s*打印\s*】|关闭窗口|无障碍|手机版|繁体版|ENGLISH|English|^#\s*source\s*:|^(索引号|发布机构|主题分类|组配分类|公开方式|公开属性|关键词|信息来源|来源|生效日期|成文日期|发布日期|发文日期|发布时间|文\s*号|名\s*称|标\s*题)\s*[：:]|分享到|扫一扫|^-\s*\d+\s*-$|^[-—]\s*\d+\s*[-—]$/u;

/** A line addressed to others ("各区县教育局：", "各市、省直管县教育局"): its places are not the issuer. */
function isAddressee(line: string): boolean {
  return /^各/u.test(line) || (/[：:]\s*$/u.test(line) && /各/u.test(line) && line.length < 80);
}

/** A short form (嘉定) is the place only where it can be nothing else: before 教育局, 教育, 区… */
function shortIsPlace(text: string, _at: number, end: number): boolean {
  return ISSUER_WORD.test(text.slice(end)) || /^(?:区|县|市|新城|地区)/u.test(text.slice(end));
}

/** The places a line names, the outer one of a chain (上海市嘉定区) dropped for the inner. */
function mentionsIn(line: string): { place: Place; issuer: boolean }[] {
  const folded = fold(line);
  const found = placeMentions(folded, shortIsPlace).filter((m) => m.place.level !== "country");
  return found
    .filter((m, i) => {
      const next = found[i + 1];
      return !(next && next.at <= m.end + 1 && within(next.place, m.place));
    })
    .map((m) => {
      // "上海市嘉定区教育局": the issuer word follows the chain's last place.
      let end = m.end;
      for (const n of found) if (n.at >= end && n.at <= end + 1) end = n.end;
      return { place: m.place, issuer: ISSUER_WORD.test(folded.slice(end)) };
    });
}

const LEVEL_RANK: Record<string, number> = { district: 3, county: 3, "county-city": 3, banner: 3, "new-area": 3, city: 2, province: 1 };

export interface FoundPlace {
  place: Place;
  /** How it was found, for ingest's summary: "title", "issuer", "signature", "body". */
  how: "title" | "issuer" | "signature" | "body";
}

/**
 * Which place a document is about: the place in its title, then the issuer named in its head
 * or signature (never the addressee line), then a place its body names as an issuer.
 */
export function findPlace(title: string, head: readonly string[], trailer: readonly string[], body: string): FoundPlace | undefined {
  const scores = new Map<string, { place: Place; score: number; how: FoundPlace["how"] }>();
  const add = (place: Place, score: number, how: FoundPlace["how"]) => {
    const s = scores.get(place.name) ?? { place, score: 0, how };
    s.score += score;
    scores.set(place.name, s);
  };
  for (const m of mentionsIn(title)) add(m.place, 6, "title");
  for (const line of head) if (!isAddressee(line) && !CLUTTER.test(line)) for (const m of mentionsIn(line)) add(m.place, m.issuer ? 3 : 0.5, "issuer");
  for (const line of trailer) if (!isAddressee(line)) for (const m of mentionsIn(line)) add(m.place, m.issuer ? 4 : 1, "signature");
  if (scores.size === 0) {
    for (const line of body.split("\n")) if (!isAddressee(line)) for (const m of mentionsIn(line)) if (m.issuer) add(m.place, 1, "body");
  }
  const ranked = [...scores.values()].sort((a, b) => b.score - a.score || (LEVEL_RANK[b.place.level] ?? 0) - (LEVEL_RANK[a.place.level] ?? 0));
  const best = ranked[0];
  if (!best) return undefined;
  // A district within the best place that is also named as issuer is the more specific answer.
  const inner = ranked.find((r) => r !== best && within(r.place, best.place) && r.score >= best.score / 2);
  const pick = inner ?? best;
  return { place: pick.place, how: pick.how };
}

const CN_DIGIT: Record<string, string> = { "〇": "0", "○": "0", "零": "0", "Ｏ": "0", O: "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9" };

/** "二〇二三年三月一日" → "2023年3月1日": dates written in Chinese numerals, for reading only. */
function arabicDates(line: string): string {
  const num = (s: string) => {
    if (!s.includes("十")) return [...s].map((c) => CN_DIGIT[c] ?? c).join("");
    const [t, u] = s.split("十");
    return String((t ? Number(CN_DIGIT[t] ?? 1) : 1) * 10 + (u ? Number(CN_DIGIT[u] ?? 0) : 0));
  };
  return line
    .replace(/([〇○零ＯO一二三四五六七八九]{4})\s*年/gu, (_m, y: string) => `${num(y)}年`)
    .replace(/(\d{4}年)\s*([一二三四五六七八九十]{1,2})\s*月(?:\s*([一二三四五六七八九十]{1,3})\s*日)?/gu, (_m, y: string, mo: string, d?: string) => `${y}${num(mo)}月${d ? `${num(d)}日` : ""}`);
}

const DATE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/u;
const ISO_DATE = /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/u;
/** A date whose separators page extraction lost: "2024327" alone on a line is 2024年3月27日. */
const BARE_DATE = /^\s*(20\d{2})(\d{3,4})\s*$/u;
const DOC_NUMBER = /[\p{Script=Han}]{1,6}\s*[〔［[（(]\s*\d{4}\s*[〕］\]）)]\s*\d{1,4}\s*号/u;

function iso(y: string, mo: string, d: string): string | undefined {
  const m = Number(mo);
  const day = Number(d);
  if (m < 1 || m > 12 || day < 1 || day > 31) return undefined;
  return `${y}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function dateIn(raw: string): string | undefined {
  const line = arabicDates(raw);
  const m = DATE.exec(line) ?? ISO_DATE.exec(line);
  if (m) return iso(m[1]!, m[2]!, m[3]!);
  const bare = BARE_DATE.exec(line);
  if (bare) {
    const [, y, md] = bare as unknown as [string, string, string];
    // 327 → 3月27日; 1105 → 11月5日 or 1月105日: the reading that is a date.
    if (md.length === 3) return iso(y, md.slice(0, 1), md.slice(1)) ?? iso(y, md.slice(0, 2), md.slice(2));
    return iso(y, md.slice(0, 2), md.slice(2)) ?? iso(y, md.slice(0, 1), md.slice(1));
  }
  return undefined;
}

/**
 * The document's date: a 发布日期 / 发文日期 / 成文日期 field first, then the signing date (the
 * first full date outside the tasks), in Chinese, ISO or page-garbled form.
 */
export function findDate(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    if (/(发文日期|成文日期|印发日期|签发日期)\s*[：:]/u.test(line)) {
      const d = dateIn(line.replace(/^.*?(发文日期|成文日期|印发日期|签发日期)\s*[：:]/u, ""));
      if (d) return d;
    }
  }
  for (const line of lines) {
    const d = dateIn(line);
    if (d) return d;
  }
  return undefined;
}

/** Titles name their kind of document at the end. */
const TITLE_END =
  /(工作要点|工作计划|工作重点|工作安排|实施意见|实施方案|行动方案|行动计划|任务分解表|任务清单|责任分工表|分工方案|目标表|责任书|完成情况|推进情况|进展情况|落实情况|工作报告|工作总结|为民办实事|要点|计划|方案|意见|报告|反馈)(（[^）]*）|\([^)]*\))?$/u;

/**
 * The title: the document's own name ("2023年长宁区教育局工作要点"), not the covering notice and
 * not page furniture; failing that, the name a notice quotes in 《》.
 */
export function findTitle(head: readonly string[], genre: Genre): string {
  const stripAttachment = (l: string) => l.replace(/^(附件\s*\d*\s*[：:]?|[-—]+\s*附件\s*[：:]?)\s*/u, "");
  const candidates = head
    .filter((l) => !CLUTTER.test(l) && !isAddressee(l))
    .map((l) => stripAttachment(l).trim())
    .filter((l) => l.length >= 4 && l.length <= 80);
  const folded = (l: string) => fold(tightenSpaces(l));
  const own = candidates.find((l) => TITLE_END.test(folded(l)) && !/^关于|通知$|的通知/u.test(folded(l)) && !/[。；]/u.test(l));
  if (own) return tightenSpaces(own);
  for (const l of candidates) {
    const quoted = /《([^》]*)》/u.exec(l);
    if (quoted?.[1] && TITLE_END.test(folded(quoted[1]))) return tightenSpaces(quoted[1]);
  }
  const heading = candidates.find((l) => /(反馈|报告|情况|通知|要点|计划|方案|总结|意见)$/u.test(folded(l)) && !/[：:。]$/u.test(l));
  if (heading) return tightenSpaces(heading);
  if (genre === "report") return tightenSpaces(candidates[0] ?? head[0] ?? "");
  return tightenSpaces(candidates.find((l) => !/[：:]$/u.test(l) && !/^[（(]?[一二三四五六七八九十\d]/u.test(l)) ?? "");
}

/** A year that opens or closes a range ("2019-2022年", "2021—2023") is a plan period, not the document's year. */
const YEAR = /(?<![\d\-—–~～至到])((?:19|20)\d{2})(?![\d\-—–~～至到]|\s*[-—–~～至到]\s*(?:19|20)\d{2})\s*年?/u;

export function findYear(title: string, issuedOn: string | undefined, body: string): number | undefined {
  const inTitle = YEAR.exec(arabicDates(fold(title)));
  if (inTitle && /年|度/u.test(inTitle[0] + title.slice((inTitle.index ?? 0) + inTitle[0].length, (inTitle.index ?? 0) + inTitle[0].length + 1))) return Number(inTitle[1]);
  if (issuedOn) return Number(issuedOn.slice(0, 4));
  if (inTitle) return Number(inTitle[1]);
  const anywhere = /((?:19|20)\d{2})\s*年/u.exec(arabicDates(body));
  return anywhere ? Number(anywhere[1]) : undefined;
}

/** `# source: https://…` on the first line: where the document was published. */
export function findSourceUrl(text: string): string | undefined {
  return /^\s*#\s*source\s*:\s*(\S+)/u.exec(text)?.[1];
}

/** The issuing body as written: a signature line, "X关于印发…", or a 发布机构 field. */
export function findIssuer(head: readonly string[], trailer: readonly string[]): string | undefined {
  const ISSUER = /^((?:中共)?[\p{Script=Han}]{2,16}?(?:教育局|教育厅|教育委员会|教委|教育体育局|教体局|教育和体育局|社会事业局|人民政府办公室|人民政府办公厅|人民政府))/u;
  for (const line of [...trailer, ...head]) {
    const bare = line.trim().replace(/文件$/u, "").replace(/\s*(\d{4}\s*年.*|\d{4}-\d{1,2}-\d{1,2})$/u, "");
    const m = ISSUER.exec(bare);
    if (m?.[1] && m[1] === bare && !isAddressee(line)) return m[1];
  }
  for (const line of head) {
    const field = /^发布机构\s*[：:]\s*(\S+)/u.exec(line);
    if (field?.[1]) return field[1];
    const m = ISSUER.exec(line);
    if (m?.[1] && /^关于/u.test(line.slice(m[1].length))) return m[1];
  }
  return undefined;
}

export function findDocNumber(head: readonly string[]): string | undefined {
  for (const line of head) {
    const m = DOC_NUMBER.exec(fold(line));
    if (m) return m[0].replace(/\s+/gu, "");
  }
  return undefined;
}

export function findPeriod(title: string): string | undefined {
  return /(上半年|下半年|第[一二三四]季度)/u.exec(title)?.[1];
}

export function districtShort(name: string): string {
  return shortName(name);
}
