import { Context } from '@temporalio/activity';
import type { FeishuClient } from '../../platform/feishu/client';
import { readCalendar, replanProvisionalSteps } from './calendar-store';
import type { PrismaClient } from '../../platform/db/database';
import { givenBy, oweMessages } from './notice-store';
import { calendarYearWanted } from '../../core/calendar';
import type { IsoDate } from '../../core/dates';
import { currentRun, deliverOwed } from './notice-delivery';

// The holiday calendar's daily watch, run on working days by the daily digest: cases planned provisionally
// through a year since loaded are asked to plan again, and from 1 November, while next year's notice is
// missing, each bureau person is owed one reminder a day (src/processes/casework/notice-store.ts: a rerun of the day sends only
// what Feishu has not yet accepted, and nobody a second).

export interface CalendarWatchDeps {
  prisma: PrismaClient;
  feishu: FeishuClient;
  timeZone: string;
}

export interface CalendarWatchResult {
  /** The year whose notice is missing, when one is. */
  missingYear?: number;
  /** Reminders Feishu accepted in this run (a rerun of the day counts none already given). */
  reminded: number;
  /** Bureau people still owed today's reminder after the last attempt. */
  failed: string[];
  /** Cases asked to plan a provisional step again. */
  replanned: number;
}

export function calendarWatchActivities({ prisma, feishu, timeZone }: CalendarWatchDeps) {
  return {
    async calendarWatch(input: { day: IsoDate }): Promise<CalendarWatchResult> {
      const replan = await replanProvisionalSteps(prisma, Context.current().client, timeZone);
      const missingYear = calendarYearWanted(input.day, (await readCalendar(prisma)).loadedYears);
      if (missingYear === undefined) return { reminded: 0, failed: replan.failed, replanned: replan.cases };
      const topic = `calendar-gap/${missingYear}/${input.day}`;
      const bureau = await prisma.officer.findMany({
        where: { role: 'bureau', openId: { not: null } },
        select: { openId: true },
        orderBy: { id: 'asc' },
      });
      const text = calendarGapReminder(missingYear);
      await oweMessages(
        prisma,
        topic,
        currentRun(),
        bureau.map((p) => ({ key: `${topic}/${p.openId}`, notice: topic, openId: p.openId!, text })),
      );
      const failed = await deliverOwed(prisma, feishu, topic);
      const reminded = (await givenBy(prisma, currentRun(), [topic])).messages;
      return { missingYear, reminded, failed: [...failed, ...replan.failed], replanned: replan.cases };
    },
  };
}

/** What the bureau reads each working day until the year is loaded. */
export function calendarGapReminder(year: number): string {
  return (
    `📅 ${year} 年的节假日安排还没有导入执法通。国务院办公厅的放假通知公布后,请把通知全文(.txt)或日历表(列:日期、类型 休/班、名称)发给我,` +
    `或运行 npm run cli -- calendar load 文件。在此之前,跨入 ${year} 年的办理期限按法定节假日暂定计算(卡片上标「暂定」),导入后自动重算,期限有变会告知办理人。`
  );
}

export type CalendarWatchActivities = ReturnType<typeof calendarWatchActivities>;
