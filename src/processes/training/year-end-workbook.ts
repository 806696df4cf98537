import { newWorkbook } from '../../platform/sheets/new-workbook';
import { addTableSheet } from '../../platform/sheets/sheet-layout';

// The year-end list of officers short of hours (学时不足名单) as filed, with what the unit should do about each
// one today: the list itself is fixed at year end, but a certificate may have been suspended since, or the
// hours made up (training dated in that year can still be confirmed in January).

export interface YearEndOfficer {
  name: string;
  certNo: string;
  unitName: string;
  /** Hours when the list was filed. */
  hours: number;
  required: number;
  /** Confirmed hours for that year now, when the officer still holds a usable certificate. */
  hoursNow?: number;
  certStatus?: 'active' | 'suspended' | 'withdrawn' | 'cancelled';
}

export const YEAR_END_HEADERS = [
  '姓名',
  '执法证号',
  '单位',
  '年终学时',
  '年度要求',
  '还差',
  '目前学时',
  '证件状态',
  '建议处理',
];
export const yearEndSheetName = (year: number) => `${year}年度学时不足名单`;
export const yearEndFileName = (year: number, unitName: string) => `${unitName}${year}年度学时不足名单.xlsx`;

const CERT_WORDS = { active: '有效', suspended: '暂扣', withdrawn: '收回', cancelled: '注销' } as const;
const h = (n: number) => Math.round(n * 2) / 2;

/** What the unit does next for one officer on the list, in the words of the local rule (DOMAIN.md §1). */
export function suggestedAction(o: YearEndOfficer): string {
  if (!o.certStatus || o.certStatus === 'withdrawn' || o.certStatus === 'cancelled') return '证件已不在用,无需处理';
  if (o.hoursNow !== undefined && o.hoursNow >= o.required) {
    return o.certStatus === 'suspended' ? '已补足学时,可申请恢复证件' : '已补足学时,可予年度注册';
  }
  const still = h(o.required - (o.hoursNow ?? o.hours));
  if (o.certStatus === 'suspended') return `证件已暂扣;补足 ${still} 学时后申请恢复`;
  return `暂缓年度注册;可申请暂扣证件,补足 ${still} 学时后恢复`;
}

export async function yearEndWorkbook(data: {
  year: number;
  unitName: string;
  officers: YearEndOfficer[];
}): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = '执法通';
  const rows = [...data.officers]
    .sort((a, b) => a.hours - b.hours || a.name.localeCompare(b.name, 'zh'))
    .map((o) => [
      o.name,
      o.certNo,
      o.unitName,
      o.hours,
      o.required,
      h(o.required - o.hours),
      o.hoursNow ?? null,
      o.certStatus ? CERT_WORDS[o.certStatus] : '不在名册',
      suggestedAction(o),
    ]);
  const sheet = addTableSheet(workbook, {
    name: yearEndSheetName(data.year),
    headers: YEAR_END_HEADERS,
    rows,
    textColumns: [2],
  });
  sheet.addRow([]);
  sheet.addRow([
    `按规定,学时不足的可不予年度注册,并可暂扣执法证件至补足学时。「目前学时」为导出时已确认的 ${data.year} 年度学时。`,
  ]).font = { italic: true, color: { argb: 'FF666666' } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
