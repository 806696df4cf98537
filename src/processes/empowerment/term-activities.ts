import type { FeishuClient } from '../../platform/feishu/client';
import type { PrismaClient } from '../../platform/db/database';
import { readCalendar } from '../casework/calendar-store';
import { givenBy, oweMessages, type OwedMessage } from '../casework/notice-store';
import { grantsOfVersion, LATEST, readRegister, recordVersion, registerVersionsAsOf } from './store';
import { addDays } from '../../core/calendar';
import { grantKey } from './rules';
import { CalendarGapError } from '../../core/calendar';
import { dateIn } from '../../core/dates';
import { filingStatus, termMilestonesDue, TERM_MILESTONES, type EntrustedGrant, type TermMilestoneKey } from './rules';
import { currentRun, deliverOwed, stillWorking } from '../casework/notice-delivery';

const TOPIC = 'empowerment-term';
const FILING = 'filing';

// The daily 委托 term watch (issue #7): the entrusting department and the bureau are told 90, 30 and 7 days
// before a letter's term ends; on expiry the township is told too that the matters may no longer be exercised
// in the department's name (renewal is a new 委托, filed anew); a letter not filed within 10 working days is
// flagged to the bureau. Each notice is a row first (the "decided once" guard) together with the messages it owes,
// which are given only once Feishu accepted them: a retry sends only what is still owed, a rerun tells nobody twice.

const PERSON = { name: true, openId: true } as const;

