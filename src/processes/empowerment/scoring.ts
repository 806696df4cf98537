import { z } from 'zod';
import type { Grant, GrantForm } from './rules';

// Evaluating empowered matters (DOMAIN.md §3, issue #7). Indicators are computed from the bureau's own data,
// never typed by the township; the scoring template is data loaded by the bureau because no national scheme
// exists and provinces score differently (Anhui: 需求/安全/条件/任务量; Sichuan: 合法性/必要性/承接难易度…).
// The result is a suggestion for the reviewer and the leader, who decide. Pure.

// ---- Indicators -----------------------------------------------------------------------------------------

export interface OfficerFacts {
  certificateActive: boolean;
  /** Met the year's training requirement (DOMAIN.md §1). */
  trainingMet: boolean;
}

export interface TownshipFacts {
  township: string;
  /** Cases per matter code in the evaluation period, from case records (not the self-assessment). */
  casesByMatter: Record<string, number>;
  /** The township's enforcement officers. */
  officers: OfficerFacts[];
  /** Certificate cases (暂扣、收回、注销…) still open for the township's officers. */
  openCertificateCases: number;
}

export interface OfficerRule {
  /** Certified officers the township needs per form: 第42条 asks two per act; some provinces three for 委托. */
  minCertified: Record<GrantForm, number>;
}

export const DEFAULT_OFFICER_RULE: OfficerRule = { minCertified: { delegated: 2, entrusted: 3 } };

export const INDICATORS = [
  'cases',
  'certifiedOfficers',
  'officerSufficiency',
  'trainingRate',
  'openCertificateCases',
] as const;
export type IndicatorName = (typeof INDICATORS)[number];

export const INDICATOR_LABEL: Record<IndicatorName, string> = {
  cases: '期内办件数',
  certifiedOfficers: '持有效证件人员数',
  officerSufficiency: '持证人员/最低要求',
  trainingRate: '持证人员培训达标率',
  openCertificateCases: '未结证件案件数',
};

export const FLAGS = ['zeroCases', 'tooFewOfficers'] as const;
export type MatterFlag = (typeof FLAGS)[number];

export const FLAG_LABEL: Record<MatterFlag, string> = {
  zeroCases: '零办件(可考虑收回)',
  tooFewOfficers: '持证人员不足',
};

export interface MatterIndicators {
  township: string;
  form: GrantForm;
  documentNo: string;
  matterCode: string;
  matterName: string;
  values: Record<IndicatorName, number>;
  requiredOfficers: number;
  flags: MatterFlag[];
}

/** Indicators for every matter the township holds in `grants` (other townships' grants are skipped). */
export function matterIndicators(
  grants: Grant[],
  facts: TownshipFacts,
  rule: OfficerRule = DEFAULT_OFFICER_RULE,
): MatterIndicators[] {
  const certified = facts.officers.filter((o) => o.certificateActive);
  // Training counts only certified officers: they are the ones who may enforce the matters.
  const trainingRate = certified.length ? certified.filter((o) => o.trainingMet).length / certified.length : 0;
  return grants
    .filter((g) => g.township === facts.township)
    .flatMap((g) =>
      g.matters.map((m) => {
        const requiredOfficers = rule.minCertified[g.form];
        const cases = facts.casesByMatter[m.code] ?? 0;
        const flags: MatterFlag[] = [];
        if (cases === 0) flags.push('zeroCases');
        if (certified.length < requiredOfficers) flags.push('tooFewOfficers');
        return {
          township: g.township,
          form: g.form,
          documentNo: g.documentNo,
          matterCode: m.code,
          matterName: m.name,
          requiredOfficers,
          flags,
          values: {
            cases,
            certifiedOfficers: certified.length,
            officerSufficiency: certified.length / requiredOfficers,
            trainingRate,
            openCertificateCases: facts.openCertificateCases,
          },
        };
      }),
    );
}

// ---- Self-assessment answers --------------------------------------------------------------------------

export type Wish = 'keep' | 'adjust' | 'return';

/** The township's self-assessment of one matter. Its numbers are shown beside the computed ones, not scored. */
export interface SelfAssessment {
  matterCode: string;
  casesReported: number;
  staff: number;
  certifiedOfficers: number;
  equipment: string;
  problems: string;
  wish: Wish;
  /** Answers to the bureau's own questions, keyed as the template's `question`s. */
  answers?: Record<string, string>;
}

