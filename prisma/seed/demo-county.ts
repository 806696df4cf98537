import type { BotContext } from '../../src/processes/chat-kit';
import { startCertificateCase } from '../../src/processes/certificate/chat';
import { readCalendar } from '../../src/processes/casework/calendar-store';
import { addDays, type WorkingCalendar } from '../../src/core/calendar';
import { dateIn } from '../../src/core/dates';
import { localTime } from '../../src/core/deadlines';
import type { trainingReportWorkflow } from '../../src/processes/training/report-workflow';
import { demoRecords, demoStatusOf, demoTotal } from './demo-training';

// The demo county the sandbox starts with (`npm start` without a Feishu app, on an empty database): five units,
// forty people in every role, certificates in every state and a few expiring soon. Dates are relative to the
// day of seeding, so "expires in 20 days" stays true for whoever tries the sandbox.
//
// More seed steps (training records, a certificate case waiting for a unit head, …) are added to
// DEMO_SEED_STEPS: each gets the running bot's context (database, Temporal, Feishu client) and the seed day.

export interface SeedContext {
  ctx: BotContext;
  /** The day the demo is seeded (dates below are relative to it). */
  asOf: Date;
}

export interface SeedStep {
  name: string;
  /** Writes its part of the demo; returns a short summary for the log and the audit trail. */
  run(seed: SeedContext): Promise<string>;
}

type Role = 'officer' | 'admin' | 'supervisor' | 'leader' | 'bureau';
type Status = 'active' | 'suspended' | 'withdrawn' | 'cancelled';

export const DEMO_UNITS: Record<string, string> = {
  SJ: '县市场监督管理局',
  CG: '县城市管理和综合执法局',
  JT: '县交通运输局',
  HB: '县生态环境分局',
  SF: '县司法局',
};

// [name, pinyin (open_id ou_demo_<pinyin>), unit code, role, certificate status, expires in N days]
// Negative N = already expired; 20/60/90/150 = inside the six months before expiry when renewal starts.
const PEOPLE: Array<[string, string, keyof typeof DEMO_UNITS, Role, Status, number]> = [
  ['王强', 'wangqiang', 'SJ', 'supervisor', 'active', 1400],
  ['李娜', 'lina', 'SJ', 'admin', 'active', 1100],
  ['张伟', 'zhangwei', 'SJ', 'officer', 'active', 1300],
  ['郑敏', 'zhengmin', 'SJ', 'officer', 'active', -40],
  ['何平', 'heping', 'SJ', 'officer', 'active', 20],
  ['刘芳', 'liufang', 'SJ', 'officer', 'active', 900],
  ['杨帆', 'yangfan', 'SJ', 'officer', 'active', 700],
  ['许静', 'xujing', 'SJ', 'officer', 'active', 1500],
  ['孙建国', 'sunjianguo', 'CG', 'supervisor', 'active', 1000],
  ['周婷', 'zhouting', 'CG', 'admin', 'active', 800],
  ['赵磊', 'zhaolei', 'CG', 'officer', 'suspended', 600],
  ['吴刚', 'wugang', 'CG', 'officer', 'cancelled', 300],
  ['马超', 'machao', 'CG', 'officer', 'active', 150],
  ['朱琳', 'zhulin', 'CG', 'officer', 'active', 1200],
  ['胡斌', 'hubin', 'CG', 'officer', 'active', 950],
  ['郭亮', 'guoliang', 'CG', 'officer', 'active', 1350],
  ['林海', 'linhai', 'JT', 'supervisor', 'active', 1250],
  ['高洁', 'gaojie', 'JT', 'admin', 'active', 880],
  ['孙丽', 'sunli', 'JT', 'officer', 'suspended', 400],
  ['冯军', 'fengjun', 'JT', 'officer', 'active', -10],
  ['罗宇', 'luoyu', 'JT', 'officer', 'active', 60],
  ['梁红', 'lianghong', 'JT', 'officer', 'active', 1000],
  ['宋洋', 'songyang', 'JT', 'officer', 'active', 1450],
  ['唐磊', 'tanglei', 'JT', 'officer', 'active', 720],
  ['韩冰', 'hanbing', 'HB', 'supervisor', 'active', 1050],
  ['曹颖', 'caoying', 'HB', 'admin', 'active', 940],
  ['周涛', 'zhoutao', 'HB', 'officer', 'withdrawn', 500],
  ['黄勇', 'huangyong', 'HB', 'officer', 'active', 90],
  ['邓超', 'dengchao', 'HB', 'officer', 'active', 1150],
  ['彭丽', 'pengli', 'HB', 'officer', 'active', 1320],
  ['萧然', 'xiaoran', 'HB', 'officer', 'active', 610],
  ['田野', 'tianye', 'HB', 'officer', 'active', 1010],
  ['陈静', 'chenjing', 'SF', 'leader', 'active', 1600],
  ['刘洋', 'liuyang', 'SF', 'bureau', 'active', 1180],
  ['蒋文', 'jiangwen', 'SF', 'bureau', 'active', 1270],
  ['沈丹', 'shendan', 'SF', 'bureau', 'active', 860],
  ['范志', 'fanzhi', 'SF', 'supervisor', 'active', 990],
  ['谢敏', 'xiemin', 'SF', 'admin', 'active', 1090],
  ['董明', 'dongming', 'SF', 'officer', 'active', 830],
  ['袁媛', 'yuanyuan', 'SF', 'officer', 'active', 1210],
];

