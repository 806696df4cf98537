import { z } from 'zod';
import { FLAGS, INDICATORS } from './matter-indicators';

// The scoring template for empowered matters: data the bureau loads, because no national scheme exists and
// provinces score differently (Anhui: 需求/安全/条件/任务量; Sichuan: 合法性/必要性/承接难易度…). Its own file
// because checking a bureau's JSON (and saying in Chinese what is wrong with it) is a job apart from scoring.

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
