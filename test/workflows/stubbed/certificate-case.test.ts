import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../../src/app/worker';
import type { CaseStepActivities } from '../../../src/processes/casework/activities';
import { caseViewQuery, decideUpdate, type CaseView, type Person } from '../../../src/processes/casework/contract';
import type { CertificateActivities } from '../../../src/processes/certificate/activities';
import type { CertificateCaseInput } from '../../../src/processes/certificate/contract';
import { certificateCaseWorkflow } from '../../../src/processes/certificate/workflow';
import { createTimeSkippingEnv } from '../../support/temporal';

// The fast lane's workflow test (npm run test:fast): the certificate case's own logic on the time-skipping server
// with its activities stubbed — no database, no Feishu. What the case did is read from the calls it made.

const person = (name: string): Person => ({ name, openId: `ou_${name}` });
const officer = person('zhang');
const admin = person('admin');
const head = person('head');
const reviewer = person('reviewer');

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const calls: Array<{ name: string; input: Record<string, unknown> }> = [];
const record = (name: string) => async (input: Record<string, unknown>) => void calls.push({ name, input });

const stubs: Partial<CaseStepActivities & CertificateActivities> = {
  planStep: async ({ startedAt }) => ({
    deadline: {
      startedAt,
      dueAt: new Date(Date.parse(startedAt) + 3 * 86_400_000).toISOString(),
      remindAt: startedAt,
      label: '3个工作日',
    },
    milestones: [],
    bureau: [],
  }),
  deadlineReplanned: async () => false,
  openDeskItem: record('openDeskItem'),
  closeDeskItem: record('closeDeskItem'),
  sendCaseCard: record('sendCaseCard') as never,
  updateCaseCard: record('updateCaseCard') as never,
  notify: record('notify') as never,
  audit: record('audit'),
  applyCertificateAction: async (input) => {
    calls.push({ name: 'applyCertificateAction', input: input as never });
    return { ok: true, newStatus: 'suspended' } as never;
  },
};

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await createTimeSkippingEnv();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'stubbed',
    workflowsPath: WORKFLOWS_PATH,
    activities: stubs,
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function openStep(handle: { query: (q: typeof caseViewQuery) => Promise<CaseView> }, key: string) {
  for (let i = 0; i < 100; i++) {
    const view = await handle.query(caseViewQuery);
    if (view.openSteps.some((s) => s.key === key)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`step ${key} never opened`);
}

it('a suspension approved by the unit head and the bureau changes the register once and tells the officer', async () => {
  const input: CertificateCaseInput = {
    certNo: 'HN001',
    officer,
    unitName: '市场监管局',
    action: 'suspend',
    reason: 'criminal',
    details: '',
    applicant: admin,
    unitHead: head,
    unitEscalation: [],
    bureauReviewer: reviewer,
    bureauEscalation: [],
    stepClock: { unit: 'workingDays', amount: 3 },
  };
  const handle = await env.client.workflow.start(certificateCaseWorkflow, {
    taskQueue: 'stubbed',
    workflowId: `stubbed-${randomUUID()}`,
    args: [input],
  });
  await openStep(handle, 'unit_head');
  await handle.executeUpdate(decideUpdate, {
    args: [{ stepKey: 'unit_head', actorOpenId: head.openId!, outcome: 'approved' }],
  });
  await openStep(handle, 'bureau');
  await handle.executeUpdate(decideUpdate, {
    args: [{ stepKey: 'bureau', actorOpenId: reviewer.openId!, outcome: 'approved' }],
  });
  const result = await handle.result();

  expect(result).toMatchObject({ status: 'executed', newStatus: 'suspended' });
  expect(calls.filter((c) => c.name === 'applyCertificateAction')).toEqual([
    expect.objectContaining({ input: expect.objectContaining({ certNo: 'HN001', approvedBy: ['head', 'reviewer'] }) }),
  ]);
  const toOfficer = calls.filter((c) => c.name === 'notify' && JSON.stringify(c.input.to).includes('ou_zhang'));
  expect(toOfficer.map((c) => c.input.headline)).toEqual([expect.stringContaining('HN001')]);
}, 120_000);

it('a rejection by the unit head ends the case with its reason and never touches the register', async () => {
  calls.length = 0;
  const handle = await env.client.workflow.start(certificateCaseWorkflow, {
    taskQueue: 'stubbed',
    workflowId: `stubbed-${randomUUID()}`,
    args: [
      {
        certNo: 'HN002',
        officer,
        unitName: '市场监管局',
        action: 'withdraw',
        reason: 'criminal',
        details: '',
        applicant: admin,
        unitHead: head,
        unitEscalation: [],
        bureauReviewer: reviewer,
        bureauEscalation: [],
        stepClock: { unit: 'workingDays', amount: 3 },
      } as CertificateCaseInput,
    ],
  });
  await openStep(handle, 'unit_head');
  await handle.executeUpdate(decideUpdate, {
    args: [{ stepKey: 'unit_head', actorOpenId: head.openId!, outcome: 'rejected', comment: '证据不足' }],
  });
  expect(await handle.result()).toMatchObject({ status: 'rejected', reason: '证据不足', step: '单位负责人审批' });
  expect(calls.some((c) => c.name === 'applyCertificateAction')).toBe(false);
}, 120_000);
