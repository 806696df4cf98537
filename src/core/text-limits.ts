// How long a name or title may be, wherever it enters: a roster or training file, a chat form. A limit keeps a
// card readable and under Feishu's 30 KB however many names it lists, and keeps a pasted paragraph (or a
// phishing sentence) out of a field meant for a name. One table, so an import and a form never disagree.

export const TEXT_LIMITS = {
  /** 姓名: the longest names in use (e.g. with a ·-joined family name) are far shorter. */
  personName: 40,
  /** 单位 / 乡镇: the full official name of a unit. */
  unitName: 60,
  /** 执法证号: an identifier; letters, digits and hyphens only. */
  certNo: 32,
  /** 课程: a course or training title. */
  course: 100,
} as const;

/** 执法证号 as issued: letters (including a province's character), digits, hyphens. */
export const CERT_NO_PATTERN = /^[\p{L}\p{N}-]+$/u;

/** The sentence for a value over its limit, or undefined when it fits. */
export function overLimit(label: string, text: string, max: number): string | undefined {
  const length = [...text].length;
  return length > max ? `${label}不能超过 ${max} 个字(现为 ${length} 个)` : undefined;
}
