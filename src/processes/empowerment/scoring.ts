import type { MatterFlag, MatterIndicators } from './matter-indicators';
import type { ScoringTemplate } from './scoring-template';

// Evaluating empowered matters (DOMAIN.md §3, issue #7). Indicators are computed from the bureau's own data,
// never typed by the township (./matter-indicators); the scoring template is data loaded by the bureau
// (./scoring-template). The result is a suggestion for the reviewer and the leader, who decide. Pure.
// This file is the evaluation's one door: callers import the indicators and the default template from here too; the
// template's checker (zod) is imported from ./scoring-template by the code that reads a bureau's JSON, so that
// workflows importing this file do not carry zod.
export {
  DEFAULT_OFFICER_RULE,
  FLAGS,
  FLAG_LABEL,
  INDICATORS,
  INDICATOR_LABEL,
  matterIndicators,
  type IndicatorName,
  type MatterFlag,
  type MatterIndicators,
  type OfficerFacts,
  type OfficerRule,
  type TownshipFacts,
} from './matter-indicators';
export { DEFAULT_SCORING_TEMPLATE } from './default-scoring-template';
export type { ScoringDimension, ScoringTemplate, TemplateParse } from './scoring-template';

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

// ---- Score and suggestion -------------------------------------------------------------------------------

export type Suggestion = 'keep' | 'adjust' | 'withdraw';

export const SUGGESTION_LABEL: Record<Suggestion, string> = {
  keep: '建议保留',
  adjust: '建议调整',
  withdraw: '建议收回',
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
