import ExcelJS from 'exceljs';
import { KIND_NAMES, type FileKind } from '../../lib/imports/chat-file';
import { CALENDAR_COLUMNS } from '../../workflows/domain/calendar-rows';
import { ROSTER_COLUMNS } from '../../workflows/domain/roster';
import type { ColumnSpec } from '../../workflows/domain/table-rows';
import { TRAINING_COLUMNS } from '../../workflows/domain/training-rows';

// Blank workbooks for each kind of file the bot imports (`模板`): the header row exactly as the importer reads
// it, then a 填写说明 sheet saying what goes in each column. Headers and names come from the column specs,
// so a template can never ask for a column the import does not know.

interface ColumnHelp { explain: string; example: string }

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
};

const SPECS: Record<FileKind, ColumnSpec<string>> = { roster: ROSTER_COLUMNS, training: TRAINING_COLUMNS, calendar: CALENDAR_COLUMNS };

/** The header a person reads: the first Chinese alias, else the first one. */
const headerOf = (aliases: string[]) => aliases.find((a) => /[\u4e00-\u9fff]/.test(a)) ?? aliases[0]!;

export const TEMPLATE_KINDS: FileKind[] = ['roster', 'training', 'calendar'];
export const templateFileName = (kind: FileKind) => `${KIND_NAMES[kind]}导入模板.xlsx`;
export const TEMPLATE_HELP_SHEET = '填写说明';

export function templateHeaders(kind: FileKind): string[] {
  return Object.values(SPECS[kind]).map((column) => headerOf(column.aliases));
}

export async function importTemplate(kind: FileKind): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
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
    const requiredText = required ? '必填' : kind === 'training' && (field === 'certNo' || field === 'openId') ? '二选一' : '选填';
    help.addRow([headerOf(aliases), requiredText, explain, example, aliases.join(' / ')]);
  }
  help.columns = [{ width: 14 }, { width: 10 }, { width: 50 }, { width: 18 }, { width: 36 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
