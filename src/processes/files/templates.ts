import { newWorkbook } from '../../platform/sheets/new-workbook';
import { KIND_NAMES, type FileKind } from './chat-file';
import { CALENDAR_COLUMNS } from '../../core/calendar-rows';
import { CAMPAIGN_COLUMNS } from '../training/campaign-rows';
import { DEPARTMENT_MAP_COLUMNS, EMPOWERMENT_COLUMNS } from '../empowerment/rows';
import { LEAD_RULE_COLUMNS } from '../referral/lead-rule-rows';
import { ESCALATION_COLUMNS } from '../../core/escalation-rows';
import { THRESHOLD_COLUMNS } from '../referral/threshold-rows';
import { ROSTER_COLUMNS } from '../roster/rules';
import type { ColumnSpec } from '../../core/table-rows';
import { TRAINING_COLUMNS } from '../training/rows';

// Blank workbooks for each kind of file the bot imports (`模板`): the header row exactly as the importer reads
// it, then a 填写说明 sheet saying what goes in each column. Headers and names come from the column specs,
// so a template can never ask for a column the import does not know.

interface ColumnHelp {
  explain: string;
  example: string;
}

const HELP: Record<FileKind, Record<string, ColumnHelp>> = {
  roster: {
    name: { explain: '执法人员姓名', example: '张三' },
    certNo: { explain: '行政执法证号,每人唯一;以它判断新增还是更新', example: 'HN0012345' },
    unit: { explain: '所在单位全称;法制员只能导入本单位人员', example: '县市场监管局' },
    role: { explain: '执法人员 / 法制员 / 负责人 / 领导 / 司法局;空着即执法人员', example: '执法人员' },
    openId: { explain: '飞书 open_id;一般留空,由手机号自动匹配', example: '' },
    mobile: { explain: '11 位手机号,用于匹配飞书账号', example: '13800000000' },
    certExpires: { explain: '证件有效期至;可写 2027-06-30、2027/6/30 或 2027年6月30日', example: '2027-06-30' },
  },
  training: {
    certNo: { explain: '行政执法证号(与 open_id 二选一),须已在人员名册中', example: 'HN0012345' },
    openId: { explain: '飞书 open_id(没有执法证号时填写)', example: '' },
    course: { explain: '课程或培训内容名称', example: '行政处罚法解读' },
    category: { explain: '公共法律知识 / 业务知识 / 行政执法技能', example: '公共法律知识' },
    hours: { explain: '学时,可为 0.5 的倍数', example: '2' },
    date: { explain: '培训日期;可写 2026-03-05、2026/3/5 或 2026年3月5日', example: '2026-03-05' },
  },
  calendar: {
    date: { explain: '日期', example: '2027-01-01' },
    kind: { explain: '休(放假)或 班(调休上班)', example: '休' },
    name: { explain: '节日名称', example: '元旦' },
  },
  // One row per matter; the rows of one 文号 are one grant, so their grant-level cells must agree.
  empowerment: {
    township: { explain: '乡镇/街道全称;法制员只能导入本乡镇/街道的事项', example: '城关镇' },
    form: { explain: '交由行使 或 委托', example: '委托' },
    documentNo: {
      explain: '交由行使写决定文号,委托写委托书编号;同一文号的各行是同一份赋权文件',
      example: '县市监委〔2025〕1号',
    },
    department: { explain: '委托的部门(交由行使留空)', example: '县市场监管局' },
    authority: { explain: '委托的权限范围(交由行使留空)', example: '警告、罚款' },
    termStart: { explain: '委托期限起;写作 2026-03-05(交由行使留空)', example: '2025-01-01' },
    termEnd: { explain: '委托期限止;写作 2026-03-05,期限不超过 3 年(交由行使留空)', example: '2027-12-31' },
    filed: { explain: '委托书备案日期;写作 2026-03-05,未备案留空(交由行使留空)', example: '2025-01-10' },
    published: { explain: '向社会公布的日期;写作 2026-03-05', example: '2025-01-05' },
    matterCode: { explain: '事项编码;同一乡镇/街道内不重复', example: 'E001' },
    matterName: { explain: '执法事项名称', example: '对无照经营的处罚' },
    field: { explain: '执法领域', example: '市场监管' },
    legalBasis: { explain: '设定依据(法律法规条款)', example: '《行政处罚法》第20条' },
  },
  // The whole ladder in one file: importing it replaces every rule now in force.
  escalation: {
    process: {
      explain:
        '流程代码,如 certificate(证件)、empowerment(赋权评估)、lead(线索);* 表示全部流程。须有一行流程和步骤都写 *',
      example: '*',
    },
    stepKey: { explain: '步骤代码;* 表示该流程的全部步骤。单独配置某一步骤时,写出它的每个时点', example: '*' },
    milestone: { explain: '过半 / 到期 / 超期N个工作日(如 超期1个工作日);同一流程、步骤的时点不重复', example: '到期' },
    notify: { explain: '办理人、上级、司法局,可写多个,用 、 分隔', example: '办理人、上级' },
  },
  campaign: {
    name: { explain: '轮训名称;已有同名轮训时更新它', example: '2026年全员轮训' },
    course: { explain: '课程名称;培训记录中有这门课程(截止日期前、已确认)即为已参训', example: '行政执法规范化培训' },
    deadline: { explain: '截止日期;可写 2026-12-31、2026/12/31 或 2026年12月31日', example: '2026-12-31' },
    units: { explain: '参训单位全称,多个用 、 分隔', example: '县市场监管局、县司法局' },
  },
  // The whole map in one file: importing it replaces the map now in force.
  department_map: {
    field: { explain: '执法领域,与赋权事项登记表的「领域」一致;每个领域一行', example: '自然资源' },
    department: { explain: '该领域事项原来的主管部门;赋权评估时向它征求意见', example: '县自然资源局' },
  },
  // The whole rule set in one file: 签收、退单、退单次数、超期通报 each once, then one row per lead type.
  lead_rules: {
    item: {
      explain:
        '签收 / 退单 / 退单次数 / 超期通报 各一行;其余每行是一种线索类型(如 紧急诉求、咨询、投诉、求助),派单时可选',
      example: '投诉',
    },
    limit: {
      explain:
        '整数:签收、退单为派单后的时限;退单次数为整条线索可退单的次数(0 为不得退单);超期通报为超期多少个工作日通报;线索类型为答复时限',
      example: '13',
    },
    unit: { explain: '工作日 或 小时(退单次数写 次;超期通报只能是 工作日)', example: '工作日' },
  },
  // The whole table in one file: importing it replaces the thresholds now in force, the shipped examples too.
  referral_threshold: {
    caseType: {
      explain:
        '案件类型代码,字母、数字或下划线,每种一行不重复。随系统附带的 fakeProducts、counterfeitTrademark、counterfeitGoods 三行只是示例:请按本省现行立案追诉标准填写,导入后整表替换,文件中没有的类型不再提示',
      example: 'fakeProducts',
    },
    title: {
      explain: '案件类型名称,登记案值时按它选择;写明金额指什么(销售金额、非法经营数额等)',
      example: '生产、销售伪劣产品(销售金额)',
    },
    amountYuan: {
      explain:
        '追诉标准金额,单位为元(不是万元),大于 0 的整数;可写 50000、50,000 或 5万。登记的金额达到(含本数)即提示是否移送',
      example: '50000',
    },
    basis: {
      explain: '依据:刑法条文及立案追诉标准的规定,提示卡片上会显示',
      example: '刑法第140条; 立案追诉标准(一)第16条',
    },
  },
};

