import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config';

describe('loadConfig', () => {
  it('gives embedded defaults and the sandbox when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      FEISHU_DOMAIN: 'https://open.feishu.cn',
      FEISHU_MODE: 'webhook',
      TEMPORAL_TASK_QUEUE: 'lawdesk',
      TZ_CALENDAR: 'Asia/Shanghai',
      sandbox: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', FEISHU_APP_ID: '' }).sandbox).toBe(true);
  });

  it('names each wrong variable and what it expects', () => {
    const problems = (() => {
      try {
        loadConfig({
          PORT: 'eighty',
          FEISHU_MODE: 'socket',
          FEISHU_DOMAIN: 'https://open.feishu.cn/',
          FEISHU_APP_ID: 'cli_x',
          DATABASE_URL: 'mysql://x',
        });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    })();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: .*"eighty"/),
        expect.stringMatching(/^FEISHU_MODE: .*webhook.*ws/),
        expect.stringMatching(/^FEISHU_DOMAIN: no trailing slash/),
        expect.stringMatching(/^FEISHU_APP_SECRET: required when FEISHU_APP_ID is set/),
        expect.stringMatching(/^DATABASE_URL: a postgresql:\/\/ connection URL/),
      ]),
    );
  });
});
