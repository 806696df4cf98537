import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/platform/temporal/dev-server';
import { demoStatusOf, demoTotal } from '../../prisma/seed/demo-training';
import { dateIn } from '../../src/core/dates';
import { ROOT, spawnTsx, waitUntil } from '../support/processes';

// The sandbox as a person uses it: `npm start` with no Feishu app (a child process, as in npm-start.test.ts),
// Debian's chromium driven by playwright-core, the seeded demo county. Screenshots go to test-artifacts/sandbox/.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without these, chromium keeps trying to reach the internet these machines do not have.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'sandbox');
const OFFICER = { openId: 'ou_demo_zhangwei', name: '张伟', certNo: 'HN-SJ-003' };

describe('the sandbox in a real browser', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-sandbox-'));
  const profile = mkdtempSync(path.join(tmpdir(), 'lawdesk-chromium-'));
  let server: ChildProcess | undefined;
  let output = '';
  let baseUrl: string;
  let env: NodeJS.ProcessEnv;
  let browser: BrowserContext;
  let page: Page;

  async function start() {
    output = '';
    server = spawnTsx('bin/start.ts', [], env);
    server.stdout!.on('data', (d) => (output += d));
    server.stderr!.on('data', (d) => (output += d));
    await waitUntil(
      async () => (await fetch(`${baseUrl}/healthz`)).status === 200,
      90_000,
      `npm start (sandbox) to answer /healthz\n${output}`,
    );
  }
  async function stop() {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server!.kill('SIGTERM');
    await exited;
    server = undefined;
  }
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: false });
  const certificateCards = () => page.locator('.msg.from-bot .card', { hasText: `执法证件 · ${OFFICER.name}` });
  async function say(text: string) {
    await page.locator('#text').fill(text);
    await page.locator('#send').click();
    await expect.poll(() => page.locator('.msg.from-user .bubble', { hasText: text }).count()).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` (apt-get install chromium)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    // No FEISHU_* at all: that is what makes `npm start` a sandbox.
    env = {
      FEISHU_APP_ID: '',
      FEISHU_APP_SECRET: '',
      FEISHU_DOMAIN: '',
      FEISHU_ENCRYPT_KEY: '',
      FEISHU_VERIFICATION_TOKEN: '',
      FEISHU_MODE: '',
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
    };
    await start();
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1200, height: 800 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await browser?.close();
    if (server) await stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('an officer asks 证件 and sees their certificate card with the seeded 执法证号', async () => {
    await page.goto(`${baseUrl}/`);
    await page.locator('#personas .person', { hasText: OFFICER.name }).click();
    await expect.poll(() => page.locator('.chat-head').textContent()).toContain(OFFICER.certNo);
    await say('证件');
    await certificateCards().first().waitFor();
    const card = certificateCards().first();
    // Rendered as a card (header in its template colour, fields in columns), not as JSON text.
    await expect
      .poll(() => card.locator('.card-header.t-green .card-title').textContent())
      .toBe(`执法证件 · ${OFFICER.name}`);
    expect(await card.locator('.columns .column').count()).toBe(2);
    expect(await card.locator('.columns').innerText()).toContain(OFFICER.certNo);
    expect(await page.locator('.messages').innerText()).not.toMatch(/"tag"|schema|column_set/);
    await shot('01-officer-certificate.png');
  });

  it('帮助 shows the help card; its button answers with a toast and sends the certificate card', async () => {
    await say('帮助');
    const help = page.locator('.msg.from-bot .card', { hasText: '执法通 · 我能做什么' }).last();
    await help.waitFor();
    expect(await help.locator('.card-header.t-blue').count()).toBe(1);
    expect(await help.locator('.md li').count()).toBeGreaterThan(1); // the word list is a real list
    await help.getByRole('button', { name: '查看我的证件' }).click();
    await page.locator('#toast', { hasText: '已发送' }).waitFor({ state: 'visible' });
    await expect.poll(() => certificateCards().count()).toBe(2); // arrived live, no reload
    await shot('02-help-button-toast.png');
  });

  it('an officer asks 学时 and sees the total the demo county was seeded with', async () => {
    await say('学时');
    const total = demoTotal(demoStatusOf('zhangwei', 0), dateIn('Asia/Shanghai', new Date()), 0);
    const card = page.locator('.msg.from-bot .card', { hasText: `年度培训学时 · ${OFFICER.name}` }).last();
    await card.waitFor();
    expect(await card.innerText()).toContain(`${Number.isInteger(total) ? total : total.toFixed(1)} / 60 学时`);
    await shot('03-officer-hours.png');
  });

  it('the unit head finds the seeded case waiting in the chat', async () => {
    const head = await browser.newPage();
    await head.goto(`${baseUrl}/#ou_demo_wangqiang`);
    const waiting = head.locator('.msg.from-bot .card', { hasText: '证件注销 · 郑敏' });
    await waiting.waitFor();
    expect(await waiting.locator('input[name=comment]').count()).toBe(1);
    await head.close();
  });

  it('a unit admin submits a form card; the unit head gets the approval card live and approves it', async () => {
    const head = await browser.newPage();
    await head.goto(`${baseUrl}/#ou_demo_wangqiang`);
    await head.locator('.chat-head', { hasText: '王强' }).waitFor();

    await page.locator('#personas .person', { hasText: '李娜' }).click();
    await page.locator('.chat-head', { hasText: '李娜' }).waitFor();
    await say('证件办理');
    const form = page.locator('.msg.from-bot .card .card-form').last();
    await form.waitFor();
    await form.locator('input[name=officer]').fill(OFFICER.name);
    await form.locator('select[name=reason]').selectOption('investigation');
    await form.locator('textarea[name=details]').fill('涉嫌违规执法,正在调查');
    await form.locator('.btn-primary').click();
    await page.locator('#toast').waitFor({ state: 'visible' });
    await shot('04-admin-submitted.png');

    // The head's page was open all along: the approval card arrives over server-sent events.
    const approval = head
      .locator('.msg.from-bot .card', { has: head.locator('input[name=comment]'), hasText: OFFICER.name })
      .last();
    await approval.waitFor();
    await approval.locator('input[name=comment]').fill('同意暂扣');
    await approval.locator('.btn-primary').click();
    await head.locator('#toast').waitFor({ state: 'visible' });
    await expect.poll(() => approval.locator('input[name=comment]').count()).toBe(0); // the card changed in place
    await head.screenshot({ path: path.join(ARTIFACTS, '05-head-approved.png') });
    await head.close();
  });

  it('a unit admin exports the unit’s hours and downloads the workbook from the chat', async () => {
    await page.locator('#personas .person', { hasText: '李娜' }).click();
    await page.locator('.chat-head', { hasText: '李娜' }).waitFor();
    await say('本单位学时');
    const unitCard = page.locator('.msg.from-bot .card', { hasText: '年度学时 · 县市场监督管理局' }).last();
    await unitCard.waitFor();
    await unitCard.getByRole('button', { name: '导出Excel' }).click();
    await page.locator('#toast', { hasText: '已发送Excel' }).waitFor({ state: 'visible' });
    const link = page.locator('.msg.from-bot a', { hasText: '下载文件' }).last();
    await link.waitFor();
    const download = await page.request.get(new URL((await link.getAttribute('href'))!, baseUrl).toString());
    expect(download.status()).toBe(200);
    expect((await download.body()).subarray(0, 2).toString()).toBe('PK'); // an xlsx is a zip
    await shot('06-admin-export.png');
  });

  it('a unit admin attaches a roster file; the preview card comes back and 导入 writes it', async () => {
    await page.locator('#personas .person', { hasText: '李娜' }).click();
    await page.locator('.chat-head', { hasText: '李娜' }).waitFor();
    const csv = ['姓名,执法证号,单位,角色,手机号', '新同事,HN-SJ-901,县市场监督管理局,officer,13807319901'].join('\n');
    await page.locator('#file').setInputFiles({ name: '新增人员.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('.msg.from-user .bubble', { hasText: '📎 新增人员.csv' }).waitFor();
    const preview = page.locator('.msg.from-bot .card', { hasText: '新增人员.csv' }).last();
    await preview.waitFor();
    expect(await preview.innerText()).toContain('1 / 0 / 0'); // 新增 / 更新 / 未变
    await preview.getByRole('button', { name: '导入' }).click();
    await expect.poll(async () => preview.innerText(), { timeout: 15_000 }).toContain('已导入');
    await shot('07-admin-file-import.png');
  });

  it('the bureau’s leader sees the desk in every colour and the unit ranking drawn as a chart', async () => {
    const leader = await browser.newPage();
    await leader.goto(`${baseUrl}/#ou_demo_chenjing`);
    await leader.locator('.chat-head', { hasText: '陈静' }).waitFor();
    const tell = async (text: string) => {
      await leader.locator('#text').fill(text);
      await leader.locator('#send').click();
    };
    await tell('今日提醒');
    const digest = leader.locator('.msg.from-bot .card', { hasText: '今日待办提醒' }).last();
    await digest.waitFor();
    const text = await digest.innerText();
    for (const colour of [/🔴 超期 [1-9]/, /🟠 1日内到期 [1-9]/, /🟡 3日内到期 [1-9]/, /🟢 正常 [1-9]/])
      expect(text).toMatch(colour);
    expect(text).toContain('刘芳'); // the overdue self-report, by name, with its 催办 button
    expect(await digest.getByRole('button', { name: '催办' }).count()).toBeGreaterThan(0);

    await tell('单位排名');
    const ranking = leader.locator('.msg.from-bot .card', { hasText: '各单位周排名' }).last();
    await ranking.waitFor();
    // Drawn by the bundled VChart, as Feishu draws a card's chart: a canvas, not a placeholder.
    await ranking.locator('.card-chart[data-rendered=true] canvas').first().waitFor();
    expect(await ranking.locator('.card-placeholder').count()).toBe(0);
    await leader.screenshot({ path: path.join(ARTIFACTS, '08-leader-desk.png'), fullPage: false });
    await leader.close();
  });

  it('keeps the conversation across a restart, and the chat still works afterwards', { timeout: 180_000 }, async () => {
    await stop();
    await start();
    await page.goto(`${baseUrl}/#${OFFICER.openId}`);
    await page.reload(); // a fresh page load, not just a hash change
    await expect.poll(() => certificateCards().count(), { timeout: 15_000 }).toBe(2);
    expect(await page.locator('.msg.from-user .bubble').allInnerTexts()).toEqual(['证件', '帮助', '学时']);
    expect(await page.locator('.msg.from-bot .card', { hasText: '执法通 · 我能做什么' }).count()).toBe(1);
    await say('证件'); // a fresh emulator (new app id and keys) still reaches the bot
    await expect.poll(() => certificateCards().count(), { timeout: 15_000 }).toBe(3); // the first reply after a start warms up
    await shot('09-after-restart.png');
  });
});
