import { beforeAll, describe, expect, it } from "vitest";
import { Answerer } from "../../src/answer/answerer.js";
import { toJson, type Answer } from "../../src/answer/types.js";
import { seedIndex } from "../helpers.js";
import { bestWindow } from "../../src/answer/spans.js";
import { answerText, placeInEnglish } from "../../src/messages.js";

let answerer: Answerer;
beforeAll(async () => {
  answerer = new Answerer(await seedIndex(), {});
});

const ask = async (q: string): Promise<Answer> => (await answerer.answer(q)).answer;

describe("extractive answers keep the figure and cite the exact task", () => {
  it.each([
    ["长宁区小学课后服务到几点结束？", "16:30 至 18:00", "〔长宁区·2021年重点工作第048项·一、本月进展情况·（二）小学生校内课后服务工程〕"],
    ["课后服务教育局给每所学校拨多少钱？", "5 万元", "〔长宁区·2021年重点工作第048项·一、本月进展情况·（二）小学生校内课后服务工程〕"],
    ["长宁2023年要推动多少比例的学校体育场地向社区开放？", "80%以上", "〔长宁区·2023年工作要点·第16项〕"],
    ["学校体育场地每周开放多长时间？", "20小时", "〔长宁区·2023年工作要点·第16项〕"],
    ["闵行托育机构从业人员职后培训多少人次？", "200人次", "〔闵行区·2021年下半年工作要点·第3项〕"],
    ["闵行双师型教师比例要达到多少？", "70%", "〔闵行区·2021年下半年工作要点·第19项〕"],
    ["闵行有多少所学校满足体育场馆开放条件？", "114所", "〔闵行区·2021年下半年工作要点·第5项〕"],
    ["长宁中职要淘汰和优化多少旧专业？", "5%—10%", "〔长宁区·2023年工作要点·第12项〕"],
    ["043项完成率多少？", "完成率已达 100%", "〔长宁区·2020年重点工作第043项·（一）目前进展情况〕"],
    ["第048项进展到多少了？", "25%", "〔长宁区·2021年重点工作第048项·一、本月进展情况 25%〕"],
    ["043项的联系人是谁？", "宗宏、石东红", "〔长宁区·2020年重点工作第043项〕"],
    ["教育信息化由哪个部门牵头？", "由局信息办牵头", "〔青浦区·2019年工作要点·第26项〕"],
    ["乡村教师支持计划归谁负责？", "由局人事科牵头", "〔青浦区·2019年工作要点·第22项〕"],
  ])("%s", async (q, figure, ref) => {
    const a = await ask(q);
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain(figure);
    expect(a.citations[0]?.ref).toBe(ref);
    // The text carries the short label; the full one is the citation's ref, for the sources view.
    expect(a.answer).toContain(a.citations[0]!.label);
    expect(a.answer).not.toContain(ref);
  });

  it("quotes verbatim from the cited task, most relevant first", async () => {
    const index = await seedIndex();
    for (const q of ["孩子不到三岁能送托吗？", "长宁和闵行的托育有什么不同？", "局计财科负责哪些工作？"]) {
      const a = await ask(q);
      expect(a.citations.length).toBeGreaterThan(0);
      for (const c of a.citations) {
        const task = index.docById.get(c.docId)?.tasks.find((t) => t.number === c.task);
        expect(task?.text, c.ref).toContain(c.quote);
        expect(a.answer).toContain(c.label);
      }
    }
  });

  it("leads responsibility answers with the department, and lists a department's tasks", async () => {
    expect((await ask("教育信息化由哪个部门牵头？")).answer.startsWith("由局信息办牵头")).toBe(true);
    const dept = await ask("局计财科负责哪些工作？");
    expect(dept.answer.split("\n").slice(0, 3)).toEqual([
      "局计财科牵头的工作有 2 项：",
      "1. 规范教育设备采购与管理。落实学校装备标准化建设要求…〔青浦2019·第24项〕",
      "2. 加强教育经费投入使用管理。强化预算主体责任…〔青浦2019·第25项〕",
    ]);
  });

  it("answers comparisons per district", async () => {
    const a = await ask("长宁和闵行的托育有什么不同？");
    const lines = a.answer.split("\n");
    expect(lines[0]).toBe("对比来看：");
    expect(lines.some((l) => l.startsWith("长宁区："))).toBe(true);
    expect(lines.some((l) => l.startsWith("闵行区："))).toBe(true);
  });

  it("fits a phone screen", async () => {
    for (const q of ["孩子不到三岁能送托吗？", "操场周末开放吗？", "各区的课后服务都是怎么做的？"]) {
      const body = (await ask(q)).answer;
      expect(body.length, q).toBeLessThanOrEqual(350);
    }
  });
});

