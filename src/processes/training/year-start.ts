import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { trainingCountyWorkflowId, trainingYearWorkflowId } from './contract';
import { trainingCountyWorkflow } from './county-workflow';
import { trainingYearWorkflow } from './year-workflow';

// The training year starts on 1 January (Schedule) or at the first import of that year's records, whichever
// comes first; starting it again is harmless (an existing workflow is kept).

export async function ensureTrainingYear(
  client: Client,
  opts: { taskQueue: string; timeZone: string; year: number; units: Array<{ id: number; name: string }> },
): Promise<void> {
  const start = async (workflow: Workflow, workflowId: string, args: unknown[]) => {
    try {
      await client.workflow.start(workflow, {
        taskQueue: opts.taskQueue,
        workflowId,
        args,
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error; // ran and finished already
    }
  };
  await start(trainingCountyWorkflow, trainingCountyWorkflowId(opts.year), [
    { year: opts.year, timeZone: opts.timeZone },
  ]);
  for (const unit of opts.units) {
    await start(trainingYearWorkflow, trainingYearWorkflowId(opts.year, unit.id), [
      { unitId: unit.id, unitName: unit.name, year: opts.year, timeZone: opts.timeZone },
    ]);
  }
}
