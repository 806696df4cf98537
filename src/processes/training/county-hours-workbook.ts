import type ExcelJS from 'exceljs';
import { newWorkbook } from '../../platform/sheets/new-workbook';
import type { OfficerHours, UnitCompletion } from './store';
import type { IsoDate } from '../../core/dates';
import type { TrainingRule } from './rules';
import { addTableSheet } from '../../platform/sheets/sheet-layout';
import { officerRow, sortForExport, UNIT_HOURS_HEADERS } from './unit-hours-workbook';

// 学时统计 as the xlsx a bureau files or forwards to leaders: the units ranked as on the card, then everyone not
// yet meeting the requirement across the county, most urgent first, so a leader can call the units concerned.

export interface CountyHoursExport {
  rule: TrainingRule;
  units: UnitCompletion[];
  rows: OfficerHours[];
  asOf: IsoDate;
}

export const COUNTY_UNIT_HEADERS = ['单位', '人数', '已达标', '进度正常', '落后', '有风险', '达标率'];
export const countyHoursFileName = (year: number, asOf: IsoDate) => `全县${year}年度学时统计(截至${asOf}).xlsx`;
export const COUNTY_SHEETS = { units: '各单位完成情况', short: '未达标人员' } as const;

export async function countyHoursWorkbook({ rule, units, rows, asOf }: CountyHoursExport): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = '执法通';
  const total = (pick: (u: UnitCompletion) => number) => units.reduce((s, u) => s + pick(u), 0);
  const officers = total((u) => u.officers);
  const unitRows = units.map((u) => [
    u.unitName,
    u.officers,
    u.met,
    u.byStatus.on_track,
    u.byStatus.behind,
    u.byStatus.at_risk,
    u.rate,
  ]);
  // The county line last, as a person totals a table; the rate is the county's, not an average of rates.
  unitRows.push([
    '全县合计',
    officers,
    total((u) => u.met),
    total((u) => u.byStatus.on_track),
    total((u) => u.byStatus.behind),
    total((u) => u.byStatus.at_risk),
    officers ? total((u) => u.met) / officers : 0,
  ]);
  const unitSheet = addTableSheet(workbook, {
    name: COUNTY_SHEETS.units,
    headers: COUNTY_UNIT_HEADERS,
    rows: unitRows,
    formats: { 7: '0.0%' },
  });
  unitSheet.getRow(unitSheet.rowCount).font = { bold: true };
  addNote(unitSheet, `${rule.year} 年度要求每人 ${rule.requiredHours} 学时;统计截至 ${asOf},只计已确认的记录。`);

  addTableSheet(workbook, {
    name: COUNTY_SHEETS.short,
    headers: UNIT_HOURS_HEADERS,
    rows: sortForExport(rows.filter((r) => r.status !== 'met')).map(officerRow),
    textColumns: [2],
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A line under the table, one blank row below it, so filters and sums on the table still work. */
function addNote(sheet: ExcelJS.Worksheet, text: string): void {
  sheet.addRow([]);
  const row = sheet.addRow([text]);
  row.font = { italic: true, color: { argb: 'FF666666' } };
}
