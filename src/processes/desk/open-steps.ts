import type { PrismaClient } from '../../platform/db/database';
import { readCalendar } from '../casework/calendar-store';
import { openItems } from './store';
import { colourOf, DEFAULT_THRESHOLDS, type ColourThresholds } from './rules';

// Open steps by process and the desk's colour (红 overdue … 绿), for GET /metrics (lawdesk_open_steps): the same
// judgement as the leaders' digest, so an alert on red agrees with what the leaders are told.

export async function countOpenSteps(
  prisma: PrismaClient,
  timeZone: string,
  thresholds: ColourThresholds = DEFAULT_THRESHOLDS,
  asOf = new Date(),
): Promise<Array<{ labels: { process: string; colour: string }; value: number }>> {
  const [calendar, items] = await Promise.all([readCalendar(prisma), openItems(prisma, null)]);
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = `${item.process}\u0000${colourOf(item.dueAt, asOf, calendar, timeZone, thresholds)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, value]) => {
    const [process, colour] = key.split('\u0000') as [string, string];
    return { labels: { process, colour }, value };
  });
}
