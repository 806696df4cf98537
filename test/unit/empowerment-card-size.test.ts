import { describe, expect, it } from 'vitest';
import { CARD_BUDGET_BYTES, caseCard } from '../../src/processes/casework/case-card';
import { ledgerCard, townshipEmpowermentCard } from '../../src/processes/empowerment/cards';
import type { Ledger, TownshipView } from '../../src/processes/empowerment/ledger';
import type { StoredGrant } from '../../src/processes/empowerment/store';
import {
  batches,
  MAX_BATCH_SIZE,
  opinionFields,
  reviewFields,
  selfAssessmentFields,
  yearRound,
  type RoundMatter,
} from '../../src/processes/empowerment/round-rules';
import { matterIndicators, type SelfAssessment } from '../../src/processes/empowerment/scoring';
import type { CaseView, Decision, OpenStep, StepField } from '../../src/processes/casework/contract';

// Feishu refuses a card over 30 KB (230025; the fake Feishu refuses it too). A township with 250 matters, long
// official matter names and long comments is the worst a county sends: every card of its round, and 赋权 /
// 赋权台账, must stay under the budget. Sizes are of the JSON the bot sends, as Feishu counts them (bytes).

const LIMIT = 30 * 1024;
const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card));
const LONG_NAME = '对未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的行为的行政处罚';
const township = '城关镇';
const matters: RoundMatter[] = Array.from({ length: 250 }, (_, i) => ({
  form: i < 150 ? 'delegated' : 'entrusted',
  documentNo: i < 150 ? '湘政发〔2024〕5号' : `县市监委〔2025〕${(i % 30) + 1}号`,
  code: `${i < 150 ? 'D' : 'E'}${String(i + 1).padStart(3, '0')}`,
  name: `${LONG_NAME}${i + 1}`,
  field: `领域${i % 12}`,
  department: i < 150 ? '县自然资源和规划局' : '县市场监督管理局',
}));
const person = (n: number) => ({ name: `工作人员${n}`, openId: `ou_${n}` });
const OWNER = person(1);

function view(step: OpenStep, decisions: Decision[]): CaseView {
  return {
    workflowId: `empowerment-round-${township}-2026年度`,
    process: 'empowerment',
    caseType: '赋权评估',
    unitName: township,
    title: `${township} 2026年度`,
    facts: [
      ['乡镇/街道', township],
      ['评估期间', '2026-01-01 至 2026-12-31'],
      ['完成时限', '2026-12-31'],
      ['事项数', '250 项'],
      ['持有效执法证人数(系统数据)', '12 人'],
      ['评分模板', '某县2026年赋权事项评估模板'],
      ['审查建议', '保留 200、调整 30、收回 20(零办件 35 项)'],
      ['未能识别', 'X'.repeat(2000)],
    ],
    applicant: person(9),
    status: 'open',
    decisions,
    openSteps: [step],
    currentStep: step,
  };
}
function step(key: string, fields: StepField[]): OpenStep {
  return {
    key,
    title: key,
    kind: 'record',
    owner: OWNER,
    reminders: 0,
    outcomes: [{ key: 'submitted', label: '提交', style: 'primary' }],
    fields,
    deadline: {
      startedAt: '2026-11-20T02:00:00.000Z',
      dueAt: '2026-12-10T09:00:00.000Z',
      remindAt: '2026-11-27T02:00:00.000Z',
      label: '10个工作日',
    },
  };
}
const decision = (n: number, answers: number): Decision => ({
  stepKey: `s${n}`,
  stepTitle: `乡镇自评 第${n}/13批`,
  outcome: 'submitted',
  outcomeLabel: '提交',
  by: person(n),
  at: '2026-11-20T02:00:00.000Z',
  late: false,
  comment: '存在的问题:'.repeat(200),
  answers: Array.from(
    { length: answers },
    (_, i) => [`${LONG_NAME}:期内办件数`, `${i}${'说明'.repeat(100)}`] as [string, string],
  ),
});
const cardFor = (v: CaseView) =>
  caseCard(v, {
    viewer: OWNER.openId,
    kind: 'step',
    stepKey: v.openSteps[0]!.key,
    now: new Date('2026-11-22T02:00:00Z'),
    timeZone: 'Asia/Shanghai',
  });

