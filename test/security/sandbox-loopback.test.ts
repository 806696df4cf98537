// Issue 20 item 8: the sandbox listened on every interface, and its web chat lets whoever reaches it act as
// anyone in the demo county. It now listens on 127.0.0.1 unless HOST says otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLawDesk, type LawDesk } from '../../src/app/app';
import { loadConfig } from '../../src/platform/config';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { startTestTemporal, type DevServer } from '../support/temporal';

// An address of this machine that others on its network would use (none: the test has nothing to show).
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3_000) })).status === 200;
  } catch {
    return false;
  }
}

describe.skipIf(!lanAddress)('the sandbox is reachable from this machine only', () => {
  let temporal: DevServer;
  let pg: TestPostgres;
  const dataDirs: string[] = [];
  const apps: LawDesk[] = [];
  const sandbox = async (extraEnv: Record<string, string> = {}) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-sandbox-host-'));
    dataDirs.push(dataDir);
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: `sandbox-host-${apps.length}-${Date.now()}`,
      ...extraEnv,
    });
    expect(config.sandbox).toBe(true);
    const app = await startLawDesk(config, { receiver: true, worker: true, log: () => {} });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    [temporal, pg] = await Promise.all([startTestTemporal(), startPostgres()]);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await temporal?.stop();
    await pg?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 by default: the page answers there, and not on the LAN address', async () => {
    const app = await sandbox();
    expect(await reachable(`http://127.0.0.1:${app.port}/`)).toBe(true);
    expect(await reachable(`http://${lanAddress}:${app.port}/`)).toBe(false);
  });

  it('listens where HOST says when it is set (a deliberate choice)', async () => {
    const app = await sandbox({ HOST: '0.0.0.0' });
    expect(await reachable(`http://${lanAddress}:${app.port}/`)).toBe(true);
  });
});
