import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRuntimeEntry } from '../../src/platform/runtime-file';
import { freePort } from '../../src/platform/temporal/dev-server';
import { FakeFeishu, feishuAppEnv, messageReceiveEvent } from '../fakes/fake-feishu';
import { cardText, ENCRYPT_KEY } from '../support/lawdesk';
import { queryEmbedded, runTsx, spawnTsx, waitUntil } from '../support/processes';

// `npm start` as a user runs it: one process with the embedded PostgreSQL and the embedded Temporal dev server in
// DATA_DIR, the CLI beside it on the same DATA_DIR, and a restart that keeps officers and workflow history.

const BAD_ROSTER = `姓名,执法证号,单位,角色,手机号
张三,HN001,县市场监管局,officer,13800000001
李四,HN001,县市场监管局,officer,13800000002
,HN003,县市场监管局,officer,
王五,HN004,县市场监管局,队长,
`;
const GOOD_ROSTER = `name,cert_no,unit,role,mobile,cert_expires
张三,HN001,县市场监管局,officer,13800000001,2099/6/30
赵六,HN005,县市场监管局,supervisor,,2099/6/30
`;

describe('npm start with the CLI beside it', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-start-'));
  let fake: FakeFeishu;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;
  let port: number;

  const file = (name: string, content: string) => {
    const p = path.join(dataDir, name);
    writeFileSync(p, content);
    return p;
  };
  const healthy = async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
  async function start() {
    server = spawnTsx('bin/start.ts', [], env);
    let output = '';
    server.stdout!.on('data', (d) => (output += d));
    server.stderr!.on('data', (d) => (output += d));
    await waitUntil(healthy, 90_000, `npm start to answer /healthz\n${output}`);
  }
  async function stop() {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server!.kill('SIGTERM');
    await exited;
    server = undefined;
  }

  beforeAll(async () => {
    fake = await FakeFeishu.start({
      encryptKey: ENCRYPT_KEY,
      users: [{ openId: 'ou_zhangsan', mobile: '13800000001' }],
    });
    port = await freePort();
    env = {
      ...feishuAppEnv(fake, ENCRYPT_KEY),
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
    };
  });
  afterAll(async () => {
    if (server) await stop();
    await fake?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a bad roster with one line per problem, exit 1, and writes nothing (no server running)', async () => {
    const ran = await runTsx('bin/cli.ts', ['import', 'officers', file('bad.csv', BAD_ROSTER)], env);
    expect(ran.code).toBe(1);
    const problems = ran.stderr.split('\n').filter((line) => line.includes('bad.csv 第'));
    expect(problems).toEqual([
      expect.stringMatching(/第3行 列「执法证号」 值「HN001」: 执法证号与第2行重复/),
      expect.stringMatching(/第4行 列「姓名」 值「」: 姓名不能为空/),
      expect.stringMatching(/第5行 列「角色」 值「队长」: 未知角色/),
    ]);
    const status = await runTsx('bin/cli.ts', ['status'], env);
    expect(status.stdout).toContain('单位 0 个;人员按角色: 无');
  });

  it('imports through the running server, resolves open_ids, and answers 证件 exactly once', async () => {
    await start();
    const ran = await runTsx('bin/cli.ts', ['import', 'officers', file('good.csv', GOOD_ROSTER)], env);
    expect(ran.stdout).toContain('新增 2 人');
    expect(ran.code).toBe(0);
    await waitUntil(
      async () =>
        (await queryEmbedded(dataDir, `SELECT 1 FROM officer WHERE cert_no = 'HN001' AND open_id = 'ou_zhangsan'`))
          .length === 1,
      30_000,
      'the roster workflow to resolve HN001',
    );
    const event = messageReceiveEvent({ openId: 'ou_zhangsan', text: '证件' });
    expect((await fake.sendEvent(`http://127.0.0.1:${port}/webhook/event`, event, { encrypt: true })).status).toBe(200);
    await fake.waitFor(() => fake.messagesTo('ou_zhangsan').length === 1, 10_000);
    expect((await fake.sendEvent(`http://127.0.0.1:${port}/webhook/event`, event, { encrypt: true })).status).toBe(200);
    const forged = await fake.sendEvent(
      `http://127.0.0.1:${port}/webhook/event`,
      messageReceiveEvent({ openId: 'ou_zhangsan', text: '证件' }),
      { encrypt: true, badSignature: true },
    );
    expect(forged.status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    const replies = fake.messagesTo('ou_zhangsan');
    expect(replies).toHaveLength(1);
    expect(cardText(replies[0]!.content)).toMatch(/张三.*HN001|HN001.*张三/);
  });

  it('keeps officers and workflow history across a restart on the same DATA_DIR', async () => {
    await stop();
    expect(readRuntimeEntry(dataDir, 'temporal')).toBeUndefined();
    await start();
    const officers = await queryEmbedded<{ cert_no: string; open_id: string | null }>(
      dataDir,
      'SELECT cert_no, open_id FROM officer ORDER BY cert_no',
    );
    expect(officers).toEqual([
      { cert_no: 'HN001', open_id: 'ou_zhangsan' },
      { cert_no: 'HN005', open_id: null },
    ]);
    const connection = await Connection.connect({ address: readRuntimeEntry(dataDir, 'temporal')!.address });
    try {
      const client = new Client({ connection });
      const runs = [];
      for await (const run of client.workflow.list({ query: `WorkflowType = 'rosterSyncWorkflow'` })) runs.push(run);
      expect(runs.map((r) => r.status.name)).toEqual(['COMPLETED']);
    } finally {
      await connection.close();
    }
  });
});