export function empowermentTermActivities({
  prisma,
  feishu,
  timeZone,
}: {
  prisma: PrismaClient;
  feishu: FeishuClient;
  timeZone: string;
}) {
  async function peopleOf(unitName: string, roles: Array<'admin' | 'supervisor'>) {
    const unit = await prisma.unit.findUnique({ where: { name: unitName }, select: { id: true } });
    return unit
      ? prisma.officer.findMany({
          where: { unitId: unit.id, role: { in: roles }, openId: { not: null } },
          select: PERSON,
        })
      : [];
  }
  /** Who is to be told, as owed messages of `notice` (one per person, whoever is named twice). */
  const messagesTo = (openIds: Array<string | null>, text: string, notice: string): OwedMessage[] =>
    [...new Set(openIds.filter((o): o is string => !!o))].map((openId) => ({
      key: `${notice}/${openId}`,
      notice,
      openId,
      text,
    }));

  /** The row is the "decided once" guard; the messages become owed with it and are given once Feishu accepts them. */
  async function once(
    township: string,
    grant: EntrustedGrant,
    milestone: string,
    messages: OwedMessage[],
  ): Promise<boolean> {
    return prisma.$transaction(async (tx) => {
      const { count } = await tx.empowermentTermNotice.createMany({
        data: [{ township, documentNo: grant.documentNo, termEnd: new Date(`${grant.termEnd}T00:00:00Z`), milestone }],
        skipDuplicates: true,
      });
      if (count) await oweMessages(tx, TOPIC, currentRun(), messages);
      return count > 0;
    });
  }

  /**
   * An expired 委托 leaves the register: a new version without it, from the day after the term, recording the
   * expiry as its decision. In one transaction with the notice row and the messages it owes, so a rerun records
   * no second version.
   */
  async function expire(
    township: string,
    grant: EntrustedGrant,
    today: string,
    messages: OwedMessage[],
  ): Promise<boolean> {
    return prisma.$transaction(async (tx) => {
      const { count } = await tx.empowermentTermNotice.createMany({
        data: [
          {
            township,
            documentNo: grant.documentNo,
            termEnd: new Date(`${grant.termEnd}T00:00:00Z`),
            milestone: 'expired',
          },
        ],
        skipDuplicates: true,
      });
      if (!count) return false;
      await oweMessages(tx, TOPIC, currentRun(), messages);
      const latest = await readRegister(tx, township, LATEST);
      const remaining = (latest?.grants ?? []).filter((g) => grantKey(g) !== grantKey(grant));
      const from = addDays(grant.termEnd, 1);
      const recorded = await recordVersion(
        tx,
        township,
        remaining,
        {
          kind: 'expiry',
          reference: grant.documentNo,
          decidedBy: '委托期限届满',
          decidedOn: today,
          note: `${grant.department}委托书 ${grant.documentNo} 期限 ${grant.termStart} 至 ${grant.termEnd} 届满,${grant.matters.length} 项不得再以委托名义行使`,
        },
        latest && latest.validFrom > from ? latest.validFrom : from,
        new Map(),
        latest ?? null,
      );
      if (!recorded.ok) throw new Error(recorded.problems.join(';'));
      await tx.auditEvent.create({
        data: {
          actor: 'system',
          action: 'empowerment.version_recorded',
          subject: township,
          details: {
            version: recorded.version,
            decision: 'expiry',
            documentNo: grant.documentNo,
            termEnd: grant.termEnd,
          },
        },
      });
      return true;
    });
  }

  return {
    async sendEmpowermentTermNotices(input: {
      asOf: string;
    }): Promise<{ terms: number; filings: number; messages: number; owed?: string[] }> {
      const today = dateIn(timeZone, new Date(input.asOf));
      const calendar = await readCalendar(prisma, { strict: true }); // a filing judged late must not rest on a guessed calendar
      const bureau = await prisma.officer.findMany({
        where: { role: 'bureau', openId: { not: null } },
        select: PERSON,
      });
      for (const head of await registerVersionsAsOf(prisma, today)) {
        const grants = (await grantsOfVersion(prisma, head.id, head.township)).filter(
          (g): g is EntrustedGrant & typeof g => g.form === 'entrusted',
        );
        for (const grant of grants) {
          stillWorking({ township: head.township });
          const key = `${head.township}/${grant.documentNo}/${grant.termEnd}`;
          const sent = (
            await prisma.empowermentTermNotice.findMany({
              where: {
                township: head.township,
                documentNo: grant.documentNo,
                termEnd: new Date(`${grant.termEnd}T00:00:00Z`),
              },
              select: { milestone: true },
            })
          ).map((n) => n.milestone as TermMilestoneKey);
          for (const milestone of termMilestonesDue(grant, today, sent, TERM_MILESTONES)) {
            const what = `${head.township} 委托书 ${grant.documentNo}(${grant.department}委托,${grant.matters.length} 项,期限 ${grant.termStart} 至 ${grant.termEnd})`;
            const department = await peopleOf(grant.department, ['supervisor', 'admin']);
            const notice = `empowerment-term/${key}/${milestone.key}`;
            if (milestone.key === 'expired') {
              const text = `⛔ ${what}已届满,所列事项自 ${grant.termEnd} 次日起不得再以委托名义行使,已从赋权登记簿中移出(登记簿新版本)。如需继续,应签订新的委托书并重新备案。`;
              await expire(
                head.township,
                grant,
                today,
                messagesTo(
                  [...department, ...bureau, ...(await peopleOf(head.township, ['admin', 'supervisor']))].map(
                    (p) => p.openId,
                  ),
                  text,
                  notice,
                ),
              );
            } else {
              const text = `⏰ ${what}${milestone.label}(${grant.termEnd})。续期应签订新的委托书并向司法局重新备案,不会自动延期。`;
              await once(
                head.township,
                grant,
                milestone.key,
                messagesTo(
                  [...department, ...bureau].map((p) => p.openId),
                  text,
                  notice,
                ),
              );
            }
          }
          // A letter from a year whose calendar is not loaded cannot be judged; it is skipped, not guessed.
          let filing: ReturnType<typeof filingStatus>;
          try {
            filing = filingStatus(grant, calendar, today);
          } catch (error) {
            if (error instanceof CalendarGapError) continue;
            throw error;
          }
          if (filing.status === 'overdue' || filing.status === 'filedLate') {
            const text = `📋 ${head.township} 委托书 ${grant.documentNo}(${grant.department})${filing.status === 'overdue' ? '尚未' : '未在期限内'}向司法局备案:应于 ${filing.due} 前(期限起算后 10 个工作日)备案。`;
            await once(
              head.township,
              grant,
              'filing_overdue',
              messagesTo(
                bureau.map((p) => p.openId),
                text,
                `empowerment-term/${key}/${FILING}`,
              ),
            );
          }
        }
      }
      const owed = await deliverOwed(prisma, feishu, TOPIC);
      const given = await givenBy(prisma, currentRun(), [TOPIC]);
      const filings = given.notices.filter((n) => n.endsWith(`/${FILING}`)).length;
      return {
        terms: given.notices.length - filings,
        filings,
        messages: given.messages,
        ...(owed.length ? { owed } : {}),
      };
    },
  };
}

export type EmpowermentTermActivities = ReturnType<typeof empowermentTermActivities>;
