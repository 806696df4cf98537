import { ParentClosePolicy, proxyActivities, sleep, startChild } from '@temporalio/workflow';
import type { TrainingActivities } from './activities';
import { dateIn } from '../../core/dates';
import { localTime } from '../../core/deadlines';
import { checkpoints, isQuarterEnd } from './rules';
import { trainingYearWorkflowId } from './contract';
import { trainingYearWorkflow } from './year-workflow';

// The county's training year: makes sure every unit has its own training-year workflow, then sends the
// leaders one digest per quarter end (one message per leader, never one per unit).

const act = proxyActivities<TrainingActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

/** `year` defaults to the current year (the yearly Schedule starts it on 1 January without arguments). */
export async function trainingCountyWorkflow(args: {
  year?: number;
  timeZone: string;
}): Promise<{ units: number; digests: number }> {
  const input = { ...args, year: args.year ?? Number(dateIn(args.timeZone, new Date()).slice(0, 4)) };
  const units = await act.listUnits();
  for (const unit of units) {
    try {
      await startChild(trainingYearWorkflow, {
        workflowId: trainingYearWorkflowId(input.year, unit.id),
        args: [{ unitId: unit.id, unitName: unit.name, year: input.year, timeZone: input.timeZone }],
        parentClosePolicy: ParentClosePolicy.ABANDON, // each unit's year runs on its own
      });
    } catch (error) {
      // Started already (by a first import, or an earlier run): that unit's year is in hand.
      if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
    }
  }
  let digests = 0;
  for (const date of checkpoints(input.year).filter(isQuarterEnd)) {
    const at = localTime(date, 10, input.timeZone).getTime(); // after the units' 09:00 checkpoints
    if (at < Date.now()) continue;
    await sleep(at - Date.now());
    await act.sendCountyDigest({ year: input.year, asOf: date });
    digests++;
  }
  return { units: units.length, digests };
}
