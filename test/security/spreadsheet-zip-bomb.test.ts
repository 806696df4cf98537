import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, seedCounty } from '../support/certificate-fixture';
import { sendFile, startHarness, type Harness } from '../support/lawdesk';
import { certificateLatencyWhile, peakRssRise, zipBombXlsx } from './crafted-xlsx';

// Issue 20, item 2: a 2 MB xlsx inflating to 2 GB took the process from 1.5 GB to 3.2 GB resident before it
// was refused. Now the zip's central directory is read first (declared sizes against a cap), and inflating
// stops at the declared size, so a file that lies about its size is found out without inflating the rest.

describe('a zip bomb sent as a spreadsheet', () => {
  let h: Harness;
  const prisma = () => h.app.ctx.prisma;

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(prisma());
  });
  afterAll(() => h?.stop());

  it.each([
    ['declares its 2 GB', 'honest', '超过'],
    ['claims 1 KB', 'lying', '不是有效的 Excel 工作簿'],
  ] as const)(
    '2 MB inflating to 2 GB that %s: one sentence, memory stays flat, nothing written, nobody waits',
    async (_name, declare, said) => {
      const bytes = zipBombXlsx(2048, declare);
      expect(bytes.length).toBeLessThan(3 * 1024 * 1024);
      const count = await prisma().officer.count();
      const { result, riseMb } = await peakRssRise(async () => {
        const sending = sendFile(h, PEOPLE.admin.openId, '名册.xlsx', bytes);
        const latencies = await certificateLatencyWhile(h, PEOPLE.officer.openId, sending);
        return { replies: await sending, latencies };
      });
      expect(riseMb, 'resident memory rise (MB)').toBeLessThan(300);
      expect(Math.max(...result.latencies), '证件 answered meanwhile (ms)').toBeLessThan(1000);
      const [reply] = result.replies;
      expect(reply!.msgType).toBe('text');
      expect(reply!.content.text).toMatch(/^「名册\.xlsx」/);
      expect(reply!.content.text).toContain(said);
      expect(await prisma().officer.count()).toBe(count);
    },
    300_000,
  );
});
