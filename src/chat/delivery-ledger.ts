import type { PrismaClient } from '../platform/db/database';

// Which Feishu deliveries were taken in, and which were finished (table processed_event). Taking one is a
// single INSERT at the door, durable before Feishu gets its 200 and shared by every replica, so concurrent
// redeliveries are worked once. It is done only when its answer is out: a redelivery of a delivery left
// unfinished longer than the lease (its worker died, or nothing could be sent) is worked again, and the
// replies' Feishu uuid (from the event id) keeps what did go out the first time from going out twice.

/** How long a delivery is left to the worker that took it before a redelivery may take it over. */
export const DELIVERY_LEASE_MS = 60_000;
/** Feishu redelivers within hours; ids are kept a week, then pruned off the door's path. */
export const DELIVERY_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * Runs the door's one statement and says how many rows it returned. The app gives the door connections of its own
 * (src/app/app.ts: a small `pg` pool), so taking a delivery never queues behind reply work for the app's pool, nor pays
 * Prisma's query planning on the hot path.
 */
export type DoorSql = (sql: string, params: unknown[]) => Promise<number>;

/** The same statement through a Prisma client (tests that take deliveries by hand). */
export const prismaDoorSql =
  (prisma: PrismaClient): DoorSql =>
  (sql, params) =>
    prisma.$executeRawUnsafe(sql, ...params);

// Never seen → inserted; seen, unfinished and past its lease → taken over. Both in one statement: the row lock makes a
// concurrent redelivery re-read claimed_at and miss, so at most one of them gets a row back.
const TAKE_DELIVERY = `INSERT INTO "processed_event" ("event_id", "event_type", "received_at", "claimed_at") VALUES ($1, $2, $3, $3)
ON CONFLICT ("event_id") DO UPDATE SET "claimed_at" = EXCLUDED."claimed_at"
WHERE "processed_event"."done_at" IS NULL AND "processed_event"."claimed_at" < $4`;

/** True when this delivery is ours to work: never seen, or left unfinished past its lease. */
export async function takeDelivery(
  door: DoorSql,
  deliveryId: string,
  eventType: string,
  now = new Date(),
): Promise<boolean> {
  return (await door(TAKE_DELIVERY, [deliveryId, eventType, now, new Date(now.getTime() - DELIVERY_LEASE_MS)])) === 1;
}

/** Its answer is out: later deliveries of it are duplicates. */
export async function finishDelivery(prisma: PrismaClient, deliveryId: string): Promise<void> {
  await prisma.processedEvent.updateMany({
    where: { eventId: deliveryId, doneAt: null },
    data: { doneAt: new Date() },
  });
}

/** Nothing could be answered: the next delivery of it may take it at once instead of after the lease. */
export async function releaseDelivery(prisma: PrismaClient, deliveryId: string): Promise<void> {
  await prisma.processedEvent.updateMany({
    where: { eventId: deliveryId, doneAt: null },
    data: { claimedAt: new Date(0) },
  });
}

/** Forgets deliveries older than the retention (an index range delete on received_at). */
export async function pruneDeliveries(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.processedEvent.deleteMany({
    where: { receivedAt: { lt: new Date(now.getTime() - DELIVERY_RETENTION_MS) } },
  });
  return count;
}

/** Deliveries acknowledged to Feishu whose work never finished (a worker died), taken between `since` and a lease ago. */
export async function countUnfinishedDeliveries(prisma: PrismaClient, since: Date, now = new Date()): Promise<number> {
  return prisma.processedEvent.count({
    where: {
      doneAt: null,
      receivedAt: { gte: since },
      claimedAt: { lt: new Date(now.getTime() - DELIVERY_LEASE_MS), gt: new Date(0) },
    },
  });
}
