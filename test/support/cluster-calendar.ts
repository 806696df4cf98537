import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dateIn } from '../../src/core/dates';
import type { PrismaClient } from '../../src/platform/db/database';
import { loadCalendarFile } from '../../src/processes/casework/calendar-store';

/**
 * This year and next with today a working day (调休上班 when it falls on a weekend), loaded as `calendar load` does:
 * the digest a Schedule starts today then has a working day to report on, whatever day the suite runs.
 */
export async function loadCalendarWorkingToday(prisma: PrismaClient, timeZone = 'Asia/Shanghai'): Promise<string> {
  const today = dateIn(timeZone, new Date());
  const year = Number(today.slice(0, 4));
  // Each year needs a row to count as loaded; today itself is a working day even on 1 January.
  const newYears = [year, year + 1].map((y) => `${y}-01-01`).filter((d) => d !== today);
  const lines = ['日期,类型,名称', ...newYears.map((d) => `${d},休,元旦`), `${today},班,集群测试上班日`];
  const dir = mkdtempSync(path.join(tmpdir(), 'lawdesk-cal-'));
  try {
    const file = path.join(dir, 'cluster-calendar.csv');
    writeFileSync(file, lines.join('\n'));
    const result = await loadCalendarFile(prisma, file, 'test');
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return today;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