describe("details the documents do not state", () => {
  it.each([
    ["闵行区心理健康教育中心的24小时咨询电话是多少？", "文件没有写电话号码；写到的是：", "〔闵行2021下半年·第13项〕"],
    ["长宁那个微芯科创实验室具体地址在哪", "文件没有写具体地址；写到的是：", "〔长宁2023·第2项〕"],
    ["长宁学校操场开放要在哪个小程序上预约？", "文件没有写在哪个平台或渠道办理；写到的是：", "长宁"],
    ["长宁爱心晚托班要交钱吗 一个月多少？", "文件没有写收费标准；写到的是：", "〔长宁2021·第048项〕"],
  ])("%s: said plainly, with what the documents do say, and not grounded", async (q, lead, label) => {
    const a = await ask(q);
    expect(a.grounded).toBe(false);
    expect(a.answer.split("\n")[0]).toBe(lead);
    expect(a.answer).toContain(label);
  });

  it("names asked for: a kind of school (3所随迁学校) is no name; a named body is", async () => {
    const kinds = await ask("闵行2022年要转停的3所随迁子女学校分别叫什么名字？");
    expect(kinds.grounded).toBe(false);
    expect(kinds.answer.split("\n")[0]).toBe("文件没有写具体名称；写到的是：");
    const named = await ask("青浦要筹建的家庭教育中心叫什么名字");
    expect(named.grounded).toBe(true);
    expect(named.answer).toContain("青浦区家庭教育指导与研究中心");
    const which = await ask("延安初中一校三址是哪几所学校");
    expect(which.answer).not.toContain("文件没有写");
  });

  it("a choice (建小学还是中学) is answered by the sentence that states one of them", async () => {
    const a = await ask("新华社区那个新学校到底建小学还是中学啊");
    expect(a.answer.split("\n")[0]).toContain("28班完全中学");
    expect(a.citations[0]).toMatchObject({ district: "长宁区", year: 2021, task: "048" });
  });

  it.each([
    // which named school or person (哪个小学, 都有谁): a kind of school or a count is no answer
    "我家住闵行七宝 小区对口哪个小学啊",
    "长宁2023年评上特级教师的都有谁？",
    // people asked for (哪几位老师) are named only as people: 7位教师 names none
    "长宁2020年评上特级教师的是哪几位老师？",
    // several names asked for are not answered by one named school
    "闵行2021年下半年新开办的7所学校分别叫什么名字？",
  ])("%s: names asked for and not stated are said to be missing", async (q) => {
    const a = await ask(q);
    expect(a.grounded).toBe(false);
    expect(a.answer.split("\n")[0]).toBe("文件没有写具体名称；写到的是：");
  });

  it("a mechanism or plan asked by name may be named in quotes", async () => {
    const mechanism = await ask("閔行區的教師培養機制叫什麼名字？");
    expect(mechanism.grounded).toBe(true);
    expect(mechanism.answer).toContain("四级六列");
  });

  it("a place that is not held but sounds like the one held place (常宁) is read as it, and the answer says so first", async () => {
    const a = await ask("我家孩子特别喜欢搞科技小制作，常宁这边有什么比赛能参加？");
    expect(a.answer.split("\n")[0]).toBe("（没有收录常宁的文件，按长宁区的文件回答）");
    expect(a.citations[0]?.ref).toBe("〔长宁区·2023年工作要点·第2项〕");
    expect(a.answer).toContain("科技创新大赛");
  });

  it("a unit a task is done with (配合区卫监所…) answers 配合哪个单位, though the plan names no lead", async () => {
    const a = await ask("长宁2023年学校传染病防控监督、饮用水监督要配合哪个单位");
    expect(a.grounded).toBe(true);
    expect(a.citations[0]?.ref).toBe("〔长宁区·2023年工作要点·第6项〕");
    expect(a.answer).toContain("区卫监所");
  });

  it("a time is asked only by the sentence that asks: 还管几点睡觉，这是区里统一规定的吗？ asks a rule", async () => {
    const a = await ask("孩子上初中，学校不让带手机，还管几点睡觉，这是区里统一规定的吗？我们是闵行的");
    expect(a.grounded).toBe(true);
    expect(a.citations[0]?.ref).toBe("〔闵行区·2021年下半年工作要点·第6项〕");
    expect(a.answer).toContain("五项管理");
  });

  it("English: which office leads is a question of who leads", async () => {
    const a = await ask("Which Qingpu education bureau office leads the procurement of school equipment in 2019?");
    expect(a.answer.split("\n")[0]).toMatch(/^Led by 局计财科〔青浦2019·第24项〕/u);
  });

  it("what 哪些 asks for (哪些市民活动) picks the sentence; the topic before it (学习型社会建设) found the task", async () => {
    const a = await ask("闵行2021年下半年学习型社会建设要办哪些市民活动？");
    expect(a.citations[0]?.ref).toBe("〔闵行区·2021年下半年工作要点·第20项〕");
    expect(a.answer.split("\n")[0]).toContain("市民诵读节");
  });

  it("a line a report writes in two of its parts is quoted once", async () => {
    const a = await ask("标杆校有几所？");
    const quoted = a.answer.split("\n").filter((l) => l.startsWith("“")).map((l) => l.replace(/〔.*$/u, ""));
    expect(quoted.length).toBeGreaterThan(1);
    expect(new Set(quoted).size).toBe(quoted.length);
  });

  it("two counts asked in one message (几所…？多少个…？) lead with both", async () => {
    const a = await ask("闵行2021年下半年新开办几所中小幼学校？推进多少个学校基建项目？");
    const lead = a.answer.split("\n")[0]!;
    expect(lead).toContain("7所");
    expect(lead).toContain("18个");
  });

  it("a figure asked after a scene-setting clause is the one stated of the asked words (覆盖率…60%), not the first figure", async () => {
    const a = await ask("闵行学前教育三年行动计划到2022年，公办幼儿园覆盖率要争取到多少？");
    expect(a.answer.split("\n")[0]).toBe("60%〔闵行2021下半年·第15项〕");
  });

  it("a year asked (哪一年) that the documents do not state is not answered; what they say is shown", async () => {
    const a = await ask("长宁新华社区规划中学哪一年开始招生？");
    expect(a.grounded).toBe(false);
    expect(a.answer.split("\n")[0]).toBe("文件没有写具体时间；写到的是：");
  });

  it("a day close at hand (明天下午的座谈会) is not what plans and reports schedule: not answered, what they say is shown", async () => {
    const a = await ask("长宁区教育局明天下午的课后服务家长座谈会在哪里开？");
    expect(a.grounded).toBe(false);
    expect(a.answer.split("\n")[0]).toBe(answerText.zh.missingDay);
  });

  it("what a task involves (具体要搞哪些活动) is said by the sentences after the one naming its plan, in order", async () => {
    const a = await ask("闵行那个到2023年的未成年人思想道德建设三年提升计划，具体要搞哪些活动？");
    expect(a.citations[0]).toMatchObject({ district: "闵行区", task: "11" });
    expect(a.answer).toContain("扣好人生第一粒扣子");
    // A word may stand between 什么 and the kind asked (有什么提前准备).
    expect((await ask("闵行2022年义务教育招生有什么提前准备？")).answer).toContain("招生预警");
    // 有什么要求 asks what the task requires: 114所 stands two sentences after the one that matches.
    expect((await ask("闵行区学校体育场地开放有什么要求？")).answer).toContain("114所");
    // Where nothing follows the matched sentence, those before it say the rest (七宝's 资源调整 closes its task).
    const qibao = await ask("我们家在七宝，明年娃要上小学了，听说那边人太多怕排不上号，教育局有没有啥办法");
    expect(qibao.answer).toContain("七宝");
    expect(qibao.answer).toContain("招生预警");
    // A comparison still gives each side at most two sentences, within phone length.
    const both = await ask("闵行2021年和青浦2019年在特殊教育方面各有什么举措？");
    expect(both.answer.length).toBeLessThanOrEqual(350);
    expect(both.citations.map((c) => c.district)).toEqual(["闵行区", "青浦区"]);
  });

  it("a report part asked for is quoted though none of its sentences repeats the question's words; a family's 困难 asks for help, not a report's", async () => {
    const a = await ask("长宁2021年托育这块推进中遇到了什么困难");
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain("3周岁");
    const help = await ask("家里经济比较困难，在长宁上学有没有助学方面的帮扶？");
    expect(help.citations[0]).toMatchObject({ district: "长宁区", year: 2023 });
  });

  it("a figure asked of something its task never writes (满分, 录取率, 教师工资) is not answered; one the task writes (完成率) is", async () => {
    for (const q of ["青浦2019年体育中考满分是多少分？", "华东师范大学附属天山学校2023年高考本科录取率是多少？", "闵行2021年下半年中小学教师工资涨多少？"]) {
      const a = await ask(q);
      expect(a.grounded, q).toBe(false);
      expect(a.answer.split("\n")[0], q).toBe("文件没有写具体数字；写到的是：");
    }
    expect((await ask("043项完成率多少？")).grounded).toBe(true);
    // 几公里 counts in a unit (what is counted follows); 听说 is the scene, nothing a figure is of.
    expect((await ask("长宁社区附近有没有给小孩搞课外活动的地方？好像听说有个几公里的活动圈")).grounded).toBe(true);
    // 好几千 is an amount a parent paid, not a question.
    expect((await ask("在长宁给孩子报了个兴趣班预交了好几千，万一机构跑路了区里有没有监管啊")).grounded).toBe(true);
  });

  it("a unit's phone (基教科的办公电话) is a detail of it, not the list of what it leads", async () => {
    const a = await ask("青浦区教育局基教科的办公电话是多少？");
    expect(a.grounded).toBe(false);
    expect(a.answer).not.toContain("牵头的工作有");
  });

  it("a meeting's day and place (哪天开，在哪里开) the documents do not state: both said missing, what they say is quoted", async () => {
    const a = await ask("闵行区学习型社会建设推进大会具体哪天开，在哪里开？");
    expect(a.grounded).toBe(false);
    expect(a.answer.split("\n")[0]).toBe("文件没有写具体时间和具体地址；写到的是：");
    expect(a.citations[0]).toMatchObject({ district: "闵行区", task: "20" });
  });

  it("where to look something up (在哪里可以查到) is a channel the documents must name; 依托… names one", async () => {
    const menu = await ask("闵行区学校的午餐菜单在哪里可以查到？");
    expect(menu.grounded).toBe(false);
    expect(menu.answer.split("\n")[0]).toBe("文件没有写在哪个平台或渠道办理；写到的是：");
    const platform = await ask("长宁教育系统2023年打算通过什么平台拓展教师招聘渠道？");
    expect(platform.grounded).toBe(true);
    expect(platform.answer).toContain("长三角教育人才服务联盟");
  });

  it("a sentence is picked by its rare topic words (晚托班 for 放学后的托管), not a common one another word contains (小学 in 中小学)", async () => {
    const a = await ask("长宁小学放学后的托管，2020年和2021年的报告里说法有什么变化？");
    expect(a.answer).toContain("3点30分");
    expect(a.answer).toContain("16:30 至 18:00");
  });

  it("each place with its own year (长宁2023年和闵行2021年) compares those two documents", async () => {
    const a = await ask("托育方面，长宁2023年和闵行2021年下半年各自准备怎么在幼儿园开托班？");
    expect(a.citations.map((c) => c.ref)).toEqual(["〔长宁区·2023年工作要点·第15项〕", "〔闵行区·2021年下半年工作要点·第3项〕"]);
    expect(a.answer).toContain("5所公办园");
  });

  it("a service open 24 hours answers 几点有人接", async () => {
    const a = await ask("闵行孩子心里有事想找人说说 区里心理咨询几点有人接");
    expect(a.grounded).toBe(true);
    expect(a.answer.split("\n")[0]).toBe("时间：24小时〔闵行2021下半年·第13项〕");
  });

  it("a figure asked in a figurative place is not an address (放在什么位置)", async () => {
    const a = await ask("长宁2023年学习贯彻党的二十大精神放在什么位置");
    expect(a.answer).not.toContain("文件没有写具体地址");
  });

  it("contacts are answered from the task's contact lines, names and numbers both quoted", async () => {
    const a = await ask("长宁教育局2021年3月那份重点工作反馈的联系人和联系电话是什么？");
    expect(a.grounded).toBe(true);
    expect(a.answer.split("\n")[0]).toBe("联系人：宗宏、石东红；电话 22050781、22050725〔长宁2021·第048项〕");
    expect(a.answer).toContain("“联系人：宗宏、石东红”");
  });
});

