// What the sandbox adds to the Feishu emulator: users who type and click (delivered as signed, encrypted
// events), card updates from a callback's answer, change listeners, and a conversation that survives a restart.
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeishuEmulator, type ConversationRecord } from '../../src/chat/sandbox/feishu-emulator';

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const USER = 'ou_demo_tester';
const encryptKey = 'sandbox-key';
const card = (title: string) =>
  JSON.stringify({ schema: '2.0', header: { title: { tag: 'plain_text', content: title } }, body: { elements: [] } });

describe('FeishuEmulator as the sandbox uses it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lawdesk-emulator-'));
  const file = path.join(dir, 'sandbox', 'conversation.jsonl');
  const received: Record<string, any>[] = [];
  let emulator: FeishuEmulator;
  let bot: http.Server;
  let endpoint: string;
  let client: lark.Client;

  beforeAll(async () => {
    emulator = await FeishuEmulator.start({
      encryptKey,
      verificationToken: 'vt',
      conversationFile: file,
      recordRequests: false,
    });
    client = new lark.Client({
      appId: emulator.appId,
      appSecret: emulator.appSecret,
      domain: emulator.url,
      logger: silent,
      cache: new lark.DefaultCache(),
    });
    // A stand-in bot using the SDK's own dispatcher, so delivery is checked by Feishu's verification code.
    const dispatcher = new lark.EventDispatcher({ encryptKey, verificationToken: 'vt', logger: silent }).register({
      'im.message.receive_v1': (d: any) => {
        received.push(d);
        return {};
      },
      'card.action.trigger': (d: any) => {
        received.push(d);
        return {
          toast: { type: 'success', content: '已同意' },
          card: { type: 'raw', data: JSON.parse(card('已同意')) },
        };
      },
    } as any);
    bot = http.createServer(lark.adaptDefault('/webhook/event', dispatcher, { autoChallenge: true }));
    await new Promise<void>((r) => bot.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${(bot.address() as AddressInfo).port}/webhook/event`;
  });
  afterAll(async () => {
    bot.closeAllConnections();
    await new Promise<void>((r) => bot.close(() => r()));
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers what a user types as a verified event, and tells listeners of every change', async () => {
    const seen: ConversationRecord[] = [];
    const stop = emulator.onChange((r) => seen.push(r));
    const entry = await emulator.userSendsText(endpoint, USER, '证件');
    expect(received.at(-1)).toMatchObject({
      sender: { sender_id: { open_id: USER } },
      message: { message_id: entry.messageId },
    });
    // The bot may reply to the delivered message; the reply lands in the same chat.
    await client.im.v1.message.reply({
      path: { message_id: entry.messageId },
      data: { msg_type: 'interactive', content: card('待审批') },
    });
    stop();
    expect(seen.map((r) => r.type)).toEqual(['user', 'sent']);
    expect(emulator.conversation(USER).map((e) => [e.from, e.msgType])).toEqual([
      ['user', 'text'],
      ['bot', 'interactive'],
    ]);
  });

  it('applies the card a callback answers with, and returns its toast', async () => {
    const [, sent] = emulator.conversation(USER);
    const answer = await emulator.userActsOnCard(endpoint, USER, {
      messageId: sent!.messageId,
      value: { action: 'approve' },
      formValue: { comment: '同意' },
      tag: 'button',
      name: 'btn_ok',
    });
    expect(answer).toMatchObject({ status: 200, toast: { type: 'success', content: '已同意' } });
    expect(received.at(-1)).toMatchObject({
      operator: { open_id: USER },
      action: { value: { action: 'approve' }, form_value: { comment: '同意' }, tag: 'button', name: 'btn_ok' },
      context: { open_message_id: sent!.messageId },
    });
    expect(emulator.latestContent(sent!.messageId).header.title.content).toBe('已同意');
  });

  it('keeps the conversation in a JSON-lines file: a new emulator on it knows every message again', async () => {
    expect(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['user', 'sent', 'patch']);
    const again = await FeishuEmulator.start({ conversationFile: file });
    try {
      const chat = again.conversation(USER);
      expect(chat.map((e) => e.from)).toEqual(['user', 'bot']);
      expect(chat[1]!.content.header.title.content).toBe('已同意');
      // A card sent before the restart can still be patched by the bot.
      const other = new lark.Client({
        appId: again.appId,
        appSecret: again.appSecret,
        domain: again.url,
        logger: silent,
        cache: new lark.DefaultCache(),
      });
      const res = await other.im.v1.message.patch({
        path: { message_id: chat[1]!.messageId },
        data: { content: card('已办结') },
      });
      expect(res.code).toBe(0);
    } finally {
      await again.stop();
    }
  });

  it('answers any mobile number when asked to act as a whole directory', async () => {
    const open = await FeishuEmulator.start({ everyMobileIsAUser: true });
    try {
      const c = new lark.Client({
        appId: open.appId,
        appSecret: open.appSecret,
        domain: open.url,
        logger: silent,
        cache: new lark.DefaultCache(),
      });
      const res = await c.contact.v3.user.batchGetId({
        params: { user_id_type: 'open_id' },
        data: { mobiles: ['13900001111', '12345'] },
      });
      expect(res.data?.user_list).toEqual([
        { mobile: '13900001111', user_id: 'ou_m13900001111', status: expect.any(Object) },
        { mobile: '12345' },
      ]);
    } finally {
      await open.stop();
    }
  });
});