export interface DemoPerson {
  name: string;
  openId: string;
  certNo: string;
  unit: string;
  role: Role;
  certStatus: Status;
  /** YYYY-MM-DD in the county's time zone. */
  certExpires: string;
  mobile: string;
}

/** The people of the demo county, with expiry dates counted from `today` (YYYY-MM-DD). */
export function demoPeople(today: string): DemoPerson[] {
  const seq: Record<string, number> = {};
  return PEOPLE.map(([name, pinyin, code, role, certStatus, days], i) => {
    seq[code] = (seq[code] ?? 0) + 1;
    const expires = new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    return {
      name,
      openId: `ou_demo_${pinyin}`,
      certNo: `HN-${code}-${String(seq[code]).padStart(3, '0')}`,
      unit: DEMO_UNITS[code]!,
      role,
      certStatus,
      certExpires: expires,
      mobile: `1380731${String(i + 1).padStart(4, '0')}`,
    };
  });
}

/** One person per role, offered first in the sandbox's picker. */
export const DEMO_PERSONAS: Array<{ openId: string; label: string }> = [
  { openId: 'ou_demo_zhangwei', label: '执法人员' },
  { openId: 'ou_demo_lina', label: '单位法制员' },
  { openId: 'ou_demo_wangqiang', label: '单位负责人' },
  { openId: 'ou_demo_liuyang', label: '司法局审核' },
  { openId: 'ou_demo_chenjing', label: '领导' },
];

const unitsAndPeople: SeedStep = {
  name: 'units-and-people',
  async run({ ctx, asOf }) {
    const people = demoPeople(dateIn(ctx.config.TZ_CALENDAR, asOf));
    await ctx.prisma.$transaction(async (tx) => {
      await tx.unit.createMany({ data: Object.values(DEMO_UNITS).map((name) => ({ name })), skipDuplicates: true });
      const units = new Map((await tx.unit.findMany({ select: { id: true, name: true } })).map((u) => [u.name, u.id]));
      await tx.officer.createMany({
        data: people.map((p) => ({
          name: p.name,
          certNo: p.certNo,
          unitId: units.get(p.unit)!,
          role: p.role,
          openId: p.openId,
          mobile: p.mobile,
          certStatus: p.certStatus,
          certExpires: new Date(`${p.certExpires}T00:00:00Z`),
        })),
      });
    });
    return `${Object.keys(DEMO_UNITS).length} 个单位, ${people.length} 人`;
  },
};

const trainingRecords: SeedStep = {
  name: 'training-records',
  async run({ ctx, asOf }) {
    const today = dateIn(ctx.config.TZ_CALENDAR, asOf);
    const officers = await ctx.prisma.officer.findMany({
      where: { role: 'officer' },
      select: { id: true, openId: true },
      orderBy: { id: 'asc' },
    });
    const data = officers.flatMap((o, i) => {
      const pinyin = (o.openId ?? '').replace('ou_demo_', '');
      return demoRecords(demoTotal(demoStatusOf(pinyin, i), today, i), today, i).map((r) => ({
        officerId: o.id,
        course: r.course,
        category: r.category,
        halfHours: r.halfHours,
        date: new Date(`${r.date}T00:00:00Z`),
        source: 'import' as const,
        status: 'confirmed' as const,
      }));
    });
    await ctx.prisma.trainingRecord.createMany({ data, skipDuplicates: true });
    return `培训记录 ${data.length} 条(达标、正常、落后、高风险各有)`;
  },
};

