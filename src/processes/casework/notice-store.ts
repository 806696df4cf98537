import type { Card } from '../../platform/feishu/client';
import type { Prisma } from '../../../generated/prisma/client';
import type { PrismaClient } from '../../platform/db/database';

// The outbox of the notices watches and checkpoints owe people (notice_delivery). A notice is owed first, in the
// same transaction as whatever decided it (the "told once" guard row), and is given only when Feishu accepted
// it: a send that failed or was refused stays owed, so nobody is ever recorded as told who was not.

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type Db = PrismaClient | Tx;

export interface OwedMessage {
  /** Unique per message, stable across runs and retries: also the Feishu uuid it is sent with. */
  key: string;
  /** The notice it belongs to (counted once however many people get a copy). */
  notice: string;
  openId: string;
  card?: Card;
  text?: string;
}

export interface OwedRow {
  key: string;
  openId: string;
  card?: Card;
  text?: string;
}

/** Records the messages as owed under `topic`; one already owed or given is left as it was. */
export async function oweMessages(db: Db, topic: string, owedBy: string, messages: OwedMessage[]): Promise<void> {
  const unique = [...new Map(messages.map((m) => [m.key, m])).values()]; // one person named twice gets one message
  if (!unique.length) return;
  await db.noticeDelivery.createMany({
    data: unique.map((m) => ({
      key: m.key,
      topic,
      notice: m.notice,
      openId: m.openId,
      owedBy,
      content: (m.card ? { card: m.card } : { text: m.text ?? '' }) as Prisma.InputJsonObject,
    })),
    skipDuplicates: true,
  });
}

/** What `topic` still owes, oldest first. */
export async function owedUnder(prisma: PrismaClient, topic: string): Promise<OwedRow[]> {
  const rows = await prisma.noticeDelivery.findMany({
    where: { topic, givenAt: null },
    select: { key: true, openId: true, content: true },
    orderBy: [{ owedAt: 'asc' }, { key: 'asc' }],
  });
  return rows.map((r) => ({ key: r.key, openId: r.openId, ...(r.content as { card?: Card; text?: string }) }));
}

/** Feishu accepted it: given by `run`, unless an earlier attempt already recorded it. */
export async function markGiven(prisma: PrismaClient, key: string, run: string, messageId: string): Promise<void> {
  await prisma.noticeDelivery.updateMany({
    where: { key, givenAt: null },
    data: { givenAt: new Date(), givenBy: run, messageId, lastError: null },
  });
}

/** Feishu's last answer for what is still owed to `openId` under `topic`. */
export async function noteFailure(prisma: PrismaClient, topic: string, openId: string, error: string): Promise<void> {
  await prisma.noticeDelivery.updateMany({
    where: { topic, openId, givenAt: null },
    data: { lastError: error.slice(0, 500) },
  });
}

export interface GivenCount {
  /** Messages Feishu accepted from this run, over all its attempts. */
  messages: number;
  /** The notices (each counted once) with at least one message given by this run. */
  notices: string[];
}

/** What `run` has given under the topics (read from the rows, so every attempt of the run counts). */
export async function givenBy(prisma: PrismaClient, run: string, topics: string[]): Promise<GivenCount> {
  const rows = await prisma.noticeDelivery.findMany({
    where: { givenBy: run, topic: { in: topics } },
    select: { notice: true },
  });
  return { messages: rows.length, notices: [...new Set(rows.map((r) => r.notice))] };
}

/** Who the topic still owes, by open_id. */
export async function stillOwed(prisma: PrismaClient, topic: string): Promise<string[]> {
  const rows = await prisma.noticeDelivery.findMany({
    where: { topic, givenAt: null },
    select: { openId: true },
    orderBy: { key: 'asc' },
  });
  return [...new Set(rows.map((r) => r.openId))];
}
