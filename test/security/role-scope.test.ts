import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateIn } from '../../src/core/dates';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, cardText, clickCard, sayTo, startHarness, type Harness } from '../support/lawdesk';
import { ECO, seedReceivingUnit } from '../support/referral-fixture';

// Issue 20, item 7: a unit leader's 证件案件 showed the whole county (another unit's case), and the audit export
// let every leader read anyone's records. Who sees what is one table (src/core/scope.ts); here every chat word is
// asked by every kind of person, through chat as Feishu delivers it, and what they get back is read as a reach.

type Reach = 'none' | 'self' | 'unit' | 'county';
const KINDS = ['officer', 'admin', 'supervisor', 'leader', 'bureauLeader', 'bureau'] as const;
type Kind = (typeof KINDS)[number];
const PERSON: Record<Kind, { openId: string; name: string; certNo: string }> = {
  officer: PEOPLE.officer,
  admin: PEOPLE.admin,
  supervisor: PEOPLE.head,
  leader: PEOPLE.unitLeader,
  bureauLeader: PEOPLE.bureauLeader,
  bureau: PEOPLE.reviewer,
};
const ECO_OFFICER = { name: '钱执法', openId: 'ou_eco_officer', certNo: 'EC003' };

// Written out here rather than read from src/core/scope.ts: this is what the county expects, the table must agree.
const EXPECTED: Record<string, Record<Kind, Reach>> = {
  证件案件: {
    officer: 'none',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'unit',
    bureauLeader: 'county',
    bureau: 'county',
  },
  导出证件记录: {
    officer: 'self',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'unit',
    bureauLeader: 'county',
    bureau: 'county',
  },
  本单位学时: {
    officer: 'none',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'unit',
    bureauLeader: 'unit',
    bureau: 'unit',
  },
  学时统计: {
    officer: 'none',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'county',
    bureauLeader: 'county',
    bureau: 'county',
  },
  学时统计导出: {
    officer: 'none',
    admin: 'none',
    supervisor: 'none',
    leader: 'none',
    bureauLeader: 'county',
    bureau: 'county',
  },
  学时不足名单导出: {
    officer: 'none',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'unit',
    bureauLeader: 'county',
    bureau: 'county',
  },
  移送: {
    officer: 'none',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'unit',
    bureauLeader: 'county',
    bureau: 'county',
  },
  移送台账: {
    officer: 'none',
    admin: 'none',
    supervisor: 'none',
    leader: 'none',
    bureauLeader: 'county',
    bureau: 'county',
  },
};

describe('who sees what, per chat word and kind of person (issue 20 item 7)', () => {
  let h: Harness;

  /** Says `text` and returns what came back: a text (refused) or the card's JSON. */
  async function say(openId: string, text: string): Promise<{ refused: boolean; card: string }> {
    const before = h.fake.messagesTo(openId).length;
    await sayTo(h, openId, text);
    await h.fake.waitFor(() => h.fake.messagesTo(openId).length === before + 1, 10_000);
    const reply = h.fake.messagesTo(openId)[before]!;
    return { refused: reply.msgType === 'text', card: cardText(reply.content) };
  }
  const sent = async (openId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) =>
    (await clickCard(h, openId, value, { formValue })).toast?.type === 'success';

  const OBSERVE: Record<string, (p: { openId: string; certNo: string }) => Promise<Reach>> = {
    证件案件: async (p) => {
      const r = await say(p.openId, '证件案件');
      return r.refused ? 'none' : r.card.includes(ECO_OFFICER.name) ? 'county' : 'unit';
    },
    导出证件记录: async (p) => {
      const exportOf = (certNos?: string) =>
        sent(p.openId, { action: 'export_certificate_audit' }, certNos ? { certNos } : undefined);
      if (await exportOf(ECO_OFFICER.certNo)) return 'county';
      if (await exportOf(PEOPLE.stranger.certNo)) return 'unit';
      return (await exportOf()) ? 'self' : 'none';
    },
    本单位学时: async (p) => ((await say(p.openId, '本单位学时')).refused ? 'none' : 'unit'),
    学时统计: async (p) => {
      const r = await say(p.openId, '学时统计');
      return r.refused ? 'none' : r.card.includes('全县') ? 'county' : 'unit';
    },
    学时统计导出: async (p) => ((await sent(p.openId, { action: 'export_county_hours' })) ? 'county' : 'none'),
    学时不足名单导出: async (p) => {
      if (await sent(p.openId, { action: 'export_year_end', year: 2025, unit: ECO.unit })) return 'county';
      return (await sent(p.openId, { action: 'export_year_end', year: 2025, unit: '县市场监管局' })) ? 'unit' : 'none';
    },
    移送: async (p) => {
      const r = await say(p.openId, '移送');
      return r.refused ? 'none' : r.card.includes('· 全县') ? 'county' : 'unit';
    },
    移送台账: async (p) => ((await say(p.openId, '移送台账')).refused ? 'none' : 'county'),
  };

  beforeAll(async () => {
    h = await startHarness();
    const prisma = h.app.ctx.prisma;
    await seedCounty(prisma);
    await seedReceivingUnit(prisma);
    const eco = await prisma.unit.findUniqueOrThrow({ where: { name: ECO.unit } });
    await prisma.officer.create({
      data: { ...ECO_OFFICER, unitId: eco.id, role: 'officer', certExpires: new Date('2099-12-31T00:00:00Z') },
    });
    await loadTestCalendar(prisma, dateIn('Asia/Shanghai', new Date()), 0);
    // Another unit's case: 县生态环境局's admin opens one on its own officer.
    await sayTo(h, ECO.admin.openId, '证件办理');
    await h.fake.waitFor(() => h.fake.messagesTo(ECO.admin.openId).length === 1);
    const submit = buttonValue(h.fake.messagesTo(ECO.admin.openId)[0]!.content, { action: 'certificate_case_submit' });
    expect(
      (
        await clickCard(h, ECO.admin.openId, submit, {
          formValue: { officer: ECO_OFFICER.certNo, reason: 'investigation' },
        })
      ).toast?.type,
    ).toBe('success');
    await h.fake.waitFor(() => h.fake.messagesTo(ECO.head.openId).length === 1, 15_000); // the case is at its first step
  });
  afterAll(() => h?.stop());

  const cases = Object.entries(EXPECTED).flatMap(([word, byKind]) =>
    KINDS.map((kind) => [word, kind, byKind[kind]] as const),
  );
  it.each(cases)('%s · %s → %s', async (word, kind, expected) => {
    expect(await OBSERVE[word]!(PERSON[kind])).toBe(expected);
  });
});
