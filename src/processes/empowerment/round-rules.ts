import type { Clock } from '../../core/deadlines';
import type { IsoDate } from '../../core/dates';
import { FORM_LABEL, type GrantForm } from './rules';
import { OUTCOME_LABEL, type DecisionOutcome, type MatterDecision } from './register';
import { type MatterIndicators, type SelfAssessment, type Wish } from './scoring';

// One evaluation round of one township (issue #7), as pure rules: which cards each step sends (a batch of
// matters per card, field names unique per card), how the answers read back, and what the decision is.
// The workflow (src/processes/empowerment/round-workflow.ts) only sequences these; the card machinery is CaseDesk's.

/** A matter as the round carries it: enough to show on a card and to decide on. */
export interface RoundMatter {
  form: GrantForm;
  documentNo: string;
  code: string;
  name: string;
  field: string;
  /** Whose opinion the matter needs: the 委托 department, or the original department of a 交由行使 matter. */
  department: string;
}

/** Configuration (the bureau's, not code): clocks per step, batch size, where 交由行使 matters came from. */
export interface RoundConfig {
  /** How the period is named on cards and in the register ('2026年度'). */
  periodLabel: string;
  periodFrom: IsoDate;
  periodTo: IsoDate;
  /** The whole round's due date, shown on cards (e.g. Hunan's "every matter evaluated by end of 2024"). */
  dueOn?: IsoDate;
  selfAssessmentClock: Clock;
  departmentClock: Clock;
  bureauClock: Clock;
  decisionClock: Clock;
  batchSize: number;
  /** 领域 → the county department that held a 交由行使 matter before; absent → the bureau gives the opinion. */
  originalDepartments: Record<string, string>;
}

export const DEFAULT_ROUND_CLOCKS = {
  selfAssessmentClock: { unit: 'workingDays', amount: 10 },
  departmentClock: { unit: 'workingDays', amount: 10 },
  bureauClock: { unit: 'workingDays', amount: 5 },
  decisionClock: { unit: 'workingDays', amount: 5 },
} as const satisfies Record<string, Clock>;

/** The round for a year: the whole year is the period, the round due by its end. */
export function yearRound(year: number, overrides: Partial<RoundConfig> = {}): RoundConfig {
  return {
    periodLabel: `${year}年度`,
    periodFrom: `${year}-01-01`,
    periodTo: `${year}-12-31`,
    dueOn: `${year}-12-31`,
    ...DEFAULT_ROUND_CLOCKS,
    batchSize: 10,
    originalDepartments: {},
    ...overrides,
  };
}

export function empowermentRoundWorkflowId(township: string, periodLabel: string): string {
  return `empowerment-round-${township}-${periodLabel}`;
}

/**
 * The most matters one card carries, whatever the configured batch size: a card is refused by Feishu past
 * 30 KB, and 20 matters with long names is what test/unit/empowerment-card-size.test.ts shows still fits.
 */
export const MAX_BATCH_SIZE = 20;

