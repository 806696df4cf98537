import type { FeishuClient } from '../../platform/feishu/client';
import type { PrismaClient } from '../../platform/db/database';
import { bureauLeaders } from '../desk/store';
import { LATEST, matterKey, readRegister, recordVersion, type Evaluations } from './store';
import { officerHours, readRule } from '../training/store';
import { dateIn } from '../../core/dates';
import { applyDecisions, OUTCOME_LABEL, type DecisionOutcome, type MatterDecision } from './register';
import { defaultRoundConfig, departmentOf, type RoundConfig, type RoundMatter } from './round-rules';
import { townshipsOnRegister } from './store';
import { readEmpowermentSettings } from './settings';
import type { ScoringTemplate } from './scoring';
import type { Person } from '../casework/contract';
import { empowermentTermActivities } from './term-activities';

// What an evaluation round needs from the database (issue #7): the township's matters and people, the
// indicators LawDesk can compute itself, and at the end the register's new version with the publication
// record — in one transaction, and only once however often the activity is retried.

const PERSON = { name: true, openId: true } as const;

export interface RoundDepartment {
  name: string;
  owner: Person;
  escalateTo: Person[];
  /** false: the department is not on the roster; the bureau's reviewer gives its opinion, and the card says so. */
  onRoster: boolean;
}

export type RoundPreparation =
  | {
      ok: true;
      matters: RoundMatter[];
      baseVersion: number;
      admin: Person;
      adminEscalation: Person[];
      departments: RoundDepartment[];
      bureauReviewer: Person;
      bureauEscalation: Person[];
      leader: Person;
      leaderEscalation: Person[];
      /** Computed, not typed: certified officers, training, open certificate cases (cases per matter come from the township). */
      officers: { certified: number; trainingMet: number; openCertificateCases: number };
      /** The bureau's loaded scoring template when there is one; read here so the round keeps it to the end. */
      template?: ScoringTemplate;
    }
  | { ok: false; reason: string; notify: Person[] };

