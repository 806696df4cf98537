import type { Client, WorkflowHandle } from '@temporalio/client';
import type { PrismaClient } from '../../src/platform/db/database';
import type { CriminalReferralInput, InterAgencyReferralInput, LeadInput } from '../../src/processes/referral/form';
import { caseViewQuery, decideUpdate, type FieldValues } from '../../src/processes/casework/contract';
import { PEOPLE } from './certificate-fixture';

// Referral tests: the certificate fixture's county (seedCounty) plus a second unit to receive referrals and
// leads, inputs for each kind, and helpers to wait for a step and decide it as its owner would.

export const ECO = {
  unit: '县生态环境局',
  admin: { name: '钱法制', openId: 'ou_eco_admin', certNo: 'EC001' },
  head: { name: '孙局长', openId: 'ou_eco_head', certNo: 'EC002' },
} as const;

export async function seedReceivingUnit(prisma: PrismaClient): Promise<void> {
  const unit = await prisma.unit.create({ data: { name: ECO.unit } });
  for (const [p, role] of [
    [ECO.admin, 'admin'],
    [ECO.head, 'supervisor'],
  ] as const) {
    await prisma.officer.create({
      data: {
        name: p.name,
        certNo: p.certNo,
        openId: p.openId,
        unitId: unit.id,
        role,
        certExpires: new Date('2099-12-31T00:00:00Z'),
      },
    });
  }
}

const person = (p: { name: string; openId: string }) => ({ name: p.name, openId: p.openId });

export function criminalInput(overrides: Partial<CriminalReferralInput> = {}): CriminalReferralInput {
  return {
    unitName: '县市场监管局',
    caseTeam: [
      { ...person(PEOPLE.officer), certNo: PEOPLE.officer.certNo },
      { ...person(PEOPLE.stranger), certNo: PEOPLE.stranger.certNo },
    ],
    title: '某商行销售伪劣产品案',
    summary: '销售金额约 12 万元,达到追诉标准',
    crimeType: 'ordinary',
    police: '县公安局',
    procuratorate: '县人民检察院',
    ...overrides,
  };
}

export function interAgencyInput(overrides: Partial<InterAgencyReferralInput> = {}): InterAgencyReferralInput {
  return {
    unitName: '县市场监管局',
    receivingUnit: ECO.unit,
    title: '某厂违法排污线索',
    summary: '检查中发现疑似违法排污',
    matterKind: 'tax',
    applicant: person(PEOPLE.admin),
    ...overrides,
  };
}

export function leadInput(overrides: Partial<LeadInput> = {}): LeadInput {
  return {
    unitName: '县市场监管局',
    source: '12345',
    title: '群众投诉某超市销售过期食品',
    summary: '市民来电反映',
    leadType: 'complaint',
    dispatcher: person(PEOPLE.reviewer),
    ...overrides,
  };
}

/** The four documents of 310 第6条 and the copy to the procuratorate, all ticked. */
export const SEND_VALUES: FieldValues = {
  letterNo: '县市监移〔2026〕1号',
  referralLetter: 'attached',
  investigationReport: 'attached',
  itemList: 'attached',
  expertReport: 'attached',
  procuratorateCopy: 'sent',
};

export function actValues(date: string, documentNo: string): FieldValues {
  return { date, documentNo };
}

let stepRows: PrismaClient | undefined;
/** Where waitStep looks: the desk's rows in the database, so waiting asks the workflow nothing. */
export function watchSteps(prisma: PrismaClient): void {
  stepRows = prisma;
}

/**
 * Waits until the step `key` is open (its desk row written, so its update is accepted). Polls the desk rows when
 * watchSteps was called: a query is a workflow task on the Java test server, and hundreds of them around
 * time-skipping sleeps are best avoided; otherwise polls the workflow's view.
 */
export async function waitStep(handle: WorkflowHandle, key: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (stepRows) {
      if (
        await stepRows.deadlineItem.findFirst({
          where: { workflowId: handle.workflowId, stepKey: key, state: 'open' },
          select: { id: true },
        })
      )
        return;
      if (Date.now() > until) throw new Error(`step ${key} not open`);
    } else {
      const view = await handle.query(caseViewQuery);
      if (view.openSteps?.some((s) => s.key === key)) return;
      if (Date.now() > until)
        throw new Error(
          `step ${key} not open; open: ${view.openSteps?.map((s) => s.key).join(',')}; status ${view.status}`,
        );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function decide(
  handle: WorkflowHandle,
  stepKey: string,
  actor: string,
  outcome: string,
  extra: { comment?: string; values?: FieldValues } = {},
) {
  await waitStep(handle, stepKey);
  return handle.executeUpdate(decideUpdate, { args: [{ stepKey, actorOpenId: actor, outcome, ...extra }] });
}

/** Starts referrals with fresh ids, remembering each handle so the test can end those still running. */
export function starter(client: Client, taskQueue: string) {
  let n = 0;
  const started: WorkflowHandle[] = [];
  const start = async <I>(workflow: string, input: I) => {
    const handle = await client.workflow.start(workflow, {
      taskQueue,
      workflowId: `referral-test-${workflow}-${++n}-${Date.now()}`,
      args: [input],
    });
    started.push(handle);
    return handle;
  };
  return Object.assign(start, { started });
}
