/**
 * Everything a person reads, in one place (Simplified Chinese). Logs stay English and live
 * next to the code that writes them.
 */
import type { IngestErrorCode } from "./ingest/read.js";

export const ingestErrorText: Record<IngestErrorCode, (file: string) => string> = {
  missing: (f) => `找不到文件：${f}`,
  "not-a-file": (f) => `这不是一个文件：${f}`,
  empty: (f) => `文件是空的：${f}`,
  binary: (f) => `这不是文本文件（可能是图片、压缩包或损坏的文件）：${f}`,
  "too-large": (f) => `文件太大，不像是一份工作要点：${f}`,
  unreadable: (f) => `文件无法读取：${f}`,
  "no-text": (f) => `文件里没有可读的中文文字：${f}`,
};

export const cliText = {
  usageOutline: "用法：npm run outline -- <文件> [--json]",
  emptyQuestion: "请输入一个问题，例如：npm run ask -- \"长宁区小学课后服务到几点？\"",
  configError: (detail: string) => `配置有误，请检查环境变量：\n${detail}`,
  indexBuilding: "正在建立检索索引（首次运行需要几秒钟）…",
  noDocuments: (dir: string) => `文件夹里没有可用的文件：${dir}`,
  skipped: (n: number) => `有 ${n} 个文件没有收录，原因见上。`,
  unexpected: "出了点问题，没能完成。详细信息已写入日志。",
};

export const outlineText = {
  genre: { plan: "工作要点", report: "重点工作推进情况反馈" } as const,
  tasks: (n: number) => `${n} 项`,
  passages: (n: number) => `${n} 段`,
  lead: "牵头",
  contacts: "联系人",
  phones: "电话",
  progress: "进度",
  noStructure: "注意",
};
