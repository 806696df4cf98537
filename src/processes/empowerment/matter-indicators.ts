import type { Grant, GrantForm } from './rules';

// The indicators of an empowered matter (DOMAIN.md §3, issue #7), computed from the bureau's own data — case
// records, certificates, training — never typed by the township. Kept apart from the scoring template because
// they are facts the reviewer sees whichever template the bureau loads. Pure.

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
