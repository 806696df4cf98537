import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';

// Recurring work as Temporal Schedules, created once (by whichever worker starts first) and left alone after:
// an admin may pause or edit them in the Temporal UI without a restart undoing it.

export const SCHEDULES = [
  {
    scheduleId: 'certificate-expiry-watch',
    workflowType: 'certificateExpiryWatchWorkflow',
    description: '每日检查即将到期的执法证件(6个月、3个月、1个月、已过期各提醒一次)',
    // 09:00 Beijing time every day.
    calendar: { hour: 9, minute: 0 },
  },
];

export async function ensureSchedules(client: Client, taskQueue: string, log: (line: string) => void, timeZone = 'Asia/Shanghai'): Promise<void> {
  for (const s of SCHEDULES) {
    try {
      await client.schedule.create({
        scheduleId: s.scheduleId,
        spec: { calendars: [s.calendar], timezone: timeZone },
        action: { type: 'startWorkflow', workflowType: s.workflowType, taskQueue, args: [] },
        memo: { description: s.description },
      });
      log(`定时任务已创建: ${s.scheduleId}(${s.description})`);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
}
