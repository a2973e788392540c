/**
 * The data model every later stage reads. Text fields keep the document's own wording
 * (brackets and punctuation as written) so that quotes stay verbatim.
 */

/** 工作要点 (numbered items across the document) or 重点工作推进情况反馈 (one numbered task per report). */
export type Genre = "plan" | "report";

/** One lead-department annotation: the department and the sentences it was written after. */
export interface LeadAssignment {
  department: string;
  sentence: string;
  /**
   * "partner" for a unit that works with the lead: the units after the first in an unlabelled
   * list ("（市教委、市财政局、市发展改革委）", where the first listed leads). Absent: a lead.
   */
  role?: "partner";
}

/** A nested sub-part of a task: （一）…, 1. …, （1）…, ① … */
export interface Part {
  /** The label as written, e.g. "（二）", "1.", "(3)", "①", "一、". */
  label: string;
  /** The heading clause, e.g. "小学生校内课后服务工程". */
  title: string;
  /** The part's own text (its heading line and paragraphs), without its children. */
  text: string;
  parts: Part[];
}

export interface Contacts {
  names: string[];
  phones: string[];
}

export interface Task {
  docId: string;
  /** The number as written: "14", "043". */
  number: string;
  /** The first clause: "深化“双减”落实". */
  title: string;
  /** The section heading the task stands under, e.g. "三、优化资源供给，提升教育服务能级". */
  section?: string;
  /** Everything the task says, cleaned of page breaks and markup. */
  text: string;
  /** The statement of a report task before its parts (for plan items, the same as text). */
  statement: string;
  parts: Part[];
  leadDepartments: LeadAssignment[];
  /** Figures as written: "50%以上", "24 所", "16:30 至 18:00", "5 万元". */
  figures: string[];
  contacts?: Contacts;
  /** Progress as written, for reports: "完成率已达 100%", "本月进展情况 25%". */
  progress: string[];
  /** Set when the document had no recognisable numbering and this "task" is a paragraph. */
  passage?: boolean;
}

export interface PlanDocument {
  /** Stable and readable, derived from the content: "长宁2023-要点", "长宁2021-第048项". */
  id: string;
  /** The place the document is about, in full: "长宁区", "芜湖市", "江苏省"; "" when the text never says. */
  district: string;
  /** What kind of place: district, county, county-city, city, province, banner, new-area. */
  level?: string;
  /** The city and province the place belongs to, when the place table knows them. */
  city?: string;
  province?: string;
  /** Where the document was published (a `# source:` first line, or `ingest --source`). */
  sourceUrl?: string;
  year: number;
  /** "下半年" / "上半年" when the plan covers half a year. */
  period?: string;
  genre: Genre;
  title: string;
  issuer?: string;
  docNumber?: string;
  /** ISO date, "2023-03-01". */
  issuedOn?: string;
  sourceFile: string;
  sha256: string;
  /** What stands before the first task: covering letter, title, introduction. */
  preamble: string;
  /** Section headings in order, as written: "一、坚持立德树人，培养全面发展的时代新人". */
  sections: string[];
  /** What stands after the last task and belongs to none: signature, date. */
  trailer: string;
  tasks: Task[];
  /**
   * What stands before the first item (the covering notice: document number, contact, the
   * meeting that adopted it), searchable as one passage cited 〔…·前言〕; not one of the tasks.
   */
  opening?: Task;
  /** Rules that did not apply, for `outline`: e.g. "no numbered tasks found". */
  warnings: string[];
}

/** The unit of retrieval: one task, or one part of a long report task; never spans tasks. */
export interface Chunk {
  id: string;
  docId: string;
  taskNumber: string;
  /** Breadcrumb inside the task: ["一、本月进展情况 25%", "（二）小学生校内课后服务工程"]. */
  path: string[];
  text: string;
  /** Prefix that situates the chunk for retrieval: "长宁区 2021 第048项 推进教育评价改革 › …". */
  context: string;
}

/** Everything of a document that is searched and cited: its tasks, and its opening passage. */
export function citableParts(doc: Pick<PlanDocument, "tasks" | "opening">): Task[] {
  return doc.opening ? [...doc.tasks, doc.opening] : doc.tasks;
}
