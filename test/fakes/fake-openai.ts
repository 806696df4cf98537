import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// An OpenAI-compatible server at the wire (`POST /v1/chat/completions`), scripted per test: each request takes
// the next answer from the queue (the last one repeats). Every request body is kept, so a test can check what
// left LawDesk.

export type FakeAnswer =
  | { kind: 'tool'; name: string; args: unknown }
  | { kind: 'json'; content: unknown }
  | { kind: 'text'; content: string } // malformed: not JSON, no tool call
  | { kind: 'slow'; ms: number; then?: FakeAnswer }
  | { kind: 'status'; status: number; message?: string };

export class FakeOpenAI {
  readonly requests: Array<Record<string, unknown>> = [];
  private queue: FakeAnswer[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeOpenAI> {
    let fake!: FakeOpenAI;
    const server = createServer((req, res) => void fake.handle(req, res));
    fake = new FakeOpenAI(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseURL(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** The answers to the next requests, in order; the last one repeats. */
  answer(...answers: FakeAnswer[]): void {
    this.queue = answers;
  }

  /** Every request body as one string, for "does X appear anywhere" checks. */
  allBodies(): string {
    return JSON.stringify(this.requests);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    this.requests.push(body);
    const next =
      this.queue.length > 1 ? this.queue.shift()! : (this.queue[0] ?? { kind: 'tool', name: 'help', args: {} });
    await this.reply(res, body, next);
  }

  private async reply(res: ServerResponse, body: Record<string, unknown>, answer: FakeAnswer): Promise<void> {
    if (answer.kind === 'slow') {
      await new Promise((r) => setTimeout(r, answer.ms));
      if (res.destroyed || res.writableEnded) return;
      return this.reply(res, body, answer.then ?? { kind: 'tool', name: 'help', args: {} });
    }
    if (answer.kind === 'status') {
      res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: answer.message ?? 'fake failure', type: 'server_error' } }));
      return;
    }
    const message =
      answer.kind === 'tool'
        ? {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: `call_${this.requests.length}`,
                type: 'function',
                function: { name: answer.name, arguments: JSON.stringify(answer.args) },
              },
            ],
          }
        : { role: 'assistant', content: answer.kind === 'json' ? JSON.stringify(answer.content) : answer.content };
    const completion = {
      id: `chatcmpl-${this.requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: String(body.model),
      choices: [{ index: 0, message, finish_reason: answer.kind === 'tool' ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: 120, completion_tokens: 15, total_tokens: 135 },
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
  }
}
