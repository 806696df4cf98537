import { proxyActivities, sleep } from '@temporalio/workflow';
import type { TrainingActivities } from './activities';
import { localTime } from '../../core/deadlines';
import { checkpoints as defaultCheckpoints } from './rules';
import type { TrainingYearInput } from './contract';

// One unit's training year: at each checkpoint (09:00 local) everyone behind gets their own numbers and the
// unit admin a summary; after 31 December the final shortfall list is filed and sent on. Checkpoints already
// past when the workflow starts (first import in June) are skipped, not replayed.

const act = proxyActivities<TrainingActivities>({
  // A large unit's reminders are paced to Feishu's 1,000 a minute; the heartbeat says the worker is still at it.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export interface TrainingYearResult {
  /** `messages`: reminders and summaries Feishu accepted at that checkpoint; `owed`: who never got theirs. */
  checkpoints: Array<{
    date: string;
    officers: number;
    met: number;
    behind: string[];
    messages: number;
    owed?: string[];
  }>;
  short: string[];
}

export async function trainingYearWorkflow(input: TrainingYearInput): Promise<TrainingYearResult> {
  const dates = input.checkpoints
    ? input.checkpoints.map((md) => `${input.year}-${md}`).sort()
    : defaultCheckpoints(input.year);
  const result: TrainingYearResult = { checkpoints: [], short: [] };
  for (const date of dates) {
    const at = localTime(date, 9, input.timeZone).getTime();
    if (at < Date.now()) continue;
    await sleep(at - Date.now());
    const done = await act.trainingCheckpoint({ unitId: input.unitId, year: input.year, checkpoint: date });
    result.checkpoints.push({
      date,
      officers: done.officers,
      met: done.met,
      behind: done.behind,
      messages: done.messages,
      ...(done.owed ? { owed: done.owed } : {}),
    });
  }
  const yearEnd = localTime(`${input.year + 1}-01-01`, 9, input.timeZone).getTime();
  if (yearEnd > Date.now()) await sleep(yearEnd - Date.now());
  result.short = (await act.fileYearEnd({ unitId: input.unitId, year: input.year })).short;
  return result;
}
