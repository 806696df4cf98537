import { describe, expect, it } from 'vitest';
import type { Grant } from '../../src/processes/empowerment/rules';
import {
  DEFAULT_SCORING_TEMPLATE,
  answersOf,
  matterIndicators,
  scoreMatter,
  type MatterIndicators,
  type OfficerFacts,
  type TownshipFacts,
} from '../../src/processes/empowerment/scoring';
import { parseScoringTemplate } from '../../src/processes/empowerment/scoring-template';

const matter = (code: string) => ({ code, name: `事项${code}`, field: '市场监管', legalBasis: '依据' });
const grants: Grant[] = [
  {
    form: 'delegated',
    township: '黄花镇',
    documentNo: '湘政发〔2024〕5号',
    published: '2024-03-01',
    matters: [matter('D-1'), matter('D-2')],
  },
  {
    form: 'entrusted',
    township: '黄花镇',
    documentNo: '县城管委〔2025〕1号',
    department: '县城管局',
    authority: '罚款',
    termStart: '2025-01-01',
    termEnd: '2027-12-31',
    matters: [matter('E-1')],
  },
  {
    form: 'delegated',
    township: '星沙街道',
    documentNo: '湘政发〔2024〕6号',
    published: '2024-03-01',
    matters: [matter('X-1')],
  },
];
const officers = (active: number, trained: number, inactive = 0): OfficerFacts[] => [
  ...Array.from({ length: active }, (_, i) => ({ certificateActive: true, trainingMet: i < trained })),
  ...Array.from({ length: inactive }, () => ({ certificateActive: false, trainingMet: true })),
];
const facts = (over: Partial<TownshipFacts> = {}): TownshipFacts => ({
  township: '黄花镇',
  casesByMatter: { 'D-1': 12, 'E-1': 3 },
  officers: officers(2, 1, 4),
  openCertificateCases: 1,
  ...over,
});

describe('matterIndicators on crafted data', () => {
  const byCode = (list: MatterIndicators[]) => Object.fromEntries(list.map((m) => [m.matterCode, m]));

  it('computes values per matter for the township only', () => {
    const result = byCode(matterIndicators(grants, facts()));
    expect(Object.keys(result)).toEqual(['D-1', 'D-2', 'E-1']);
    // Inactive certificates do not count, and training counts only among the certified.
    expect(result['D-1']!.values).toEqual({
      cases: 12,
      certifiedOfficers: 2,
      officerSufficiency: 1,
      trainingRate: 0.5,
      openCertificateCases: 1,
    });
  });

  it.each<[string, string, string[], Partial<TownshipFacts>]>([
    ['a matter with cases and enough officers for 交由行使', 'D-1', [], {}],
    ['a matter with no case in the period (零办件)', 'D-2', ['zeroCases'], {}],
    ['a 委托 needs three certified officers', 'E-1', ['tooFewOfficers'], {}],
    ['three certified officers satisfy a 委托', 'E-1', [], { officers: officers(3, 3) }],
    ['one certified officer is too few even for 交由行使', 'D-1', ['tooFewOfficers'], { officers: officers(1, 1, 5) }],
    [
      'an explicit zero and too few officers',
      'D-1',
      ['zeroCases', 'tooFewOfficers'],
      { casesByMatter: { 'D-1': 0 }, officers: [] },
    ],
  ])('%s: %s → %j', (_, code, flags, over) => {
    expect(byCode(matterIndicators(grants, facts(over)))[code]!.flags).toEqual(flags);
  });

  it('takes the minimum per form from configuration', () => {
    const result = byCode(matterIndicators(grants, facts(), { minCertified: { delegated: 2, entrusted: 2 } }));
    expect(result['E-1']).toMatchObject({ requiredOfficers: 2, flags: [] });
    expect(matterIndicators(grants, facts({ officers: [] }))[0]!.values.trainingRate).toBe(0);
  });
});

