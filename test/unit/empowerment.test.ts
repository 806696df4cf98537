import { describe, expect, it } from 'vitest';
import { shippedCalendar } from '../support/shipped-calendar';
import {
  actsInNameOf,
  addYears,
  exercisable,
  filingDeadline,
  filingOverdue,
  filingStatus,
  renewalDraft,
  termMilestonesDue,
  validateGrant,
  type DelegatedGrant,
  type EntrustedGrant,
  type GrantDraft,
} from '../../src/processes/empowerment/rules';
import {
  appendVersion,
  applyDecisions,
  registerAsOf,
  undecidedMatters,
  type RegisterVersion,
} from '../../src/processes/empowerment/register';

// The real 2025/2026 calendar as shipped (国庆中秋 2025: 10-01..10-08 off, 09-28 and 10-11 调休上班).
const cal = shippedCalendar();

const MATTER = {
  code: 'SC-001',
  name: '对未按规定公示食品经营许可证的处罚',
  field: '市场监管',
  legalBasis: '《食品安全法》第126条',
};

const delegated: DelegatedGrant = {
  form: 'delegated',
  township: '星沙街道',
  documentNo: '湘政发〔2024〕5号',
  published: '2024-03-01',
  matters: [MATTER],
};

const entrusted: EntrustedGrant = {
  form: 'entrusted',
  township: '黄花镇',
  documentNo: '县市监委〔2025〕3号',
  department: '县市场监管局',
  authority: '警告、罚款',
  termStart: '2025-09-24',
  termEnd: '2026-06-30',
  matters: [MATTER],
};

const entrustedDraft: GrantDraft = { ...entrusted };
const delegatedDraft: GrantDraft = { ...delegated };

describe('validateGrant: 交由行使 and 委托 are two record types', () => {
  it('accepts a complete grant of each form', () => {
    expect(validateGrant(delegatedDraft)).toEqual({ ok: true, grant: delegated });
    expect(validateGrant({ ...entrustedDraft, township: ' 黄花镇 ' })).toEqual({ ok: true, grant: entrusted });
  });

  it.each<[string, GrantDraft, string, string]>([
    ['交由行使 without 文号', { ...delegatedDraft, documentNo: '' }, 'documentNo', '交由行使决定的文号不能为空'],
    [
      '交由行使 without published date',
      { ...delegatedDraft, published: undefined },
      'published',
      '交由行使决定应填写公布日期',
    ],
    [
      '交由行使 with a department',
      { ...delegatedDraft, department: '县市场监管局' },
      'department',
      '「委托部门」只用于委托;交由行使以乡镇自己的名义执法,不填写此项',
    ],
    [
      '交由行使 with a term end',
      { ...delegatedDraft, termEnd: '2027-01-01' },
      'termEnd',
      '「期限止」只用于委托;交由行使以乡镇自己的名义执法,不填写此项',
    ],
    [
      '交由行使 with a filing date',
      { ...delegatedDraft, filed: '2024-03-05' },
      'filed',
      '「备案日期」只用于委托;交由行使以乡镇自己的名义执法,不填写此项',
    ],
    ['委托 without 委托书 number', { ...entrustedDraft, documentNo: ' ' }, 'documentNo', '委托书编号不能为空'],
    ['委托 without department', { ...entrustedDraft, department: undefined }, 'department', '委托应写明委托部门'],
    ['委托 without authority', { ...entrustedDraft, authority: '' }, 'authority', '委托应写明权限'],
    ['委托 without term start', { ...entrustedDraft, termStart: undefined }, 'termStart', '委托应写明期限起'],
    ['委托 without term end', { ...entrustedDraft, termEnd: undefined }, 'termEnd', '委托应写明期限止'],
    ['委托 ending before it starts', { ...entrustedDraft, termEnd: '2025-09-24' }, 'termEnd', '委托期限止日应晚于起日'],
    [
      '委托 over 3 years',
      { ...entrustedDraft, termStart: '2025-01-01', termEnd: '2028-01-02' },
      'termEnd',
      '委托期限不超过3年(自 2025-01-01 起最迟至 2028-01-01)',
    ],
    ['a malformed date', { ...entrustedDraft, filed: '2025-02-30' }, 'filed', '备案日期应为 YYYY-MM-DD 日期'],
    ['no matters', { ...entrustedDraft, matters: [] }, 'matters', '至少应列出一个事项'],
    [
      'a matter without legal basis',
      { ...entrustedDraft, matters: [{ ...MATTER, legalBasis: '' }] },
      'matters',
      '法律依据不能为空',
    ],
    [
      'a matter code twice',
      { ...entrustedDraft, matters: [MATTER, { ...MATTER, name: '另一事项' }] },
      'matters',
      '事项编码与本文号第1个事项重复',
    ],
  ])('refuses %s', (_, draft, field, message) => {
    expect(validateGrant(draft)).toEqual({ ok: false, problems: [expect.objectContaining({ field, message })] });
  });

  it.each([
    ['2025-01-01', '2027-12-31', 3, true],
    ['2025-01-01', '2028-01-01', 3, true], // the anniversary itself: both ways letters are written
    ['2025-01-01', '2026-01-02', 1, false], // a province with a 1-year limit
    ['2024-02-29', '2027-02-28', 3, true], // 29 Feb → 28 Feb
  ])('a term %s..%s with at most %i years is accepted: %s', (termStart, termEnd, maxTermYears, ok) => {
    expect(validateGrant({ ...entrustedDraft, termStart, termEnd }, { maxTermYears }).ok).toBe(ok);
  });

  it('knows in whose name the township acts', () => {
    expect([actsInNameOf(delegated), actsInNameOf(entrusted)]).toEqual(['星沙街道', '县市场监管局']);
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
  });
});

