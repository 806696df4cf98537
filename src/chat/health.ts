import type { Client as TemporalClient } from '@temporalio/client';
import type { PrismaClient } from '../platform/db/database';
import type { FeishuClient } from '../platform/feishu/client';
import type { Lifecycle } from '../platform/lifecycle';

// Liveness and readiness, kept apart (issue 18): /healthz says the process is alive and answers no matter what its
// dependencies do (a restart would not mend a database outage); /readyz says it should be sent work: not shutting
// down, the database and Temporal reachable, and Feishu giving the app a token when a real app is configured.

export interface ReadinessDeps {
  prisma: PrismaClient;
  temporal: TemporalClient;
  /** Absent in the sandbox (its emulator is in-process) and when no app is configured. */
  feishu?: FeishuClient;
  lifecycle?: Lifecycle;
}

export interface ProbeAnswer {
  status: number;
  body: Record<string, string>;
}

const CHECK_TIMEOUT_MS = 3_000;

export function liveness(): ProbeAnswer {
  return { status: 200, body: { status: 'alive' } };
}

export async function readiness(deps: ReadinessDeps): Promise<ProbeAnswer> {
  if (deps.lifecycle?.stopping) return { status: 503, body: { status: 'stopping' } };
  const checks: Record<string, () => Promise<unknown>> = {
    database: () => deps.prisma.$queryRaw`SELECT 1`,
    temporal: () => deps.temporal.workflowService.getSystemInfo({}),
  };
  const feishu = deps.feishu;
  if (feishu)
    checks.feishu = async () => {
      if (!(await feishu.hasTenantToken())) throw new Error('no tenant token (app id or secret refused?)');
    };
  const names = Object.keys(checks);
  const results = await Promise.allSettled(names.map((name) => withTimeout(checks[name]!())));
  const body: Record<string, string> = {};
  results.forEach(
    (r, i) => (body[names[i]!] = r.status === 'fulfilled' ? 'ok' : `error: ${(r.reason as Error).message}`),
  );
  const ok = results.every((r) => r.status === 'fulfilled');
  return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'degraded', ...body } };
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeUp]).finally(() => clearTimeout(timer));
}
