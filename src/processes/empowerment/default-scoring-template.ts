import type { ScoringTemplate } from './scoring-template';

// Apart from ./scoring-template: the empowerment round's workflow needs these figures, and importing the template's
// checker would put zod (380 KB of the 1.8 MB workflow bundle, ~3 MB of the workflow thread's heap) into the bundle.

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
