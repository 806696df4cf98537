// Issue 20 item 8: processed_event grew forever. Deliveries older than a week are forgotten (Feishu redelivers
// within hours, and a signed request older than 5 minutes is refused anyway), on a timer of the HTTP server's
// own, never on an event's path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DELIVERY_RETENTION_MS,
  countUnfinishedDeliveries,
  pruneDeliveries,
  prismaDoorSql,
  releaseDelivery,
  takeDelivery,
} from '../../src/chat/delivery-ledger';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { startPostgres, type TestPostgres } from '../support/postgres';

const NOW = new Date('2026-12-07T02:00:00Z');
const DAY = 86_400_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('processed_event is pruned', () => {
  let pg: TestPostgres;
  let db: Database;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-prune-'));
  beforeAll(async () => {
    pg = await startPostgres();
    db = await openDatabase({ DATABASE_URL: pg.url, DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await db?.close();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('forgets deliveries older than seven days and keeps the rest', async () => {
    expect(DELIVERY_RETENTION_MS).toBe(7 * DAY);
    await db.prisma.processedEvent.createMany({
      data: [
        {
          eventId: 'old-done',
          eventType: 'im.message.receive_v1',
          receivedAt: ago(8 * DAY),
          claimedAt: ago(8 * DAY),
          doneAt: ago(8 * DAY),
        },
        {
          eventId: 'old-unfinished',
          eventType: 'im.message.receive_v1',
          receivedAt: ago(30 * DAY),
          claimedAt: ago(30 * DAY),
        },
        {
          eventId: 'recent',
          eventType: 'im.message.receive_v1',
          receivedAt: ago(6 * DAY),
          claimedAt: ago(6 * DAY),
          doneAt: ago(6 * DAY),
        },
      ],
    });
    expect(await takeDelivery(prismaDoorSql(db.prisma), 'today', 'im.message.receive_v1', NOW)).toBe(true);

    expect(await pruneDeliveries(db.prisma, NOW)).toBe(2);
    const left = await db.prisma.processedEvent.findMany({ orderBy: { eventId: 'asc' }, select: { eventId: true } });
    expect(left.map((r) => r.eventId)).toEqual(['recent', 'today']);
    // A redelivery of a kept one is still a duplicate.
    expect(await takeDelivery(prismaDoorSql(db.prisma), 'recent', 'im.message.receive_v1', NOW)).toBe(false);
  });

  it('counts, for the log, acknowledged deliveries a dead worker left unfinished (not those still in their lease or released)', async () => {
    const MIN = 60_000;
    await db.prisma.processedEvent.createMany({
      data: [
        { eventId: 'died', eventType: 'im.message.receive_v1', receivedAt: ago(10 * MIN), claimedAt: ago(10 * MIN) },
        { eventId: 'working', eventType: 'im.message.receive_v1', receivedAt: ago(20_000), claimedAt: ago(20_000) },
        {
          eventId: 'answered',
          eventType: 'im.message.receive_v1',
          receivedAt: ago(10 * MIN),
          claimedAt: ago(10 * MIN),
          doneAt: ago(9 * MIN),
        },
        {
          eventId: 'refused-reply',
          eventType: 'im.message.receive_v1',
          receivedAt: ago(10 * MIN),
          claimedAt: ago(10 * MIN),
        },
      ],
    });
    await releaseDelivery(db.prisma, 'refused-reply'); // nothing could be sent: logged when it happened
    expect(await countUnfinishedDeliveries(db.prisma, ago(60 * MIN), NOW)).toBe(1);
  });
});
