/**
 * Metadata read from the text itself (never from the file name): the place and its level, the
 * year, the title, issuer, document number, date and where it was published. Everything is read
 * after folding to simplified characters; the text itself stays as written.
 */
import { fold } from "../normalize.js";
import { tightenSpaces } from "./clean.js";
import { LEVEL_RANK, placeByCode, placeByName, placeMentions, PLACES, shortName, within, type Place, type PlaceMention } from "./places.js";
import { placesFromAddress } from "./source-address.js";
import type { Genre } from "./types.js";

export interface District {
  name: string;
  short: string;
  city: string;
}

/** Every place a document or question may name (the table behind the parser), short and full. */
export const KNOWN_DISTRICTS: readonly District[] = PLACES.filter((p) => p.level !== "country").map((p) => ({ name: p.name, short: shortName(p.name), city: p.city ?? p.province ?? p.name }));

/** What education bureaus are called, longest first: 教育局, 教体局, 教育体育科技局… */
const EDUCATION_BODY =
  "教育体育科技局|教育和体育科技局|教育和体育局|教育体育局|教育文化体育局|教育文体局|教育科学技术局|教育科技局|教育委员会|教育局|教育厅|教委|教体局|教科局";

/** Who issues education documents, after the place's name: 教育局, 教育厅, 人民政府办公室, 市委… */
const ISSUER_WORD = new RegExp(
  `^(?:${EDUCATION_BODY}|社会事业局|社会事业发展局|人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府|教育工委|教育工作委员会|委员会|委|教育|党委|党工委)`,
  "u",
);

