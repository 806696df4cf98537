import type { FeishuClient } from '../../bot/feishu-client';
import type { PrismaClient } from '../../lib/database';

export function empowermentTermActivities(_deps: { prisma: PrismaClient; feishu: FeishuClient; timeZone: string }) {
  return {};
}
