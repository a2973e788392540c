/**
 * Places, from one data table (places.json, every province, city and county-level place of
 * GB/T 2260, the SARs and the countries people name): what a document is about, and what a
 * question names. Names are matched whole; a short form (嘉定 for 嘉定区) only where it can only
 * be the place, so 瘦西湖 is never 西湖区.
 */
import data from "./places.json" with { type: "json" };

export type PlaceLevel = "province" | "city" | "county-city" | "county" | "district" | "banner" | "new-area" | "country";

export interface Place {
  /** Full name as written officially: 嘉定区, 芜湖市, 江苏省. */
  name: string;
  level: PlaceLevel;
  /** The prefecture-level city (or municipality) it belongs to. */
  city?: string;
  province?: string;
  /** The short name in toneless pinyin syllables ("hai cang"), to read source addresses. */
  py?: string;
  /** The six-digit GB/T 2260 division code (310105 for 长宁区). */
  code?: string;
}

export const PLACES: readonly Place[] = (data.places as Place[]).map((p) => ({ ...p }));

/** The peoples named in autonomous places' names (黔东南苗族侗族自治州), longest first. */
const PEOPLES = "维吾尔|哈萨克|柯尔克孜|塔吉克|鄂伦春|鄂温克|达斡尔|土家|蒙古|朝鲜|布依|哈尼|傈僳|纳西|景颇|拉祜|仫佬|毛南|仡佬|布朗|撒拉|普米|阿昌|怒|独龙|保安|裕固|东乡|锡伯|羌|苗|侗|瑶|壮|藏|彝|回|白|傣|黎|佤|畲|水|土|京|满|各";
const AUTONOMOUS = new RegExp(`(?<=^.{2,})(?:(?:${PEOPLES})族?)*自治(?:区|州|县|旗)$`, "u");

/** 内蒙古自治区 → 内蒙古, 长阳土家族自治县 → 长阳, 嘉定区 → 嘉定; names of two characters stay whole. */
export function shortName(name: string): string {
  if (name.length <= 2) return name;
  const autonomous = name.replace(AUTONOMOUS, "");
  const short = autonomous !== name ? autonomous : name.replace(/(特别行政区|新区|地区|林区|特区|省|市|区|县|旗|盟)$/u, "");
  return short.length >= 2 ? short : name;
}

export interface PlaceMention {
  place: Place;
  /** Where the mention starts and ends in the text. */
  at: number;
  end: number;
  /** Written in full (嘉定区) or short (嘉定). */
  short: boolean;
}

interface Entry {
  form: string;
  places: Place[];
  short: boolean;
}

/** Every written form (full and short), by first character, longest first. */
const BY_FIRST_CHAR: Map<string, Entry[]> = (() => {
  const forms = new Map<string, Entry>();
  const add = (form: string, place: Place, short: boolean) => {
    const e = forms.get(form);
    if (!e) forms.set(form, { form, places: [place], short });
    else if (!e.places.includes(place) && e.short === short) e.places.push(place);
    else if (e.short && !short) forms.set(form, { form, places: [place], short: false });
  };
  for (const p of PLACES) add(p.name, p, false);
  // 黔东南州, 长阳县, 莫力达瓦旗: autonomous places are usually written as the short name and the level.
  for (const p of PLACES) {
    const level = /自治(州|县|旗)$/u.exec(p.name)?.[1];
    if (level) add(shortName(p.name) + level, p, false);
  }
  for (const p of PLACES) {
    const s = shortName(p.name);
    if (s !== p.name && !forms.has(s)) add(s, p, true);
    else if (s !== p.name && forms.get(s)?.short) add(s, p, true);
  }
  const byChar = new Map<string, Entry[]>();
  for (const e of forms.values()) {
    const c = e.form[0]!;
    byChar.set(c, [...(byChar.get(c) ?? []), e]);
  }
  for (const list of byChar.values()) list.sort((a, b) => b.form.length - a.form.length);
  return byChar;
})();

/**
 * Every place a (folded, simplified) text names, longest form first at each position, without
 * overlaps. `acceptShort` decides, from the text around it, whether a short form is the place.
 */
/**
 * A county-level name of two characters (成县, 叶县) is a place only where it is not the end of
 * another word (建成县域 is 建成 + 县域): after a character that is no word's end of that kind —
 * the start, a non-Han character, a higher level (福建省沙县, 三明市沙县) — or before its issuer's name.
 */
function standsAlone(text: string, at: number, form: string): boolean {
  if (!/^\p{Script=Han}[县区市旗]$/u.test(form) || at === 0) return true;
  const before = text[at - 1]!;
  return !/\p{Script=Han}/u.test(before) || /[省市州盟]/u.test(before) || /^(?:教育|人民政府|政府|委|教体|教科|党)/u.test(text.slice(at + form.length));
}

export function placeMentions(text: string, acceptShort: (text: string, at: number, end: number) => boolean): PlaceMention[] {
  const out: PlaceMention[] = [];
  for (let i = 0; i < text.length; ) {
    const entries = BY_FIRST_CHAR.get(text[i]!);
    const hit = entries?.find((e) => text.startsWith(e.form, i) && (e.short ? acceptShort(text, i, i + e.form.length) : standsAlone(text, i, e.form)));
    if (!hit) {
      i++;
      continue;
    }
    const end = i + hit.form.length;
    // Of two places with one name (普陀区 in 上海 and in 舟山), the one whose city the text names
    // elsewhere (长沙 in "长沙市教育局" is not 长沙县 for naming its own city); else the higher level
    // (河北 is 河北省, not 天津's 河北区).
    const rest = text.slice(0, i) + " " + text.slice(end);
    const names = (parent: string | undefined) => !!parent && shortName(parent) !== hit.form && rest.includes(shortName(parent));
    const place =
      hit.places.find((p) => names(p.city) || names(p.province)) ??
      [...hit.places].sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level])[0]!;
    out.push({ place, at: i, end, short: hit.short });
    i = end;
  }
  return out;
}

/** How high a level stands (province 1, city 2, county-level 3): a bare name shared by a province and a district is the province. */
export const LEVEL_RANK: Record<PlaceLevel, number> = { country: 0, province: 1, city: 2, "county-city": 3, county: 3, district: 3, banner: 3, "new-area": 3 };

export function placeByName(name: string): Place | undefined {
  return PLACES.find((p) => p.name === name);
}

/** Is `inner` inside `outer` (嘉定区 inside 上海市, 谯城区 inside 安徽省)? */
export function within(inner: Place, outer: Place): boolean {
  return inner.city === outer.name || inner.province === outer.name;
}

const BY_CODE = new Map(PLACES.filter((p) => p.code).map((p) => [p.code!, p]));

export function placeByCode(code: string): Place | undefined {
  return BY_CODE.get(code);
}
