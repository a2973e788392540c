/**
 * Times and dates as documents write them, one pattern per kind a question may ask for (几点,
 * 几月几号, 哪一年, 什么时候): retrieval prefers a passage that states the kind asked, and the
 * answer leads with what it states. One table for both, so that what counts as stating a time
 * is the same where the task is chosen and where its sentence is.
 */
/** The kinds, in the order an answer looks for them: a clock time says more than a period. */
export const TIME_KINDS = ["clock", "date", "year", "period"] as const;
export type TimeKind = (typeof TIME_KINDS)[number];

const DATE = String.raw`(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?(?:前|底|起)?`;
/** A day written with its month glued on by page extraction ("317日" for 3月17日): as written. */
const GLUED_DAY = String.raw`(?<![\d.])\d{1,4}\s*日(?!\d)`;
const CLOCK = String.raw`\d{1,2}\s*[:：]\s*\d{2}`;
/** "4点半", "3点30分". */
const HOUR = String.raw`\d{1,2}\s*点(?:\s*\d{1,2}\s*分|半)?`;

/** Global patterns, for finding every time a quote states (matchAll). A period may be a condition: "待县政府确定规划方案后". */
export const TIME_PATTERNS: Readonly<Record<TimeKind, RegExp>> = {
  // "16:30 分", "16:30 至 18:00", "3点30分", "24小时心理咨询" (at any hour).
  clock: new RegExp(String.raw`${CLOCK}(?:\s*分)?(?:\s*(?:至|到|—|-|~|～)\s*${CLOCK})?|${HOUR}|24\s*小时|全天候`, "gu"),
  date: new RegExp(`${DATE}|${GLUED_DAY}`, "gu"),
  year: /(?:19|20)\d{2}\s*年(?!度)/gu,
  period: new RegExp(
    String.raw`${DATE}|${GLUED_DAY}|\d{4}\s*年(?:底|前|内|起|初)?(?!度)|${CLOCK}|${HOUR}|(?<![\d第])\d{1,2}\s*号(?![楼线院文令])|年底|年初|年内|月底|上半年|下半年|(?:每|本|新|秋季|春季|下|上)(?:学期|学年|季度)|暑期|寒假|暑假|每周|每天|每年|周末|节假日|(?<=^|[，,。；;\s])待(?!遇)[^，,。；;]{2,24}?(?:之后|后)|\d+(?:\.\d+)?\s*(?:个)?(?:小时|分钟|课时|学时|天|周|个月)`,
    "gu",
  ),
};

const ONCE: Readonly<Record<TimeKind, RegExp>> = Object.fromEntries(
  Object.entries(TIME_PATTERNS).map(([kind, re]) => [kind, new RegExp(re.source, "u")]),
) as Record<TimeKind, RegExp>;

/** Whether a text states a time of the kind. */
export function statesTime(kind: TimeKind, text: string): boolean {
  return ONCE[kind].test(text);
}
