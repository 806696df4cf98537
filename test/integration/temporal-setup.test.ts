// Issue 18: processes without admin rights on Temporal (TEMPORAL_REGISTER_SEARCH_ATTRIBUTES=0) stop with a sentence
// naming what the namespace lacks, and `npm run cli -- temporal setup` adds it once; on a real dev server whose
// namespace has none of LawDesk's search attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config';
import { temporalSetupCommand } from '../../src/app/deploy-commands';
import { openTemporal } from '../../src/platform/temporal/client';
import { startTestTemporal, type DevServer } from '../support/temporal';

describe('temporal setup against a namespace without the search attributes', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startTestTemporal({ namespace: 'lawdesk-county-b' });
  }, 60_000);
  afterAll(async () => server?.stop());

  it('a start without admin rights names what is missing; setup adds it; the next start goes on', async () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: 'lawdesk-county-b',
      TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: '0',
      DATA_DIR: '/nonexistent/lawdesk-never-created',
    });
    await expect(openTemporal(config)).rejects.toThrow(
      '命名空间 lawdesk-county-b 缺少执法通的搜索属性: LawDeskCaseType(Keyword)、LawDeskUnit(Keyword)、LawDeskStatus(Keyword)',
    );

    const lines: string[] = [];
    expect(await temporalSetupCommand(config, (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual([
      `Temporal: ${server.address}(未加密),命名空间 lawdesk-county-b`,
      '已添加搜索属性: LawDeskCaseType(Keyword)、LawDeskUnit(Keyword)、LawDeskStatus(Keyword)',
      '完成。各进程可设置 TEMPORAL_REGISTER_SEARCH_ATTRIBUTES=0,以无管理权限的凭据运行。',
    ]);

    const temporal = await openTemporal(config);
    await temporal.close();
    const again: string[] = [];
    await temporalSetupCommand(config, (line) => again.push(line));
    expect(again[1]).toBe('已存在: LawDeskCaseType、LawDeskUnit、LawDeskStatus');
  }, 60_000);
});
