import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { SCHEDULES } from '../processes';

// Recurring work as Temporal Schedules (each process registers its own), created once (by whichever worker starts
// first) and left alone after: an admin may pause or edit them in the Temporal UI without a restart undoing it.

export async function ensureSchedules(
  client: Client,
  taskQueue: string,
  log: (line: string) => void,
  timeZone = 'Asia/Shanghai',
  digestAt = { hour: 8, minute: 30 },
): Promise<void> {
  const settings = { timeZone, digestAt };
  for (const s of SCHEDULES) {
    try {
      await client.schedule.create({
        scheduleId: s.scheduleId,
        spec: { calendars: [s.calendar(settings)], timezone: timeZone },
        action: { type: 'startWorkflow', workflowType: s.workflow, taskQueue, args: s.args(settings) },
        memo: { description: s.description },
      });
      log(`定时任务已创建: ${s.scheduleId}(${s.description})`);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
}