describe('scoreMatter with the default template', () => {
  const indicators = (
    over: Partial<MatterIndicators['values']>,
    flags: MatterIndicators['flags'] = [],
  ): MatterIndicators => ({
    township: '黄花镇',
    form: 'entrusted',
    documentNo: 'x',
    matterCode: 'E-1',
    matterName: '事项',
    requiredOfficers: 3,
    flags,
    values: {
      cases: 12,
      certifiedOfficers: 4,
      officerSufficiency: 4 / 3,
      trainingRate: 0.75,
      openCertificateCases: 0,
      ...over,
    },
  });

  it.each<[string, number, string, MatterIndicators, Record<string, string>]>([
    // 30×80 + 25×80 + 15×60 + 10×100 + 20×100 = 8300 / 100
    ['a busy, well-staffed matter', 83, 'keep', indicators({}), { wish: 'keep' }],
    ['the township wants to return it', 63, 'adjust', indicators({}), { wish: 'return' }],
    ['零办件 and a wish to return', 39, 'withdraw', indicators({ cases: 0 }, ['zeroCases']), { wish: 'return' }],
    // 2400 + 2000 + 15×0 + 10×20 + 20×50 = 5600 / 100
    [
      'open certificate cases and little training weigh on it',
      56,
      'adjust',
      indicators({ openCertificateCases: 3, trainingRate: 0.2 }),
      { wish: 'adjust' },
    ],
  ])('%s: %d → %s', (_, score, suggestion, ind, answers) => {
    expect(scoreMatter(DEFAULT_SCORING_TEMPLATE, ind, answers)).toMatchObject({ score, suggestion });
  });

  it('caps a 零办件 matter at 建议调整 whatever its score', () => {
    const result = scoreMatter(
      DEFAULT_SCORING_TEMPLATE,
      indicators({ cases: 0, officerSufficiency: 2, trainingRate: 1 }, ['zeroCases']),
      { wish: 'keep' },
    );
    expect(result).toMatchObject({
      score: 70,
      suggestion: 'adjust',
      label: '建议调整',
      cappedBy: 'zeroCases',
      flags: ['zeroCases'],
    });
  });

  it('leaves an unanswered question out and says so, rather than scoring it zero', () => {
    const result = scoreMatter(DEFAULT_SCORING_TEMPLATE, indicators({}), {});
    expect(result).toMatchObject({ score: 78.8, suggestion: 'keep', missing: ['wish'] }); // 6300 / 80
    expect(scoreMatter(DEFAULT_SCORING_TEMPLATE, indicators({}), { wish: '不知道' }).missing).toEqual(['wish']);
  });

  it('scores answers taken from a self-assessment', () => {
    const assessment = {
      matterCode: 'E-1',
      casesReported: 20,
      staff: 5,
      certifiedOfficers: 4,
      equipment: '执法记录仪2台',
      problems: '',
      wish: 'keep' as const,
      answers: { workload: 'high' },
    };
    expect(answersOf(assessment)).toEqual({ workload: 'high', wish: 'keep' });
  });
});