export function batches<T>(items: T[], size: number): T[][] {
  const step = Math.min(MAX_BATCH_SIZE, Math.max(1, size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += step) out.push(items.slice(i, i + step));
  return out;
}

/** The department whose opinion a matter needs. */
export function departmentOf(
  form: GrantForm,
  entrustingDepartment: string | undefined,
  field: string,
  originalDepartments: Record<string, string>,
): string {
  if (form === 'entrusted' && entrustingDepartment) return entrustingDepartment;
  return originalDepartments[field] ?? `${field}原主管部门`;
}

// ---- Card fields (CaseDesk's StepField shape, kept structural so this module stays pure) -----------------

export interface Field {
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'number' | 'select';
  options?: Array<{ value: string; label: string }>;
  required?: boolean;
}

const WISH_OPTIONS: Array<{ value: Wish; label: string }> = [
  { value: 'keep', label: '保留' },
  { value: 'adjust', label: '调整' },
  { value: 'return', label: '交回' },
];
const OUTCOME_OPTIONS = (['keep', 'adjust', 'withdraw'] as DecisionOutcome[]).map((value) => ({
  value,
  label: OUTCOME_LABEL[value],
}));

const matterTitle = (m: RoundMatter) => `${m.code} ${m.name}(${FORM_LABEL[m.form]})`;

/** Township-wide questions go on the first card only; each matter has its cases and its wish. */
export function selfAssessmentFields(batch: RoundMatter[], first: boolean): Field[] {
  const perMatter = batch.flatMap((m, i): Field[] => [
    { name: `m${i}_cases`, label: `${matterTitle(m)}:期内办件数`, type: 'number', required: true },
    { name: `m${i}_wish`, label: `${matterTitle(m)}:意愿`, type: 'select', options: WISH_OPTIONS, required: true },
  ]);
  const township: Field[] = first
    ? [
        { name: 'staff', label: '执法人员总数', type: 'number', required: true },
        { name: 'certified', label: '其中持有效执法证人数', type: 'number', required: true },
        { name: 'equipment', label: '执法装备情况', type: 'textarea' },
      ]
    : [];
  return [...township, ...perMatter, { name: 'problems', label: '存在的问题(请注明事项编码)', type: 'textarea' }];
}

export type Values = Record<string, string | string[] | undefined>;
const text = (v: Values[string]) => (Array.isArray(v) ? v.join('、') : (v ?? '')).trim();

export interface TownshipAnswers {
  staff: number;
  certified: number;
  equipment: string;
  problems: string[];
}

export function readSelfAssessment(batch: RoundMatter[], values: Values, township: TownshipAnswers): SelfAssessment[] {
  const problems = text(values.problems);
  if (problems) township.problems.push(problems);
  if (values.staff !== undefined) {
    township.staff = Number(text(values.staff)) || 0;
    township.certified = Number(text(values.certified)) || 0;
    township.equipment = text(values.equipment);
  }
  return batch.map((m, i) => ({
    matterCode: m.code,
    casesReported: Math.max(0, Math.round(Number(text(values[`m${i}_cases`])) || 0)),
    staff: township.staff,
    certifiedOfficers: township.certified,
    equipment: township.equipment,
    problems,
    wish: (text(values[`m${i}_wish`]) || 'keep') as Wish,
  }));
}

/** The department's (or the bureau's, for a department not on the roster) opinion per matter, with the township's answers beside it. */
export function opinionFields(batch: RoundMatter[], assessed: Map<string, SelfAssessment>): Field[] {
  return [
    ...batch.map((m, i): Field => {
      const a = assessed.get(m.code);
      return {
        name: `m${i}`,
        label: `${matterTitle(m)} · 乡镇:办件${a?.casesReported ?? '—'}、意愿${WISH_OPTIONS.find((w) => w.value === a?.wish)?.label ?? '—'}`,
        type: 'select',
        options: OUTCOME_OPTIONS,
        required: true,
      };
    }),
    { name: 'opinion', label: '意见说明', type: 'textarea' },
  ];
}

export function readOutcomes(batch: RoundMatter[], values: Values): Map<string, DecisionOutcome> {
  return new Map(batch.map((m, i) => [m.code, (text(values[`m${i}`]) || 'keep') as DecisionOutcome]));
}

/** The bureau's legality review per matter: the department's opinion and the computed suggestion shown; it proposes, the leader decides. */
export function reviewFields(
  batch: RoundMatter[],
  context: Map<string, { opinion: DecisionOutcome; indicators?: MatterIndicators; suggestion?: string }>,
): Field[] {
  return [
    ...batch.flatMap((m, i): Field[] => {
      const c = context.get(m.code);
      const zero = c?.indicators?.flags.includes('zeroCases') ? '、零办件' : '';
      return [
        {
          name: `m${i}`,
          label: `${matterTitle(m)} · 部门意见${c ? OUTCOME_LABEL[c.opinion] : '—'}${c?.suggestion ? `、评分${c.suggestion}` : ''}${zero}`,
          type: 'select',
          options: OUTCOME_OPTIONS,
          required: true,
        },
        { name: `m${i}_adjust`, label: `${m.code} 调整后的事项名称(选「调整」时填写)`, type: 'text' },
      ];
    }),
    { name: 'legality', label: '合法性审查意见', type: 'textarea' },
  ];
}

export interface Proposal {
  matter: RoundMatter;
  outcome: DecisionOutcome;
  /** For 'adjust': the matter's new name, when the reviewer wrote one. */
  newName?: string;
}

export function readReview(batch: RoundMatter[], values: Values): Proposal[] {
  return batch.map((matter, i) => {
    const newName = text(values[`m${i}_adjust`]);
    return { matter, outcome: (text(values[`m${i}`]) || 'keep') as DecisionOutcome, ...(newName ? { newName } : {}) };
  });
}

const OUTCOME_WORDS: Record<string, DecisionOutcome> = {
  保留: 'keep',
  调整: 'adjust',
  收回: 'withdraw',
  keep: 'keep',
  adjust: 'adjust',
  withdraw: 'withdraw',
};

/**
 * The leader decides on the review's proposal as a whole, changing single matters by lines of
 * 「事项编码 保留/调整/收回」. Returns the lines it could not read, so the card can say so rather than guess.
 */
export function applyOverrides(proposals: Proposal[], overrides: string): { proposals: Proposal[]; unread: string[] } {
  const byCode = new Map(proposals.map((p) => [p.matter.code, p]));
  const unread: string[] = [];
  const changed = new Map<string, DecisionOutcome>();
  for (const line of overrides
    .split(/[\n;;]+/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [code, word] = line.split(/[\s,,::]+/);
    const outcome = OUTCOME_WORDS[word ?? ''];
    if (!code || !outcome || !byCode.has(code.toUpperCase())) unread.push(line);
    else changed.set(code.toUpperCase(), outcome);
  }
  return {
    proposals: proposals.map((p) => (changed.has(p.matter.code) ? { ...p, outcome: changed.get(p.matter.code)! } : p)),
    unread,
  };
}

/**
 * The register decisions. An 'adjust' without new content keeps the matter's content (applyDecisions needs
 * content to change) but is still recorded as the matter's last outcome, so it is not lost.
 */
export function registerDecisions(township: string, proposals: Proposal[]): MatterDecision[] {
  return proposals
    .filter((p) => p.outcome !== 'adjust' || p.newName)
    .map((p) => ({
      township,
      form: p.matter.form,
      documentNo: p.matter.documentNo,
      matterCode: p.matter.code,
      outcome: p.outcome,
      ...(p.outcome === 'adjust' ? { changes: { name: p.newName! } } : {}),
    }));
}

export function outcomeCounts(proposals: Proposal[]): Record<DecisionOutcome, number> {
  const counts: Record<DecisionOutcome, number> = { keep: 0, adjust: 0, withdraw: 0 };
  for (const p of proposals) counts[p.outcome]++;
  return counts;
}

/** This year's round, as configured: a county changes periods, clocks and due dates here or in the Schedule's args. */
export function defaultRoundConfig(today: string, overrides: Partial<RoundConfig> = {}): RoundConfig {
  return yearRound(Number(today.slice(0, 4)), overrides);
}
