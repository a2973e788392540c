/**
 * Everything a person reads, in one place (Simplified Chinese). Logs stay English and live
 * next to the code that writes them.
 */
import { placeByName } from "./ingest/places.js";
import type { IngestErrorCode } from "./ingest/read.js";

export const ingestErrorText: Record<IngestErrorCode, (file: string) => string> = {
  missing: (f) => `找不到文件：${f}`,
  "not-a-file": (f) => `这不是一个文件：${f}`,
  empty: (f) => `文件是空的：${f}`,
  binary: (f) => `这不是文本文件（可能是图片、压缩包或损坏的文件）：${f}`,
  "too-large": (f) => `文件太大，不像是一份工作要点：${f}`,
  unreadable: (f) => `文件无法读取：${f}`,
  "no-text": (f) => `文件里没有可读的中文文字：${f}`,
  "no-body": (f) => `文件只有标题，没有正文：${f}`,
  "password-protected": (f) => `文件有密码保护（或是旧版 .doc），请另存为没有密码的 .docx 或 PDF：${f}`,
  "no-text-layer": (f) => `这个 PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）：${f}`,
  unsupported: (f) => `不支持这种文件类型（支持 .txt、.docx、.pdf、.html）：${f}`,
};

export const cliText = {
  unknownOption: (option: string) => `没有 ${option} 这个选项，用 --help 查看用法。`,
  invalidOption: (option: string, value: string, why: string) => `选项 ${option} 的值“${value}”不对${why ? `：${why}` : "。"}`,
  optionNeedsValue: (option: string) => `选项 ${option} 后面要跟一个值。`,
  tooManyArguments: "参数太多了，用 --help 查看用法。",
  emptyQuestion: "请输入一个问题，例如：npm run ask -- \"长宁区小学课后服务到几点？\"",
  configError: (detail: string) => `配置有误，请检查环境变量：\n${detail}`,
  configProblem: (p: { variable: string; kind: "choice" | "needs" | "value"; values?: string[]; needs?: string[] }) =>
    p.kind === "choice"
      ? `  ${p.variable} 只能是 ${(p.values ?? []).join("、")} 之一`
      : p.kind === "needs"
        ? `  ${p.variable} 要和 ${(p.needs ?? []).join("、")} 一起设置`
        : `  ${p.variable} 的值不对`,
  indexBuilding: "正在建立检索索引（首次运行需要几秒钟）…",
  unexpected: "出了点问题，没能完成。详细信息已写入日志。",
};

export const outlineText = {
  genre: { plan: "工作要点", report: "重点工作推进情况反馈" } as const,
  tasks: (n: number) => `${n} 项`,
  passages: (n: number) => `${n} 段`,
  lead: "牵头",
  partner: "配合",
  contacts: "联系人",
  phones: "电话",
  progress: "进度",
  noStructure: "注意",
};

/**
 * A place's name in English answers, from the place table's pinyin (长宁区 → Changning, 静安区 →
 * Jing'an): every place a deployment holds has one, with no list to keep.
 */
export function placeInEnglish(name: string): string {
  const py = placeByName(name)?.py;
  if (!py) return name;
  const [first = "", ...rest] = py.split(" ");
  const joined = first + rest.map((syllable) => (/^[aoe]/u.test(syllable) ? `'${syllable}` : syllable)).join("");
  return joined.charAt(0).toUpperCase() + joined.slice(1).replace(/v/gu, "ü");
}

/** "长宁区 2020、2021、2023 年，闵行区 2021 年" */
export type Holdings = ReadonlyMap<string, ReadonlySet<number>>;

/** A refusal names this many held places at most: a province's corpus would fill the screen. */
const HOLDINGS_SHOWN = 6;

function shownHoldings(h: Holdings, only?: string): { shown: [string, ReadonlySet<number>][]; more: number } {
  const all = [...h.entries()].filter(([d]) => !only || d === only);
  return { shown: all.slice(0, HOLDINGS_SHOWN), more: Math.max(0, all.length - HOLDINGS_SHOWN) };
}

