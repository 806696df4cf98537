import type { Client as TemporalClient } from '@temporalio/client';
import type { PrismaClient } from '../platform/db/database';
import type { Config } from '../platform/config';
import type { DoorSql } from '../chat/delivery-ledger';
import type { FeishuClient } from '../platform/feishu/client';

/** Everything a handler may use. Built once at start; nothing in it is per-replica state. */
export interface BotContext {
  config: Config;
  prisma: PrismaClient;
  feishu: FeishuClient;
  temporal: TemporalClient;
  log: (line: string) => void;
  /** The door's own connections for taking a delivery (src/chat/delivery-ledger.ts). */
  door: DoorSql;
}
