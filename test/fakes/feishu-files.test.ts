// Files through the fake Feishu, driven by the real SDK and our FeishuClient: upload (multipart), a file
// message that must name an uploaded file, and the message-resource download issue 11 reads files with.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FeishuApiError, FeishuClient } from '../../src/platform/feishu/client';
import { parseMultipart } from '../../src/chat/sandbox/feishu-emulator';
import { FakeFeishu } from './fake-feishu';

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const ALICE = { openId: 'ou_alice_files', name: '张三' };

async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** Bytes that look like multipart framing inside, so the parser must go by the boundary, not by CRLFs. */
const awkwardBytes = () =>
  Buffer.concat([randomBytes(70_000), Buffer.from('\r\n--not-the-boundary\r\n\r\n'), randomBytes(3000)]);

describe('files in the fake Feishu', () => {
  let fake: FakeFeishu;
  let feishu: FeishuClient;
  let sdk: lark.Client;
  beforeAll(async () => {
    fake = await FakeFeishu.start({ users: [ALICE] });
    feishu = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url });
    sdk = new lark.Client({
      appId: fake.appId,
      appSecret: fake.appSecret,
      domain: fake.url,
      logger: silent,
      cache: new lark.DefaultCache(),
    });
  });
  afterAll(() => fake.stop());
  afterEach(() => fake.reset());

  it('takes a multipart upload from the SDK and keeps the bytes exactly', async () => {
    const bytes = awkwardBytes();
    const fileKey = await feishu.uploadFile(bytes, '县市场监管局2026年度学时.xlsx');
    expect(fileKey).toMatch(/^file_v3_/);
    expect(fake.fileBytes(fileKey)?.equals(bytes)).toBe(true);
    expect(fake.uploadedFile(fileKey)).toMatchObject({ fileName: '县市场监管局2026年度学时.xlsx', fileType: 'xls' });
    const upload = fake.requests.find((r) => r.path === '/open-apis/im/v1/files')!;
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.body).toMatchObject({ file_type: 'xls', file_name: '县市场监管局2026年度学时.xlsx' });
  });

  it('refuses an empty file, an unknown kind, and a file message naming no uploaded file', async () => {
    const empty = await failure(
      sdk.im.v1.file.create({ data: { file_type: 'xls', file_name: 'a.xlsx', file: Buffer.alloc(0) } }),
    );
    expect([empty.response?.status, empty.response?.data.code]).toEqual([400, 234010]);
    const kind = await failure(
      sdk.im.v1.file.create({ data: { file_type: 'xlsx' as 'xls', file_name: 'a.xlsx', file: Buffer.from('x') } }),
    );
    expect(kind.response?.data.code).toBe(234001);

    const unknown = await failure(feishu.sendFile(ALICE.openId, 'file_v3_nope'));
    expect(unknown).toBeInstanceOf(FeishuApiError);
    expect(unknown).toMatchObject({ code: 230001, httpStatus: 400, logId: expect.any(String) });
    const video = await feishu.uploadFile(Buffer.from('not really a video'), 'a.mp4', 'mp4');
    expect(await failure(feishu.sendFile(ALICE.openId, video))).toMatchObject({ code: 230055 });
    expect(fake.messages).toHaveLength(0);
  });

  it('records a file message like any other, once per uuid', async () => {
    const fileKey = await feishu.uploadFile(Buffer.from('PK…'), '名单.xlsx');
    const first = await feishu.sendFile(ALICE.openId, fileKey, 'export-1');
    const again = await feishu.sendFile(ALICE.openId, fileKey, 'export-1');
    expect(again).toBe(first);
    expect(fake.messagesTo(ALICE.openId)).toEqual([
      expect.objectContaining({ messageId: first, msgType: 'file', content: { file_key: fileKey }, uuid: 'export-1' }),
    ]);
    expect(fake.conversation(ALICE.openId).map((e) => e.msgType)).toEqual(['file']);
  });

  it('serves a message’s file through the message-resource API, and only for that message', async () => {
    const bytes = awkwardBytes();
    const fileKey = await feishu.uploadFile(bytes, '名单.xlsx');
    const messageId = await feishu.sendFile(ALICE.openId, fileKey);
    const res = await sdk.im.v1.messageResource.get({
      params: { type: 'file' },
      path: { message_id: messageId, file_key: fileKey },
    });
    expect((await readAll(res.getReadableStream())).equals(bytes)).toBe(true);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('名单.xlsx'));

    const other = await feishu.uploadFile(Buffer.from('other'), 'other.xlsx');
    const get = (message_id: string, file_key: string, type = 'file') =>
      failure(sdk.im.v1.messageResource.get({ params: { type }, path: { message_id, file_key } }));
    const notInMessage = await get(messageId, other);
    expect(notInMessage.response?.status).toBe(400);
    expect(JSON.parse((await readAll(notInMessage.response.data)).toString()).code).toBe(234003);
    const noMessage = await get('om_nope', fileKey);
    expect(JSON.parse((await readAll(noMessage.response.data)).toString()).code).toBe(234001);
  });
});

describe('parseMultipart', () => {
  const body = (boundary: string, parts: string[]) =>
    Buffer.from(parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`, 'latin1');

  it('reads text fields as text and file parts as bytes, with a quoted boundary', () => {
    const parsed = parseMultipart(
      body('b-1', [
        'Content-Disposition: form-data; name="file_type"\r\n\r\nxls',
        'Content-Disposition: form-data; name="file"; filename="a.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\xff\r\n--b',
      ]),
      'multipart/form-data; boundary="b-1"',
    );
    expect(parsed?.file_type).toBe('xls');
    expect(parsed?.file).toEqual(Buffer.from('\x00\xff\r\n--b', 'latin1'));
  });

  it('gives up on a body cut short or with no boundary', () => {
    const whole = body('b', ['Content-Disposition: form-data; name="x"\r\n\r\n1']);
    expect(parseMultipart(whole.subarray(0, whole.length - 10), 'multipart/form-data; boundary=b')).toBeUndefined();
    expect(parseMultipart(whole, 'multipart/form-data')).toBeUndefined();
  });
});
