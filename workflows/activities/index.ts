import type { FeishuClient } from '../../bot/feishu-client';
import type { PrismaClient } from '../../lib/database';
import { rosterActivities } from './roster';

/** All activities, built from their dependencies so tests pass real ones pointed at fakes, not module mocks. */
export function createActivities(deps: { prisma: PrismaClient; feishu: FeishuClient }) {
  return {
    ...rosterActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
