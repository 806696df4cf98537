import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSheetBytes } from '../../src/platform/sheets/spreadsheet';
import { PEOPLE, seedCounty } from '../support/certificate-fixture';
import { cardText, sendFile, startHarness, type Harness } from '../support/lawdesk';
import { gbk } from './crafted-xlsx';

// Issue 20, item 8 (the CSV part): a CSV in GBK that starts with a UTF-8 byte-order mark (some tools add one
// whatever they encode) was misread: not valid UTF-8, so the whole file, BOM included, went to the GB18030
// decoder and the BOM's bytes swallowed the first header's first character.

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const ROSTER = '姓名,执法证号,单位\n周六,HN601,县市场监管局\n';

describe('a GBK CSV behind a UTF-8 byte-order mark', () => {
  it('is read as GBK with its header intact', async () => {
    const sheet = await readSheetBytes(Buffer.concat([BOM, gbk(ROSTER)]), '名册.csv');
    expect(sheet.headers).toEqual(['姓名', '执法证号', '单位']);
    expect(sheet.rows).toEqual([{ row: 2, cells: ['周六', 'HN601', '县市场监管局'] }]);
  });

  it('a UTF-8 CSV with its BOM, and a GBK one without, still read as before', async () => {
    expect((await readSheetBytes(Buffer.concat([BOM, Buffer.from(ROSTER)]), '名册.csv')).headers).toEqual([
      '姓名',
      '执法证号',
      '单位',
    ]);
    expect((await readSheetBytes(gbk(ROSTER), '名册.csv')).headers).toEqual(['姓名', '执法证号', '单位']);
  });

  describe('sent in chat', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
      await seedCounty(h.app.ctx.prisma);
    });
    afterAll(() => h?.stop());

    it('is recognised as a roster and previewed', async () => {
      const [preview] = await sendFile(h, PEOPLE.admin.openId, '名册.csv', Buffer.concat([BOM, gbk(ROSTER)]));
      expect(preview!.msgType).toBe('interactive');
      expect(cardText(preview!.content)).toContain('1 / 0 / 0');
    });
  });
});
