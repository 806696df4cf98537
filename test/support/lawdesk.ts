import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLawDesk, type LawDesk } from '../../lib/app';
import { loadConfig } from '../../lib/config';
import { FakeFeishu, type FakeUser } from '../fakes/fake-feishu';
import { startTestTemporal, type DevServer } from './temporal';

export const ENCRYPT_KEY = 'test-encrypt-key';

export interface Harness {
  fake: FakeFeishu;
  app: LawDesk;
  temporal: DevServer;
  dataDir: string;
  eventUrl: string;
  baseUrl: string;
  writeFile(name: string, content: string): string;
  stop(): Promise<void>;
}

/** LawDesk in-process with every real part: the SDK ⇄ fake Feishu, a Temporal dev server, PGlite on disk. */
export async function startHarness(users: FakeUser[] = []): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-it-'));
  const fake = await FakeFeishu.start({ encryptKey: ENCRYPT_KEY, users });
  const temporal = await startTestTemporal();
  const config = loadConfig({
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_DOMAIN: fake.url,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_VERIFICATION_TOKEN: fake.verificationToken,
    PORT: '0',
    DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `test-${Date.now()}`,
  });
  const app = await startLawDesk(config, { receiver: true, worker: true, log: () => {} });
  const baseUrl = `http://127.0.0.1:${app.port}`;
  return {
    fake,
    app,
    temporal,
    dataDir,
    baseUrl,
    eventUrl: `${baseUrl}/webhook/event`,
    writeFile(name, content) {
      const file = path.join(dataDir, name);
      writeFileSync(file, content);
      return file;
    },
    async stop() {
      await app.close();
      await temporal.stop();
      await fake.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Everything a person would read on a card, as one string. */
export function cardText(content: unknown): string {
  return JSON.stringify(content);
}
