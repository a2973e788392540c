import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanLines } from "../../src/ingest/clean.js";
import { parseDocument } from "../../src/ingest/parse.js";
import { extractFigures } from "../../src/ingest/annotations.js";
import { placeMentions } from "../../src/ingest/places.js";
import type { Part } from "../../src/ingest/types.js";
import { hanCounts, keptText, parseSeed, seedText } from "../helpers.js";

const plan2023 = parseSeed("002");
const minhang = parseSeed("003");
const qingpu = parseSeed("004");
const report043 = parseSeed("000");
const report048 = parseSeed("001");

describe("work plans", () => {
  it.each([
    ["长宁 2023", plan2023, 30, 5],
    ["闵行 2021 下半年", minhang, 30, 8],
    ["青浦 2019", qingpu, 28, 8],
  ])("%s has the exact item and section counts", (_name, doc, items, sections) => {
    expect(doc.genre).toBe("plan");
    expect(doc.tasks).toHaveLength(items);
    expect(doc.sections).toHaveLength(sections);
    expect(doc.tasks.map((t) => Number(t.number))).toEqual(Array.from({ length: items }, (_, i) => i + 1));
  });

  it("reads metadata from the text, not the file name", () => {
    expect(plan2023).toMatchObject({
      district: "长宁区",
      year: 2023,
      title: "2023年长宁区教育局工作要点",
      issuer: "上海市长宁区教育局",
      docNumber: "长教〔2023〕8号",
      issuedOn: "2023-03-01",
    });
    expect(minhang).toMatchObject({ district: "闵行区", year: 2021, period: "下半年", issuedOn: "2021-09-14" });
    expect(minhang.title).toBe("2021年下半年闵行教育工作要点");
    expect(qingpu).toMatchObject({ district: "青浦区", year: 2019, title: "2019年青浦教育工作要点" });
  });

  it("keeps item titles and sections", () => {
    const item14 = plan2023.tasks[13];
    expect(item14?.title).toBe("深化“双减”落实");
    expect(item14?.section).toBe("三、优化资源供给，提升教育服务能级");
    expect(item14?.text).toContain("优化“5+2”校内课后服务");
  });

  it("unfolds a document delivered as one long line", () => {
    const item4 = minhang.tasks[3];
    expect(item4?.title).toBe("实施义务教育中小学校内课后服务工程");
    expect(item4?.section).toBe("二、落实民心工程,办有温度的教育");
    expect(item4?.text.startsWith("实施义务教育中小学校内课后服务工程。")).toBe(true);
    expect(item4?.text).not.toMatch(/实施学校等体育场馆开放工程/u);
    // "平台2.0试点" inside item 17 is not item 2.
    expect(minhang.tasks[16]?.text).toContain("高中课程管理平台2.0试点建设");
  });

  it("assigns lead departments per sentence", () => {
    const item22 = qingpu.tasks[21];
    const who = (needle: string) =>
      item22?.leadDepartments.filter((l) => l.sentence.includes(needle)).map((l) => l.department);
    expect(who("乡村教师支持计划")).toEqual(["局人事科"]);
    expect(who("公共交通路线")).toEqual(["局法制科"]);
    expect(who("校舍修缮三年行动计划")).toEqual(["局规划办"]);
    expect(qingpu.tasks[25]?.leadDepartments.map((l) => l.department)).toEqual(["局信息办"]);
    expect(qingpu.tasks[3]?.leadDepartments.map((l) => l.department)).toEqual(["局基教科", "局综改办", "局人事科"]);
  });

  it("reads an unlabelled list of units closing an item as its lead (the first) and the units working with it (天津's 任务分工)", () => {
    const doc = parseDocument(
      [
        "天津市教育委员会关于教育改革任务分工的通知",
        "一、高质量普及学前教育",
        "1. 积极构建办园体制,形成多元化发展格局。(市教委、市财政局、市发展改革委。列在首位的为牵头部门或单位,下同)",
        "2. 完善0至3岁婴幼儿家长科学育儿指导服务体系。(市卫生局、市教委)",
        "3. 推进学校(幼儿园)建设,实施三年行动计划(2010-2012年)。",
      ].join("\n"),
      "tianjin.txt",
    );
    const leads = (i: number) => doc.tasks[i]?.leadDepartments.map((l) => `${l.department}${l.role === "partner" ? "·配合" : ""}`);
    expect(leads(0)).toEqual(["市教委", "市财政局·配合", "市发展改革委·配合"]);
    expect(leads(1)).toEqual(["市卫生局", "市教委·配合"]);
    expect(leads(2)).toEqual([]);
    // A list may end with what its units do, and a unit may carry its other name: (…、民委(宗教局)、团委组织实施).
    const xinjiang = parseDocument("1.构建德育工作体系。加强队伍建设。(自治区党委组织部、民委(宗教局)、团委组织实施)\n2.推进双语教育。", "xinjiang.txt");
    expect(xinjiang.tasks[0]?.leadDepartments.map((l) => l.department)).toEqual(["自治区党委组织部", "民委(宗教局)", "团委"]);
    // Bracketed words that are no units are no list (公办、民办; 以下简称; 家长会), and a labelled note may wrap a line.
    for (const text of ["扩大普惠性学位供给（公办、民办）。", "成立家长委员会（以下简称家委会）。", "开好会（每学期一次家长会）。"]) {
      expect(parseDocument(`1.${text}\n2.推进双语教育。`, "x.txt").tasks[0]?.leadDepartments).toEqual([]);
    }
    const wrapped = parseDocument("1.落实资助政策（牵头部门：局基教科、\n局综改办）。\n2.推进双语教育。", "x.txt");
    expect(wrapped.tasks[0]?.leadDepartments.map((l) => l.department)).toEqual(["局基教科", "局综改办"]);
    // The list is who, not what: the title stops before it.
    expect(doc.tasks[0]?.title).toBe("积极构建办园体制,形成多元化发展格局");
  });

  it("a part with no item is a task only where items are cited within their part; the signature stays last", () => {
    // Items numbered on across parts: a whole part 一 would share its number with item （一）.
    const across = parseDocument(["某区教育局2023年工作要点", "一、指导思想", "坚持立德树人，办好人民满意的教育，推进各项工作。", "二、重点任务", "（一）推进课后服务。", "（二）推进托育服务。", "三、保障措施", "（三）加强组织领导。", "（四）加强经费保障。"].join("\n"), "a.txt");
    expect(across.tasks.map((t) => t.number)).toEqual(["一", "二", "三", "四"]);
    expect(across.preamble).toContain("坚持立德树人，办好人民满意的教育，推进各项工作。");
    const signed = parseDocument(["闵行区2023年工作要点", "一、总体要求", "1.推进课后服务。", "2.推进托育。", "3.推进开放。", "二、保障措施", "加强组织领导，确保各项任务落实到位。", "闵行区教育局", "2023年3月1日"].join("\n"), "b.txt");
    expect(signed.tasks.at(-1)?.text).toContain("加强组织领导");
    expect(signed.trailer).toBe("闵行区教育局\n2023年3月1日");
  });

  it("extracts shares written in words (約五分之一, 三分之二以上, 七成以上) but not 一成不变", () => {
    expect(extractFigures("教育經費約五分之一,三分之二以上的学校,七成以上家长,一成不变")).toEqual(["約五分之一", "三分之二以上", "七成以上"]);
  });

  it("extracts figures as written", () => {
    expect(minhang.tasks[2]?.figures).toEqual(expect.arrayContaining(["50%以上", "200人次"]));
    expect(plan2023.tasks[15]?.figures).toEqual(expect.arrayContaining(["80%以上", "20小时"]));
    expect(plan2023.tasks[11]?.figures).toEqual(expect.arrayContaining(["5%—10%", "1—2个"]));
  });

  it("drops stray markdown and table pipes", () => {
    expect(plan2023.tasks[11]?.text).toContain("职业教育：优化专业布局");
    expect(keptText(plan2023)).not.toContain("**");
    expect(minhang.tasks.at(-1)?.text.endsWith("|")).toBe(false);
  });
});