describe('委托 terms', () => {
  const term = { ...entrusted, termStart: '2025-07-01', termEnd: '2026-06-30' };

  it.each<[string, string[], string[]]>([
    ['2026-03-31', [], []], // 91 days left
    ['2026-04-01', [], ['90d']], // 90 days left
    ['2026-05-31', ['90d'], ['30d']],
    ['2026-06-01', ['90d', '30d'], []], // already told
    ['2026-06-10', [], ['30d']], // registered late: the 90-day notice is superseded, not sent late
    ['2026-06-23', ['90d', '30d'], ['7d']],
    ['2026-06-30', ['90d', '30d', '7d'], []], // the last day of the term is still in it
    ['2026-07-01', ['90d', '30d', '7d'], ['expired']],
  ])('on %s (sent %j) the notice due is %j', (asOf, sent, expected) => {
    expect(termMilestonesDue(term, asOf, sent as never).map((m) => m.key)).toEqual(expected);
  });

  it('tells both the department and the bureau; 交由行使 has no term', () => {
    expect(termMilestonesDue(term, '2026-04-01')[0]?.notify).toEqual(['department', 'bureau']);
    expect(termMilestonesDue(delegated, '2099-01-01')).toEqual([]);
  });

  it.each([
    [term, '2025-06-30', false],
    [term, '2025-07-01', true],
    [term, '2026-06-30', true],
    [term, '2026-07-01', false], // expired: matters no longer exercisable
    [{ ...term, filed: undefined }, '2026-01-01', true], // 备案 is supervision, not validity
    [delegated, '2024-02-29', false],
    [delegated, '2024-03-01', true],
  ])('exercisable(%#) on %s: %s', (grant, asOf, expected) => {
    expect(exercisable(grant, asOf)).toBe(expected);
  });

  it('renews by a new 委托 with its own filing, never an extension', () => {
    const draft = renewalDraft(
      { ...term, filed: '2025-07-03', published: '2025-07-02' },
      '县市监委〔2026〕9号',
      '2029-06-30',
    );
    expect(draft).toMatchObject({
      documentNo: '县市监委〔2026〕9号',
      termStart: '2026-07-01',
      termEnd: '2029-06-30',
      department: '县市场监管局',
    });
    expect(draft.filed).toBeUndefined();
    expect(draft.published).toBeUndefined();
    expect(validateGrant(draft).ok).toBe(true);
  });
});

describe('filing (备案) within 10 working days of the term start', () => {
  it.each([
    ['2025-09-24', '2025-10-14'], // Wed: 25, 26, 28 (Sun 调休), 29, 30, then 国庆中秋 to 10-08, 9, 10, 11 (Sat 调休), 13, 14
    ['2025-09-30', '2025-10-21'], // 9, 10, 11, 13–17, 20, 21
    ['2025-11-03', '2025-11-17'], // no holiday: two weeks
  ])('a term starting %s must be filed by %s', (termStart, due) => {
    expect(filingDeadline({ ...entrusted, termStart }, cal)).toBe(due);
  });

  it.each<[string, string | undefined, string, string, boolean]>([
    ['filed on the last day', '2025-10-14', '2025-12-01', 'filed', false],
    ['filed a day late', '2025-10-15', '2025-12-01', 'filedLate', true],
    ['unfiled, on the last day', undefined, '2025-10-14', 'pending', false],
    ['unfiled, the day after', undefined, '2025-10-15', 'overdue', true],
    ['unfiled, in the holiday (a naive +14 days would flag it)', undefined, '2025-10-08', 'pending', false],
  ])('%s', (_, filed, asOf, status, overdue) => {
    const grant = { ...entrusted, termStart: '2025-09-24', filed };
    expect(filingStatus(grant, cal, asOf)).toEqual({ status, due: '2025-10-14' });
    expect(filingOverdue(grant, cal, asOf)).toBe(overdue);
  });

  it('does not apply to 交由行使, and the number of days is configurable', () => {
    expect(filingStatus(delegated, cal, '2099-01-01')).toEqual({ status: 'notRequired' });
    expect(filingDeadline({ ...entrusted, termStart: '2025-09-24' }, cal, 15)).toBe('2025-10-21');
  });
});

