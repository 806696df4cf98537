import { digestCard, rankingCard } from './cards';
import type { Card, FeishuClient } from '../../platform/feishu/client';
import { readCalendar } from '../casework/calendar-store';
import type { PrismaClient } from '../../platform/db/database';
import { coveredItems, leaders, openItems, scopeName, unitRanking } from './store';
import { givenBy, oweMessages } from '../casework/notice-store';
import { dateIn, type IsoDate } from '../../core/dates';
import { localTime } from '../../core/deadlines';
import { DEFAULT_THRESHOLDS, digestFor, isDigestDay, isRankingDay, type ColourThresholds } from './rules';
import { currentRun, deliverOwed } from '../casework/notice-delivery';

// The leaders' desk as activities: which day it is on the calendar, one digest card per leader who has
// something due, and the weekly ranking. Each card is owed per (day, leader) and given only once Feishu accepted
// it (src/processes/casework/notice-store.ts), so a retried run sends only who is still owed theirs, under a Feishu uuid from the
// same key so a send retried inside Feishu's hour is not a second message.

export interface DeskDeps {
  prisma: PrismaClient;
  feishu: FeishuClient;
  timeZone: string;
  thresholds?: ColourThresholds;
  digestAt?: { hour: number; minute: number };
}

export interface DigestDay {
  day: IsoDate;
  /** The instant colours are judged at: the scheduled time on that day. */
  asOf: string;
  digest: boolean;
  ranking: boolean;
}

export interface DigestRun {
  leaders: number;
  sent: number;
  nothingDue: number;
  alreadySent: number;
  /** Leaders (open_id) still owed their card after the last attempt: Feishu never accepted it. */
  failed: string[];
}

export function deskActivities({
  prisma,
  feishu,
  timeZone,
  thresholds = DEFAULT_THRESHOLDS,
  digestAt = { hour: 8, minute: 30 },
}: DeskDeps) {
  /**
   * Owes each card for (kind, day, person) and sends what is still owed through the paced fan-out, each marked
   * given only once Feishu accepted it; the counts are read from the rows, so every attempt of this run counts.
   */
  async function deliver(
    day: IsoDate,
    kind: string,
    cards: Array<{ openId: string; card: Card }>,
  ): Promise<{ sent: number; alreadySent: number; failed: string[] }> {
    const run = currentRun();
    const topic = `digest/${kind}/${day}`;
    await oweMessages(
      prisma,
      topic,
      run,
      cards.map((c) => ({
        key: `${kind}-${day}-${c.openId}`,
        notice: `${kind}-${day}-${c.openId}`,
        openId: c.openId,
        card: c.card,
      })),
    );
    const failed = await deliverOwed(prisma, feishu, topic);
    const sent = (await givenBy(prisma, run, [topic])).messages;
    const given = await prisma.noticeDelivery.count({ where: { topic, givenAt: { not: null } } });
    return { sent, alreadySent: given - sent, failed };
  }

  return {
    async digestDay(input: { at: string; day?: IsoDate }): Promise<DigestDay> {
      const day = input.day ?? dateIn(timeZone, new Date(input.at));
      const calendar = await readCalendar(prisma);
      const at = input.day
        ? new Date(localTime(day, 0, timeZone).getTime() + (digestAt.hour * 60 + digestAt.minute) * 60_000)
        : new Date(input.at);
      return { day, asOf: at.toISOString(), digest: isDigestDay(calendar, day), ranking: isRankingDay(calendar, day) };
    },

    /** One card per leader with something 红/橙/黄 in the units they cover; nothing for the others. */
    async sendDailyDigests(input: { day: IsoDate; asOf: string }): Promise<DigestRun> {
      const calendar = await readCalendar(prisma);
      const asOf = new Date(input.asOf);
      const everyone = await leaders(prisma);
      const all = await openItems(prisma, null);
      const cards: Array<{ openId: string; card: Card }> = [];
      for (const leader of everyone) {
        const digest = digestFor(coveredItems(leader, all), asOf, calendar, timeZone, thresholds);
        if (digest.worthSending)
          cards.push({
            openId: leader.openId,
            card: digestCard(leader.name, scopeName(leader), input.day, digest, timeZone, asOf),
          });
      }
      const result = await deliver(input.day, 'daily', cards);
      return { leaders: everyone.length, nothingDue: everyone.length - cards.length, ...result };
    },

    /** The week's ranking of units, to the bureau's leaders: training completion and on-time decisions this year. */
    async sendUnitRanking(input: { day: IsoDate }): Promise<DigestRun> {
      const ranking = await unitRanking(prisma, input.day);
      const recipients = (await leaders(prisma)).filter((l) => l.units === null);
      const card = rankingCard(input.day, ranking);
      const result = await deliver(
        input.day,
        'ranking',
        recipients.map((l) => ({ openId: l.openId, card })),
      );
      return { leaders: recipients.length, nothingDue: 0, ...result };
    },
  };
}

export type DeskActivities = ReturnType<typeof deskActivities>;
