import path from 'node:path';
import type { Config } from '../../platform/config';
import { seedDemoCountyIfEmpty } from '../../../prisma/seed/demo-county';
import type { BotContext } from '../../processes/chat-kit';
import type { Route } from '../http-server';
import { chatRoutes } from './chat-routes';
import { FeishuEmulator } from './feishu-emulator';
import { randomHex } from './feishu-wire';

// `npm start` with no Feishu app: the bot runs unchanged against a Feishu emulator in the same process.
// The emulator gets a freshly made app id, secret and encrypt key; the bot's real SDK talks HTTP to it, and
// what a person does in the web chat reaches the bot as signed, encrypted events on /webhook/event — the
// same code path as production, only Feishu is local.

export interface Sandbox {
  /** The configuration with the emulator's app filled in (FEISHU_APP_ID, …, FEISHU_DOMAIN). */
  config: Config;
  /**
   * Where the bot's HTTP server listens: 127.0.0.1 unless HOST says otherwise. The web chat lets whoever
   * reaches it act as anyone in the demo county, so by default only this machine does.
   */
  host: string;
  /** The web chat and its API, mounted on the bot's HTTP server. */
  routes: Record<string, Route>;
  /** Before the bot listens: an empty database gets the demo county, so the page never shows an empty roster. */
  seed(ctx: BotContext): Promise<void>;
  /** Once the bot listens: users' actions go to its webhook. */
  deliverTo(port: number): void;
  close(): Promise<void>;
}

export async function startSandbox(config: Config, log: (line: string) => void): Promise<Sandbox> {
  const app = {
    FEISHU_APP_ID: `cli_sandbox${randomHex(5)}`,
    FEISHU_APP_SECRET: randomHex(16),
    FEISHU_ENCRYPT_KEY: randomHex(16),
    FEISHU_VERIFICATION_TOKEN: randomHex(16),
  };
  const emulator = await FeishuEmulator.start({
    appId: app.FEISHU_APP_ID,
    appSecret: app.FEISHU_APP_SECRET,
    encryptKey: app.FEISHU_ENCRYPT_KEY,
    verificationToken: app.FEISHU_VERIFICATION_TOKEN,
    conversationFile: path.join(config.DATA_DIR, 'sandbox', 'conversation.jsonl'),
    recordRequests: false,
    everyMobileIsAUser: true,
  });
  log(`沙箱: 本地飞书模拟器 ${emulator.url}(未配置 FEISHU_APP_ID)`);
  let botEndpoint: string | undefined;
  const routes = chatRoutes(emulator, () => {
    if (!botEndpoint) throw new Error('the sandbox is not open yet');
    return botEndpoint;
  });
  return {
    config: { ...config, ...app, FEISHU_DOMAIN: emulator.url },
    host: config.HOST ?? '127.0.0.1',
    routes,
    async seed(ctx) {
      if (await seedDemoCountyIfEmpty(ctx)) log('沙箱: 已写入示例县的单位和人员');
    },
    deliverTo(port) {
      botEndpoint = `http://127.0.0.1:${port}/webhook/event`;
      const where =
        config.HOST && config.HOST !== '127.0.0.1'
          ? `(HOST=${config.HOST}: 同一网络中的任何人都能以任何身份操作)`
          : '(仅本机可访问)';
      log(`沙箱: 在浏览器打开 http://127.0.0.1:${port}/ 选择身份,与机器人对话${where}`);
    },
    close: () => emulator.stop(),
  };
}