export type Answers = Record<string, string>;

/** What a template can score from a self-assessment: the wish, plus the bureau's own questions. */
export function answersOf(assessment: SelfAssessment): Answers {
  return { ...assessment.answers, wish: assessment.wish };
}

// ---- Scoring template -----------------------------------------------------------------------------------

export type Suggestion = 'keep' | 'adjust' | 'withdraw';

export const SUGGESTION_LABEL: Record<Suggestion, string> = {
  keep: '建议保留',
  adjust: '建议调整',
  withdraw: '建议收回',
};

const score = z.number().min(0, '分值应在 0–100 之间').max(100, '分值应在 0–100 之间');
const text = z.string().trim().min(1, '不能为空');
const dimensionBase = { key: text, label: text, weight: z.number().positive('权重应大于 0') };

const DimensionSchema = z.discriminatedUnion(
  'source',
  [
    z.strictObject({
      ...dimensionBase,
      source: z.literal('indicator'),
      indicator: z.enum(INDICATORS, `指标应为 ${INDICATORS.join(' / ')}`),
      /** Piecewise: a value scores the band with the largest `from` not above it; the first band starts at 0. */
      bands: z.array(z.strictObject({ from: z.number().min(0, '区间起点不能为负'), score })).min(1, '至少一个区间'),
    }),
    z.strictObject({
      ...dimensionBase,
      source: z.literal('answer'),
      question: text,
      /** Score per answer; an answer not listed counts as missing. */
      scores: z.record(z.string(), score).refine((s) => Object.keys(s).length > 0, '至少一个答案的分值'),
    }),
  ],
  { error: '来源(source)应为 indicator 或 answer' },
);

const TemplateSchema = z
  .strictObject({
    name: text,
    dimensions: z.array(DimensionSchema).min(1, '至少一个维度'),
    /** Total at or above `keep` → 建议保留; at or above `adjust` → 建议调整; below → 建议收回. */
    thresholds: z.strictObject({ keep: score, adjust: score }),
    /** A flag that limits the suggestion whatever the score (e.g. 零办件 → at most 建议调整). */
    caps: z
      .array(
        z.strictObject({
          flag: z.enum(FLAGS, `标记应为 ${FLAGS.join(' / ')}`),
          atMost: z.enum(['adjust', 'withdraw'], '应为 adjust 或 withdraw'),
        }),
      )
      .default([]),
  })
  .superRefine((t, ctx) => {
    if (t.thresholds.keep <= t.thresholds.adjust)
      ctx.addIssue({ code: 'custom', path: ['thresholds', 'keep'], message: '「保留」分数线应高于「调整」分数线' });
    const seen = new Set<string>();
    t.dimensions.forEach((d, i) => {
      if (seen.has(d.key))
        ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'key'], message: `维度 key「${d.key}」重复` });
      seen.add(d.key);
      if (d.source !== 'indicator') return;
      if (d.bands[0] && d.bands[0].from !== 0)
        ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'bands', 0, 'from'], message: '第一个区间应从 0 开始' });
      d.bands.forEach((b, j) => {
        if (j > 0 && b.from <= d.bands[j - 1]!.from)
          ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'bands', j, 'from'], message: '区间起点应递增' });
      });
    });
  });

export type ScoringTemplate = z.infer<typeof TemplateSchema>;
export type ScoringDimension = ScoringTemplate['dimensions'][number];

export type TemplateParse = { ok: true; template: ScoringTemplate } | { ok: false; errors: string[] };

/** A template from the bureau's JSON (text or parsed); errors name the path, e.g. `dimensions[1].weight: 权重应大于 0`. */
export function parseScoringTemplate(json: unknown): TemplateParse {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (e) {
      return { ok: false, errors: [`不是有效的 JSON: ${(e as Error).message}`] };
    }
  }
  const result = TemplateSchema.safeParse(data, {
    error: (issue) =>
      issue.input === undefined
        ? '缺少此项'
        : issue.code === 'invalid_type'
          ? `应为${TYPE_WORDS[issue.expected] ?? issue.expected}`
          : issue.code === 'unrecognized_keys'
            ? `未知字段 ${issue.keys.join('、')}`
            : undefined,
  });
  if (result.success) return { ok: true, template: result.data };
  return { ok: false, errors: result.error.issues.map((i) => `${pathText(i.path) || '模板'}: ${i.message}`) };
}

