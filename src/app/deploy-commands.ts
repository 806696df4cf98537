import type { Config } from '../platform/config';
import { openDatabase } from '../platform/db/database';
import { migrate } from '../platform/db/migrate';
import { openTemporal } from '../platform/temporal/client';
import { describeTemporalConnection } from '../platform/temporal/connection';
import { registerSearchAttributes } from '../platform/temporal/search-attributes';

// The two CLI commands a deployment runs once per release (deploy/): the database migrations as a job of their own,
// and the Temporal namespace's search attributes with admin rights, so the long-running processes need neither.

type Print = (line: string) => void;

/** `npm run cli -- migrate`: apply prisma/migrations and stop (the compose `migrate` service, the Kubernetes Job). */
export async function migrateCommand(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>,
  print: Print = console.log,
): Promise<number> {
  if (!config.DATABASE_URL) {
    // The embedded database migrates as it opens; nothing else to do.
    const db = await openDatabase(config);
    await db.close();
    print(`内嵌数据库(${config.DATA_DIR}/pg)的迁移已是最新。`);
    return 0;
  }
  const started = Date.now();
  const result = await migrate(config.DATABASE_URL);
  const took = `${((Date.now() - started) / 1000).toFixed(1)} 秒`;
  if (result.applied.length)
    print(`已执行 ${result.applied.length} 个迁移: ${result.applied.join('、')}(用时 ${took})`);
  print(
    `数据库迁移已是最新: 共 ${result.applied.length + result.alreadyApplied.length} 个,此前已执行 ${result.alreadyApplied.length} 个。`,
  );
  return 0;
}

/**
 * `npm run cli -- temporal setup`: add LawDesk's search attributes to the namespace, once, with admin rights.
 * It waits for a cluster that is still starting (compose and Kubernetes start it beside this job) up to `waitMs`;
 * a refusal (no rights, a wrong certificate) is not waited on.
 */
export async function temporalSetupCommand(
  config: Config,
  print: Print = console.log,
  opts: { waitMs?: number; retryEveryMs?: number } = {},
): Promise<number> {
  const giveUpAt = Date.now() + (opts.waitMs ?? 120_000);
  for (;;) {
    try {
      return await setUpOnce(config, print);
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'SearchAttributesError' || name === 'TemporalConnectionError' || Date.now() >= giveUpAt) throw error;
      print(`等待 Temporal 就绪: ${(error as Error).message.split('\n')[0]}`);
      await new Promise((resolve) => setTimeout(resolve, opts.retryEveryMs ?? 3_000));
    }
  }
}

async function setUpOnce(config: Config, print: Print): Promise<number> {
  const temporal = await openTemporal(config, { skipSearchAttributes: true, log: print });
  try {
    print(`Temporal: ${describeTemporalConnection(temporal.connectionOptions)},命名空间 ${temporal.namespace}`);
    const { added, present } = await registerSearchAttributes(temporal.connection.operatorService, temporal.namespace);
    if (added.length) print(`已添加搜索属性: ${added.map((name) => `${name}(Keyword)`).join('、')}`);
    if (present.length) print(`已存在: ${present.join('、')}`);
    print('完成。各进程可设置 TEMPORAL_REGISTER_SEARCH_ATTRIBUTES=0,以无管理权限的凭据运行。');
    return 0;
  } finally {
    await temporal.close();
  }
}
