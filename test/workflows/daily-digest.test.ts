import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCalendar } from '../../src/processes/casework/calendar-store';
import { addDays } from '../../src/core/calendar';
import { dateIn } from '../../src/core/dates';
import { localTime } from '../../src/core/deadlines';
import { caseViewQuery } from '../../src/processes/casework/contract';
import { certificateCaseWorkflowId } from '../../src/processes/certificate/contract';
import type { dailyDigestWorkflow } from '../../src/processes/desk/digest-workflow';
import { caseInput, loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { startWorkflowTestbed, TEST_TZ, type WorkflowTestbed } from '../support/workflow-testbed';

// The daily digest in skipped time, run each morning at 08:30 as its Schedule would: five holidays follow
// today, a certificate case waits on the unit head with 3 working days. Digests go out only on working days;
// the item turns 黄 → 橙 → 红 on the days the working-day calendar says; a re-run the same day sends nothing.

const TZ = TEST_TZ;
const taskQueue = 'daily-digest';
let bed: WorkflowTestbed;
let env: WorkflowTestbed['env'];
let client: WorkflowTestbed['client'];
let fake: WorkflowTestbed['fake'];
let db: WorkflowTestbed['db'];

beforeAll(async () => {
  bed = await startWorkflowTestbed({ taskQueue });
  ({ env, client, fake, db } = bed);
  await seedCounty(db.prisma);
  await loadTestCalendar(db.prisma, dateIn(TZ, new Date(await env.currentTimeMs())), 5);
  await bed.startWorker();
}, 180_000);

afterAll(() => bed?.close());

const titled = (openId: string, title: string) =>
  fake.messagesTo(openId).filter((m) => JSON.stringify(m.content).includes(title));
const COLOUR_COUNT = {
  red: /🔴 超期 \*\*(\d+)\*\*/,
  orange: /🟠 1日内到期 \*\*(\d+)\*\*/,
  yellow: /🟡 3日内到期 \*\*(\d+)\*\*/,
} as const;
function colourOn(card: unknown): string {
  const text = JSON.stringify(card);
  return Object.entries(COLOUR_COUNT).find(([, re]) => Number(re.exec(text)?.[1] ?? 0) > 0)?.[0] ?? 'none';
}

describe('daily digest', () => {
  it('goes out on working days only, and the item turns 黄 → 橙 → 红 on the right days', async () => {
    const handle = await env.client.workflow.start('certificateCaseWorkflow', {
      taskQueue,
      workflowId: certificateCaseWorkflowId('HN001'),
      args: [caseInput()],
    });
    await fake.waitFor(() => fake.messagesTo(PEOPLE.head.openId).length === 1, 15_000);
    const dueAt = (await handle.query(caseViewQuery)).currentStep!.deadline!.dueAt;
    const calendar = await readCalendar(db.prisma);
    const lastDue = dateIn(TZ, new Date(Date.parse(dueAt) - 1));
    const firstLate = calendar.nextWorkingDay(addDays(lastDue, 1));

    const seen: Array<[day: string, status: string, colour: string]> = [];
    for (
      let day = addDays(dateIn(TZ, new Date(await env.currentTimeMs())), 1);
      day <= firstLate;
      day = addDays(day, 1)
    ) {
      const morning = localTime(day, 8, TZ).getTime() + 30 * 60_000;
      await env.sleep(morning - (await env.currentTimeMs()));
      const before = titled(PEOPLE.unitLeader.openId, '今日待办提醒').length;
      const result = await client.workflow.execute<typeof dailyDigestWorkflow>('dailyDigestWorkflow', {
        taskQueue,
        workflowId: `digest-${day}`,
        args: [{}],
      });
      expect(result.day).toBe(day);
      const cards = titled(PEOPLE.unitLeader.openId, '今日待办提醒');
      expect(cards.length - before).toBe(result.status === 'sent' ? 1 : 0);
      seen.push([day, result.status, result.status === 'sent' ? colourOn(cards.at(-1)!.content) : '-']);
    }
    const working = seen.filter(([day]) => calendar.isWorkingDay(day));
    expect(seen.filter(([, status]) => status === 'rest-day').map(([day]) => day)).toEqual(
      seen.map(([d]) => d).filter((d) => !calendar.isWorkingDay(d)),
    );
    // On the working days: 黄 while the deadline is more than a working day away, 橙 on the last two, 红 after.
    const expected = working.map(([day]) =>
      day > lastDue ? 'red' : calendar.addWorkingDays(day, 1) >= lastDue ? 'orange' : 'yellow',
    );
    expect(working.map(([, , colour]) => colour)).toEqual(expected);
    expect(expected).toContain('yellow');
    expect(working.map(([, , c]) => c).filter((c, i, all) => c !== all[i - 1])).toEqual(['yellow', 'orange', 'red']);

    // The bureau's leader covers every unit: the same item, and the week's ranking as a chart.
    expect(titled(PEOPLE.bureauLeader.openId, '今日待办提醒')).toHaveLength(working.length);
    const ranking = titled(PEOPLE.bureauLeader.openId, '各单位周排名');
    expect(ranking.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(ranking[0]!.content)).toContain('"tag":"chart"');
    expect(JSON.stringify(ranking[0]!.content)).toContain('县市场监管局');
    expect(titled(PEOPLE.unitLeader.openId, '各单位周排名')).toHaveLength(0);

    // A re-run the same day (a retried Schedule action) sends nobody a second card.
    const again = await client.workflow.execute<typeof dailyDigestWorkflow>('dailyDigestWorkflow', {
      taskQueue,
      workflowId: `digest-${firstLate}-again`,
      args: [{}],
    });
    expect(again).toMatchObject({ status: 'sent', daily: { sent: 0, alreadySent: 2 } });
    expect(titled(PEOPLE.unitLeader.openId, '今日待办提醒')).toHaveLength(working.length);
    await handle.terminate('test over');
  });
});