const TYPE_WORDS: Record<string, string> = { string: '文字', number: '数字', object: '对象', array: '列表' };

function pathText(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** Shipped until the bureau loads its own: no province's scheme, just the indicators issue #7 names. */
export const DEFAULT_SCORING_TEMPLATE: ScoringTemplate = {
  name: '默认评估模板',
  dimensions: [
    {
      key: 'cases',
      label: '办件量',
      weight: 30,
      source: 'indicator',
      indicator: 'cases',
      bands: [
        { from: 0, score: 0 },
        { from: 1, score: 60 },
        { from: 5, score: 80 },
        { from: 20, score: 100 },
      ],
    },
    {
      key: 'officers',
      label: '持证人员',
      weight: 25,
      source: 'indicator',
      indicator: 'officerSufficiency',
      bands: [
        { from: 0, score: 0 },
        { from: 1, score: 80 },
        { from: 1.5, score: 100 },
      ],
    },
    {
      key: 'training',
      label: '培训达标',
      weight: 15,
      source: 'indicator',
      indicator: 'trainingRate',
      bands: [
        { from: 0, score: 0 },
        { from: 0.6, score: 60 },
        { from: 0.9, score: 100 },
      ],
    },
    {
      key: 'certificateCases',
      label: '证件案件',
      weight: 10,
      source: 'indicator',
      indicator: 'openCertificateCases',
      bands: [
        { from: 0, score: 100 },
        { from: 1, score: 60 },
        { from: 3, score: 20 },
      ],
    },
    {
      key: 'wish',
      label: '乡镇意愿',
      weight: 20,
      source: 'answer',
      question: 'wish',
      scores: { keep: 100, adjust: 50, return: 0 },
    },
  ],
  thresholds: { keep: 70, adjust: 50 },
  caps: [{ flag: 'zeroCases', atMost: 'adjust' }],
};

export interface DimensionScore {
  key: string;
  label: string;
  weight: number;
  value: number | string | undefined;
  /** 0–100; undefined when the answer is missing or not one the template scores. */
  score: number | undefined;
}

export interface MatterScore {
  /** Weighted mean over the dimensions that could be scored, 0–100, one decimal. */
  score: number;
  suggestion: Suggestion;
  label: string;
  dimensions: DimensionScore[];
  /** Keys of dimensions left out: a gap to chase with the township, not a zero that would push toward 收回. */
  missing: string[];
  cappedBy?: MatterFlag;
  flags: MatterFlag[];
}

const ORDER: Suggestion[] = ['withdraw', 'adjust', 'keep'];

export function scoreMatter(
  template: ScoringTemplate,
  indicators: MatterIndicators,
  answers: Answers = {},
): MatterScore {
  const dimensions = template.dimensions.map((d): DimensionScore => {
    const value = d.source === 'indicator' ? indicators.values[d.indicator] : answers[d.question];
    const score =
      d.source === 'indicator'
        ? bandScore(d.bands, value as number)
        : value === undefined
          ? undefined
          : d.scores[value];
    return { key: d.key, label: d.label, weight: d.weight, value, score };
  });
  const scored = dimensions.filter((d) => d.score !== undefined);
  const weight = scored.reduce((sum, d) => sum + d.weight, 0);
  const total = weight ? Math.round((scored.reduce((sum, d) => sum + d.weight * d.score!, 0) / weight) * 10) / 10 : 0;
  const byScore: Suggestion =
    total >= template.thresholds.keep ? 'keep' : total >= template.thresholds.adjust ? 'adjust' : 'withdraw';
  let suggestion = byScore;
  let cappedBy: MatterFlag | undefined;
  for (const cap of template.caps) {
    if (indicators.flags.includes(cap.flag) && ORDER.indexOf(cap.atMost) < ORDER.indexOf(suggestion)) {
      suggestion = cap.atMost;
      cappedBy = cap.flag;
    }
  }
  return {
    score: total,
    suggestion,
    label: SUGGESTION_LABEL[suggestion],
    dimensions,
    missing: dimensions.filter((d) => d.score === undefined).map((d) => d.key),
    flags: indicators.flags,
    ...(cappedBy ? { cappedBy } : {}),
  };
}

function bandScore(bands: Array<{ from: number; score: number }>, value: number): number | undefined {
  return bands.filter((b) => b.from <= value).at(-1)?.score;
}
