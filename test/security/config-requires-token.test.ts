// Issue 20 item 4: with FEISHU_ENCRYPT_KEY set but no FEISHU_VERIFICATION_TOKEN, the older card callback had
// nothing to verify against. LawDesk now refuses to start that way, in one sentence that says what to set.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config';

const app = { FEISHU_APP_ID: 'cli_test', FEISHU_APP_SECRET: 'secret', FEISHU_ENCRYPT_KEY: 'an-encrypt-key' };

describe('configuration: an encrypt key needs its verification token', () => {
  it('refuses an encrypt key without a verification token, naming the variable to set', () => {
    let error: unknown;
    try {
      loadConfig(app);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^FEISHU_VERIFICATION_TOKEN: 设置了 FEISHU_ENCRYPT_KEY/),
    ]);
    expect(loadConfig({ ...app, FEISHU_VERIFICATION_TOKEN: 'token' }).FEISHU_VERIFICATION_TOKEN).toBe('token');
  });

  it('npm start stops before starting anything and prints the sentence', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/start.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...app, DATA_DIR: '/nonexistent/lawdesk-never-created' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/FEISHU_VERIFICATION_TOKEN: 设置了 FEISHU_ENCRYPT_KEY[^\n]*。/);
    expect(run.stdout).toBe('');
  });
});