/** Web-page furniture and header fields: never a title, a task or a passage. */
export const CLUTTER =
  /当前位置|首页\s*-?[>＞»]|[>＞»]\s*\S{1,12}\s*-?[>＞»]|字[体号]\s*[：:【[]|【\s*[大中小]|浏览次数|阅读次数|点击数|访问量|打印本页|【\s*打印\s*】|关闭窗口|无障碍|手机版|繁体版|ENGLISH|English|^#\s*source\s*:|^(索引号|发布机构|主题分类|组配分类|公开方式|公开属性|关键词|信息来源|来源|生效日期|成文日期|发布日期|发文日期|发布时间|文\s*号|名\s*称|标\s*题)\s*[：:]|分享到|扫一扫|^-\s*\d+\s*-$|^[-—]\s*\d+\s*[-—]$/u;

/** A line addressed to others ("各区县教育局：", "各市、省直管县教育局"): its places are not the issuer. */
function isAddressee(line: string): boolean {
  // "大有经济开发区管委会,各乡镇人民政府(街道办事处),市政府有关部门": a list of addressees that opens with one body.
  return /^各/u.test(line) || (/[：:]\s*$/u.test(line) && /各/u.test(line) && line.length < 80) || (/[,，、]\s*各/u.test(line) && !/[。；]/u.test(line) && line.length < 120);
}

/** A short form (嘉定) is the place only where it can be nothing else: before 教育局, 教育, 区… */
function shortIsPlace(text: string, at: number, end: number): boolean {
  // "南京印发《关于…的实施意见》", "武威2021年新建哪些学校": a headline names its place alone.
  return ISSUER_WORD.test(text.slice(end)) || /^(?:区|县|市|新城|地区)/u.test(text.slice(end)) || /^(?:印发|出台|发布)[《“]/u.test(text.slice(end)) || (opensText(text, at) && /^(?:19|20)\d{2}\s*年/u.test(text.slice(end)));
}

/** Whether a place stands at the start of a text or after a non-Han character, not inside a word (空港新城2019年). */
function opensText(text: string, at: number): boolean {
  return at === 0 || !/\p{Script=Han}/u.test(text[at - 1]!);
}

/** The places a line names, the outer one of a chain (上海市嘉定区) dropped for the inner. */
function mentionsIn(line: string, loose = false): { place: Place; issuer: boolean }[] {
  const folded = fold(line);
  // Loosely, a short form of three characters or more (伊金霍洛, 内蒙古), or a province's or a
  // city's (广西, 大连), is the place wherever it stands but in a street's or a body's name.
  const accept = loose ? (t: string, at: number, end: number) => end - at >= 3 || shortIsPlace(t, at, end) || (namesProvinceOrCity(t.slice(at, end)) && !NAMED_AFTER_PLACE.test(t.slice(end))) : shortIsPlace;
  const found = placeMentions(folded, accept).filter(
    (m) => m.place.level !== "country" && !isScopeWord(folded, m.at, m.end, m.place) && !(loose && (isInsideWord(folded, m) || isInsideName(folded, m))),
  );
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

/** What makes a place's name part of another name: 江西路, 吉林大学, 大连银行. */
const NAMED_AFTER_PLACE = /^(?:路|街|道|巷|大学|学院|师范|银行|日报|电视|广播|理工|医科|交通|工业|农业)/u;

const PROVINCE_OR_CITY_SHORT = new Set(PLACES.filter((p) => p.level === "province" || p.level === "city").map((p) => shortName(p.name)));
function namesProvinceOrCity(form: string): boolean {
  return PROVINCE_OR_CITY_SHORT.has(form);
}

/**
 * A two-character full name (范县, 和县) right after another Han character, with nothing after it
 * that makes it a place, is the end of a word: 示范县. As weak as a short form.
 */
function isInsideWord(text: string, m: PlaceMention): boolean {
  return !m.short && m.end - m.at === 2 && m.at > 0 && /\p{Script=Han}/u.test(text[m.at - 1]!) && !shortIsPlace(text, m.at, m.end);
}

/**
 * In the body, a place inside a quoted name is the name's, not the document's: “朝阳行动” (an
 * initiative), 〈山西省第三期学前教育行动计划〉 (another body's document).
 */
function isInsideName(text: string, m: PlaceMention): boolean {
  const inside = (opens: string[], closes: string[]) => {
    const open = Math.max(...opens.map((o) => text.lastIndexOf(o, m.at)));
    return open >= 0 && m.at - open <= 12 && Math.max(...closes.map((c) => text.lastIndexOf(c, m.at))) < open;
  };
  // A document's title names its issuer; a quoted slogan only a word that may be a place (朝阳),
  // while a longer name (“问道·伊金霍洛”) still says where the text is from.
  return inside(["《", "〈", "<"], ["》", "〉", ">"]) || (m.end - m.at <= 2 && inside(["“"], ["”"]));
}

/** "全州县域内" is "the whole prefecture's counties", not 全州县: 全 + a level word is a scope. */
function isScopeWord(text: string, at: number, end: number, place: Place): boolean {
  return place.name.startsWith("全") && text.slice(at, end) === place.name && text[end] === "域";
}


/** The level a text speaks from: 全省/省教育厅 (province), 全市/市教育局 (city), 全县, 全区, 全旗, 全州. */
const SCOPES: { levels: Place["level"][]; pattern: RegExp }[] = [
  { levels: ["province"], pattern: /全省|省教育厅|省委|省政府|自治区(?:党委|教育厅|人民政府)|全区各族/gu },
  { levels: ["city", "county-city"], pattern: /全市|市教育局|市委|市政府|市教体局|市教育体育局/gu },
  { levels: ["county"], pattern: /全县|县教育局|县委|县政府|县教体局|县教育体育局/gu },
  { levels: ["district", "new-area"], pattern: /(?<!自治)(?:全区|区教育局|区委|区政府|区教体局|区教育体育局)/gu },
  { levels: ["banner"], pattern: /全旗|旗教育局|旗委|旗政府|旗教体局/gu },
  { levels: ["city"], pattern: /全州|州教育局|州委|州政府|全盟/gu },
];

function scopeLevels(text: string): Place["level"][] {
  let best: { levels: Place["level"][]; count: number } = { levels: [], count: 0 };
  // In an autonomous region's text (自治区党代会, 全区各族) 全区 is the region, not a district.
  const region = /自治区(?!直辖)/u.test(text);
  for (const s of SCOPES) {
    if (region && s.levels.includes("district")) continue;
    const count = (text.match(s.pattern)?.length ?? 0) + (region && s.levels.includes("province") ? (text.match(/全区|我区/gu)?.length ?? 0) : 0);
    if (count > best.count) best = { levels: s.levels, count };
  }
  return best.levels;
}

export interface FoundPlace {
  place: Place;
  /** How it was found, for ingest's summary. */
  how: "title" | "issuer" | "signature" | "registry" | "body" | "address";
}

/** Evidence this strong (a title, an issuer in the head or signature) settles the place alone. */
const SETTLED = 3;

/**
 * Which place a document is about: the place in its title, then the issuer named in its head
 * or signature (never the addressee line). Without those: the places its body names, weighed by
 * the level it speaks from (全县, 市教育局…), and the place its source address spells.
 */
export function findPlace(title: string, head: readonly string[], trailer: readonly string[], body: string, sourceUrl?: string): FoundPlace | undefined {
  const scores = new Map<string, { place: Place; score: number; how: FoundPlace["how"]; strongest: number }>();
  let speaksAs: Place["level"][] = [];
  const add = (place: Place, score: number, how: FoundPlace["how"]) => {
    const s = scores.get(place.name) ?? { place, score: 0, how, strongest: 0 };
    s.score += score;
    s.strongest = Math.max(s.strongest, score);
    scores.set(place.name, s);
  };
  for (const m of mentionsIn(title)) add(m.place, 6, "title");
  for (const line of head) {
    if (isAddressee(line) || CLUTTER.test(line)) continue;
    // A heading that opens with a place ("舟山市2007年…考核重点项目") names whose document it is.
    const heading = !/[，。；,;]/u.test(line) && line.length <= 60;
    const opening = fold(line).trimStart().replace(/^(?:19|20)\d{2}\s*年度?/u, "");
    for (const m of mentionsIn(line)) add(m.place, m.issuer ? 3 : heading && (opening.startsWith(m.place.name) || opening.startsWith(shortName(m.place.name))) ? 2 : 0.5, "issuer");
  }
  for (const line of trailer) if (!isAddressee(line)) for (const m of mentionsIn(line)) add(m.place, m.issuer ? 4 : 1, "signature");
  // A page's 发布机构 or 来源 field names its issuer, wherever on its line the page put it.
  const fields = issuerFields(head);
  for (const value of fields) for (const m of mentionsIn(value)) add(m.place, 3, "issuer");
  for (const place of registeredPlaces([...head, body, ...trailer].join("\n"))) add(place, SETTLED, "registry");
  if (Math.max(0, ...[...scores.values()].map((s) => s.score)) < SETTLED) {
    const folded = fold(body);
    for (const line of body.split("\n")) if (!isAddressee(line)) for (const m of mentionsIn(line, true)) add(m.place, m.issuer ? 1 : 0.25, "body");
    for (const a of addressedPlaces(sourceUrl, folded)) add(a.place, a.strength, "address");
    // The level the title speaks from ("区教育局…工作计划") outweighs a 省委 the body mentions.
    const titled = scopeLevels(fold([title, ...head].join("\n")));
    const levels = titled.length > 0 ? titled : scopeLevels(folded);
    for (const s of scores.values()) if (levels.includes(s.place.level)) s.score *= 2;
    // A text that speaks as a district (区教育局, 全区) and names only its city names its city, not
    // itself: the city is no answer, and the person adding it is asked instead.
    for (const [name, s] of scores) if (s.how === "body" && levels.length > 0 && !levels.includes(s.place.level) && LEVEL_RANK[s.place.level] < Math.min(...levels.map((l) => LEVEL_RANK[l]))) scores.delete(name);
    speaksAs = levels;
  }
  const ranked = [...scores.values()].sort((a, b) => b.score - a.score || LEVEL_RANK[b.place.level] - LEVEL_RANK[a.place.level]);
  const best = ranked[0];
  if (!best) return undefined;
  const zone = zoneIssuing([title, ...fields, ...head, ...trailer], best.place);
  if (zone) return { place: zone, how: "issuer" };
  // A district within the best place that is also named as issuer is the more specific answer.
  // (Named as issuer or in the title or signature: a place the head merely mentions is not more specific.)
  // Many passing mentions (凉州区祁连路小学, 凉州区第一幼儿园 in a list of 武威's new schools) are no issuer.
  const inner = ranked.find((r) => r !== best && within(r.place, best.place) && r.score >= best.score / 2 && r.how !== "body" && r.strongest >= 2);
  const pick = inner ?? best;
  // A text that speaks as a province (自治区, 全省) and names only its cities is the province's.
  if (pick.how === "body" && speaksAs.includes("province") && pick.place.level !== "province" && pick.place.province) {
    const province = placeByName(pick.place.province);
    if (province) return { place: province, how: "body" };
  }
  return { place: pick.place, how: pick.how };
}

/** The values of a page's issuer fields (发布机构: 南湖新区教育体育科技局, 来源:…), wherever they stand on a line. */
export function issuerFields(lines: readonly string[]): string[] {
  return lines.flatMap((line) => [...line.matchAll(/(?:发布机构|发文机关|发文单位|信息来源|来源)\s*[：:]\s*([^\s：:]{4,30})/gu)].map((m) => m[1]!));
}

/** A development zone or new area as an issuer: 西咸新区空港新城管理委员会, 大亚湾经济技术开发区教育局. */
const ZONE_ISSUER = new RegExp(
  `^((?:\\p{Script=Han}{2,8}?(?:新区|新城|经济技术开发区|高新技术产业开发区|开发区|高新区|经开区|实验区|示范区|工业园区|园区|保税区|度假区)){1,2})(?:管理委员会|管委会|党工委|社会事业局|社会事务局|公共服务局|${EDUCATION_BODY})`,
  "u",
);

/**
 * The zone that issues a document, where its issuer is a zone the places table cannot hold
 * (zones are not divisions of GB/T 2260): named after the province or city it lies in, which
 * becomes its parent. A zone the table holds (浦东新区) is read as any place is.
 */
function zoneIssuing(lines: readonly string[], found: Place): Place | undefined {
  for (const line of lines) {
    if (isAddressee(line) || CLUTTER.test(line)) continue;
    let rest = fold(line).trim().replace(/^中共/u, "");
    const prefix = placeMentions(rest, () => false).filter((m) => m.at === 0)[0];
    let parent = found;
    if (prefix) {
      parent = prefix.place;
      rest = rest.slice(prefix.end);
      const inner = placeMentions(rest, () => false).filter((m) => m.at === 0)[0];
      if (inner && within(inner.place, parent)) [parent, rest] = [inner.place, rest.slice(inner.end)];
    }
    const m = ZONE_ISSUER.exec(rest);
    // "根据西咸新区管委会办公室《…》要求": a sentence citing another body, not an issuer's line.
    if (!m?.[1] || placeByName(m[1]) || /^(?:根据|按照|依据|遵照|经|为|对|在|由|将|与)/u.test(m[1])) continue;
    if (parent !== found && !within(found, parent) && !within(parent, found) && found.name !== parent.name) continue;
    const city = parent.level === "city" ? parent.name : parent.city;
    const province = parent.level === "province" ? parent.name : parent.province;
    return { name: m[1], level: "new-area", ...(city ? { city } : {}), ...(province ? { province } : {}) };
  }
  return undefined;
}

/**
 * An organ's registration number (统一社会信用代码) carries the division code of the place it is
 * registered in: 11 (a government organ) or 12 (a public institution), then six digits
 * (11 370685 …, 招远市). Government sites write it into a page's 索引号, so a page that never names
 * its place still says whose it is.
 */
const REGISTRATION = /(?:索引号|信用代码|机构代码)[^0-9A-Za-z\n]{0,8}1[1-3](\d{6})[0-9A-Z]{10}(?![0-9A-Z])/gu;

function registeredPlaces(text: string): Place[] {
  const found = new Map<string, Place>();
  for (const m of text.matchAll(REGISTRATION)) {
    const place = placeByCode(m[1]!);
    if (place) found.set(place.name, place);
  }
  return [...found.values()];
}

/**
 * The source address's places, as scores: a full spelling counts 2; initials alone count only
 * when they fit one place, or one place whose city or province the text names (南陵县, not
 * 宁陵县, for nlx in a text that names 芜湖).
 */
function addressedPlaces(sourceUrl: string | undefined, foldedText: string): { place: Place; strength: number }[] {
  const all = placesFromAddress(sourceUrl);
  const strong = all.filter((a) => a.strength === 2);
  const weak = all.filter((a) => a.strength === 1);
  const named = (name?: string) => !!name && foldedText.includes(shortName(name));
  const fitting = weak.length === 1 ? weak : weak.filter((a) => named(a.place.city) || named(a.place.province) || named(a.place.name));
  return [...strong, ...(fitting.length === 1 ? fitting.map((a) => ({ place: a.place, strength: 1.5 })) : [])];
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
/**
 * A document number as the text writes it, unfolded (苏教〔2023〕2号, 揚發〔2019〕34號): what an
 * opening passage keeps, what a 文号 question is answered with. `DOC_NUMBER` reads the folded
 * head for the document's own number.
 */
export const WRITTEN_DOC_NUMBER = /[\p{Script=Han}]{1,8}\s*[〔［[（(]\s*\d{4}\s*[〕］\]）)]\s*\d{1,4}\s*[号號]/u;

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
    // "今天是:2019年10月31日 星期三": the page's clock on the day it was saved, not the document's date.
    if (/^\s*(?:今天是|今日是|今天|当前日期|现在是)\s*[：:]?\s*(?:19|20)\d{2}/u.test(line)) continue;
    const d = dateIn(line);
    if (d) return d;
  }
  return undefined;
}

/** A line that is only an issuer's name. */
const ISSUER_ONLY = new RegExp(`^[\\p{Script=Han}]{2,16}(?:${EDUCATION_BODY}|人民政府)$`, "u");

/** Titles name their kind of document at the end. */
const TITLE_END =
  /(工作要点|工作计划|工作重点|工作安排|实施意见|实施方案|行动方案|行动计划|任务分解表|任务清单|任务书|责任分工表|分工方案|目标表|责任书|完成情况|推进情况|进展情况|落实情况|工作报告|工作总结|工作思路|为民办实事|要点|计划|方案|意见|报告|反馈|答复|答复函)(（[^）]*）|\([^)]*\))?(?:公布|发布|出炉|印发)?$/u;

