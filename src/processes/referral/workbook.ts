import { newWorkbook } from '../../platform/sheets/new-workbook';
import type { IsoDate } from '../../core/dates';
import { KIND_LABEL, type ReferralKind } from './rules';
import type { LedgerRow } from './ledger';
import { addTableSheet } from '../../platform/sheets/sheet-layout';

// 移送台账 as the xlsx the bureau files or forwards: per unit (the card's table), and every referral and lead
// with its stage, counts and outcome — what procuratorates publish monthly today.

export interface ReferralDetail {
  kind: string;
  unitName: string;
  title: string;
  counterpart: string;
  status: string;
  stepTitle: string | null;
  dueAt: Date | null;
  stepsDone: number;
  stepsLate: number;
  refusals: number;
  sendBacks: number;
  outcome: string | null;
  openedAt: Date;
  closedAt: Date | null;
}

const STATUS_WORD: Record<string, string> = {
  open: '在办',
  closed: '办结',
  rejected: '不予移送',
  refused: '被拒/不立案',
  withdrawn: '撤回',
};

export const referralLedgerFileName = (asOf: IsoDate) => `移送台账(截至${asOf}).xlsx`;

export async function referralLedgerWorkbook(input: {
  rows: LedgerRow[];
  details: ReferralDetail[];
  asOf: IsoDate;
}): Promise<Buffer> {
  const workbook = await newWorkbook();
  addTableSheet(workbook, {
    name: '各单位',
    headers: ['单位', '总数', '在办', '超期', '按时率', '拒收/不立案', '退单线索'],
    rows: input.rows.map((r) => [
      r.unitName,
      r.total,
      r.open,
      r.overdue,
      r.onTimeRate ?? null,
      r.refusals,
      r.bouncedLeads,
    ]),
    formats: { 5: '0%' },
  });
  addTableSheet(workbook, {
    name: '明细',
    headers: [
      '类别',
      '单位',
      '名称',
      '对方机关',
      '状态',
      '当前步骤',
      '期限',
      '已办步骤',
      '超期步骤',
      '拒收/不立案',
      '退单',
      '结果',
      '发起时间',
      '办结时间',
    ],
    rows: input.details.map((d) => [
      KIND_LABEL[d.kind as ReferralKind] ?? d.kind,
      d.unitName,
      d.title,
      d.counterpart,
      STATUS_WORD[d.status] ?? d.status,
      d.stepTitle,
      d.dueAt,
      d.stepsDone,
      d.stepsLate,
      d.refusals,
      d.sendBacks,
      d.outcome,
      d.openedAt,
      d.closedAt,
    ]),
    formats: { 7: 'yyyy-mm-dd hh:mm', 13: 'yyyy-mm-dd hh:mm', 14: 'yyyy-mm-dd hh:mm' },
    wrapColumns: [12],
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