describe("comparisons and headings", () => {
  it("each side of a comparison says what it does in up to two sentences of its own task", async () => {
    const a = await ask("闵行和青浦在特殊教育上各有什么重点工作？");
    const side = (d: string) => a.answer.split("\n").find((l) => l.startsWith(`${d}：`)) ?? "";
    expect(side("闵行区")).toContain("〔闵行2021下半年·第18项〕");
    expect(side("青浦区")).toContain("四区联动");
    expect(side("青浦区")).toContain("〔青浦2019·第14项〕");
  });

  it("a comparison of targets leads with each side's target figures, each standing in its side's quote", async () => {
    const a = await ask("长宁2023年和闵行2021年在学校体育场地开放上的目标有什么不同？");
    const [lead, ...rest] = a.answer.split("\n");
    expect(lead).toBe("长宁区 80%以上、20小时，闵行区 114所。");
    expect(rest.find((l) => l.startsWith("闵行区："))).toContain("114所");
  });

  it("a part's heading line (（3）小学) is never quoted alone: what stands under it is", async () => {
    const a = await ask("长宁2020年和2021年小学放学后的服务分别是怎么做的？");
    expect(a.answer).not.toMatch(/“\(3\) 小学”/u);
    expect(a.answer.length).toBeLessThanOrEqual(350);
  });
});

