import type ExcelJS from 'exceljs';
import { newWorkbook } from '../../platform/sheets/new-workbook';
import type { Ledger } from './ledger';
import type { StoredGrant, StoredMatter } from './store';
import { OUTCOME_LABEL } from './register';
import { grantsToSheet } from './rows';
import { FORM_LABEL } from './rules';
import { addTableSheet } from '../../platform/sheets/sheet-layout';

// The register as the xlsx the bureau keeps: the first columns are exactly the import's, so the file imports
// back unchanged; the last evaluation follows on the right. The ledger workbook adds the county's figures.

function registerSheet(workbook: ExcelJS.Workbook, grants: StoredGrant[], name: string): void {
  const base = grantsToSheet(grants);
  const extra = grants.flatMap((g) =>
    (g.matters as StoredMatter[]).map((m) => [
      m.evaluatedOn ?? '',
      m.lastOutcome ? OUTCOME_LABEL[m.lastOutcome] : '',
      m.lastCases ?? '',
    ]),
  );
  addTableSheet(workbook, {
    name,
    headers: [...base.headers, '最近评估日期', '评估结论', '期内办件(自评)'],
    rows: base.rows.map((row, i) => [...row, ...extra[i]!]),
    textColumns: [3, 10],
  });
}

export async function townshipEmpowermentWorkbook(grants: StoredGrant[]): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = '执法通';
  registerSheet(workbook, grants, '赋权事项');
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function ledgerWorkbook(ledger: Ledger, grants: StoredGrant[]): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = '执法通';
  addTableSheet(workbook, {
    name: '台账汇总',
    headers: ['乡镇/街道', '形式', '赋权文件数', '事项数', '零办件', '尚未评估'],
    rows: ledger.rows.map((r) => [r.township, FORM_LABEL[r.form], r.grants, r.matters, r.zeroCases, r.unevaluated]),
  });
  addTableSheet(workbook, {
    name: '委托期限',
    headers: ['乡镇/街道', '委托书编号', '委托部门', '期限止', '剩余天数', '事项数'],
    rows: ledger.termsEnding.map((t) => [t.township, t.documentNo, t.department, t.termEnd, t.daysLeft, t.matters]),
  });
  addTableSheet(workbook, {
    name: '进行中的评估',
    headers: ['乡镇/街道', '评估期', '阶段', '待办步骤', '完成时限'],
    rows: ledger.rounds.map((r) => [
      r.township,
      r.period,
      r.stage,
      r.steps.map((s) => `${s.title}(${s.owner})`).join(';'),
      r.dueOn ?? '',
    ]),
  });
  registerSheet(workbook, grants, '全县赋权事项');
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const empowermentFileName = (scope: string, asOf: string) => `${scope}赋权事项(截至${asOf}).xlsx`;