export function empowermentActivities({
  prisma,
  feishu,
  timeZone,
}: {
  prisma: PrismaClient;
  feishu: FeishuClient;
  timeZone: string;
}) {
  return {
    async prepareEmpowermentRound(input: {
      township: string;
      originalDepartments: Record<string, string>;
    }): Promise<RoundPreparation> {
      const today = dateIn(timeZone, new Date());
      const bureauPeople = await prisma.officer.findMany({
        where: { role: 'bureau' },
        select: PERSON,
        orderBy: { id: 'asc' },
      });
      const leaders = await bureauLeaders(prisma);
      const refuse = (reason: string) => ({ ok: false as const, reason, notify: bureauPeople });
      const register = await readRegister(prisma, input.township, today);
      if (!register?.grants.length) return refuse(`${input.township} 在赋权登记簿中没有事项`);
      const unit = await prisma.unit.findUnique({ where: { name: input.township }, select: { id: true } });
      if (!unit) return refuse(`${input.township} 不在人员名册中,无法确定乡镇法制员`);
      const admin = await prisma.officer.findFirst({
        where: { unitId: unit.id, role: 'admin' },
        select: PERSON,
        orderBy: { id: 'asc' },
      });
      if (!admin) return refuse(`${input.township} 在名册中没有法制员(角色 admin)`);
      const reviewer = bureauPeople[0];
      if (!reviewer) return refuse('名册中没有司法局审核人(角色 bureau)');
      const leader = leaders.find((l) => !bureauPeople.some((b) => b.openId === l.openId)) ?? leaders[0]!;
      const townshipHeads = await prisma.officer.findMany({
        where: { unitId: unit.id, role: { in: ['supervisor', 'leader'] } },
        select: PERSON,
        orderBy: { id: 'asc' },
      });

      // The bureau's loaded map, with the round's own config taking precedence field by field.
      const settings = await readEmpowermentSettings(prisma);
      const originalDepartments = { ...settings.originalDepartments, ...input.originalDepartments };
      const matters: RoundMatter[] = register.grants.flatMap((g) =>
        g.matters.map((m) => ({
          form: g.form,
          documentNo: g.documentNo,
          code: m.code,
          name: m.name,
          field: m.field,
          department: departmentOf(
            g.form,
            g.form === 'entrusted' ? g.department : undefined,
            m.field,
            originalDepartments,
          ),
        })),
      );
      const departments: RoundDepartment[] = [];
      for (const name of [...new Set(matters.map((m) => m.department))]) {
        const deptUnit = await prisma.unit.findUnique({ where: { name }, select: { id: true } });
        const people = deptUnit
          ? await prisma.officer.findMany({
              where: { unitId: deptUnit.id, role: { in: ['supervisor', 'admin', 'leader'] } },
              select: { ...PERSON, role: true },
              orderBy: { id: 'asc' },
            })
          : [];
        const owner = people.find((p) => p.role === 'supervisor') ?? people.find((p) => p.role === 'admin');
        if (owner)
          departments.push({
            name,
            owner: { name: owner.name, openId: owner.openId },
            escalateTo: people
              .filter((p) => p.role === 'leader')
              .map(({ name: n, openId }) => ({ name: n, openId }))
              .concat(leaders)
              .slice(0, 3),
            onRoster: true,
          });
        else departments.push({ name, owner: reviewer, escalateTo: leaders, onRoster: false });
      }

      const asOf = new Date(`${today}T00:00:00Z`);
      const certifiedRows = await prisma.officer.findMany({
        where: { unitId: unit.id, certStatus: 'active', OR: [{ certExpires: null }, { certExpires: { gte: asOf } }] },
        select: { id: true, certNo: true },
      });
      const rule = await readRule(prisma, Number(today.slice(0, 4)));
      const hours = await officerHours(prisma, rule, today, { unitId: unit.id });
      const certifiedIds = new Set(certifiedRows.map((o) => o.id));
      const trainingMet = hours.filter((h) => certifiedIds.has(h.officerId) && h.status === 'met').length;
      const openCertificateCases = await prisma.deadlineItem.count({
        where: { process: 'certificate', unitName: input.township, state: 'open' },
      });
      return {
        ok: true,
        matters,
        baseVersion: register.version,
        admin,
        adminEscalation: townshipHeads.length ? townshipHeads : leaders,
        departments,
        bureauReviewer: reviewer,
        bureauEscalation: leaders,
        leader,
        leaderEscalation: bureauPeople.filter((b) => b.openId !== leader.openId).slice(0, 2),
        officers: { certified: certifiedRows.length, trainingMet, openCertificateCases },
        ...(settings.template ? { template: settings.template } : {}),
      };
    },

    /** The round's row (for 赋权 and 赋权台账); the stage moves forward only. */
    async setEmpowermentRoundStage(input: {
      workflowId: string;
      township: string;
      period: string;
      dueOn?: string;
      stage: string;
      closed?: boolean;
    }): Promise<void> {
      const data = { stage: input.stage, ...(input.closed ? { closedAt: new Date() } : {}) };
      await prisma.empowermentRound.upsert({
        where: { workflowId: input.workflowId },
        create: {
          workflowId: input.workflowId,
          township: input.township,
          period: input.period,
          dueOn: input.dueOn ? new Date(`${input.dueOn}T00:00:00Z`) : null,
          ...data,
        },
        update: data,
      });
    },

    /**
     * The leader's decision applied: a new register version (decision recorded on it), each matter's last
     * evaluation, the publication record on the round. A retry after a commit finds the round already
     * holding its version and returns it.
     */
    async applyEmpowermentDecision(input: {
      workflowId: string;
      township: string;
      period: string;
      reference: string;
      decidedBy: string;
      decisions: MatterDecision[];
      outcomes: Array<{
        form: MatterDecision['form'];
        documentNo: string;
        code: string;
        outcome: DecisionOutcome;
        cases: number;
      }>;
      publication: { text: string; told: string[] };
    }): Promise<{ ok: true; version: number; matters: number } | { ok: false; problems: string[] }> {
      return prisma.$transaction(
        async (tx) => {
          const round = await tx.empowermentRound.findUnique({ where: { workflowId: input.workflowId } });
          if (round?.versionId) {
            const done = await tx.empowermentVersion.findUniqueOrThrow({
              where: { id: round.versionId },
              select: { version: true },
            });
            return {
              ok: true as const,
              version: done.version,
              matters: await tx.empowermentMatter.count({ where: { grant: { versionId: round.versionId } } }),
            };
          }
          const today = dateIn(timeZone, new Date());
          const current = await readRegister(tx, input.township, LATEST);
          const applied = applyDecisions(current?.grants ?? [], input.decisions);
          if (!applied.ok) return applied;
          const evaluations: Evaluations = new Map(
            input.outcomes.map((o) => [
              matterKey({ township: input.township, form: o.form, documentNo: o.documentNo }, o.code),
              { evaluatedOn: today, outcome: o.outcome, cases: o.cases },
            ]),
          );
          const validFrom = current && current.validFrom > today ? current.validFrom : today;
          const recorded = await recordVersion(
            tx,
            input.township,
            applied.grants,
            {
              kind: 'evaluation',
              reference: input.reference,
              decidedBy: input.decidedBy,
              decidedOn: today,
              note: input.publication.text,
            },
            validFrom,
            evaluations,
            current ?? null,
          );
          if (!recorded.ok) return recorded;
          await tx.empowermentRound.update({
            where: { workflowId: input.workflowId },
            data: {
              versionId: recorded.versionId,
              stage: 'published',
              closedAt: new Date(),
              publication: {
                publishedOn: today,
                reference: input.reference,
                text: input.publication.text,
                told: input.publication.told,
              },
            },
          });
          await tx.auditEvent.create({
            data: {
              actor: input.decidedBy,
              action: 'empowerment.version_recorded',
              subject: input.township,
              details: {
                version: recorded.version,
                decision: 'evaluation',
                workflowId: input.workflowId,
                changed: input.decisions.filter((d) => d.outcome !== 'keep').length,
              },
            },
          });
          return {
            ok: true as const,
            version: recorded.version,
            matters: applied.grants.reduce((n, g) => n + g.matters.length, 0),
          };
        },
        { timeout: 60_000, maxWait: 30_000 },
      );
    },

    /** What the scheduled rounds start: every township on the register, this year's configuration, the bureau as starter. */
    async empowermentRoundPlan(input: {
      overrides: Partial<RoundConfig>;
    }): Promise<{ townships: string[]; config: RoundConfig; startedBy: Person }> {
      const today = dateIn(timeZone, new Date());
      const starter = await prisma.officer.findFirst({
        where: { role: 'bureau' },
        select: PERSON,
        orderBy: { id: 'asc' },
      });
      return {
        townships: await townshipsOnRegister(prisma),
        config: defaultRoundConfig(today, input.overrides),
        startedBy: starter ?? { name: '司法局(定时发起)', openId: null },
      };
    },

    ...empowermentTermActivities({ prisma, feishu, timeZone }),
  };
}

export const describeOutcome = (o: DecisionOutcome) => OUTCOME_LABEL[o];
export type EmpowermentActivities = ReturnType<typeof empowermentActivities>;
