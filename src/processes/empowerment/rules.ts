import { addDays, type WorkingCalendar } from '../../core/calendar';
import { daysBetween, type IsoDate } from '../../core/dates';

// Township and street empowerment (DOMAIN.md §3, issue #7). Two legal forms kept as separate record types:
// 交由行使 (《行政处罚法》第24条: a province decision, the township acts in its own name) and 委托 (第20条: a county
// department entrusts in writing, the township acts in the department's name, for a term, filed with the
// justice bureau). Pure: dates and the calendar are passed in.

export type GrantForm = 'delegated' | 'entrusted';

export const FORM_LABEL: Record<GrantForm, string> = { delegated: '交由行使', entrusted: '委托' };

/** One empowered enforcement matter (事项). */
export interface Matter {
  code: string;
  name: string;
  /** 领域, e.g. 市场监管、自然资源. */
  field: string;
  legalBasis: string;
}

/** 交由行使: `documentNo` is the province decision's 文号; published is when the decision was made public. */
export interface DelegatedGrant {
  form: 'delegated';
  township: string;
  documentNo: string;
  published: IsoDate;
  matters: Matter[];
}

/** 委托: `documentNo` is the 委托书 number; the term runs termStart..termEnd inclusive. */
export interface EntrustedGrant {
  form: 'entrusted';
  township: string;
  documentNo: string;
  department: string;
  /** 权限: what the township may do within the matters (e.g. 警告、罚款,不含吊销许可证). */
  authority: string;
  termStart: IsoDate;
  termEnd: IsoDate;
  /** 备案 with the justice bureau; undefined until filed. */
  filed?: IsoDate;
  /** Both sides publish the letter; a letter may be registered before it is published. */
  published?: IsoDate;
  matters: Matter[];
}

export type Grant = DelegatedGrant | EntrustedGrant;

/** In whose name the township enforces: its own (交由行使) or the entrusting department's (委托). */
export function actsInNameOf(grant: Grant): string {
  return grant.form === 'delegated' ? grant.township : grant.department;
}

/** Grants are identified by township + form + 文号 (the import groups rows by the same key). */
export function grantKey(grant: Pick<Grant, 'township' | 'form' | 'documentNo'>): string {
  return `${grant.township}|${grant.form}|${grant.documentNo}`;
}

// ---- Validation -----------------------------------------------------------------------------------------

/** A grant as it arrives from a file or a form: every field optional, checked by validateGrant. */
export interface GrantDraft {
  form: GrantForm;
  township?: string;
  documentNo?: string;
  department?: string;
  authority?: string;
  termStart?: IsoDate;
  termEnd?: IsoDate;
  filed?: IsoDate;
  published?: IsoDate;
  matters: Array<Partial<Matter>>;
}

export type GrantField = Exclude<keyof GrantDraft, 'form' | 'matters'>;

export const GRANT_FIELD_LABEL: Record<GrantField, string> = {
  township: '乡镇/街道',
  documentNo: '文号',
  department: '委托部门',
  authority: '权限',
  termStart: '期限起',
  termEnd: '期限止',
  filed: '备案日期',
  published: '公布日期',
};

export const MATTER_FIELD_LABEL: Record<keyof Matter, string> = {
  code: '事项编码',
  name: '事项名称',
  field: '领域',
  legalBasis: '法律依据',
};

/** Fields only a 委托 has: a 交由行使 carrying any of them is two record types mixed. */
const ENTRUSTED_ONLY: GrantField[] = ['department', 'authority', 'termStart', 'termEnd', 'filed'];

export interface GrantRules {
  /** Longest 委托 term (local; often 3 years). */
  maxTermYears: number;
}

export const DEFAULT_GRANT_RULES: GrantRules = { maxTermYears: 3 };

export interface GrantProblem {
  /** The grant-level field at fault, or 'matters' with the matter's index (and field) in the draft. */
  field: GrantField | 'matters';
  matterIndex?: number;
  matterField?: keyof Matter;
  message: string;
}

export type GrantCheck = { ok: true; grant: Grant } | { ok: false; problems: GrantProblem[] };