describe('register versions', () => {
  const decision = (reference: string, decidedOn: string) => ({
    kind: 'evaluation' as const,
    reference,
    decidedBy: '县司法局',
    decidedOn,
  });
  const versions: RegisterVersion[] = [
    {
      version: 1,
      validFrom: '2025-01-01',
      grants: [delegated],
      decision: { ...decision('导入 登记表.xlsx', '2025-01-01'), kind: 'import' },
    },
    {
      version: 2,
      validFrom: '2025-10-01',
      grants: [delegated, entrusted],
      decision: decision('县政办〔2025〕8号', '2025-09-20'),
    },
    { version: 3, validFrom: '2025-10-01', grants: [entrusted], decision: decision('县政办〔2025〕9号', '2025-09-30') },
    { version: 4, validFrom: '2026-03-01', grants: [], decision: decision('县政办〔2026〕1号', '2026-02-20') },
  ];

  it.each([
    ['2024-12-31', undefined],
    ['2025-01-01', 1],
    ['2025-09-30', 1],
    ['2025-10-01', 3], // same day: the later-recorded version wins
    ['2026-02-28', 3],
    ['2026-03-01', 4],
  ])('the register as of %s is version %s', (date, expected) => {
    expect(registerAsOf(versions, date)?.version).toBe(expected);
  });

  it('records the next version and refuses rewriting history or silently extending a 委托', () => {
    expect(
      appendVersion(versions, { validFrom: '2026-03-01', grants: [entrusted], decision: decision('x', '2026-03-01') }),
    ).toMatchObject({ ok: true, version: { version: 5 } });
    expect(
      appendVersion(versions.slice(0, 3), {
        validFrom: '2025-12-01',
        grants: [{ ...entrusted, termEnd: '2027-06-30' }],
        decision: decision('x', '2025-12-01'),
      }),
    ).toEqual({
      ok: false,
      problems: [
        '黄花镇 委托书 县市监委〔2025〕3号 的期限不能直接改动(2025-09-24至2026-06-30);续期应登记新的委托并重新备案',
      ],
    });
    expect(
      appendVersion(versions, { validFrom: '2026-01-01', grants: [], decision: decision('x', '2026-01-01') }).ok,
    ).toBe(false);
    expect(
      appendVersion([], { validFrom: '2020-01-01', grants: [], decision: decision('x', '2020-01-01') }),
    ).toMatchObject({ ok: true, version: { version: 1 } });
  });
});

describe('applyDecisions: keep, adjust, withdraw per matter', () => {
  const second = { ...MATTER, code: 'SC-002', name: '对餐饮服务提供者未公示许可证的处罚' };
  const register = [{ ...entrusted, matters: [MATTER, second] }, delegated];
  const on = (matterCode: string, outcome: 'keep' | 'adjust' | 'withdraw', changes?: object) => ({
    township: '黄花镇',
    form: 'entrusted' as const,
    documentNo: entrusted.documentNo,
    matterCode,
    outcome,
    changes,
  });

  it('withdraws and adjusts matters, dropping a grant left empty', () => {
    const result = applyDecisions(register, [
      on('SC-001', 'withdraw'),
      on('SC-002', 'adjust', { legalBasis: '《食品安全法》第126条第1款' }),
    ]);
    expect(result).toEqual({
      ok: true,
      grants: [{ ...entrusted, matters: [{ ...second, legalBasis: '《食品安全法》第126条第1款' }] }, delegated],
    });
    const all = applyDecisions(register, [on('SC-001', 'withdraw'), on('SC-002', 'withdraw')]);
    expect(all.ok && all.grants).toEqual([delegated]);
    expect(applyDecisions(register, [on('SC-001', 'keep')])).toEqual({ ok: true, grants: register });
  });

  it.each([
    ['an unknown matter', [on('XX-9', 'keep')], '黄花镇 委托 县市监委〔2025〕3号 事项 XX-9: 登记簿中没有此事项'],
    [
      'two decisions on one matter',
      [on('SC-001', 'keep'), on('SC-001', 'withdraw')],
      '黄花镇 委托 县市监委〔2025〕3号 事项 SC-001: 同一事项有多个决定',
    ],
    [
      'an adjustment with no content',
      [on('SC-001', 'adjust', { name: ' ' })],
      '黄花镇 委托 县市监委〔2025〕3号 事项 SC-001: 调整应写明调整后的内容',
    ],
  ])('refuses %s', (_, decisions, problem) => {
    expect(applyDecisions(register, decisions)).toEqual({ ok: false, problems: [problem] });
  });

  it('lists the matters a round has not decided yet', () => {
    expect(undecidedMatters(register, '黄花镇', [on('SC-001', 'keep')]).map((u) => u.matter.code)).toEqual(['SC-002']);
  });
});
