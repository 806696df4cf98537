import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { holidayNoticeSheet, replanProvisionalSteps } from '../src/processes/casework/calendar-store';
import { ConfigError, loadConfig, type Config } from '../src/platform/config';
import { migrateCommand, temporalSetupCommand } from '../src/app/deploy-commands';
import { openDatabase, type Database } from '../src/platform/db/database';
import { loadScoringTemplateFile } from '../src/processes/empowerment/settings';
import { SETTING_LOADS, type SettingKind } from '../src/processes/files/setting-loads';
import { importOfficers } from '../src/processes/roster/import';
import { describeEmpowermentImport, importEmpowerment } from '../src/processes/empowerment/import';
import { importTraining } from '../src/processes/training/import';
import { ensureTrainingYear } from '../src/processes/training/year-start';
import { readSheet, SheetError, type Sheet } from '../src/platform/sheets/spreadsheet';
import { rosterSyncWorkflow } from '../src/processes/roster/sync-workflow';
import { openTemporal } from '../src/platform/temporal/client';
import { STATUS_LABEL } from '../src/processes/certificate/rules';
import { atHeaderRow, formatRowError, type RowError } from '../src/core/table-rows';
import { rosterSyncWorkflowId } from '../src/processes/roster/contract';

// `npm run cli -- <command>`. Works whether or not `npm start` runs on the same DATA_DIR: the embedded
// database and Temporal server are joined when running, started for the command's duration when not.

const USAGE = `用法: npm run cli -- <命令>
  import officers FILE   导入人员名册(.csv 或 .xlsx;表头中英文均可:姓名/name、执法证号/cert_no、单位/unit、
                         角色/role、open_id、手机号/mobile、证件有效期/cert_expires)
  import training FILE   导入培训学时记录(列:执法证号/cert_no 或 open_id、课程/course、类别/category、学时/hours、日期/date)
  import empowerment FILE 导入乡镇赋权事项登记表(列:乡镇/街道、形式 交由行使或委托、文号、委托部门、权限、期限起、期限止、
                         备案日期、公布日期、事项编码、事项名称、领域、法律依据;每行一个事项)
  campaign load FILE     导入全员轮训(列:名称/name、课程/course、截止日期/deadline、单位/units,多个单位用、分隔)
  calendar load FILE     导入某年的节假日安排(列:日期/date、类型/kind 休或班、名称/name;每年整年替换)
  empowerment template FILE    载入赋权评估评分模板(JSON:维度、权重、分档、保留/调整分数线;见 docs/scoring-template.example.json)
  empowerment departments FILE 载入领域与原主管部门对照表(列:领域/field、原主管部门/department;整表替换)
  referral lead-rules FILE     载入问题线索办理规则(列:项目/item、时限/limit、单位/unit;签收、退单、退单次数、超期通报各一行,
                         其余每行一种线索类型及答复时限;整表替换,之后派发的线索按此计时)
  referral thresholds FILE     载入本县刑事追诉标准(列:案件类型/case_type、名称/title、追诉标准(元)/amount_yuan、
                         依据/basis;整表替换随附的示例,登记案值时按此提示是否移送)
  escalation load FILE   替换催办升级规则(列:流程/process、步骤/step、时点/milestone 过半|到期|超期N个工作日、
                         通知对象/notify 办理人|上级|司法局;流程或步骤写 * 表示全部)
  audit CERT_NO          打印一名执法人员证件的全部留痕记录
  status                 查看数据库、Temporal 与名册概况
  migrate                执行数据库迁移后退出(部署时在启动 bot/worker 之前运行一次)
  temporal setup         以有管理权限的凭据为命名空间添加搜索属性(之后各进程可设 TEMPORAL_REGISTER_SEARCH_ATTRIBUTES=0)`;

type Command = (config: Config, arg: string) => Promise<number>;

/** Each command, and the argument it cannot run without (said back to the user when missing). */
const COMMANDS: Record<string, { run: Command; needs?: string }> = {
  'import officers': { run: importOfficersCommand, needs: '文件路径' },
  'import training': { run: importTrainingCommand, needs: '文件路径' },
  'import empowerment': { run: importEmpowermentCommand, needs: '文件路径' },
  'calendar load': { run: settingLoadCommand('calendar'), needs: '文件路径' },
  'escalation load': { run: settingLoadCommand('escalation'), needs: '文件路径' },
  'empowerment template': { run: empowermentTemplateCommand, needs: '文件路径' },
  'empowerment departments': { run: settingLoadCommand('department_map'), needs: '文件路径' },
  'referral lead-rules': { run: settingLoadCommand('lead_rules'), needs: '文件路径' },
  'referral thresholds': { run: settingLoadCommand('referral_threshold'), needs: '文件路径' },
  'campaign load': { run: settingLoadCommand('campaign'), needs: '文件路径' },
  audit: { run: auditCommand, needs: '执法证号' },
  status: { run: statusCommand },
  migrate: { run: (config) => migrateCommand(config) },
  'temporal setup': { run: (config) => temporalSetupCommand(config) },
};