describe("refusals", () => {
  it.each([
    ["怎么申请美国大学？", "还没有收录美国的文件"],
    ["长宁区2025年工作要点有什么？", "还没有收录长宁区 2025 年的文件。目前收录的是长宁区 2020、2021、2023 年的文件。"],
    ["北京海淀区的中考政策是什么？", "还没有收录海淀区的文件"],
    ["第99项是什么", "没有找到第 99 项"],
    ["青浦区2019年第30项", "没有找到第 30 项。《2019年青浦教育工作要点》共 28 项。"],
    ["七宝中学去年中考录取分数线是多少分？", "收录的文件里没有提到七宝中学，没法回答。"],
    ["闵行七宝实验小学的具体地址在哪里", "收录的文件里没有提到七宝实验小学，没法回答。"],
  ])("%s", async (q, text) => {
    const a = await ask(q);
    expect(a.grounded).toBe(false);
    expect(a.citations).toEqual([]);
    expect(a.answer).toContain(text);
  });
});

describe("English questions", () => {
  it("open in English and quote the Chinese evidence with its citation", async () => {
    const a = await ask("What time does after-school care end in Changning?");
    expect(a.language).toBe("en");
    expect(a.answer.split("\n")[0]).toBe("Time: 16:30 至 18:00〔长宁2021·第048项〕");
    expect(a.citations[0]?.task).toBe("048");
  });

  it("refuse in English", async () => {
    const a = await ask("What is the weather today?");
    expect(a.grounded).toBe(false);
    expect(a.answer).toMatch(/^The documents I hold do not answer this/u);
  });
});