export function validateGrant(draft: GrantDraft, rules: GrantRules = DEFAULT_GRANT_RULES): GrantCheck {
  const problems: GrantProblem[] = [];
  const need = (field: GrantField, message = `${GRANT_FIELD_LABEL[field]}不能为空`) => {
    if (!draft[field]?.trim()) problems.push({ field, message });
  };
  need('township');
  need('documentNo', draft.form === 'delegated' ? '交由行使决定的文号不能为空' : '委托书编号不能为空');
  for (const field of ['termStart', 'termEnd', 'filed', 'published'] as const) {
    const value = draft[field];
    if (value && !isIsoDate(value))
      problems.push({ field, message: `${GRANT_FIELD_LABEL[field]}应为 YYYY-MM-DD 日期` });
  }
  if (draft.form === 'delegated') {
    need('published', '交由行使决定应填写公布日期');
    for (const field of ENTRUSTED_ONLY) {
      if (draft[field])
        problems.push({
          field,
          message: `「${GRANT_FIELD_LABEL[field]}」只用于委托;交由行使以乡镇自己的名义执法,不填写此项`,
        });
    }
  } else {
    for (const field of ['department', 'authority', 'termStart', 'termEnd'] as const)
      need(field, `委托应写明${GRANT_FIELD_LABEL[field]}`);
    const { termStart: start, termEnd: end } = draft;
    if (start && end && isIsoDate(start) && isIsoDate(end)) {
      const limit = addYears(start, rules.maxTermYears);
      if (end <= start) problems.push({ field: 'termEnd', message: '委托期限止日应晚于起日' });
      // Allowing the anniversary itself accepts both ways letters are written (至2027-12-31 / 至2028-01-01).
      else if (end > limit)
        problems.push({
          field: 'termEnd',
          message: `委托期限不超过${rules.maxTermYears}年(自 ${start} 起最迟至 ${limit})`,
        });
    }
  }
  problems.push(...matterProblems(draft.matters));
  if (problems.length) return { ok: false, problems };
  return { ok: true, grant: toGrant(draft) };
}

function matterProblems(matters: Array<Partial<Matter>>): GrantProblem[] {
  if (!matters.length) return [{ field: 'matters', message: '至少应列出一个事项' }];
  const problems: GrantProblem[] = [];
  const firstIndexOf = new Map<string, number>();
  matters.forEach((matter, matterIndex) => {
    for (const matterField of Object.keys(MATTER_FIELD_LABEL) as Array<keyof Matter>) {
      if (!matter[matterField]?.trim())
        problems.push({
          field: 'matters',
          matterIndex,
          matterField,
          message: `${MATTER_FIELD_LABEL[matterField]}不能为空`,
        });
    }
    const code = matter.code?.trim();
    if (!code) return;
    const first = firstIndexOf.get(code);
    if (first !== undefined)
      problems.push({
        field: 'matters',
        matterIndex,
        matterField: 'code',
        message: `事项编码与本文号第${first + 1}个事项重复`,
      });
    else firstIndexOf.set(code, matterIndex);
  });
  return problems;
}

function toGrant(d: GrantDraft): Grant {
  const matters = d.matters.map((m) => ({
    code: m.code!.trim(),
    name: m.name!.trim(),
    field: m.field!.trim(),
    legalBasis: m.legalBasis!.trim(),
  }));
  const base = { township: d.township!.trim(), documentNo: d.documentNo!.trim(), matters };
  if (d.form === 'delegated') return { form: 'delegated', ...base, published: d.published! };
  return {
    form: 'entrusted',
    ...base,
    department: d.department!.trim(),
    authority: d.authority!.trim(),
    termStart: d.termStart!,
    termEnd: d.termEnd!,
    ...(d.filed ? { filed: d.filed } : {}),
    ...(d.published ? { published: d.published } : {}),
  };
}

function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** The same calendar date `years` later; 29 Feb becomes 28 Feb in a common year. */
export function addYears(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  return (target.getUTCMonth() === m - 1 ? target : new Date(Date.UTC(y + years, m, 0))).toISOString().slice(0, 10);
}

// ---- Terms, exercisability and filing -------------------------------------------------------------------

export type TermMilestoneKey = '90d' | '30d' | '7d' | 'expired';