async function main(argv: string[]): Promise<number> {
  const key = ['import', 'calendar', 'campaign', 'escalation', 'empowerment', 'referral', 'temporal'].includes(
    argv[0] ?? '',
  )
    ? `${argv[0]} ${argv[1]}`
    : (argv[0] ?? '');
  const command = COMMANDS[key];
  if (!command) {
    console.error(argv.length ? `未知命令: ${argv.join(' ')}\n\n${USAGE}` : USAGE);
    return 2;
  }
  const args = argv.slice(key.split(' ').length);
  if (command.needs && !args[0]) {
    console.error(`缺少${command.needs}\n\n${USAGE}`);
    return 2;
  }
  return command.run(loadConfig(), args[0] ?? '');
}

async function importOfficersCommand(config: Config, file: string): Promise<number> {
  const sheet = await readSheet(file);
  console.log(`读取 ${file}: ${sheet.rows.length} 行数据`);
  return withDatabase(config, async (db) => {
    const outcome = await importOfficers(db.prisma, sheet, 'cli');
    if (!outcome.ok) {
      printErrors(file, sheet, outcome.errors);
      return 1;
    }
    console.log(`导入完成: 新增 ${outcome.added} 人,更新 ${outcome.updated} 人,未变 ${outcome.unchanged} 人。`);
    if (outcome.awaitingOpenId > 0) await startRosterSync(config, outcome.awaitingOpenId);
    return 0;
  });
}

async function importTrainingCommand(config: Config, file: string): Promise<number> {
  const sheet = await readSheet(file);
  console.log(`读取 ${file}: ${sheet.rows.length} 行数据`);
  const large = sheet.rows.length >= 2000;
  return withDatabase(config, async (db) => {
    const outcome = await importTraining(db.prisma, sheet, 'cli', (done, total) => {
      if (large) console.log(`  已写入 ${done}/${total} 行(${Math.round((done / total) * 100)}%)`);
    });
    if (!outcome.ok) {
      printErrors(file, sheet, outcome.errors);
      return 1;
    }
    console.log(`导入完成: 新增 ${outcome.added} 条,已存在 ${outcome.unchanged} 条(未重复写入)。`);
    const thisYear = Number(new Date().toLocaleDateString('en-CA', { timeZone: config.TZ_CALENDAR }).slice(0, 4));
    const years = outcome.years.filter((y) => y >= thisYear);
    if (years.length) {
      const units = await db.prisma.unit.findMany({
        where: { id: { in: outcome.units } },
        select: { id: true, name: true },
      });
      const temporal = await openTemporal(config);
      try {
        for (const year of years)
          await ensureTrainingYear(temporal.client, {
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            timeZone: config.TZ_CALENDAR,
            year,
            units,
          });
        console.log(`培训年度已开启: ${years.join('、')} 年,${units.length} 个单位(检查点提醒、季度通报、年终名单)。`);
      } finally {
        await temporal.close();
      }
    }
    return 0;
  });
}

async function importEmpowermentCommand(config: Config, file: string): Promise<number> {
  const sheet = await readSheet(file);
  console.log(`读取 ${file}: ${sheet.rows.length} 行数据`);
  const today = new Date().toLocaleDateString('en-CA', { timeZone: config.TZ_CALENDAR });
  return withDatabase(config, async (db) => {
    const outcome = await importEmpowerment(db.prisma, sheet, 'cli', file.split(/[\\/]/).pop() ?? file, today);
    if (!outcome.ok) {
      printErrors(file, sheet, outcome.errors);
      return 1;
    }
    console.log(describeEmpowermentImport(outcome));
    return 0;
  });
}

async function startRosterSync(config: Config, count: number): Promise<void> {
  const temporal = await openTemporal(config);
  try {
    const workflowId = rosterSyncWorkflowId(new Date().toISOString().replace(/[:.]/g, '-'));
    await temporal.client.workflow.start(rosterSyncWorkflow, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [{ requestedBy: 'cli' }],
    });
    console.log(`已启动工作流 ${workflowId}: 通过手机号向飞书查询 ${count} 人的 open_id(由运行中的 worker 执行)。`);
  } finally {
    await temporal.close();
  }
}

async function empowermentTemplateCommand(config: Config, file: string): Promise<number> {
  return withDatabase(config, async (db) => {
    const result = await loadScoringTemplateFile(db.prisma, file, 'cli');
    if (!result.ok) {
      for (const error of result.errors) console.error(`${file}: ${error.message}`);
      console.error(`共 ${result.errors.length} 处错误,未载入。`);
      return 1;
    }
    console.log(
      `评分模板「${result.value.name}」已载入: ${result.value.dimensions.length} 个维度,保留 ≥ ${result.value.thresholds.keep} 分,调整 ≥ ${result.value.thresholds.adjust} 分(之后开始的评估按此模板给出建议)。`,
    );
    return 0;
  });
}