describe("progress reports", () => {
  it("report 000 is task 043 of 2020 with its three parts", () => {
    expect(report043).toMatchObject({ genre: "report", district: "长宁区", year: 2020 });
    expect(report043.tasks).toHaveLength(1);
    const task = report043.tasks[0];
    expect(task?.number).toBe("043");
    expect(task?.title).toBe("推进教育“优质+均衡”发展三年行动计划落实");
    expect(task?.parts.map((p) => p.title)).toEqual(["目前进展情况", "存在的困难", "下一步工作措施"]);
    expect(task?.parts[0]?.parts[0]?.parts[0]?.title).toBe("高中");
    expect(task?.parts[0]?.parts[0]?.parts[0]?.parts.map((p) => p.label)).toEqual(["①", "②", "③", "④"]);
    expect(task?.contacts).toEqual({ names: ["宗宏", "石东红"], phones: ["22050725"] });
    expect(task?.progress).toEqual(["完成率已达 100%"]);
  });

  it("report 001 is task 048 of 2021 (from its signing date) with six parts under 一、本月进展情况", () => {
    expect(report048).toMatchObject({ genre: "report", district: "长宁区", year: 2021, issuedOn: "2021-03-25" });
    expect(report048.title).not.toMatch(/\d{4}/u);
    const task = report048.tasks[0];
    expect(task?.number).toBe("048");
    const progress = task?.parts[0];
    expect(progress?.label).toBe("一、");
    expect(progress?.title).toBe("本月进展情况 25%");
    expect(progress?.parts.map((p) => p.title)).toEqual([
      "学龄前儿童幼有善育工程",
      "小学生校内课后服务工程",
      "学校等体育场地开放工程",
      "紧密型学区化集团化办学",
      "华东师范大学附属天山学校特色高中创建",
      "新华社区新建学校项目",
    ]);
    expect(task?.parts.map((p) => p.label)).toEqual(["一、", "二、", "三、"]);
    expect(task?.figures).toEqual(expect.arrayContaining(["16:30 至 18:00", "5 万元", "24 所"]));
    expect(task?.figures).not.toContain("048 项");
    expect(task?.progress).toEqual(["进展情况 25%"]);
    expect(report048.trailer).toBe("长宁区教育局\n2021年3月25日");
  });

  it("unfolds inline sub-items （1）…（2）… after a sentence end", () => {
    const next = report048.tasks[0]?.parts[2]?.parts[1];
    expect(next?.title).toBe("小学生校内课后服务工程");
    expect(next?.parts.map((p: Part) => p.label)).toEqual(["（1）", "（2）"]);
    expect(next?.parts[1]?.text).toContain("用好专项经费");
  });
});

