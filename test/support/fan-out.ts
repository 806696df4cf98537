// A notice fan-out big enough to meet Feishu's send limits, for test/cluster and bench/cluster.ts: a unit of
// leaders with one long-overdue item, so each working day's digest (`dailyDigestWorkflow`) is one activity sending
// one card to each of them; and which worker processes ran those activities.
import type { WorkflowHandle } from '@temporalio/client';
import type { PrismaClient } from '../../src/platform/db/database';
import { pidOfIdentity } from './cluster';

export interface CrowdMember {
  name: string;
  openId: string;
  certNo: string;
}

/** `count` leaders of a new unit 县扇出测试局, with an item 20 days overdue there: each is due a digest every working day. */
export async function seedFanOutCrowd(prisma: PrismaClient, count: number): Promise<CrowdMember[]> {
  const unit = await prisma.unit.create({ data: { name: '县扇出测试局' } });
  const crowd = Array.from({ length: count }, (_, i) => ({
    name: `领导${i}`,
    openId: `ou_fan_${i}`,
    certNo: `FO${i}`,
  }));
  await prisma.officer.createMany({ data: crowd.map((p) => ({ ...p, unitId: unit.id, role: 'leader' as const })) });
  const longAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
  await prisma.deadlineItem.create({
    data: {
      ...{ workflowId: 'fan-out-case', runId: 'fan-out-run', stepKey: 'unit', process: 'certificate' },
      ...{ caseLabel: '证件暂扣', subject: '扇出测试', stepTitle: '单位负责人审批', stepKind: 'approval' },
      ...{ unitName: unit.name, ownerName: '扇出测试', openedAt: longAgo(30), dueAt: longAgo(20) },
      clockLabel: '3 个工作日',
    },
  });
  return crowd;
}

/** The pid of the worker process that ran each run's fan-out (`sendDailyDigests`; its last attempt, as history keeps). */
export async function fanOutPids(runs: WorkflowHandle[]): Promise<number[]> {
  const pids: number[] = [];
  for (const run of runs) {
    const events = (await run.fetchHistory()).events ?? [];
    const fanOuts = new Set(
      events
        .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendDailyDigests')
        .map((e) => String(e.eventId)),
    );
    for (const e of events) {
      const started = e.activityTaskStartedEventAttributes;
      if (started && fanOuts.has(String(started.scheduledEventId))) pids.push(pidOfIdentity(started.identity));
    }
  }
  return pids;
}