/** A place's years as a list to read; a document whose year is not written (year 0) is said so, not "0 年". */
function yearsListed(years: Iterable<number>, lang: "zh" | "en"): string {
  const all = [...years];
  const known = all.filter((y) => y > 0).sort();
  const unknown = all.length > known.length ? [lang === "zh" ? "（未写明年份）" : "year not stated"] : [];
  return lang === "zh" ? [...(known.length > 0 ? [`${known.join("、")} 年`] : []), ...unknown].join("、") : [...known, ...unknown].join(", ");
}

function holdingsZh(h: Holdings, only?: string): string {
  const { shown, more } = shownHoldings(h, only);
  const listed = shown.map(([d, years]) => `${d || "（未写明地区）"} ${yearsListed(years, "zh")}`).join("，");
  return more > 0 ? `${listed}等 ${shown.length + more} 个地区` : listed;
}

function holdingsEn(h: Holdings, only?: string): string {
  const { shown, more } = shownHoldings(h, only);
  const listed = shown.map(([d, years]) => `${d ? placeInEnglish(d) : "(place not stated)"} (${yearsListed(years, "en")})`).join(", ");
  return more > 0 ? `${listed} and ${more} more places` : listed;
}

export const answerText = {
  zh: {
    scope: (h: Holdings, only?: string) => `目前收录的是${holdingsZh(h, only)}的文件。`,
    notMentioned: (names: string[], h: Holdings) => `收录的文件里没有提到${names.join("、")}，没法回答。${answerText.zh.scope(h)}`,
    unknownPlace: (places: string[], h: Holdings, like?: string[]) =>
      `还没有收录${places.join("、")}的文件，没法回答。${like?.length ? `是不是要问${like.join("或")}？` : ""}${answerText.zh.scope(h)}`,
    yearNotHeld: (district: string | undefined, years: number[], h: Holdings) =>
      `还没有收录${district ? `${district} ` : ""}${years.join("、")} 年的文件。${answerText.zh.scope(h, district)}`,
    taskNotFound: (n: string, docs: { district: string; year: number; title: string; tasks: number }[]) =>
      `没有找到第 ${n} 项。${docs.length <= 3 ? docs.map((d) => `${bookTitle(d.title)}共 ${d.tasks} 项`).join("；") + "。" : ""}可以用 /about 查看各文件的条目数。`,
    readAs: (typed: string, place: string) => `（没有收录${typed}的文件，按${place}的文件回答）`,
    weak: (h: Holdings) => `收录的文件里没有找到能回答这个问题的内容。${answerText.zh.scope(h)}换个说法，或问问课后服务、托育、体育场地开放、牵头部门这类文件里写到的事。`,
    noLead: (ref: string) => `文件没有写明这项工作由哪个单位负责。相关内容见${ref}：`,
    leadIntro: (departments: string, partners?: string) => `由${departments}牵头${partners ? `，${partners}配合` : ""}`,
    departmentIntro: (department: string, n: number) => `${department}牵头的工作有 ${n} 项：`,
    /** Before the asked fact in an answer's first line. */
    factLabel: { time: "时间：", figure: "", progress: "进度：", contact: "联系人：", docnumber: "文号：", phone: "电话：" },
    phone: "电话 ",
    /** The documents touch the topic but not the asked detail. */
    missing: (details: string[]) => `文件没有写${details.join("和")}；写到的是：`,
    missingDay: "收录的是工作计划和进展报告，不会写这几天的具体安排；写到的是：",
    /** What a missing detail is called in `missing`. */
    detail: {
      fee: "收费标准",
      time: "具体时间",
      period: "具体时间",
      figure: "具体数字",
      phone: "电话号码",
      address: "具体地址",
      channel: "在哪个平台或渠道办理",
      name: "具体名称",
    },
    lookupIntro: (ref: string, title: string) => `${ref}“${title}”：`,
    compareIntro: "对比来看：",
    progress: "进度：",
    sources: "出处",
    opening: "",
  },
  en: {
    scope: (h: Holdings, only?: string) => `I hold documents for ${holdingsEn(h, only)}.`,
    readAs: (typed: string, place: string) => `(No documents for ${typed}; answering from ${placeInEnglish(place)}'s.)`,
    notMentioned: (names: string[], h: Holdings) => `The documents do not mention ${names.join(", ")}. ${answerText.en.scope(h)}`,
    unknownPlace: (places: string[], h: Holdings, like?: string[]) =>
      `I have no documents for ${places.map(placeInEnglish).join(", ")}. ${like?.length ? `Did you mean ${like.map(placeInEnglish).join(" or ")}? ` : ""}${answerText.en.scope(h)}`,
    yearNotHeld: (district: string | undefined, years: number[], h: Holdings) =>
      `I have no documents for ${district ? `${placeInEnglish(district)} ` : ""}${years.join(", ")}. ${answerText.en.scope(h, district)}`,
    taskNotFound: (n: string, docs: { district: string; year: number; title: string; tasks: number }[]) =>
      `There is no task number ${n}.${docs.length <= 3 ? ` ${docs.map((d) => `${placeInEnglish(d.district)} ${d.year}: ${d.tasks} items`).join("; ")}.` : ""}`,
    weak: (h: Holdings) => `The documents I hold do not answer this. ${answerText.en.scope(h)} They cover topics such as after-school services, childcare, opening school sports grounds and which department leads what.`,
    noLead: (ref: string) => `The documents do not say which unit is responsible for this. What they say (${ref}):`,
    leadIntro: (departments: string, partners?: string) => `Led by ${departments}${partners ? `, with ${partners}` : ""}`,
    departmentIntro: (department: string, n: number) => `${department} leads ${n} items:`,
    factLabel: { time: "Time: ", figure: "Answer: ", progress: "Progress: ", contact: "Contact: ", docnumber: "Document number: ", phone: "Phone: " },
    missing: (details: string[]) => `The documents give no ${details.join(" or ")}. What they say (in Chinese):`,
    missingDay: "The documents are plans and progress reports; they do not schedule particular days. What they say (in Chinese):",
    detail: {
      fee: "fee",
      time: "exact time",
      period: "exact time",
      figure: "exact figure",
      phone: "phone number",
      address: "address",
      channel: "app or website",
      name: "names",
    },
    lookupIntro: (ref: string, title: string) => `${ref} “${title}”:`,
    compareIntro: "Side by side:",
    progress: "Progress: ",
    sources: "Sources",
    opening: "What the documents say (quoted in Chinese):",
  },
};