describe("clean-up", () => {
  it("rejoins every page-break split the seeds have", () => {
    const all = ["000", "001", "002", "003", "004"].map(parseSeed).map(keptText).join("\n");
    for (const joined of ["建成全国首个", "5 万元专项经费", "落实学生视力普查", "规范工作。", "骨干后备力量", "网络课程教学、网上交流", "待下一次汇报后确定", "用好专项经费", "深化课后服务", "等“十四五”规划项目", "改造，打造"]) {
      expect(all, joined).toContain(joined);
    }
  });

  it("unwraps text a PDF wrapped at its page's width (太原's 2025 plan, copied as published), but not a table's rows", () => {
    const wrapped = [
      "市教育局 2025 年度教育工作要点",
      "一、坚持铸魂育人,加强党对教育工作的全面领导",
      "(一)强化政治引领把握方向。坚持和加强党对教育事业的",
      "全面领导,全面贯彻党的教育方针,增强推进党的政治建设的自",
      "觉性和坚定性,主动适应新形势新要求,抢抓战略机遇,全面提",
      "升铸魂育人实效。",
      "(二)筑牢基层组织战斗堡垒。有效落实中小学校党组织领",
      "导的校长负责制。加大年轻干部培养选拔力度,举办副校级领导",
      "干部履职能力提升班、95 后干部培训营,开展第三届“太教新",
      "青年”评选展示活动,分层分类打造人才储备库。",
    ].join("\n");
    const lines = cleanLines(wrapped);
    expect(lines).toContain("(二)筑牢基层组织战斗堡垒。有效落实中小学校党组织领导的校长负责制。加大年轻干部培养选拔力度,举办副校级领导干部履职能力提升班、95 后干部培训营,开展第三届“太教新青年”评选展示活动,分层分类打造人才储备库。");
    expect(lines[1]).toBe("一、坚持铸魂育人,加强党对教育工作的全面领导");
    // A table's rows keep their line ends.
    const table = ["序号\t重点工作任务\t牵头单位", "1\t推进课后服务提质，延长服务时间，\t基教科", "2\t扩大普惠托育资源，新增托位，\t学前科"].join("\n");
    expect(cleanLines(`${wrapped}\n${table}`).slice(-3)).toEqual(table.split("\n"));
  });

  it("does not join a heading to the paragraph under it", () => {
    expect(cleanLines("（一）目前进展情况\n\n截至目前，该项目已全部完成。")).toEqual(["（一）目前进展情况", "截至目前，该项目已全部完成。"]);
    expect(cleanLines("长宁区教育局\n\n2021年3月25日")).toEqual(["长宁区教育局", "2021年3月25日"]);
  });

  it("loses no Han character of any seed", () => {
    for (const prefix of ["000", "001", "002", "003", "004"]) {
      expect(hanCounts(keptText(parseSeed(prefix))), prefix).toEqual(hanCounts(seedText(prefix)));
    }
  });
});

