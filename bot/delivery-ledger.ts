import type { PrismaClient } from '../lib/database';

// Which Feishu deliveries were taken in, and which were finished (table processed_event). Taking one is a
// single INSERT at the door, durable before Feishu gets its 200 and shared by every replica, so concurrent
// redeliveries are worked once. It is done only when its answer is out: a redelivery of a delivery left
// unfinished longer than the lease (its worker died, or nothing could be sent) is worked again, and the
// replies' Feishu uuid (from the event id) keeps what did go out the first time from going out twice.

/** How long a delivery is left to the worker that took it before a redelivery may take it over. */
export const DELIVERY_LEASE_MS = 60_000;
/** Feishu redelivers within hours; ids are kept a week, then pruned off the door's path. */
export const DELIVERY_RETENTION_MS = 7 * 24 * 3_600_000;

/** True when this delivery is ours to work: never seen, or left unfinished past its lease. */
export async function takeDelivery(prisma: PrismaClient, deliveryId: string, eventType: string, now = new Date()): Promise<boolean> {
  const { count } = await prisma.processedEvent.createMany({
    data: [{ eventId: deliveryId, eventType, receivedAt: now, claimedAt: now }],
    skipDuplicates: true,
  });
  if (count === 1) return true;
  // Seen before. One conditional UPDATE decides between concurrent redeliveries (the row lock makes the second
  // re-read claimed_at and miss), so at most one of them takes it over.
  const { count: retaken } = await prisma.processedEvent.updateMany({
    where: { eventId: deliveryId, doneAt: null, claimedAt: { lt: new Date(now.getTime() - DELIVERY_LEASE_MS) } },
    data: { claimedAt: now },
  });
  return retaken === 1;
}

/** Its answer is out: later deliveries of it are duplicates. */
export async function finishDelivery(prisma: PrismaClient, deliveryId: string): Promise<void> {
  await prisma.processedEvent.updateMany({ where: { eventId: deliveryId, doneAt: null }, data: { doneAt: new Date() } });
}

/** Nothing could be answered: the next delivery of it may take it at once instead of after the lease. */
export async function releaseDelivery(prisma: PrismaClient, deliveryId: string): Promise<void> {
  await prisma.processedEvent.updateMany({ where: { eventId: deliveryId, doneAt: null }, data: { claimedAt: new Date(0) } });
}

/** Forgets deliveries older than the retention (an index range delete on received_at). */
export async function pruneDeliveries(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.processedEvent.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - DELIVERY_RETENTION_MS) } } });
  return count;
}

/** Deliveries acknowledged to Feishu whose work never finished (a worker died), taken between `since` and a lease ago. */
export async function countUnfinishedDeliveries(prisma: PrismaClient, since: Date, now = new Date()): Promise<number> {
  return prisma.processedEvent.count({ where: { doneAt: null, receivedAt: { gte: since }, claimedAt: { lt: new Date(now.getTime() - DELIVERY_LEASE_MS), gt: new Date(0) } } });
}