/** The bureau's setting files: the same loader and sentence as a file sent in chat (src/processes/files/setting-loads.ts). */
function settingLoadCommand(kind: SettingKind): Command {
  return async (config, file) => {
    // The State Council's notice as a .txt file stands for a calendar sheet.
    const notice =
      kind === 'calendar' && /\.txt$/i.test(file) ? holidayNoticeSheet(await readFile(file, 'utf8')) : undefined;
    if (notice && !notice.ok) {
      console.error(`${file}: ${notice.message}`);
      return 1;
    }
    const sheet = notice?.ok ? notice.sheet : await readSheet(file);
    return withDatabase(config, async (db) => {
      const result = await SETTING_LOADS[kind](db.prisma, sheet, path.basename(file), 'cli');
      if (!result.ok) {
        printErrors(file, sheet, result.errors);
        return 1;
      }
      console.log(`${result.summary}。`);
      if (kind === 'calendar') await replanAfterCalendarLoad(config, db);
      return 0;
    });
  };
}

/** Cases planned 暂定 through a year just loaded plan again now; without Temporal, the next working day's watch does. */
async function replanAfterCalendarLoad(config: Config, db: Database): Promise<void> {
  try {
    const temporal = await openTemporal(config);
    try {
      const { cases, failed } = await replanProvisionalSteps(db.prisma, temporal.client, config.TZ_CALENDAR);
      if (cases)
        console.log(
          `已通知 ${cases} 件按暂定期限办理的案件重新计算期限${failed.length ? `(${failed.length} 件未送达,下一个工作日重试)` : ''}。`,
        );
    } finally {
      await temporal.close();
    }
  } catch (error) {
    console.log(`暂定期限将在下一个工作日的每日任务中重新计算(现在无法连接 Temporal: ${(error as Error).message})。`);
  }
}

async function auditCommand(config: Config, certNo: string): Promise<number> {
  return withDatabase(config, async (db) => {
    const subject = certNo.trim().toUpperCase();
    const officer = await db.prisma.officer.findUnique({
      where: { certNo: subject },
      select: { name: true, certStatus: true, unit: { select: { name: true } } },
    });
    const events = await db.prisma.auditEvent.findMany({ where: { subject }, orderBy: { id: 'asc' } });
    if (!officer && !events.length) {
      console.error(`没有执法证号 ${subject} 的记录`);
      return 1;
    }
    if (officer)
      console.log(`${officer.name} · ${officer.unit.name} · ${subject} · 当前状态 ${STATUS_LABEL[officer.certStatus]}`);
    for (const e of events) {
      const at = new Intl.DateTimeFormat('zh-CN', {
        timeZone: config.TZ_CALENDAR,
        dateStyle: 'short',
        timeStyle: 'medium',
        hourCycle: 'h23',
      }).format(e.at);
      console.log(`${at}  ${e.action.padEnd(28)} ${e.actor}  ${JSON.stringify(e.details)}`);
    }
    return 0;
  });
}

async function statusCommand(config: Config): Promise<number> {
  return withDatabase(config, async (db) => {
    const [units, byRole, byStatus, missingOpenId] = await Promise.all([
      db.prisma.unit.count(),
      db.prisma.officer.groupBy({ by: ['role'], _count: true }),
      db.prisma.officer.groupBy({ by: ['certStatus'], _count: true }),
      db.prisma.officer.count({ where: { openId: null } }),
    ]);
    console.log(
      `数据库: ${db.kind === 'external' ? 'PostgreSQL (DATABASE_URL)' : `内嵌 PostgreSQL (${config.DATA_DIR}/pg,${db.kind === 'embedded-shared' ? '加入正在运行的服务' : '由本命令启动'})`}`,
    );
    console.log(`单位 ${units} 个;人员按角色: ${byRole.map((r) => `${r.role} ${r._count}`).join(',') || '无'}`);
    console.log(
      `证件状态: ${byStatus.map((r) => `${r.certStatus} ${r._count}`).join(',') || '无'};未绑定飞书 ${missingOpenId} 人`,
    );
    try {
      const temporal = await openTemporal(config);
      console.log(`Temporal: ${temporal.address} (${temporal.kind}),命名空间 ${temporal.namespace}`);
      await temporal.close();
    } catch (error) {
      console.log(`Temporal: 无法连接 (${(error as Error).message})`);
    }
    return 0;
  });
}

/** One line per problem (the first 200), at the rows Excel shows, then how many and that nothing was written. */
function printErrors(file: string, sheet: Sheet, errors: RowError[]): void {
  for (const error of atHeaderRow(errors.slice(0, 200), sheet.headerRow)) console.error(formatRowError(file, error));
  if (errors.length > 200) console.error(`……另有 ${errors.length - 200} 处错误未列出`);
  console.error(`共 ${errors.length} 处错误,未写入任何数据。请修改后重新导入。`);
}

async function withDatabase(config: Config, work: (db: Database) => Promise<number>): Promise<number> {
  const db = await openDatabase(config);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

const KNOWN_ERRORS = new Set(['TemporalConnectionError', 'SearchAttributesError']);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    // Errors written for a person (what to set, which file) print as they are; anything else with its stack.
    if (error instanceof ConfigError || error instanceof SheetError || KNOWN_ERRORS.has((error as Error).name))
      console.error((error as Error).message);
    else console.error(error);
    process.exit(1);
  },
);
