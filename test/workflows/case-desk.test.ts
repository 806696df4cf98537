import { fileURLToPath } from 'node:url';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateIn } from '../../src/core/dates';
import { caseViewQuery, decideUpdate, type DecideInput } from '../../src/processes/casework/contract';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { startWorkflowTestbed, TEST_TZ, type WorkflowTestbed } from '../support/workflow-testbed';
import type { parallelStepsWorkflow } from './fixtures/parallel-steps';

// The shared approval step with several steps open at once: each owner gets their own card and desk row,
// each decides on their own, a click on the other's step is refused, a form is checked field by field.

const taskQueue = 'case-desk';
const person = (k: keyof typeof PEOPLE) => ({ name: PEOPLE[k].name, openId: PEOPLE[k].openId });
let bed: WorkflowTestbed;
let env: WorkflowTestbed['env'];
let fake: WorkflowTestbed['fake'];
let db: WorkflowTestbed['db'];

beforeAll(async () => {
  bed = await startWorkflowTestbed({
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./fixtures/parallel-steps.ts', import.meta.url)),
  });
  ({ env, fake, db } = bed);
  await seedCounty(db.prisma);
  await loadTestCalendar(db.prisma, dateIn(TEST_TZ, new Date(await env.currentTimeMs())), 0);
  await bed.startWorker();
}, 180_000);

afterAll(() => bed?.close());

describe('steps run together', () => {
  it('each owner decides their own step; the case goes on when both have', async () => {
    const handle = await env.client.workflow.start<typeof parallelStepsWorkflow>('parallelStepsWorkflow', {
      taskQueue,
      workflowId: 'parallel-1',
      args: [{ a: person('head'), b: person('admin'), applicant: person('officer') }],
    });
    await fake.waitFor(
      () => fake.messagesTo(PEOPLE.head.openId).length === 1 && fake.messagesTo(PEOPLE.admin.openId).length === 1,
      15_000,
    );
    const view = await handle.query(caseViewQuery);
    expect(view.openSteps.map((s) => [s.key, s.owner.name])).toEqual([
      ['opinion_a', PEOPLE.head.name],
      ['batch_b', PEOPLE.admin.name],
    ]);
    expect(
      (
        await db.prisma.deadlineItem.findMany({
          where: { workflowId: 'parallel-1', state: 'open' },
          orderBy: { id: 'asc' },
        })
      )
        .map((r) => r.stepKey)
        .sort(),
    ).toEqual(['batch_b', 'opinion_a']);
    // Each card carries its own step's buttons only.
    expect(JSON.stringify(fake.messagesTo(PEOPLE.head.openId)[0]!.content)).toContain('"stepKey":"opinion_a"');
    expect(JSON.stringify(fake.messagesTo(PEOPLE.head.openId)[0]!.content)).not.toContain('"stepKey":"batch_b"');
    expect(JSON.stringify(fake.messagesTo(PEOPLE.admin.openId)[0]!.content)).toContain('"name":"m1_wish"');

    const decide = (input: DecideInput) => handle.executeUpdate(decideUpdate, { args: [input] });
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e) => (e instanceof WorkflowUpdateFailedError ? (e.cause as Error).message : String(e)),
      );
    expect(
      await refusal(
        decide({
          stepKey: 'batch_b',
          actorOpenId: PEOPLE.head.openId,
          outcome: 'submitted',
          values: { m1_cases: '3', m1_wish: 'keep' },
        }),
      ),
    ).toContain(`应由 ${PEOPLE.admin.name} 处理`);
    expect(
      await refusal(
        decide({
          stepKey: 'batch_b',
          actorOpenId: PEOPLE.admin.openId,
          outcome: 'submitted',
          values: { m1_cases: '三', m1_wish: 'keep' },
        }),
      ),
    ).toBe('「事项1 办件数」应为数字,收到「三」');
    const afterB = await decide({
      stepKey: 'batch_b',
      actorOpenId: PEOPLE.admin.openId,
      outcome: 'submitted',
      values: { m1_cases: '3', m1_wish: 'return' },
    });
    expect(afterB.openSteps.map((s) => s.key)).toEqual(['opinion_a']);
    await fake.waitFor(() => fake.patches.length >= 1, 10_000); // B's card re-rendered without its buttons
    expect((await handle.describe()).status.name).toBe('RUNNING'); // A is still open
    await decide({ stepKey: 'opinion_a', actorOpenId: PEOPLE.head.openId, outcome: 'approved' });

    const decisions = await handle.result();
    expect(decisions.map((d) => [d?.stepKey, d?.outcome, d?.by.name])).toEqual([
      ['opinion_a', 'approved', PEOPLE.head.name],
      ['batch_b', 'submitted', PEOPLE.admin.name],
    ]);
    expect(decisions[1]!.values).toEqual({ m1_cases: '3', m1_wish: 'return' });
    expect(decisions[1]!.answers).toEqual([
      ['事项1 办件数', '3'],
      ['事项1 意愿', '交回'],
    ]);
    expect(await db.prisma.deadlineItem.count({ where: { workflowId: 'parallel-1', state: 'done' } })).toBe(2);
  });
});