/**
 * The title: the document's own name ("2023年长宁区教育局工作要点"), not the covering notice and
 * not page furniture; failing that, the name a notice quotes in 《》.
 */
export function findTitle(head: readonly string[], genre: Genre): string {
  // "屯教〔2021〕122号屯昌县教育局关于…的答复": the number written before the title is not part of it.
  const stripAttachment = (l: string) => l.replace(/^(附件\s*\d*\s*[：:]?|[-—]+\s*附件\s*[：:]?)\s*/u, "").replace(/^\p{Script=Han}{1,6}[〔[]\s*(?:19|20)\d{2}\s*[〕\]]\s*\d{1,4}\s*号\s*(?=\p{Script=Han}{4})/u, "");
  const candidates = head
    .filter((l) => !CLUTTER.test(l) && !isAddressee(l))
    .map((l) => stripAttachment(l).trim())
    // A table's header row is no title.
    // A menu bullet or a contact line (• 新闻热线:0551-…, 投稿邮箱) is page furniture, not a title.
    .filter((l) => l.length >= 4 && l.length <= 80 && !/[|｜\t丨]/u.test(l) && /\p{Script=Han}{4}/u.test(l) && !/^[•·●▪]|热线|邮箱|投稿|电话\s*[:：]/u.test(l));
  const folded = (l: string) => fold(tightenSpaces(l));
  const ownAt = candidates.findIndex((l) => TITLE_END.test(folded(l)) && !/^关于|通知$|的通知/u.test(folded(l)) && !/[。；]/u.test(l));
  const own = candidates[ownAt];
  // A title broken over two lines ("2023年对市级人民政府履行教育职责" / "评价报告"): its end alone is no title.
  const before = candidates[ownAt - 1];
  const adjoining = before && !/[。；，,：:]/u.test(before) && !TITLE_END.test(folded(before)) && head[head.indexOf(own ?? "") - 1]?.trim() === before;
  // "都江堰市教育局" / "2009年工作总结和2010年工作思路": the issuer on its own line opens the title.
  const issuerLine = adjoining && ISSUER_ONLY.test(folded(before)) && /^(?:19|20)\d{2}/u.test(own ?? "");
  if (own && adjoining && (own.length <= 8 || issuerLine)) return tightenSpaces(before + own);
  if (own) return tightenSpaces(own);
  for (const l of candidates) {
    const quoted = /《([^》]*)》/u.exec(l);
    if (quoted?.[1] && TITLE_END.test(folded(quoted[1]))) return tightenSpaces(quoted[1]);
  }
  const heading = candidates.find((l) => /(反馈|报告|情况|通知|要点|计划|方案|总结|意见)$/u.test(folded(l)) && !/[：:。]$/u.test(l));
  if (heading) return tightenSpaces(heading);
  if (genre === "report") return tightenSpaces(candidates[0] ?? head[0] ?? "");
  // Otherwise the fullest heading line: a news title (我县全面推进…工作), not a channel's name (新闻时政).
  const headings = candidates.filter((l) => !/[：:]$/u.test(l) && !/^[（(]?[一二三四五六七八九十\d]/u.test(l) && !/[。，,；;：:]/u.test(l) && l.length <= 40);
  return tightenSpaces(headings.reduce<string | undefined>((a, l) => (!a || l.length > a.length ? l : a), undefined) ?? "");
}

/** A year that opens or closes a range ("2019-2022年", "2021—2023") is a plan period, not the document's year. */
const YEAR = /(?<![\d\-—–~～至到])((?:19|20)\d{2})(?![\d\-—–~～至到]|\s*[-—–~～至到]\s*(?:19|20)\d{2})\s*年?/u;

/** A line under the title that only qualifies it: "(2020年度)", "2020年". */
const YEAR_LINE = /^[（(]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?$/u;
/** A date in the Republic of China calendar, as Taiwan's documents write it: 97年10月1日 is 2008. */
const ROC_DATE = /(?<!\d)(\d{2,3})\s*年\s*\d{1,2}(?:\s+\d{1,2})*\s*月/u;

/**
 * The year a source address was published in, as government sites write it into their paths:
 * /202011/t20201119_…, /art/2025/3/10/, /20220914/. A date the page itself gives comes first.
 */
function yearInAddress(url: string | undefined): number | undefined {
  if (!url) return undefined;
  const path = url.replace(/^[a-z]+:\/\/[^/]+/iu, "");
  const m = /\/t?((?:19|20)\d{2})(?:0[1-9]|1[0-2])(?:[0-3]\d)?(?:[_/.]|$)/u.exec(path) ?? /\/art\/((?:19|20)\d{2})\/\d{1,2}\/\d{1,2}\//u.exec(path);
  return m ? Number(m[1]) : undefined;
}

export function findYear(title: string, issuedOn: string | undefined, body: string, head: readonly string[] = [], place?: Place, sourceUrl?: string, docNumber?: string): number | undefined {
  const inTitle = YEAR.exec(arabicDates(fold(title)));
  if (inTitle && /年|度/u.test(inTitle[0] + title.slice((inTitle.index ?? 0) + inTitle[0].length, (inTitle.index ?? 0) + inTitle[0].length + 1))) return Number(inTitle[1]);
  const yearLine = head.map((l) => YEAR_LINE.exec(fold(l).trim())).find((m) => m);
  if (yearLine) return Number(yearLine[1]);
  // 皖政[2001]85号: the year the document was numbered in, even where a copy was posted years later.
  const numbered = docNumber ? /[〔[（(【]\s*((?:19|20)\d{2})\s*[〕\]）)】]/u.exec(docNumber) : undefined;
  if (numbered) return Number(numbered[1]);
  if (issuedOn) return Number(issuedOn.slice(0, 4));
  // "2024年,区教育局在区委…": a summary that opens with its year is that year's, whenever posted.
  const opens = /^\s*((?:19|20)\d{2})\s*年(?![\d—–\-~至到])/mu.exec(arabicDates(fold(body)));
  if (opens) return Number(opens[1]);
  const published = yearInAddress(sourceUrl);
  if (published) return published;
  if (place?.province === "台湾省" || place?.name === "台湾省") {
    const roc = ROC_DATE.exec(fold(body));
    if (roc && !/(?:19|20)\d{2}\s*年/u.test(body.slice(0, 2000))) return 1911 + Number(roc[1]);
  }
  if (inTitle) return Number(inTitle[1]);
  // "三年行动计划(2019-2021年)" with no date anywhere: a plan is published as its period opens.
  const range = /((?:19|20)\d{2})\s*年?\s*[-—–~～至到]\s*(?:19|20)\d{2}/u.exec(arabicDates(fold(title)));
  if (range) return Number(range[1]);
  const anywhere = /((?:19|20)\d{2})\s*年/u.exec(arabicDates(body));
  return anywhere ? Number(anywhere[1]) : undefined;
}

/** `# source: https://…` on the first line: where the document was published. */
export function findSourceUrl(text: string): string | undefined {
  return /^\s*#\s*source\s*:\s*(\S+)/u.exec(text)?.[1];
}

/** The issuing body as written: a signature line, "X关于印发…", or a 发布机构 field. */
export function findIssuer(head: readonly string[], trailer: readonly string[]): string | undefined {
  const ISSUER = new RegExp(`^((?:中共)?[\\p{Script=Han}]{2,16}?(?:${EDUCATION_BODY}|社会事业局|人民政府办公室|人民政府办公厅|人民政府))`, "u");
  for (const line of [...trailer, ...head]) {
    const bare = line.trim().replace(/文件$/u, "").replace(/\s*(\d{4}\s*年.*|\d{4}-\d{1,2}-\d{1,2})$/u, "");
    const m = ISSUER.exec(bare);
    if (m?.[1] && m[1] === bare && !isAddressee(line)) return m[1];
  }
  const [field] = issuerFields(head).filter((v) => ISSUER.test(v));
  if (field) return field;
  for (const line of head) {
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
