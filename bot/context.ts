import type { Client as TemporalClient } from '@temporalio/client';
import type { PrismaClient } from '../lib/database';
import type { Config } from '../lib/config';
import type { DoorSql } from './delivery-ledger';
import type { FeishuClient } from './feishu-client';

/** Everything a handler may use. Built once at start; nothing in it is per-replica state. */
export interface BotContext {
  config: Config;
  prisma: PrismaClient;
  feishu: FeishuClient;
  temporal: TemporalClient;
  log: (line: string) => void;
  /** The door's own connections for taking a delivery (bot/delivery-ledger.ts). */
  door: DoorSql;
}