describe('a custom template loaded by the bureau', () => {
  // Anhui-style criteria: 监管任务量 (asked of the township) and 是否具备执法条件 (computed); no case count.
  const custom = {
    name: '某县2026年评估模板',
    dimensions: [
      {
        key: 'workload',
        label: '监管任务量',
        weight: 50,
        source: 'answer',
        question: 'workload',
        scores: { high: 100, medium: 60, low: 0 },
      },
      {
        key: 'conditions',
        label: '具备执法条件',
        weight: 50,
        source: 'indicator',
        indicator: 'officerSufficiency',
        bands: [
          { from: 0, score: 0 },
          { from: 1, score: 100 },
        ],
      },
    ],
    thresholds: { keep: 60, adjust: 40 },
  };
  const zeroCaseMatter: MatterIndicators = {
    township: '黄花镇',
    form: 'delegated',
    documentNo: 'x',
    matterCode: 'D-2',
    matterName: '事项',
    requiredOfficers: 2,
    flags: ['zeroCases'],
    values: { cases: 0, certifiedOfficers: 2, officerSufficiency: 1, trainingRate: 0.5, openCertificateCases: 1 },
  };

  it('changes the outcome for the same matter and answers', () => {
    const answers = { wish: 'return', workload: 'high' };
    expect(scoreMatter(DEFAULT_SCORING_TEMPLATE, zeroCaseMatter, answers).suggestion).toBe('withdraw');
    const parsed = parseScoringTemplate(JSON.stringify(custom));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(parsed.template.caps).toEqual([]);
    expect(scoreMatter(parsed.template, zeroCaseMatter, answers)).toMatchObject({
      score: 100,
      suggestion: 'keep',
      label: '建议保留',
    });
  });

  it('accepts the shipped default as a template', () => {
    expect(parseScoringTemplate(DEFAULT_SCORING_TEMPLATE)).toEqual({ ok: true, template: DEFAULT_SCORING_TEMPLATE });
  });

  const dim = (i: number, over: object) => ({
    ...custom,
    dimensions: custom.dimensions.map((d, j) => (j === i ? { ...d, ...over } : d)),
  });
  it.each<[string, unknown, string[]]>([
    ['text that is not JSON', '{"name": ', ['不是有效的 JSON']],
    ['no name', { ...custom, name: undefined }, ['name: 缺少此项']],
    ['a zero weight', dim(0, { weight: 0 }), ['dimensions[0].weight: 权重应大于 0']],
    ['a weight as text', dim(0, { weight: '50' }), ['dimensions[0].weight: 应为数字']],
    [
      'an unknown indicator',
      dim(1, { indicator: 'patrols' }),
      [
        'dimensions[1].indicator: 指标应为 cases / certifiedOfficers / officerSufficiency / trainingRate / openCertificateCases',
      ],
    ],
    ['an unknown source', dim(1, { source: 'guess' }), ['dimensions[1].source: 来源(source)应为 indicator 或 answer']],
    [
      'bands not starting at 0',
      dim(1, { bands: [{ from: 1, score: 100 }] }),
      ['dimensions[1].bands[0].from: 第一个区间应从 0 开始'],
    ],
    [
      'bands out of order',
      dim(1, {
        bands: [
          { from: 0, score: 0 },
          { from: 2, score: 50 },
          { from: 1, score: 100 },
        ],
      }),
      ['dimensions[1].bands[2].from: 区间起点应递增'],
    ],
    ['a score over 100', dim(0, { scores: { high: 120 } }), ['dimensions[0].scores.high: 分值应在 0–100 之间']],
    ['a misspelt field', dim(0, { wieght: 5 }), ['dimensions[0]: 未知字段 wieght']],
    ['duplicate keys', dim(1, { key: 'workload' }), ['dimensions[1].key: 维度 key「workload」重复']],
    [
      'keep not above adjust',
      { ...custom, thresholds: { keep: 40, adjust: 40 } },
      ['thresholds.keep: 「保留」分数线应高于「调整」分数线'],
    ],
    [
      'an unknown cap flag',
      { ...custom, caps: [{ flag: 'late', atMost: 'adjust' }] },
      ['caps[0].flag: 标记应为 zeroCases / tooFewOfficers'],
    ],
    ['no dimensions', { ...custom, dimensions: [] }, ['dimensions: 至少一个维度']],
  ])('refuses %s with a clear error', (_, input, errors) => {
    const result = parseScoringTemplate(input);
    expect(result.ok).toBe(false);
    expect(
      !result.ok && result.errors.map((e, i) => (errors[i]?.endsWith('JSON') ? e.slice(0, errors[i]!.length) : e)),
    ).toEqual(errors);
  });
});