export const chatText = {
  examples: ["长宁区小学课后服务到几点结束？", "孩子不到三岁能送托吗？", "教育信息化由哪个部门牵头？"],
  start:
    "你好！我是区教育工作要点问答助手。问我课后服务、托育、体育场地开放、某项工作由哪个部门牵头、某项重点工作的进度，我会引用文件原文并标出出处（例如〔长宁区·2023年工作要点·第14项〕）。\n\n可以试试下面的问题，或直接输入你的问题。/help 查看用法。",
  help: [
    "直接发问题即可，例如：",
    "• 长宁区小学课后服务到几点结束？",
    "• 局计财科负责哪些工作？",
    "• 043项完成率多少？",
    "追问可以简短：“那闵行呢？”“牵头部门是谁？”",
    "",
    "/task 长宁 2023 14 — 查看某一项的全文（/task 043 也可以）",
    "/about — 已收录的文件",
    "/help — 本说明",
    "每条回答下的“查看出处”可以看到引用的原文。",
  ].join("\n"),
  empty: "请输入一个问题，例如：长宁区小学课后服务到几点结束？",
  truncated: (n: number) => `（问题太长，只看了前 ${n} 个字。）`,
  unknownCommand: (name: string) => `没有 /${name} 这个命令。/help 查看可用的命令。`,
  aboutTitle: (n: number) => `目前收录 ${n} 份文件：`,
  taskCount: (n: number, genre: "plan" | "report") => (genre === "plan" ? `，共 ${n} 项` : `（重点工作）`),
  taskUsage: "用法：/task 长宁 2023 14，或 /task 043",
  taskNotFound: (what: string) => `没有找到“${what}”这一项。/about 可以查看各文件的条目数。`,
  taskAmbiguous: (refs: string[]) => `有几份文件都有这一项，请加上区和年份：\n${refs.join("\n")}`,
  leads: "牵头部门：",
  partners: "配合部门：",
  sourcesButton: "查看出处",
  sourcesTitle: "出处（原文摘录）：",
  sourcesGone: "这条回答的出处已经过期了，请重新提问。",
  nonText: "我只能读文字消息。请用文字输入你的问题，例如：长宁区小学课后服务到几点结束？",
  rateLimited: "问得太快了，请稍等一分钟再问。",
  failed: "抱歉，出了点问题，没能回答。请稍后再试。",
  feedbackThanks: "谢谢反馈！",
  terminalWelcome: (docs: number) =>
    `区教育工作要点问答（已收录 ${docs} 份文件）。输入问题后回车；/help 查看用法；Ctrl-D 退出。\n要运行 Telegram 机器人，请设置 BOT_TOKEN 后再执行 npm start。`,
  terminalSources: "（输入 /sources 查看上一条回答的出处）",
  terminalBye: "再见！",
  statsDenied: "只有管理员可以查看统计。",
  adminOnly: "只有管理员可以使用这个命令。",
  reloaded: (n: number) => `已重新载入索引：${n} 份文件。`,
};

