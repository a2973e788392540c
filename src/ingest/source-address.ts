/**
 * Places a source address points to. Bureau sites spell their place in the host name, in full
 * pinyin (jyt.guizhou.gov.cn, www.haicang.gov.cn) or as initials (www.nlx.gov.cn for 南陵县,
 * www.szgm.gov.cn for 深圳 光明, hm.nantong.gov.cn for 海门 in 南通). This is weaker evidence
 * than the text: the caller uses it only when the text does not name its place, and initials
 * only when they are unambiguous or the text names the place's city or province.
 */
import { PLACES, type Place } from "./places.js";

export interface AddressedPlace {
  place: Place;
  /** 2: a label spelled in full pinyin, or initials inside a city spelled in full; 1: initials alone. */
  strength: 1 | 2;
}

/** Host labels that say nothing about the place. */
const GENERIC = new Set(["www", "gov", "cn", "com", "net", "org", "edu", "jyj", "jyt", "jyw", "jw", "jtj", "jytj", "xxgk", "zwgk", "zfxxgk", "http", "https", "wap", "m", "mp", "weixin", "qq"]);

const SUFFIX_INITIAL: Record<string, string> = { 省: "s", 市: "s", 区: "q", 县: "x", 旗: "q", 州: "z", 盟: "m" };

interface Spelling {
  place: Place;
  full: string;
  initials: string;
  /** Initials with the last character of the full name: nlx (南陵县). */
  withSuffix: string;
}

const SPELLINGS: Spelling[] = PLACES.filter((p) => p.py && p.level !== "country").map((p) => {
  const syllables = p.py!.split(" ");
  const initials = syllables.map((s) => s[0]).join("");
  return { place: p, full: syllables.join(""), initials, withSuffix: initials + (SUFFIX_INITIAL[p.name.at(-1)!] ?? "") };
});

function hostLabels(url: string): string[] {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return [];
  }
  return host
    .toLowerCase()
    .split(".")
    .filter((l) => /^[a-z]{2,}$/u.test(l) && !GENERIC.has(l));
}

export function placesFromAddress(url: string | undefined): AddressedPlace[] {
  if (!url) return [];
  const labels = hostLabels(url);
  const fullHits = SPELLINGS.filter((s) => s.full.length >= 4 && labels.includes(s.full));
  const cities = new Set(fullHits.map((s) => s.place.name));
  const out = new Map<string, AddressedPlace>();
  const add = (place: Place, strength: 1 | 2) => {
    const had = out.get(place.name);
    if (!had || had.strength < strength) out.set(place.name, { place, strength });
  };
  for (const s of fullHits) add(s.place, 2);
  for (const label of labels) {
    if (fullHits.some((s) => s.full === label)) continue;
    for (const s of SPELLINGS) {
      const inCity = (s.place.city && cities.has(s.place.city)) || (s.place.province && cities.has(s.place.province));
      if (label === s.withSuffix && s.withSuffix.length >= 3) add(s.place, inCity ? 2 : 1);
      else if (label === s.initials && inCity) add(s.place, 2);
      else if (s.place.city && label === `${CITY_INITIALS.get(s.place.city)}${s.initials}`) add(s.place, 1);
    }
    // ahljnews.com: a province's initials, then a county's of that province (安徽 庐江), then the site's kind.
    const bare = label.replace(SITE_KIND, "");
    const inProvince = SPELLINGS.filter((s) => s.place.province && bare === `${CITY_INITIALS.get(s.place.province)}${s.initials}` && s.initials.length >= 2);
    if (inProvince.length === 1) add(inProvince[0]!.place, 1);
  }
  return [...out.values()];
}

/** What a site's name says of itself after its place: news, net, web, edu… */
const SITE_KIND = /(?:news|net|web|edu|jy|jyj|gov|online|info)$/u;

/** szgm: a county's initials after its city's (深圳 光明). */
const CITY_INITIALS = new Map(SPELLINGS.map((s) => [s.place.name, s.initials]));