describe("the JSON contract", () => {
  it("has exactly the fixed fields", async () => {
    const j = toJson(await ask("长宁区小学课后服务到几点结束？"));
    expect(Object.keys(j)).toEqual(["question", "answer", "grounded", "citations"]);
    expect(Object.keys(j.citations[0]!)).toEqual(["ref", "district", "year", "title", "task", "path", "quote", "label"]);
    expect(j.citations[0]).toMatchObject({ district: "长宁区", year: 2021, task: "048", path: ["一、本月进展情况 25%", "（二）小学生校内课后服务工程"] });
  });
});

describe("length on a phone", () => {
  it("a clause with no punctuation longer than a quote may be is cut at a space, never inside a number", () => {
    const junk = "臺北市政府教育局施政報告 資料時點 97年10月1日至97年10月31日 專責單位 臺北市政府教育局秘書室 ".repeat(8);
    const cut = bestWindow(junk, () => 1, 60);
    expect(cut.length).toBeLessThanOrEqual(60);
    expect(junk.includes(cut)).toBe(true);
    expect(bestWindow("1234567890".repeat(10), () => 1, 55).length).toBeLessThanOrEqual(55);
  });

  it("a refusal names a few held places, not a province's every one", () => {
    const held = new Map(["甲区", "乙区", "丙区", "丁区", "戊区", "己区", "庚区", "辛区"].map((d) => [d, new Set([2023])]));
    expect(answerText.zh.scope(held)).toBe("目前收录的是甲区 2023 年，乙区 2023 年，丙区 2023 年，丁区 2023 年，戊区 2023 年，己区 2023 年等 8 个地区的文件。");
    expect(answerText.en.scope(held)).toContain("and 2 more places");
  });

  it("a document whose year is not written is listed so, never as 0 年", () => {
    const held = new Map([["颍州区", new Set([0])], ["长宁区", new Set([2023, 0])]]);
    expect(answerText.zh.scope(held)).toBe("目前收录的是颍州区 （未写明年份），长宁区 2023 年、（未写明年份）的文件。");
    expect(answerText.en.scope(held)).not.toMatch(/\b0\b/u);
  });
});

