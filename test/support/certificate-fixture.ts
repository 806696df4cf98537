import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCalendarFile } from '../../src/processes/casework/calendar-store';
import type { PrismaClient } from '../../src/platform/db/database';
import { addDays } from '../../src/core/calendar';
import type { CertificateCaseInput } from '../../src/processes/certificate/contract';

// A small county for certificate-case tests: one unit with its people, the bureau with its own.

export const PEOPLE = {
  officer: { name: '张三', openId: 'ou_zhangsan', certNo: 'HN001' },
  admin: { name: '李法制', openId: 'ou_admin', certNo: 'HN002' },
  head: { name: '王局长', openId: 'ou_head', certNo: 'HN003' },
  unitLeader: { name: '赵分管', openId: 'ou_unit_leader', certNo: 'HN004' },
  reviewer: { name: '周审核', openId: 'ou_reviewer', certNo: 'SF001' },
  bureauLeader: { name: '吴主任', openId: 'ou_bureau_leader', certNo: 'SF002' },
  stranger: { name: '路人', openId: 'ou_other', certNo: 'HN009' },
} as const;

export async function seedCounty(prisma: PrismaClient): Promise<void> {
  const unit = await prisma.unit.create({ data: { name: '县市场监管局' } });
  const bureau = await prisma.unit.create({ data: { name: '县司法局' } });
  const rows: Array<[keyof typeof PEOPLE, number, 'officer' | 'admin' | 'supervisor' | 'leader' | 'bureau']> = [
    ['officer', unit.id, 'officer'],
    ['admin', unit.id, 'admin'],
    ['head', unit.id, 'supervisor'],
    ['unitLeader', unit.id, 'leader'],
    ['reviewer', bureau.id, 'bureau'],
    ['bureauLeader', bureau.id, 'leader'],
    ['stranger', unit.id, 'officer'],
  ];
  for (const [key, unitId, role] of rows) {
    const p = PEOPLE[key];
    await prisma.officer.create({
      data: {
        name: p.name,
        certNo: p.certNo,
        openId: p.openId,
        unitId,
        role,
        certExpires: new Date('2099-12-31T00:00:00Z'),
      },
    });
  }
}

/**
 * A calendar for the years around `today` where the `holidayDays` days after it are public holidays, so a
 * deadline test crosses a holiday whatever day the suite runs.
 */
export async function loadTestCalendar(prisma: PrismaClient, today: string, holidayDays: number): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lawdesk-cal-'));
  const holidays = Array.from({ length: holidayDays }, (_, i) => addDays(today, i + 1));
  const year = Number(today.slice(0, 4));
  // Every year the tests may reach needs data (a year without it is an error by design); mark each year's
  // 1 Jan as a holiday so the file names the year even when no test holiday falls in it.
  const lines = [
    '日期,类型,名称',
    ...[year, year + 1].map((y) => `${y}-01-01,休,元旦`),
    ...holidays.filter((d) => !d.endsWith('-01-01')).map((d) => `${d},休,测试假期`),
  ];
  const file = path.join(dir, 'test-calendar.csv');
  writeFileSync(file, lines.join('\n'));
  const result = await loadCalendarFile(prisma, file, 'test');
  rmSync(dir, { recursive: true, force: true });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return holidays;
}

export function caseInput(overrides: Partial<CertificateCaseInput> = {}): CertificateCaseInput {
  const p = (k: keyof typeof PEOPLE) => ({ name: PEOPLE[k].name, openId: PEOPLE[k].openId });
  return {
    certNo: PEOPLE.officer.certNo,
    officer: p('officer'),
    unitName: '县市场监管局',
    action: 'suspend',
    reason: 'investigation',
    details: '因涉嫌违规执法被立案调查',
    applicant: p('admin'),
    unitHead: p('head'),
    unitEscalation: [p('unitLeader')],
    bureauReviewer: p('reviewer'),
    bureauEscalation: [p('bureauLeader')],
    stepClock: { unit: 'workingDays', amount: 3 },
    ...overrides,
  };
}
