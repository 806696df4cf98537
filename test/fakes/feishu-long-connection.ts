import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FeishuEvent } from './fake-feishu';

// Feishu's long connection (FEISHU_MODE=ws) at the wire, in front of the fake Feishu: it answers the SDK's
// `POST /callback/ws/endpoint`, accepts the WebSocket, and pushes events as Feishu does — protobuf `pbbp2.Frame`s
// (method 1 = data, headers type=event, message_id, sum, seq, trace_id; payload = the v2 envelope as JSON) — and
// reads the SDK's acknowledgement frame. Every other request is passed through to the fake Feishu.

interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: Array<{ key: string; value: string }>;
  payload?: Uint8Array;
}

export class FeishuLongConnection {
  private sockets = new Set<WebSocket>();
  private acks = new Map<string, (payload: unknown) => void>();
  private seq = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {
    wss.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('message', (data: Buffer) => {
        const frame = decodeFrame(data);
        const messageId = frame.headers.find((h) => h.key === 'message_id')?.value;
        if (frame.method === 1 && messageId)
          this.acks.get(messageId)?.(JSON.parse(Buffer.from(frame.payload ?? []).toString('utf8')));
      });
    });
  }

  static async start(upstream: string): Promise<FeishuLongConnection> {
    const server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.url?.startsWith('/callback/ws/endpoint')) {
        const { port } = server.address() as AddressInfo;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            code: 0,
            msg: 'ok',
            data: {
              URL: `ws://127.0.0.1:${port}/ws?device_id=fake&service_id=1`,
              ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 1 },
            },
          }),
        );
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
      ) as Record<string, string>;
      const answer = await fetch(upstream + req.url, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
    const wss = new WebSocketServer({ server, path: '/ws' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FeishuLongConnection(server, wss, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  get connected(): number {
    return this.sockets.size;
  }

  /** Pushes an event to the connected bot; resolves with the bot's acknowledgement payload ({ code, data? }). */
  push(event: FeishuEvent): Promise<{ code: number; data?: string }> {
    const socket = [...this.sockets][0];
    if (!socket) throw new Error('no bot is connected');
    const messageId = `msg-${++this.seq}`;
    const frame: Frame = {
      SeqID: this.seq,
      LogID: this.seq,
      service: 1,
      method: 1,
      headers: [
        { key: 'type', value: 'event' },
        { key: 'message_id', value: messageId },
        { key: 'sum', value: '1' },
        { key: 'seq', value: '0' },
        { key: 'trace_id', value: `trace-${this.seq}` },
      ],
      payload: Buffer.from(JSON.stringify(event)),
    };
    const acked = new Promise<{ code: number; data?: string }>((resolve) =>
      this.acks.set(messageId, resolve as (p: unknown) => void),
    );
    socket.send(encodeFrame(frame));
    return acked;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// A minimal protobuf codec for pbbp2.Frame / Header (varints and length-delimited fields only).
function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 127) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const field = (id: number, bytes: Uint8Array | number[]) => [
  ...varint((id << 3) | 2),
  ...varint(bytes.length),
  ...bytes,
];
const text = (s: string) => [...Buffer.from(s, 'utf8')];

function encodeFrame(f: Frame): Buffer {
  const out = [
    ...varint(8),
    ...varint(f.SeqID),
    ...varint(16),
    ...varint(f.LogID),
    ...varint(24),
    ...varint(f.service),
    ...varint(32),
    ...varint(f.method),
  ];
  for (const h of f.headers) out.push(...field(5, [...field(1, text(h.key)), ...field(2, text(h.value))]));
  if (f.payload) out.push(...field(8, f.payload));
  return Buffer.from(out);
}

function decodeFrame(buf: Buffer): Frame {
  const frame: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  const read = (b: Buffer, visit: (id: number, value: number | Buffer) => void) => {
    let i = 0;
    const readVarint = () => {
      let result = 0;
      let shift = 1;
      for (;;) {
        const byte = b[i++]!;
        result += (byte & 127) * shift;
        if (byte < 128) return result;
        shift *= 128;
      }
    };
    while (i < b.length) {
      const key = readVarint();
      if ((key & 7) === 0) visit(key >> 3, readVarint());
      else {
        const len = readVarint();
        visit(key >> 3, b.subarray(i, i + len));
        i += len;
      }
    }
  };
  read(buf, (id, value) => {
    if (id === 4) frame.method = value as number;
    if (id === 8) frame.payload = value as Buffer;
    if (id === 5) {
      const header = { key: '', value: '' };
      read(value as Buffer, (hid, hv) => {
        if (hid === 1) header.key = (hv as Buffer).toString('utf8');
        if (hid === 2) header.value = (hv as Buffer).toString('utf8');
      });
      frame.headers.push(header);
    }
  });
  return frame;
}
