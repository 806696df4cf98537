// `--explain`: the SQL Prisma actually sends for officerHours (one officer, as `学时` asks; one unit, as a
// checkpoint asks), captured from a second client with query logging, then run under EXPLAIN ANALYZE.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { officerHours, readRule } from '../src/processes/training/store';

export async function explainTrainingQueries(
  url: string,
  at: { year: number; unitId: number; officerId: number },
): Promise<void> {
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: 2 }),
    log: [{ emit: 'event', level: 'query' }],
  });
  const seen: Array<{ query: string; params: unknown[] }> = [];
  prisma.$on('query', (e) => seen.push({ query: e.query, params: JSON.parse(e.params) as unknown[] }));
  try {
    const rule = await readRule(prisma, at.year);
    for (const [label, scope] of [
      ['one officer (学时)', { officerId: at.officerId }],
      ['one unit (checkpoint)', { unitId: at.unitId }],
    ] as const) {
      seen.length = 0;
      await officerHours(prisma, rule, `${at.year}-09-30`, scope);
      const grouped = seen.find((q) => /GROUP BY/i.test(q.query));
      if (!grouped) continue;
      const plan = await prisma.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(
        `EXPLAIN (ANALYZE, BUFFERS) ${grouped.query}`,
        ...grouped.params,
      );
      console.log(
        `\n--- officerHours, ${label} ---\n${grouped.query}\nparams ${JSON.stringify(grouped.params)}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`,
      );
    }
  } finally {
    await prisma.$disconnect();
  }
}
