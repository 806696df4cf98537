import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { EmpowermentActivities } from './activities';
import type { RoundConfig } from './round-rules';
import { empowermentRoundWorkflowId } from './round-rules';
import { empowermentRoundWorkflow } from './round-workflow';
import { CASE_STATUS, CASE_TYPE, CASE_UNIT } from '../casework/contract';

// Run by a Schedule (cadence: the Schedule's calendar; due date and clocks: its args): one evaluation round
// per township on the register, each its own workflow that outlives this one. A township whose round for the
// period is already running (started in chat) is left alone.

const { empowermentRoundPlan } = proxyActivities<EmpowermentActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export async function empowermentRoundsWorkflow(
  input: { overrides?: Partial<RoundConfig> } = {},
): Promise<{ started: string[]; running: string[] }> {
  const plan = await empowermentRoundPlan({ overrides: input.overrides ?? {} });
  const started: string[] = [];
  const running: string[] = [];
  for (const township of plan.townships) {
    try {
      await startChild(empowermentRoundWorkflow, {
        workflowId: empowermentRoundWorkflowId(township, plan.config.periodLabel),
        args: [{ township, config: plan.config, startedBy: plan.startedBy }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        typedSearchAttributes: [
          { key: CASE_TYPE, value: 'empowerment' },
          { key: CASE_UNIT, value: township },
          { key: CASE_STATUS, value: 'open' },
        ],
      });
      started.push(township);
    } catch (error) {
      // By name: the error class lives in @temporalio/common, which workflow files do not import.
      if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
      running.push(township);
    }
  }
  return { started, running };
}
