import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';

// Recurring work as Temporal Schedules, created once (by whichever worker starts first) and left alone after:
// an admin may pause or edit them in the Temporal UI without a restart undoing it.

const SCHEDULES = (timeZone: string, digestAt: { hour: number; minute: number }) => [
  {
    scheduleId: 'daily-digest',
    workflowType: 'dailyDigestWorkflow',
    description: '工作日每天一张领导待办提醒卡片(节假日和调休休息日不发);每周第一个工作日附各单位排名图表',
    calendar: { hour: digestAt.hour, minute: digestAt.minute }, // every day; the workflow skips rest days by the calendar
    args: [{}] as unknown[],
  },
  {
    scheduleId: 'certificate-expiry-watch',
    workflowType: 'certificateExpiryWatchWorkflow',
    description: '每日检查即将到期的执法证件(6个月、3个月、1个月、已过期各提醒一次)',
    calendar: { hour: 9, minute: 0 }, // every day, county time
    args: [] as unknown[],
  },
  {
    scheduleId: 'training-year',
    workflowType: 'trainingCountyWorkflow',
    description: '每年1月1日开启全县培训学时年度(各单位的学时检查点、季度通报、年终名单)',
    calendar: { month: 'JANUARY' as const, dayOfMonth: 1, hour: 0, minute: 5 },
    args: [{ timeZone }] as unknown[],
  },
  {
    scheduleId: 'empowerment-term-watch',
    workflowType: 'empowermentTermWatchWorkflow',
    description: '每日检查委托期限(届满前90天、30天、7天及届满各提醒一次)和委托书逾期未备案',
    calendar: { hour: 9, minute: 10 },
    args: [] as unknown[],
  },
  {
    scheduleId: 'empowerment-rounds',
    workflowType: 'empowermentRoundsWorkflow',
    description: '每年1月15日为登记簿中的各乡镇/街道发起年度赋权事项评估(评估期、完成时限和各步时限可在参数中调整)',
    calendar: { month: 'JANUARY' as const, dayOfMonth: 15, hour: 9, minute: 0 },
    args: [{}] as unknown[],
  },
  {
    scheduleId: 'referral-bulletin',
    workflowType: 'referralBulletinWorkflow',
    description: '每月1日向领导发送上月移送和线索月报(每件的阶段和结果)',
    calendar: { dayOfMonth: 1, hour: 9, minute: 0 },
    args: [{}] as unknown[],
  },
];

export async function ensureSchedules(client: Client, taskQueue: string, log: (line: string) => void, timeZone = 'Asia/Shanghai', digestAt = { hour: 8, minute: 30 }): Promise<void> {
  for (const s of SCHEDULES(timeZone, digestAt)) {
    try {
      await client.schedule.create({
        scheduleId: s.scheduleId,
        spec: { calendars: [s.calendar], timezone: timeZone },
        action: { type: 'startWorkflow', workflowType: s.workflowType, taskQueue, args: s.args },
        memo: { description: s.description },
      });
      log(`定时任务已创建: ${s.scheduleId}(${s.description})`);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
}
