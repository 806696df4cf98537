import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { empowermentRoundWorkflowId, type RoundConfig } from './round-rules';
import { empowermentRoundWorkflow, type EmpowermentRoundInput } from './round-workflow';
import { CASE_STATUS, CASE_TYPE, CASE_UNIT, type Person } from '../casework/contract';

// Starting evaluation rounds, the same way from chat (发起赋权评估) and from the Schedule: one workflow per
// township per period (the id is the guard: a second start of the same round is refused, not duplicated).

export const EMPOWERMENT_CASE_TYPE = 'empowerment';

export async function startEmpowermentRounds(
  client: Client,
  taskQueue: string,
  townships: string[],
  config: RoundConfig,
  startedBy: Person,
): Promise<{ started: string[]; running: string[] }> {
  const started: string[] = [];
  const running: string[] = [];
  for (const township of townships) {
    const input: EmpowermentRoundInput = { township, config, startedBy };
    try {
      await client.workflow.start(empowermentRoundWorkflow, {
        taskQueue,
        workflowId: empowermentRoundWorkflowId(township, config.periodLabel),
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: CASE_TYPE, value: EMPOWERMENT_CASE_TYPE },
          { key: CASE_UNIT, value: township },
          { key: CASE_STATUS, value: 'open' },
        ],
      });
      started.push(township);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      running.push(township);
    }
  }
  return { started, running };
}