describe('cards of a 250-matter round fit Feishu’s 30 KB', () => {
  const parts = batches(matters, 1000); // a county that configures huge batches still gets cards that fit
  const assessed = new Map<string, SelfAssessment>(
    matters.map((m) => [
      m.code,
      {
        matterCode: m.code,
        casesReported: 3,
        staff: 20,
        certifiedOfficers: 12,
        equipment: '',
        problems: '',
        wish: 'keep',
      },
    ]),
  );
  const indicators = new Map(
    matterIndicators(
      [
        {
          form: 'delegated',
          township,
          documentNo: 'x',
          published: '2024-01-01',
          matters: matters.map((m) => ({ code: m.code, name: m.name, field: m.field, legalBasis: '' })),
        },
      ],
      { township, casesByMatter: {}, officers: [], openCertificateCases: 0 },
    ).map((i) => [i.matterCode, i]),
  );
  const context = new Map(
    matters.map((m) => [
      m.code,
      { opinion: 'keep' as const, indicators: indicators.get(m.code)!, suggestion: '建议调整' },
    ]),
  );

  it(`batches are capped at ${MAX_BATCH_SIZE} matters`, () => {
    expect(parts).toHaveLength(Math.ceil(250 / MAX_BATCH_SIZE));
    expect(yearRound(2026).batchSize).toBeLessThanOrEqual(MAX_BATCH_SIZE);
  });

  it.each([
    ['self-assessment (first card, with the township questions)', () => selfAssessmentFields(parts[0]!, true)],
    ['department opinion', () => opinionFields(parts[0]!, assessed)],
    ['bureau legality review', () => reviewFields(parts[0]!, context)],
  ])('%s: a full batch of long names, after 12 long-commented steps', (_, fields) => {
    const size = bytes(
      cardFor(
        view(
          step('card', fields()),
          Array.from({ length: 12 }, (_, i) => decision(i + 1, 6)),
        ),
      ),
    );
    expect(size).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });

  it('leader decision after 40 steps with long comments: the progress list shrinks, the form stays whole', () => {
    const decisionStep = step('decision_1', [
      { name: 'reference', label: '决定文号', type: 'text' },
      { name: 'overrides', label: '个别事项另行决定', type: 'textarea' },
    ]);
    const card = cardFor(
      view(
        decisionStep,
        Array.from({ length: 40 }, (_, i) => decision(i + 1, i % 2 ? 6 : 20)),
      ),
    );
    expect(bytes(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const text = JSON.stringify(card);
    expect(text).toContain('"name":"overrides"');
    expect(text).toContain('步略');
  });
});

describe('赋权 and 赋权台账 for a large county fit', () => {
  it('a township with 250 matters in 31 letters: the letters list is capped, ending-first', () => {
    const grants: StoredGrant[] = [
      {
        form: 'delegated',
        township,
        documentNo: '湘政发〔2024〕5号',
        published: '2024-03-01',
        matters: matters
          .slice(0, 150)
          .map((m) => ({ code: m.code, name: m.name, field: m.field, legalBasis: '《土地管理法》第67条' })),
      },
      ...Array.from({ length: 30 }, (_, i): StoredGrant => ({
        form: 'entrusted',
        township,
        documentNo: `县市监委〔2025〕${i + 1}号`,
        department: `县第${i + 1}个委托部门`,
        authority: '警告、罚款',
        termStart: '2025-01-01',
        termEnd: `2027-${String((i % 12) + 1).padStart(2, '0')}-28`,
        matters: matters
          .slice(150 + i * 3, 153 + i * 3)
          .map((m) => ({ code: m.code, name: m.name, field: m.field, legalBasis: '依据' })),
      })),
    ];
    const v: TownshipView = {
      township,
      version: 3,
      validFrom: '2026-01-01',
      grants,
      byField: Array.from({ length: 40 }, (_, i) => ({ field: `领域${i}`, delegated: 5, entrusted: 2 })),
      rounds: [],
    };
    const card = townshipEmpowermentCard(v, '2026-11-22', new Date('2026-11-22T02:00:00Z'), 'Asia/Shanghai');
    expect(bytes(card)).toBeLessThanOrEqual(LIMIT);
    const text = JSON.stringify(card);
    expect(text).toContain('共 31 份,全部见导出');
    expect(text).toContain('至 2027-01-28'); // the first to end is shown; the last is in the export
    expect(text).not.toContain('至 2027-12-28');
  });

  it('a county of 60 townships', () => {
    const ledger: Ledger = {
      asOf: '2026-11-22',
      rows: Array.from({ length: 60 }, (_, i) =>
        (['delegated', 'entrusted'] as const).map((form) => ({
          township: `第${i + 1}个乡镇街道`,
          form,
          grants: 4,
          matters: 125,
          zeroCases: 9,
          unevaluated: 3,
        })),
      ).flat(),
      termsEnding: Array.from({ length: 80 }, (_, i) => ({
        township: `第${i}个乡镇街道`,
        documentNo: `县市监委〔2025〕${i}号`,
        department: '县市场监督管理局',
        termEnd: '2027-01-01',
        daysLeft: 40,
        matters: 5,
      })),
      rounds: Array.from({ length: 60 }, (_, i) => ({
        workflowId: `r${i}`,
        township: `第${i}个乡镇街道`,
        period: '2026年度',
        stage: 'department',
        steps: [{ title: `县市场监督管理局意见 第1/13批`, owner: '工作人员', dueAt: new Date('2026-12-01T09:00:00Z') }],
      })),
    };
    expect(bytes(ledgerCard(ledger, new Date('2026-11-22T02:00:00Z'), 'Asia/Shanghai'))).toBeLessThanOrEqual(LIMIT);
  });
});