/** A 注销 case for an officer whose certificate expired 40 days ago, waiting for the unit head 王强. */
const waitingCase: SeedStep = {
  name: 'waiting-certificate-case',
  async run({ ctx }) {
    const answer = await startCertificateCase(ctx, 'ou_demo_lina', {
      who: 'HN-SJ-004',
      reason: 'expiredNotRenewed',
      action: 'cancel',
      details: '证件已过期 40 天,本人未参加换证考试。',
    });
    return answer.toast?.type === 'success'
      ? '证件注销申请 1 件(待单位负责人王强审批)'
      : `未能创建示例案件:${answer.toast?.content}`;
  },
};

/**
 * The leaders' desk in every colour: training self-reports waiting on four units' admins against the admin's
 * 5-working-day clock, reported so that one is overdue (红), one due by the next working day's close (橙), one
 * within three working days (黄) and one just now (绿), whatever day the demo is seeded. 陈静 (the bureau's
 * leader) sees them all on her digest; each admin sees theirs under 待办.
 */
const deskInEveryColour: SeedStep = {
  name: 'desk-in-every-colour',
  async run({ ctx, asOf }) {
    const calendar = await readCalendar(ctx.prisma);
    const today = dateIn(ctx.config.TZ_CALENDAR, asOf);
    // The report day that makes the 5-working-day clock end N working days from today (N < 0: already past).
    const reportedFor = (n: number) =>
      workingDaysBefore(
        calendar,
        n >= 0 ? calendar.addWorkingDays(today, n) : workingDaysBefore(calendar, today, -n),
        5,
      );
    const reports: Array<[reporter: string, reportedOn: string | undefined, course: string]> = [
      ['ou_demo_liufang', reportedFor(-3), '行政执法证据规则'],
      ['ou_demo_zhulin', reportedFor(1), '城市管理执法文书制作'],
      ['ou_demo_lianghong', reportedFor(3), '交通运输行政处罚案例'],
      ['ou_demo_dengchao', undefined, '生态环境执法实务'],
    ];
    for (const [openId, reportedOn, course] of reports) {
      const officer = await ctx.prisma.officer.findUniqueOrThrow({
        where: { openId },
        select: { id: true, name: true, certNo: true, unitId: true, unit: { select: { name: true } } },
      });
      const person = (role: 'admin' | 'supervisor') =>
        ctx.prisma.officer.findFirstOrThrow({
          where: { unitId: officer.unitId, role },
          select: { name: true, openId: true },
        });
      const [admin, head] = [await person('admin'), await person('supervisor')];
      const reportedAt = reportedOn ? localTime(reportedOn, 10, ctx.config.TZ_CALENDAR) : asOf;
      await ctx.temporal.workflow.start<typeof trainingReportWorkflow>('trainingReportWorkflow', {
        taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
        workflowId: `training-report-${officer.certNo}-demo`,
        args: [
          {
            officerId: officer.id,
            officer: { name: officer.name, openId },
            certNo: officer.certNo,
            unitName: officer.unit.name,
            course,
            category: 'business',
            hours: 4,
            date: reportedOn ?? today,
            admin,
            unitHead: head,
            reportedAt: reportedAt.toISOString(),
          },
        ],
      });
    }
    return `学时登记待确认 ${reports.length} 件(超期、1日内、3日内、正常各一)`;
  },
};

function workingDaysBefore(calendar: WorkingCalendar, day: string, n: number): string {
  let date = day;
  for (let left = n; left > 0;) {
    date = addDays(date, -1);
    if (calendar.isWorkingDay(date)) left--;
  }
  return date;
}

/** The seed, in order. Later steps may rely on the people of the first. */
export const DEMO_SEED_STEPS: SeedStep[] = [unitsAndPeople, trainingRecords, waitingCase, deskInEveryColour];

/** Seeds the demo county when the roster is empty; returns whether it did. Recorded in the audit trail. */
export async function seedDemoCountyIfEmpty(ctx: BotContext, asOf = new Date()): Promise<boolean> {
  if ((await ctx.prisma.officer.count()) > 0) return false;
  const steps: Array<{ step: string; summary: string }> = [];
  for (const step of DEMO_SEED_STEPS) {
    const summary = await step.run({ ctx, asOf });
    steps.push({ step: step.name, summary });
    ctx.log(`示例数据: ${summary}`);
  }
  await ctx.prisma.auditEvent.create({
    data: {
      actor: 'sandbox',
      action: 'demo.seeded',
      subject: 'demo-county',
      details: { asOf: asOf.toISOString(), steps },
    },
  });
  return true;
}