export interface TermMilestone {
  key: TermMilestoneKey;
  label: string;
  /** Calendar days before termEnd when this notice is due; -1 = the day after the term ends. */
  daysBefore: number;
  /** Who is told: the entrusting department (to renew or let go) and the bureau (it keeps the register). */
  notify: Array<'department' | 'bureau'>;
}

export const TERM_MILESTONES: TermMilestone[] = [
  { key: '90d', label: '委托期限90天内届满', daysBefore: 90, notify: ['department', 'bureau'] },
  { key: '30d', label: '委托期限30天内届满', daysBefore: 30, notify: ['department', 'bureau'] },
  { key: '7d', label: '委托期限7天内届满', daysBefore: 7, notify: ['department', 'bureau'] },
  {
    key: 'expired',
    label: '委托期限已届满,事项不得再以委托名义行使',
    daysBefore: -1,
    notify: ['department', 'bureau'],
  },
];

/**
 * The term notice to send today: the nearest milestone reached, unless already sent. Earlier unsent ones are
 * superseded rather than sent late (a 委托 registered 20 days before its end gets the 30-day notice only), so
 * the result holds at most one milestone. 交由行使 has no term and never gets one.
 */
export function termMilestonesDue(
  grant: Grant,
  asOf: IsoDate,
  alreadySent: TermMilestoneKey[] = [],
  milestones = TERM_MILESTONES,
): TermMilestone[] {
  if (grant.form !== 'entrusted') return [];
  const daysLeft = daysBetween(asOf, grant.termEnd);
  const reached = milestones.filter((m) => (m.key === 'expired' ? daysLeft < 0 : daysLeft <= m.daysBefore));
  const nearest = reached.at(-1);
  return nearest && !alreadySent.includes(nearest.key) ? [nearest] : [];
}

/**
 * Can the township enforce the grant's matters on `asOf`? 交由行使 from its publication; 委托 only within its
 * term, inclusive. Filing is not a condition of validity (备案 is supervision); a late filing is flagged apart.
 */
export function exercisable(grant: Grant, asOf: IsoDate): boolean {
  if (grant.form === 'delegated') return grant.published <= asOf;
  return grant.termStart <= asOf && asOf <= grant.termEnd;
}

/** 备案 within this many working days (local, about 10). */
export const FILING_WORKING_DAYS = 10;

/**
 * The last day to file a 委托 with the bureau: `workingDays` after the term start (the start day not counted).
 * Counted from the term start, not the letter's signing date, because the start is on every register record
 * and is when the township begins acting in the department's name; a letter signed earlier has no effect yet.
 */
export function filingDeadline(
  grant: EntrustedGrant,
  calendar: WorkingCalendar,
  workingDays = FILING_WORKING_DAYS,
): IsoDate {
  return calendar.addWorkingDays(grant.termStart, workingDays);
}

export type FilingStatus = 'notRequired' | 'filed' | 'filedLate' | 'pending' | 'overdue';

export function filingStatus(
  grant: Grant,
  calendar: WorkingCalendar,
  asOf: IsoDate,
  workingDays = FILING_WORKING_DAYS,
): { status: FilingStatus; due?: IsoDate } {
  if (grant.form === 'delegated') return { status: 'notRequired' };
  const due = filingDeadline(grant, calendar, workingDays);
  if (grant.filed) return { status: grant.filed <= due ? 'filed' : 'filedLate', due };
  return { status: asOf <= due ? 'pending' : 'overdue', due };
}

/** Flag a 委托 not filed within the deadline: still unfiled after it, or filed late. */
export function filingOverdue(
  grant: Grant,
  calendar: WorkingCalendar,
  asOf: IsoDate,
  workingDays = FILING_WORKING_DAYS,
): boolean {
  const { status } = filingStatus(grant, calendar, asOf, workingDays);
  return status === 'overdue' || status === 'filedLate';
}

/**
 * Renewal is a new 委托 (new letter number, new term, its own filing), never a silent extension: the draft
 * carries the old letter's parties and matters but no filing or publication date.
 */
export function renewalDraft(previous: EntrustedGrant, documentNo: string, termEnd: IsoDate): GrantDraft {
  const { filed: _filed, published: _published, ...rest } = previous;
  return {
    ...rest,
    documentNo,
    termStart: addDays(previous.termEnd, 1),
    termEnd,
    matters: previous.matters.map((m) => ({ ...m })),
  };
}
