// The bench's city: units × officers (each with an open_id), one admin per unit, and training records over
// this year and last, the same on every run for the same sizes.
import type { PrismaClient } from '../src/platform/db/database';

// Deterministic data: the same sizes give the same database on every run (mulberry32).
let seed = 20261122;
export const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
export const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const COURSES = [
  '行政处罚法',
  '行政许可法',
  '行政强制法',
  '执法记录仪使用',
  '案卷评查',
  '文书制作',
  '证据收集',
  '听证程序',
  '廉政教育',
  '应急处置',
];
const CATEGORIES = ['public_law', 'business', 'skills'] as const;

export interface CitySize {
  units: number;
  officers: number;
  records: number;
}
export interface SeededCity {
  openIds: string[];
  unitIds: number[];
  seconds: number;
}
const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

/** Seeds the city into an empty roster; `today` bounds this year's record dates; `createMany` picks the slow path. */
export async function seedCity(
  prisma: PrismaClient,
  size: CitySize,
  today: string,
  opts: { createMany?: boolean } = {},
): Promise<SeededCity> {
  const { units: UNITS, officers: OFFICERS, records: RECORDS } = size;
  const year = Number(today.slice(0, 4));
  if ((await prisma.officer.count()) > 0)
    throw new Error('the database already has a roster: the bench needs an empty database');
  const started = process.hrtime.bigint();
  await prisma.unit.createMany({
    data: Array.from({ length: UNITS }, (_, u) => ({ name: `基准测试单位${String(u + 1).padStart(3, '0')}` })),
  });
  const unitIds = (
    await prisma.unit.findMany({
      where: { name: { startsWith: '基准测试单位' } },
      select: { id: true },
      orderBy: { id: 'asc' },
    })
  ).map((u) => u.id);
  const far = new Date('2099-12-31T00:00:00Z');
  const officers = Array.from({ length: OFFICERS }, (_, i) => ({
    name: `警员${i + 1}`,
    certNo: `BENCH${String(i + 1).padStart(6, '0')}`,
    openId: `ou_bench_${i + 1}`,
    unitId: unitIds[i % UNITS]!,
    role: 'officer' as const,
    certExpires: far,
  }));
  // One admin per unit, so each checkpoint also sends its unit summary as it would in a real county.
  const admins = unitIds.map((unitId, u) => ({
    name: `法制员${u + 1}`,
    certNo: `BENCHA${String(u + 1).padStart(4, '0')}`,
    openId: `ou_bench_admin_${u + 1}`,
    unitId,
    role: 'admin' as const,
    certExpires: far,
  }));
  const all = [...officers, ...admins];
  for (let i = 0; i < all.length; i += 2000) await prisma.officer.createMany({ data: all.slice(i, i + 2000) });
  const ids = await prisma.officer.findMany({
    where: { role: 'officer', certNo: { startsWith: 'BENCH' } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  const officerSeconds = ms(started) / 1000;

  // Records: ~55 % this year (up to today), the rest last year; each officer has a pace of their own
  // (mean 2–9 h a record), so at 30 Sep some are met, some on track, some behind or at risk.
  const dayOfYear = Math.floor((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / 86_400_000);
  const dateOn = (y: number, maxDay: number) =>
    new Date(Date.parse(`${y}-01-01T00:00:00Z`) + Math.floor(random() * (maxDay + 1)) * 86_400_000);
  type Row = {
    officerId: number;
    course: string;
    category: (typeof CATEGORIES)[number];
    halfHours: number;
    date: Date;
    source: 'import';
    status: 'confirmed';
  };
  let batch: Row[] = [];
  let written = 0;
  // Prisma's createMany spends its time in JS building and encoding the statement, not in the database
  // (70–78 s for 200,000 rows on the 2-core machine), so by default the records go in as one unnest() INSERT
  // per batch of 20,000.
  const insert = async (rows: Row[]): Promise<number> => {
    if (opts.createMany) return (await prisma.trainingRecord.createMany({ data: rows })).count;
    return prisma.$executeRawUnsafe(
      `INSERT INTO training_record (officer_id, course, category, half_hours, date, source, status, updated_at)
       SELECT o, c, k::training_category, h, d::date, 'import', 'confirmed', now()
       FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[]) AS t(o, c, k, h, d)`,
      rows.map((r) => r.officerId),
      rows.map((r) => r.course),
      rows.map((r) => r.category),
      rows.map((r) => r.halfHours),
      rows.map((r) => r.date.toISOString().slice(0, 10)),
    );
  };
  const batchSize = opts.createMany ? 5000 : 20_000;
  const flush = async () => {
    if (!batch.length) return;
    written += await insert(batch);
    batch = [];
    if (process.stdout.isTTY)
      process.stdout.write(`\r  records ${written.toLocaleString('en')} / ${RECORDS.toLocaleString('en')}`);
  };
  for (let i = 0; i < ids.length; i++) {
    const n = Math.floor(RECORDS / ids.length) + (i < RECORDS % ids.length ? 1 : 0);
    const mean = 2 + random() * 7;
    for (let j = 0; j < n; j++) {
      const thisYear = random() < 0.55;
      const halfHours = Math.min(48, Math.max(1, Math.round(random() * (4 * mean - 2)) + 1));
      batch.push({
        officerId: ids[i]!.id,
        course: `${pick(COURSES)}(第${j + 1}期)`,
        category: pick(CATEGORIES),
        halfHours,
        date: thisYear ? dateOn(year, dayOfYear) : dateOn(year - 1, 364),
        source: 'import',
        status: 'confirmed',
      });
      if (batch.length === batchSize) await flush();
    }
  }
  await flush();
  if (process.stdout.isTTY) process.stdout.write('\n');
  const seconds = ms(started) / 1000;
  console.log(
    `  seeded ${UNITS} units, ${all.length.toLocaleString('en')} people (${OFFICERS.toLocaleString('en')} officers + ${admins.length} admins) in ${officerSeconds.toFixed(1)} s, then ${written.toLocaleString('en')} records; seeding took ${seconds.toFixed(1)} s in all`,
  );
  return { openIds: officers.map((o) => o.openId), seconds, unitIds };
}
