import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/calendar';
import { dateIn } from '../../src/core/dates';
import { cardText, startHarness, type Harness } from '../support/lawdesk';

// The daily expiry watch: a Temporal Schedule exists after start; each run tells officer and unit admin once
// per milestone, and a second run the same day tells nobody again.

describe('certificate expiry watch', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const prisma = h.app.ctx.prisma;
    const unit = await prisma.unit.create({ data: { name: '县交通运输局' } });
    const today = dateIn('Asia/Shanghai', new Date());
    const people: Array<[string, string, number | null, 'officer' | 'admin', 'active' | 'cancelled']> = [
      ['钱一', 'ou_far', 400, 'officer', 'active'],
      ['孙二', 'ou_6m', 150, 'officer', 'active'],
      ['李三', 'ou_1m', 20, 'officer', 'active'],
      ['周四', 'ou_expired', -3, 'officer', 'active'],
      ['吴五', 'ou_cancelled', -3, 'officer', 'cancelled'],
      ['郑法制', 'ou_unit_admin', 2000, 'admin', 'active'],
    ];
    for (const [name, openId, days, role, certStatus] of people) {
      await prisma.officer.create({
        data: {
          name,
          openId,
          certNo: `JT-${openId}`,
          unitId: unit.id,
          role,
          certStatus,
          certExpires: days === null ? null : new Date(`${addDays(today, days)}T00:00:00Z`),
        },
      });
    }
  });
  afterAll(() => h?.stop());

  it('is scheduled daily at 09:00 county time', async () => {
    const schedule = await h.app.ctx.temporal.schedule.getHandle('certificate-expiry-watch').describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'certificateExpiryWatchWorkflow' });
    expect(schedule.spec.timezone).toBe('Asia/Shanghai');
    expect(schedule.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 9, end: 9, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });
  });

  it('tells each officer and the unit admin once per milestone', async () => {
    const run = (id: string) =>
      h.app.ctx.temporal.workflow.execute('certificateExpiryWatchWorkflow', {
        taskQueue: h.app.ctx.config.TEMPORAL_TASK_QUEUE,
        workflowId: id,
        args: [],
      });
    expect(await run('expiry-watch-1')).toEqual({ noticed: 3, messages: 6 });
    expect(await run('expiry-watch-2')).toEqual({ noticed: 0, messages: 0 });
    const inbox = (openId: string) => h.fake.messagesTo(openId).map((m) => cardText(m.content));
    expect(inbox('ou_far')).toEqual([]);
    expect(inbox('ou_cancelled')).toEqual([]);
    expect(inbox('ou_6m')).toEqual([expect.stringContaining('半年内到期')]);
    expect(inbox('ou_1m')).toEqual([expect.stringContaining('一个月内到期')]);
    expect(inbox('ou_expired')).toEqual([expect.stringContaining('已过期')]);
    expect(inbox('ou_unit_admin')).toHaveLength(3);
    expect(inbox('ou_unit_admin').join()).toContain('李三 的执法证件一个月内到期');
  });
});