/** Columns required for one form only (委托 needs them, 交由行使 leaves them empty). */
const ENTRUSTED_ONLY = new Set(['department', 'authority', 'termStart', 'termEnd']);

const SPECS: Record<FileKind, ColumnSpec<string>> = {
  roster: ROSTER_COLUMNS,
  training: TRAINING_COLUMNS,
  calendar: CALENDAR_COLUMNS,
  empowerment: EMPOWERMENT_COLUMNS,
  escalation: ESCALATION_COLUMNS,
  campaign: CAMPAIGN_COLUMNS,
  department_map: DEPARTMENT_MAP_COLUMNS,
  lead_rules: LEAD_RULE_COLUMNS,
  referral_threshold: THRESHOLD_COLUMNS,
};

/** The header a person reads: the first Chinese alias, else the first one. */
const headerOf = (aliases: string[]) => aliases.find((a) => /[\u4e00-\u9fff]/.test(a)) ?? aliases[0]!;

export const TEMPLATE_KINDS: FileKind[] = [
  'roster',
  'training',
  'calendar',
  'empowerment',
  'escalation',
  'campaign',
  'department_map',
  'lead_rules',
  'referral_threshold',
];
export const templateFileName = (kind: FileKind) => `${KIND_NAMES[kind]}导入模板.xlsx`;
export const TEMPLATE_HELP_SHEET = '填写说明';

export function templateHeaders(kind: FileKind): string[] {
  return Object.values(SPECS[kind]).map((column) => headerOf(column.aliases));
}

export async function importTemplate(kind: FileKind): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = '执法通';
  const spec = SPECS[kind];
  const fields = Object.keys(spec);
  const sheet = workbook.addWorksheet(KIND_NAMES[kind], { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(templateHeaders(kind));
  sheet.getRow(1).font = { bold: true };
  fields.forEach((field, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = 18;
    column.numFmt = '@'; // text: a 执法证号 like 00123 keeps its zeros
  });
  const help = workbook.addWorksheet(TEMPLATE_HELP_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  help.addRow(['列名', '是否必填', '说明', '示例', '也可写作']);
  help.getRow(1).font = { bold: true };
  for (const field of fields) {
    const { aliases, required } = spec[field]!;
    const { explain, example } = HELP[kind][field] ?? { explain: '', example: '' };
    const requiredText = required
      ? '必填'
      : kind === 'training' && (field === 'certNo' || field === 'openId')
        ? '二选一'
        : kind === 'empowerment' && ENTRUSTED_ONLY.has(field)
          ? '委托必填'
          : kind === 'empowerment' && field === 'published'
            ? '交由行使必填'
            : '选填';
    help.addRow([headerOf(aliases), requiredText, explain, example, aliases.join(' / ')]);
  }
  help.columns = [{ width: 14 }, { width: 10 }, { width: 50 }, { width: 18 }, { width: 36 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
