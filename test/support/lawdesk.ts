import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { startLawDesk, type LawDesk } from '../../src/app/app';
import { importTraining } from '../../src/processes/training/import';
import { readSheet } from '../../src/platform/sheets/spreadsheet';
import { loadConfig } from '../../src/platform/config';
import { cardActionEvent, FakeFeishu, messageReceiveEvent, type FakeUser } from '../fakes/fake-feishu';
import { recordHistories } from './history-recorder';
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
  /** Stops LawDesk (worker and receiver) and starts it again on the same database, Temporal and queue. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The configuration of a LawDesk pointed at a fake Feishu and a given Temporal, on a free port. */
export function configFor(
  fake: FakeFeishu,
  temporalAddress: string,
  dataDir: string,
  extraEnv: Record<string, string | undefined> = {},
) {
  return loadConfig({
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_DOMAIN: fake.url,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_VERIFICATION_TOKEN: fake.verificationToken,
    PORT: '0',
    DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `test-${Date.now()}`,
    ...extraEnv,
  });
}

/** LawDesk in-process with every real part: the SDK ⇄ fake Feishu, a Temporal dev server, the embedded PostgreSQL. */
/** `extraEnv` adds or overrides environment variables (e.g. OPENAI_BASE_URL for a fake model). */
/** `envFor` may add variables that depend on the fake (e.g. a long-connection front for FEISHU_MODE=ws). */
export async function startHarness(
  users: FakeUser[] = [],
  extraEnv: Record<string, string> = {},
  envFor?: (fake: FakeFeishu) => Promise<Record<string, string>>,
): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-it-'));
  const fake = await FakeFeishu.start({ encryptKey: ENCRYPT_KEY, users });
  const temporal = await startTestTemporal();
  const config = configFor(fake, temporal.address, dataDir, { ...extraEnv, ...(envFor ? await envFor(fake) : {}) });
  const start = () => startLawDesk(config, { receiver: true, worker: true, log: () => {} });
  const harness: Harness = {
    fake,
    app: await start(),
    temporal,
    dataDir,
    get baseUrl() {
      return `http://127.0.0.1:${harness.app.port}`;
    },
    get eventUrl() {
      return `${harness.baseUrl}/webhook/event`;
    },
    writeFile(name, content) {
      const file = path.join(dataDir, name);
      writeFileSync(file, content);
      return file;
    },
    async restart() {
      await harness.app.close();
      harness.app = await start();
    },
    async stop() {
      await recordHistories(harness.app.ctx.temporal);
      await harness.app.close();
      await temporal.stop();
      await fake.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The `value` of the first button on a card whose value matches, as Feishu would send it back. */
export function buttonValue(content: unknown, match: Record<string, unknown>): Record<string, unknown> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const behaviors = (node as { behaviors?: Array<{ value?: Record<string, unknown> }> }).behaviors;
      for (const b of behaviors ?? [])
        if (b.value && Object.entries(match).every(([k, v]) => b.value![k] === v)) found.push(b.value);
      Object.values(node).forEach(walk);
    }
  };
  walk(content);
  if (!found.length)
    throw new Error(`no button matching ${JSON.stringify(match)} on card ${JSON.stringify(content).slice(0, 500)}`);
  return found[0]!;
}

/** Everything a person would read on a card, as one string. */
export function cardText(content: unknown): string {
  return JSON.stringify(content);
}

/** The last message to `openId`, which must be a file message, opened as the workbook the bot uploaded. */
export async function receivedWorkbook(h: Harness, openId: string) {
  const message = h.fake.messagesTo(openId).at(-1)!;
  expect(message.msgType).toBe('file');
  const fileKey = message.content.file_key as string;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(h.fake.fileBytes(fileKey)! as unknown as ArrayBuffer);
  return { message, workbook, fileName: h.fake.uploadedFile(fileKey)?.fileName };
}

/** Six training records of 县市场监管局 dated 1 January of `year` (never in the future), imported as the CLI does. */
export async function importSampleTraining(h: Harness, year: number): Promise<void> {
  const d = `${year}-01-01`;
  const file = h.writeFile(
    'training.csv',
    [
      '执法证号,课程,类别,学时,日期',
      `HN001,行政处罚法,公共法律知识,6,${d}`,
      `HN001,执法记录仪使用,行政执法技能,3.5,${d}`,
      `HN001,市场监管业务,业务知识,2,${d}`,
      `HN009,市场监管业务(一),业务知识,24,${d}`,
      `HN009,市场监管业务(二),业务知识,24,${d}`,
      `HN009,行政复议法,公共法律知识,12,${d}`,
    ].join('\n'),
  );
  expect(await importTraining(h.app.ctx.prisma, await readSheet(file), 'test')).toMatchObject({ ok: true, added: 6 });
}

/** What a person types, delivered as Feishu delivers it (signed, encrypted). */
export function sayTo(h: Harness, openId: string, text: string) {
  return h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId, text }), { encrypt: true });
}

export interface ClickAnswer {
  toast?: { type: string; content: string };
  card?: { data: unknown };
}

/** A card click as Feishu delivers it (card.action.trigger); the bot must answer 200 within the click. */
export async function clickCard(
  h: Harness,
  openId: string,
  value: Record<string, unknown>,
  extra: { formValue?: Record<string, unknown>; messageId?: string } = {},
): Promise<ClickAnswer> {
  const answer = await h.fake.sendEvent(h.eventUrl, cardActionEvent({ openId, value, ...extra }), { encrypt: true });
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as ClickAnswer;
}

/** The user sends a file in chat; resolves with what the bot sent back (waiting for `answers` messages). */
export async function sendFile(h: Harness, openId: string, fileName: string, bytes: Buffer, answers = 1) {
  const before = h.fake.messagesTo(openId).length;
  await h.fake.userSendsFile(h.eventUrl, openId, fileName, bytes);
  await h.fake.waitFor(() => h.fake.messagesTo(openId).length >= before + answers, 15_000);
  return h.fake.messagesTo(openId).slice(before);
}

/** The 导入 click on a file's preview card. */
export function clickImport(
  h: Harness,
  openId: string,
  preview: { messageId: string; content: unknown },
): Promise<ClickAnswer> {
  return clickCard(h, openId, buttonValue(preview.content, { action: 'file_import' }), {
    messageId: preview.messageId,
  });
}

/** A CSV file's bytes, one string per line. */
export const csvBytes = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`);