describe("property: parsing loses no Han character", () => {
  const han = fc.string({ unit: fc.constantFrom(..."教育课后服务托班学校推进开展加强落实工作要点完善建设体系，、；".split("")), minLength: 4, maxLength: 40 });
  const sentence = han.map((s) => `${s}。`);
  const item = fc.record({ sentences: fc.array(sentence, { minLength: 1, maxLength: 4 }), lead: fc.option(fc.constantFrom("局基教科", "局人事科、局办公室")) });
  const doc = fc.record({
    preamble: fc.array(sentence, { maxLength: 3 }),
    sections: fc.array(fc.array(item, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
    oneLine: fc.boolean(),
    pageBreakAt: fc.nat(),
  });
  const CN = ["一", "二", "三", "四", "五"];

  it("holds for generated plans, one-line or not, with a page break anywhere", () => {
    fc.assert(
      fc.property(doc, ({ preamble, sections, oneLine, pageBreakAt }) => {
        let n = 0;
        const lines = [...preamble];
        sections.forEach((items, s) => {
          lines.push(`${CN[s]}、${"加强工作"}`);
          for (const it of items) {
            n++;
            const lead = it.lead ? `（牵头部门：${it.lead}）` : "";
            lines.push(`${n}. ${it.sentences.join("")}${lead}`);
          }
        });
        let text = lines.join(oneLine ? " " : "\n\n");
        // A page break inside running text: a blank line between two Han characters.
        const hanAt = [...text.matchAll(/\p{Script=Han}(?=\p{Script=Han})/gu)].map((m) => (m.index ?? 0) + 1);
        if (hanAt.length > 0) {
          const at = hanAt[pageBreakAt % hanAt.length] ?? 0;
          text = `${text.slice(0, at)}\n\n${text.slice(at)}`;
        }
        const parsed = parseDocument(`${text}\n`, "generated.txt");
        expect(hanCounts(keptText(parsed))).toEqual(hanCounts(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe("a file with nothing to answer from", () => {
  it("a title alone is refused with its own reason; one paragraph of text is kept", () => {
    expect(() => parseDocument("2023年宝山区教育工作要点\n", "t.txt")).toThrow(expect.objectContaining({ code: "no-body" }));
    const one = parseDocument("2023年宝山区教育工作要点\n全区推进课后服务全覆盖，每周开放体育场地不少于20小时。\n", "p.txt");
    expect(one.tasks.some((t) => t.text.startsWith("全区推进课后服务全覆盖"))).toBe(true);
  });
});

describe("a progress table with a leader's column (found on 田家庵区's 2024 table)", () => {
  it("takes the unit's column (责任科室) as the lead, never the leader's (牵头领导), and the progress column as a part", () => {
    const d = parseDocument(
      "2024年4月-6月某某区教育体育局重点工作进展情况\n序号 | 主要任务 | 牵头领导 | 责任科室 | 落实情况 | 完成状态 |\n1 | 举办少儿艺术活动100场次以上。 | 张三 | 宣教科 | 组织开展区级科技艺术节30场。 | 序时推进 |\n2 | 体育健身赛事覆盖5万人次以上。 | 李四 | 体育办 | 已完成体育健身赛事参与24850人次。 | 序时推进 |\n",
      "t.txt",
    );
    expect(d.tasks.map((t) => t.leadDepartments.map((l) => l.department))).toEqual([["宣教科"], ["体育办"]]);
    expect(d.tasks[1]!.parts.map((p) => p.label)).toEqual(["落实情况"]);
  });
});

describe("a two-character place name stands alone", () => {
  it("成县 in 建成县域 is no place; 叶县 after 平顶山市 and 成县 before its 教育局 are", () => {
    const names = (text: string) => placeMentions(text, () => false).map((m) => m.place.name);
    expect(names("建成县域普通高中“徐特立项目”")).toEqual([]);
    expect(names("平顶山市叶县教育局")).toContain("叶县");
    expect(names("关于成县教育局2024年工作")).toContain("成县");
  });
});

describe("a zone is the place only as issuer", () => {
  const head = (addressee: string) =>
    ["凌海市人民政府办公室关于印发凌海市推进义务教育优质均衡发展实施方案的通知", addressee, "现将实施方案印发给你们，请认真贯彻执行。", "凌海市人民政府办公室", "2020年6月1日", "一、工作目标", "1. 到2022年，全市义务教育学校均达到办学标准。"].join("\n");

  it("a zone heading a list of addressees (大有经济开发区管委会,各乡镇人民政府…) is not the issuer", () => {
    expect(parseDocument(head("大有经济开发区管委会,各乡镇人民政府(街道办事处),市政府有关部门"), "x.txt").district).toBe("凌海市");
  });

  it("a zone's own committee issuing is the place, under the province named before it", () => {
    const d = parseDocument(["陕西省西咸新区空港新城管理委员会办公室关于印发2019年工作要点的通知", "管委会各相关部门:", "一、教育", "1. 启动空港实验中学建设。"].join("\n"), "y.txt");
    expect(d).toMatchObject({ district: "西咸新区空港新城", level: "new-area", province: "陕西省" });
  });
});