describe("plans whose items are one sentence and a lead note (a newcomer's own documents)", () => {
  it("quote the item's sentence, never the lead note alone; a title sentence with a figure is content; a phone written inline leads", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { buildIndex } = await import("../../src/index/open.js");
    const { loadConfig } = await import("../../src/config.js");
    const { embeddingSpecFor } = await import("../../src/index/embedding-spec.js");
    const dir = mkdtempSync(join(tmpdir(), "one-sentence-"));
    const docs = join(dir, "docs");
    (await import("node:fs")).mkdirSync(docs);
    writeFileSync(
      join(docs, "jiading2024.txt"),
      "2024年嘉定区教育局工作要点\n一、办好人民满意的教育\n1. 全区公办小学课后服务延长至18:30，为有需要的学生提供延时托管服务。（牵头单位：基础教育科）\n2. 学校体育场地每周开放时长不少于24小时。开放学校达到90所。（牵头单位：体卫艺科）\n3. 新增托班学位600个\n（牵头单位：学前教育科）\n4. 开通心理咨询热线021-12345678，提供24小时服务。（牵头单位：德育科）\n",
    );
    const config = loadConfig({});
    const { index } = await buildIndex({ docsDir: docs, indexDir: join(dir, "index"), spec: embeddingSpecFor(config) });
    const jiading = new Answerer(index, {});
    const first = async (q: string) => (await jiading.answer(q)).answer.answer.split("\n").slice(0, 2);
    expect(await first("嘉定区小学课后服务到几点？")).toEqual(["时间：18:30〔嘉定2024·第1项〕", "“全区公办小学课后服务延长至18:30，为有需要的学生提供延时托管服务”"]);
    expect((await first("嘉定体育场地每周开放多少小时？"))[0]).toBe("24小时〔嘉定2024·第2项〕");
    expect((await first("嘉定新增托班学位多少个？"))[0]).toBe("600个〔嘉定2024·第3项〕");
    expect((await first("嘉定心理热线电话是多少？"))[0]).toBe("电话：021-12345678〔嘉定2024·第4项〕");
    expect(index.documents[0]!.tasks[2]!.title).toBe("新增托班学位600个");
  }, 60_000);
});

describe("places in English answers", () => {
  it("come from the place table's pinyin, for any place held, with the readings place names use", () => {
    expect(["长宁区", "静安区", "闵行区", "招远市", "吕梁市"].map(placeInEnglish)).toEqual(["Changning", "Jing'an", "Minhang", "Zhaoyuan", "Lüliang"]);
  });
});
