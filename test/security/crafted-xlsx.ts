import { constants, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { Harness } from '../support/lawdesk';

// Spreadsheets as an attacker or an unlucky county would send them: a long roster, one stray cell far away,
// a zip whose parts inflate to a gigabyte (declared honestly or not), a GBK CSV behind a UTF-8 BOM. Built
// byte by byte where exceljs would not write them.

export const ROSTER_HEADER = ['姓名', '执法证号', '单位', '角色', '手机号', '证件有效期', '备注'];

/** A 7-column roster of `rows` people of 县市场监管局, as exceljs writes it. */
export async function rosterXlsx(rows: number, firstCert = 0): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名册');
  sheet.addRow(ROSTER_HEADER);
  for (let i = 0; i < rows; i++) {
    const n = firstCert + i;
    sheet.addRow([`人员${n}`, `BIG${String(n).padStart(6, '0')}`, '县市场监管局', 'officer', '', '2030-06-30', '']);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A roster header and one cell at `address` (GR20000): the sheet's used range is everything up to it. */
export async function strayCellXlsx(address: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名册');
  sheet.addRow(ROSTER_HEADER);
  sheet.addRow(['刘一', 'HN901', '县市场监管局', 'officer', '', '', '']);
  sheet.getCell(address).value = 'x';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

interface Part {
  name: string;
  /** What the part inflates to, given as deflated bytes and the true size, or as plain text (stored deflated here). */
  deflated?: Buffer;
  size?: number;
  text?: string;
  /** The uncompressed size the zip claims; the true size unless the file lies. */
  declaredSize?: number;
}

/** A zip of `parts`, every one deflated, with the sizes it is told to declare. CRCs are left 0: readers skip them. */
export function zipOf(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const data = part.deflated ?? deflateRawSync(Buffer.from(part.text ?? ''));
    const size = part.declaredSize ?? part.size ?? Buffer.byteLength(part.text ?? '');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** `megabytes` MB of spaces as one deflate stream, about 1 KB per MB: 1 MB deflated once, the blocks repeated. */
export function deflatedSpaces(megabytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024, ' '), { finishFlush: constants.Z_FULL_FLUSH });
  const last = deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array.from({ length: megabytes }, () => block), last]);
}

const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const ROSTER_SHEET = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C2"/><sheetData><row r="1">${inline('A1', '姓名')}${inline('B1', '执法证号')}${inline('C1', '单位')}</row><row r="2">${inline('A2', '周炸')}${inline('B2', 'HN999')}${inline('C2', '县市场监管局')}</row></sheetData></worksheet>`;

/**
 * A one-person roster whose shared strings part inflates to `megabytes` MB of spaces (about 1 KB per MB sent).
 * `declare: 'honest'` states the true size in the zip; 'lying' claims 1 KB, so only inflating finds out.
 */
export function zipBombXlsx(megabytes: number, declare: 'honest' | 'lying'): Buffer {
  return zipOf([
    { name: 'xl/workbook.xml', text: WORKBOOK },
    { name: 'xl/_rels/workbook.xml.rels', text: WORKBOOK_RELS },
    { name: 'xl/worksheets/sheet1.xml', text: ROSTER_SHEET },
    {
      name: 'xl/sharedStrings.xml',
      deflated: deflatedSpaces(megabytes),
      size: megabytes * 1024 * 1024,
      declaredSize: declare === 'honest' ? undefined : 1024,
    },
  ]);
}

/** The bytes of `text` in GBK (GB18030's two-byte part), found through Node's decoder since Node encodes only UTF-8. */
export function gbk(text: string): Buffer {
  const decoder = new TextDecoder('gbk');
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) {
      bytes.push(ch.charCodeAt(0));
      continue;
    }
    bytes.push(...gbkPair(ch, decoder));
  }
  return Buffer.from(bytes);
}

const pairs = new Map<string, [number, number]>();
function gbkPair(ch: string, decoder: InstanceType<typeof TextDecoder>): [number, number] {
  if (!pairs.size) {
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const decoded = decoder.decode(Uint8Array.of(lead, trail));
        if (!pairs.has(decoded)) pairs.set(decoded, [lead, trail]);
      }
    }
  }
  const pair = pairs.get(ch);
  if (!pair) throw new Error(`no GBK bytes for ${ch}`);
  return pair;
}

/**
 * What everyone else sees while `busy` runs: `person` asks 证件 every 100 ms and each answer is timed from the
 * ask to the bot's reply (the fake Feishu runs in the app's process, so a blocked event loop delays both).
 */
export async function certificateLatencyWhile(h: Harness, person: string, busy: Promise<unknown>): Promise<number[]> {
  let done = false;
  const finished = busy.finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const before = h.fake.messagesTo(person).length;
    const start = performance.now();
    await h.fake.userSendsText(h.eventUrl, person, '证件');
    await h.fake.waitFor(() => h.fake.messagesTo(person).length > before, 60_000);
    latencies.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 100));
  }
  await finished;
  expect(latencies.length).toBeGreaterThan(0);
  return latencies;
}

/** The resident memory's highest rise above where it stood, sampled every 20 ms while `busy` runs. */
export async function peakRssRise<T>(busy: () => Promise<T>): Promise<{ result: T; riseMb: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await busy();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, riseMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}
