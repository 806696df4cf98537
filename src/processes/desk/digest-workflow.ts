import { patched, proxyActivities } from '@temporalio/workflow';
import type { CalendarWatchActivities, CalendarWatchResult } from '../casework/calendar-watch';
import type { DeskActivities, DigestRun } from './activities';

// The leaders' daily digest, started by a Schedule every day at DIGEST_TIME: on a working day each leader
// with something due gets one card (never one per item); on the week's first working day the bureau's
// leaders also get the unit ranking. On a holiday or a rest day it does nothing. `day` re-runs a given day
// (a missed morning); the deliveries already recorded for that day are not sent again.

const desk = proxyActivities<DeskActivities>({
  startToCloseTimeout: '30 minutes',
  // A fan-out heartbeats every 10 s: a killed worker's digest is retried elsewhere within half a minute.
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 10 },
});

// The holiday calendar's watch rides on the same working-day run (calendar-watch.ts): one reminder a day.
const watch = proxyActivities<CalendarWatchActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 10 },
});

export type DailyDigestResult =
  | { day: string; status: 'rest-day' }
  | { day: string; status: 'sent'; daily: DigestRun; ranking?: DigestRun; calendar?: CalendarWatchResult };

export async function dailyDigestWorkflow(input: { day?: string } = {}): Promise<DailyDigestResult> {
  const plan = await desk.digestDay({ at: new Date().toISOString(), day: input.day });
  if (!plan.digest) return { day: plan.day, status: 'rest-day' };
  const daily = await desk.sendDailyDigests({ day: plan.day, asOf: plan.asOf });
  const ranking = plan.ranking ? await desk.sendUnitRanking({ day: plan.day }) : undefined;
  const calendar = patched('calendar-watch') ? await watch.calendarWatch({ day: plan.day }) : undefined;
  return { day: plan.day, status: 'sent', daily, ranking, calendar };
}