export const statsText = (s: { questions: number; grounded: number; up: number; down: number; top: { question: string; count: number }[] }) =>
  [
    `共回答 ${s.questions} 个问题，其中 ${s.grounded} 个在文件中找到了答案。`,
    `反馈：👍 ${s.up}  👎 ${s.down}`,
    s.top.length > 0 ? `问得最多的问题：\n${s.top.map((t, i) => `${i + 1}. ${t.question}（${t.count} 次）`).join("\n")}` : "还没有人提问。",
  ].join("\n");

export const botCommands = [
  { command: "start", description: "开始使用，看看能问什么" },
  { command: "help", description: "用法说明" },
  { command: "task", description: "查看某一项的全文，如 /task 长宁 2023 14" },
  { command: "about", description: "已收录的文件" },
];

export const ingestText = {
  usage: "用法：npm run ingest -- <文件或文件夹>…；npm run ingest -- --list；npm run ingest -- --remove <编号>",
  nothingToAdd: "没有找到可以收录的文件（支持 .txt、.docx、.pdf、.html）。",
  tableHead: ["文件", "地区", "年份", "类型", "条目数", "牵头单位数", "结果"],
  noPlace: "（未写明地区）",
  level: { province: "省级", city: "市级", "county-city": "县级市", county: "县", district: "区", banner: "旗", "new-area": "新区" } as const,
  listHead: ["编号", "区", "年份", "类型", "任务数", "文件"],
  genre: { plan: "工作要点", report: "重点工作反馈" } as const,
  status: { added: "已收录", replaced: "已替换旧版本", unchanged: "没有变化", skipped: "未收录" } as const,
  sameAs: (name: string) => `与已收录的 ${name} 内容相同`,
  givenUpdated: (name: string) => `已收录（${name}），按这次指定的地区/来源重新读取`,
  noSuchId: (id: string, ids: string[]) => `没有编号为“${id}”的文件。已收录：${ids.join("、")}`,
  removed: (id: string, aside: string) => `已移除 ${id}（原文件保存在 ${aside}）。`,
  indexed: (docs: number, chunks: number, embedded: number, reused: number) =>
    `索引已更新：${docs} 份文件，${chunks} 个段落（新计算向量 ${embedded} 个，沿用 ${reused} 个）。`,
  skipped: (n: number) => `有 ${n} 个文件没有收录，原因见上。`,
};

