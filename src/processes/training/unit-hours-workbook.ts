import type ExcelJS from 'exceljs';
import { newWorkbook } from '../../platform/sheets/new-workbook';
import type { OfficerHours } from './store';
import type { IsoDate } from '../../core/dates';
import { addTableSheet } from '../../platform/sheets/sheet-layout';
import { CATEGORIES, CATEGORY_LABEL, STATUS_WORDS, type TrainingRule, type TrainingStatus } from './rules';

// A unit's training hours as the xlsx an admin files or forwards: one row per officer, laid out the way a
// person would in Excel (Chinese headers, frozen header row with filters, widths that fit Chinese text, hours
// as numbers so they sum), and a 说明 sheet with the rule the figures were judged by.

export interface UnitHoursExport {
  unitName: string;
  rule: TrainingRule;
  rows: OfficerHours[];
  asOf: IsoDate;
}

export { displayWidth } from '../../platform/sheets/sheet-layout';

export const UNIT_HOURS_HEADERS = [
  '姓名',
  '执法证号',
  '单位',
  ...CATEGORIES.map((c) => CATEGORY_LABEL[c]),
  '合计',
  '还差',
  '状态',
];

// Who needs attention first: at risk, then behind, then on track, then met.
const STATUS_ORDER: Record<TrainingStatus, number> = { at_risk: 0, behind: 1, on_track: 2, met: 3 };

export const unitHoursSheetName = (year: number) => `${year}年度学时`;
export const unitHoursFileName = (unitName: string, year: number, asOf: IsoDate) =>
  `${unitName}${year}年度学时(截至${asOf}).xlsx`;

/** Sorted by status (most urgent first), then fewest hours first, then name, so the list reads top-down. */
export function sortForExport(rows: OfficerHours[]): OfficerHours[] {
  return [...rows].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      a.totals.total - b.totals.total ||
      a.name.localeCompare(b.name, 'zh'),
  );
}

export async function unitHoursWorkbook(data: UnitHoursExport): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = '执法通';
  addHoursSheet(workbook, data);
  addRuleSheet(workbook, data);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addHoursSheet(workbook: ExcelJS.Workbook, { rule, rows }: UnitHoursExport): void {
  addTableSheet(workbook, {
    name: unitHoursSheetName(rule.year),
    headers: UNIT_HOURS_HEADERS,
    rows: sortForExport(rows).map(officerRow),
    textColumns: [2],
  });
}

/** One officer as a row under UNIT_HOURS_HEADERS; the county export's list of those short uses it too. */
export const officerRow = (r: OfficerHours) => [
  r.name,
  r.certNo,
  r.unitName,
  ...CATEGORIES.map((c) => r.totals.byCategory[c]),
  r.totals.total,
  r.left,
  STATUS_WORDS[r.status],
];

function addRuleSheet(workbook: ExcelJS.Workbook, { unitName, rule, rows, asOf }: UnitHoursExport): void {
  const sheet = workbook.addWorksheet('说明');
  const minimums = CATEGORIES.filter((c) => rule.perCategory[c]).map(
    (c) => `${CATEGORY_LABEL[c]}不少于 ${rule.perCategory[c]} 学时`,
  );
  const lines: Array<[string, string | number | Date]> = [
    ['单位', unitName],
    ['培训年度', rule.year],
    ['年度要求(学时)', rule.requiredHours],
    ['分类要求', minimums.length ? minimums.join(';') : '无分类最低要求'],
    ['统计截至', new Date(`${asOf}T00:00:00Z`)],
    ['人数', rows.length],
    ['计入规则', '只计已确认、日期在本年度内的培训记录;每条 0.5 至 24 学时,以 0.5 学时为单位。'],
    ['名单范围', '本单位执法证有效或暂扣中的执法人员。'],
    [
      '状态',
      `${STATUS_WORDS.met}:已完成年度要求;${STATUS_WORDS.on_track}:不低于全年平均进度;${STATUS_WORDS.behind}:低于全年平均进度;${STATUS_WORDS.at_risk}:按正常进度的 ${rule.atRiskPaceFactor} 倍也难以在年底前补足。`,
    ],
    ['还差', '距年度要求还差的学时;有分类最低要求时,取总数差额与各分类差额之和中较大者。'],
  ];
  sheet.addRow(['项目', '内容']).font = { bold: true };
  for (const line of lines) {
    const cell = sheet.addRow(line).getCell(2);
    if (line[1] instanceof Date) cell.numFmt = 'yyyy-mm-dd';
    cell.alignment = { horizontal: 'left', vertical: 'top', wrapText: true };
  }
  sheet.getColumn(1).width = 18;
  sheet.getColumn(2).width = 80;
}
