import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../../src/processes/chat-kit';
import { readCalendar } from '../../src/processes/casework/calendar-store';
import { certificateView } from '../../src/processes/certificate/rules';
import { colourOf } from '../../src/processes/desk/rules';
import { daysBetween, isoDateOf } from '../../src/core/dates';
import { DEMO_PERSONAS, DEMO_UNITS, demoPeople, seedDemoCountyIfEmpty } from '../../prisma/seed/demo-county';
import { startHarness, type Harness } from '../support/lawdesk';

// The demo county the sandbox starts with: written through the Prisma client into a freshly migrated (embedded)
// database, only when the roster is empty, and recorded in the audit trail; its certificate case really waits.

const TODAY = '2026-03-02';

describe('demo county seed', () => {
  // The seed runs in the started bot (it opens a certificate case through Temporal, as an admin would).
  let h: Harness;
  let db: { prisma: Harness['app']['ctx']['prisma'] };
  let ctx: BotContext;

  beforeAll(async () => {
    h = await startHarness();
    ctx = h.app.ctx;
    db = { prisma: ctx.prisma };
  });
  afterAll(() => h?.stop());

  it('has every role in every unit, every certificate state, and some expiring soon', () => {
    const people = demoPeople(TODAY);
    expect(people).toHaveLength(40);
    expect(new Set(people.map((p) => p.certNo)).size).toBe(40);
    expect(new Set(people.map((p) => p.openId)).size).toBe(40);
    for (const unit of Object.values(DEMO_UNITS)) {
      const roles = people.filter((p) => p.unit === unit).map((p) => p.role);
      expect(roles, unit).toEqual(expect.arrayContaining(['admin', 'supervisor', 'officer']));
    }
    expect(people.filter((p) => p.unit === '县司法局').map((p) => p.role)).toEqual(
      expect.arrayContaining(['bureau', 'leader']),
    );
    const states = new Set(people.map((p) => certificateView(p.certStatus, p.certExpires, TODAY).status));
    expect([...states].sort()).toEqual(['active', 'cancelled', 'expired', 'suspended', 'withdrawn']);
    const soon = people.filter(
      (p) =>
        p.certStatus === 'active' && daysBetween(TODAY, p.certExpires) >= 0 && daysBetween(TODAY, p.certExpires) <= 183,
    );
    expect(soon.length).toBeGreaterThanOrEqual(3);
    for (const persona of DEMO_PERSONAS) expect(people.map((p) => p.openId)).toContain(persona.openId);
  });

  it('writes units and people once, into an empty roster only, with an audit event', async () => {
    const asOf = new Date(`${TODAY}T08:00:00+08:00`);
    expect(await seedDemoCountyIfEmpty(ctx, asOf)).toBe(true);
    expect(await seedDemoCountyIfEmpty(ctx, asOf)).toBe(false);
    expect(await db.prisma.unit.count()).toBe(5);
    const zhang = await db.prisma.officer.findUniqueOrThrow({
      where: { openId: 'ou_demo_zhangwei' },
      include: { unit: true },
    });
    expect(zhang).toMatchObject({
      name: '张伟',
      certNo: 'HN-SJ-003',
      role: 'officer',
      certStatus: 'active',
      unit: { name: '县市场监督管理局' },
    });
    expect(daysBetween(TODAY, isoDateOf(zhang.certExpires!))).toBe(1300);
    const audits = await db.prisma.auditEvent.findMany({ where: { action: 'demo.seeded' } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actor: 'sandbox',
      subject: 'demo-county',
      details: {
        steps: [
          { step: 'units-and-people', summary: '5 个单位, 40 人' },
          { step: 'training-records' },
          { step: 'waiting-certificate-case', summary: '证件注销申请 1 件(待单位负责人王强审批)' },
          { step: 'desk-in-every-colour' },
        ],
      },
    });
    expect(await db.prisma.trainingRecord.count()).toBeGreaterThan(50);
    // The case is really waiting: its approval card reached the unit head.
    // (王强 also hears, as 李娜's superior, that the overdue self-report below is late: order not fixed.)
    const caseCards = () =>
      h.fake.messagesTo('ou_demo_wangqiang').filter((m) => JSON.stringify(m.content).includes('证件注销 · 郑敏'));
    await h.fake.waitFor(() => caseCards().length === 1, 15_000);

    // The leaders' desk has an item in every colour on the seed day (written by the workflows themselves).
    await h.fake.waitFor(
      () =>
        ['ou_demo_lina', 'ou_demo_zhouting', 'ou_demo_gaojie', 'ou_demo_caoying'].every(
          (admin) => h.fake.messagesTo(admin).length >= 1,
        ),
      15_000,
    );
    const calendar = await readCalendar(db.prisma);
    const rows = await db.prisma.deadlineItem.findMany({
      where: { process: 'training_report', state: 'open' },
      orderBy: { dueAt: 'asc' },
    });
    expect(rows.map((r) => colourOf(r.dueAt, asOf, calendar, 'Asia/Shanghai'))).toEqual([
      'red',
      'orange',
      'yellow',
      'green',
    ]);
    expect(rows.map((r) => r.unitName)).toEqual([
      '县市场监督管理局',
      '县城市管理和综合执法局',
      '县交通运输局',
      '县生态环境分局',
    ]);
  });
});