/** `npm run serve`: the HTTP API's error messages, the web chat page and the document pages. */
export const serverText = {
  errors: {
    badJson: "请求体必须是一个 JSON 对象。",
    missingField: (field: string) => `缺少字段 ${field}。`,
    notText: (field: string) => `字段 ${field} 必须是文字。`,
    notPositiveInt: (field: string, max: number) => `字段 ${field} 必须是 1 到 ${max} 之间的整数。`,
    badConversation: "字段 conversation 只能由字母、数字、- 和 _ 组成，长度 1 到 100。",
    questionTooLong: (max: number) => `问题太长了，最多 ${max} 个字。`,
    unknownDistrict: (raw: string, held: string[]) => `没有收录“${raw}”的文件。已收录：${held.join("、")}。`,
    unknownDocument: (id: string) => `没有编号为“${id}”的文件。/api/documents 列出已收录的文件。`,
    unknownTask: (id: string, n: string) => `文件“${id}”里没有第 ${n} 项。`,
    bodyTooLarge: (kb: number) => `请求体太大，最多 ${kb} KB。`,
    unauthorized: "需要有效的访问密钥：请在请求头 Authorization: Bearer <密钥> 或 X-API-Key 中提供。",
    rateLimited: (seconds: number) => `问得太快了，请 ${seconds} 秒后再问。`,
    notFound: "没有这个地址。",
    internal: "服务器出了点问题，没能完成。请稍后再试。",
  },
  listening: (url: string, docs: number) => `问答服务已启动：${url}（已收录 ${docs} 份文件；Ctrl-C 停止）`,
  portInUse: (host: string, port: number) => `端口 ${port} 已被占用（${host}），请用 PORT 换一个端口。`,
  /** Telegram: the link button under the sources, one per cited task. */
  readFull: "阅读全文",
  /** Telegram without PUBLIC_URL: the button that sends the cited task's whole text. */
  fullText: "全文",
  chat: {
    title: "区教育工作要点问答",
    intro: "问课后服务、托育、体育场地开放、哪个部门牵头、某项重点工作的进度。每个回答都引用文件原文，点出处可以打开原文。",
    label: "你的问题",
    placeholder: "例如：长宁区小学课后服务到几点结束？",
    send: "提问",
    sending: "正在查找…",
    examples: "可以试试：",
    newChat: "新对话",
    you: "问",
    bot: "答",
    sources: "出处：",
    noSources: "（文件中没有找到答案，所以没有出处）",
    networkError: "连不上服务器，请检查网络后再试。",
    /** The page adds the HTTP status after it. */
    failed: "服务器没能回答，请稍后再试。",
    keyNeeded: "这个服务需要访问密钥。请输入管理员给你的密钥，然后再问一次。",
    keyLabel: "访问密钥",
    keySave: "保存密钥",
    documents: "已收录的文件",
    footer: "回答只摘录已收录文件的原文，不代表官方解释。",
  },
  document: {
    back: "← 返回问答",
    print: "打印",
    issuer: "发文单位",
    issuedOn: "日期",
    docNumber: "文号",
    source: "来源",
    genre: { plan: "工作要点", report: "重点工作推进情况反馈" } as const,
    contents: "目录",
    leads: "牵头部门：",
    partners: "配合部门：",
    contacts: "联系人：",
    phones: "联系电话：",
    progress: "进度：",
    notFoundTitle: "没有找到这份文件",
  },
};

/** Serving many people at once: rate-limit notes, votes, long tasks, and setup problems named plainly. */
export const servingText = {
  rateLimitedShort: "问得太快了，请稍等一分钟再问。",
  alreadyVoted: "你已经评价过这条回答了，谢谢！",
  answerGone: "这条回答已经过期了，请重新提问。",
  statsPrivateOnly: "统计只在私聊中提供：请私聊我发送 /stats。",
  fullTaskButton: "全文",
  taskSummaryMore: (chars: number) => `……（全文共 ${chars} 字，点下面的“全文”查看）`,
  noDocuments: "还没有收录任何文件，暂时无法回答。请管理员先用 npm run ingest 添加文件。",
  docsDirMissing: (dir: string) => `找不到文件夹 ${dir}（DOCS_DIR）：请先创建它，或把 DOCS_DIR 指向存放文件的文件夹。`,
  docsDirNotFolder: (dir: string) => `${dir}（DOCS_DIR）不是一个文件夹。`,
  indexDirUnwritable: (dir: string, why: string) => `无法写入索引文件夹 ${dir}（INDEX_DIR）：${why}。请换一个可写的文件夹，或修改它的权限。`,
  why: {
    EACCES: "没有写入权限",
    EPERM: "没有写入权限",
    EROFS: "文件系统是只读的",
    ENOTDIR: "路径中有一部分不是文件夹",
    ENOSPC: "磁盘已满",
  } as Record<string, string>,
  whyOther: (code: string) => `系统错误 ${code}`,
};

/** A title in 《》, or nothing for a document whose own title could not be read (never an empty 《》). */
export const bookTitle = (title: string): string => (title ? `《${title}》` : "");
