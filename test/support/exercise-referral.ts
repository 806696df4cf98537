import { expect } from 'vitest';
import type { Database } from '../../src/platform/db/database';

// Issue #8's models written and read back through the generated client (called from schema.test.ts, which
// must touch every model on a freshly migrated database).

export async function exerciseReferralModels(db: Database): Promise<void> {
  await db.prisma.referral.create({
    data: {
      workflowId: 'referral-criminal-1',
      kind: 'criminal',
      unitName: '县市场监督管理局',
      counterpart: '县公安局',
      procuratorate: '县人民检察院',
      title: '涉嫌销售伪劣产品',
      stepKey: 'headDecision',
      stepTitle: '负责人决定是否移送',
      dueAt: new Date('2026-11-25T16:00:00Z'),
      history: [{ step: 'report', outcome: 'filed', late: false }],
    },
  });
  await db.prisma.referral.update({
    where: { workflowId: 'referral-criminal-1' },
    data: {
      stepsDone: { increment: 1 },
      stepsLate: { increment: 1 },
      refusals: { increment: 1 },
      sendBacks: 1,
      status: 'closed',
      closedAt: new Date('2026-11-26T00:00:00Z'),
    },
  });
  expect(await db.prisma.referral.findUniqueOrThrow({ where: { workflowId: 'referral-criminal-1' } })).toMatchObject({
    stepsDone: 1,
    stepsLate: 1,
    refusals: 1,
    sendBacks: 1,
    status: 'closed',
    history: [{ step: 'report' }],
  });
  // The migration ships example thresholds.
  expect(await db.prisma.referralThreshold.findUnique({ where: { caseType: 'fakeProducts' } })).toMatchObject({
    amountYuan: 50_000,
    example: true,
  });
  await db.prisma.referralThreshold.create({
    data: { caseType: 'illegalBusiness', title: '非法经营', amountYuan: 50_000, basis: '刑法第225条' },
  });
  expect(await db.prisma.referralThreshold.count()).toBeGreaterThanOrEqual(4);
  await db.prisma.referralPrompt.create({
    data: {
      unitName: '县市场监督管理局',
      caseRef: '县市监罚〔2026〕12号',
      caseType: 'fakeProducts',
      amountYuan: 80_000,
      askedOpenId: 'ou_1',
    },
  });
  await db.prisma.referralPrompt.update({
    where: { unitName_caseRef: { unitName: '县市场监督管理局', caseRef: '县市监罚〔2026〕12号' } },
    data: { answer: 'notNeeded', reason: '已核实金额不足', answeredBy: 'ou_1', answeredAt: new Date() },
  });
  expect(await db.prisma.referralPrompt.findFirst()).toMatchObject({ answer: 'notNeeded', amountYuan: 80_000 });
}
