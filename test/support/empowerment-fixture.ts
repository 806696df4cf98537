import type { PrismaClient } from '../../src/platform/db/database';
import type { Sheet } from '../../src/platform/sheets/spreadsheet';

// A township for empowerment tests: its admin and head, three certified officers, and a register of
// `delegated` 交由行使 matters (自然资源, original department not on the roster) and `entrusted` 委托 matters
// from 县市场监管局 (on the roster through seedCounty). Another township's admin proves the scope check.

export const TOWN = {
  name: '城关镇',
  admin: { name: '钱法制', openId: 'ou_town_admin', certNo: 'CG001' },
  head: { name: '孙镇长', openId: 'ou_town_head', certNo: 'CG002' },
  otherAdmin: { name: '郑法制', openId: 'ou_other_town_admin', certNo: 'LX001' },
} as const;
export const OTHER_TOWN = '龙溪镇';

export async function seedTownship(prisma: PrismaClient): Promise<void> {
  const town = await prisma.unit.create({ data: { name: TOWN.name } });
  const other = await prisma.unit.create({ data: { name: OTHER_TOWN } });
  const expires = new Date('2099-12-31T00:00:00Z');
  await prisma.officer.create({ data: { ...TOWN.admin, unitId: town.id, role: 'admin', certExpires: expires } });
  await prisma.officer.create({ data: { ...TOWN.head, unitId: town.id, role: 'supervisor', certExpires: expires } });
  await prisma.officer.create({ data: { ...TOWN.otherAdmin, unitId: other.id, role: 'admin', certExpires: expires } });
  for (let i = 1; i <= 3; i++)
    await prisma.officer.create({
      data: { name: `城关执法${i}`, certNo: `CG10${i}`, unitId: town.id, role: 'officer', certExpires: expires },
    });
}

export const HEADERS = [
  '乡镇/街道',
  '形式',
  '文号',
  '委托部门',
  '权限',
  '期限起',
  '期限止',
  '备案日期',
  '公布日期',
  '事项编码',
  '事项名称',
  '领域',
  '法律依据',
];

/** Matter codes: D001… for 交由行使, E001… for 委托. */
export function registerSheet(
  township: string,
  delegated: number,
  entrusted: number,
  opts: { termStart?: string; termEnd?: string; filed?: string } = {},
): Sheet {
  const rows: string[][] = [];
  for (let i = 1; i <= delegated; i++)
    rows.push([
      township,
      '交由行使',
      '湘政发〔2024〕5号',
      '',
      '',
      '',
      '',
      '',
      '2024-03-01',
      `D${String(i).padStart(3, '0')}`,
      `自然资源事项${i}`,
      '自然资源',
      '《土地管理法》第67条',
    ]);
  for (let i = 1; i <= entrusted; i++) {
    rows.push([
      township,
      '委托',
      '县市监委〔2025〕1号',
      '县市场监管局',
      '警告、罚款',
      opts.termStart ?? '2025-01-01',
      opts.termEnd ?? '2027-12-31',
      opts.filed ?? '2025-01-10',
      '2025-01-05',
      `E${String(i).padStart(3, '0')}`,
      `市场监管事项${i}`,
      '市场监管',
      '《行政处罚法》第20条',
    ]);
  }
  return { headers: HEADERS, headerRow: 1, rows: rows.map((cells, i) => ({ row: i + 2, cells })) };
}
