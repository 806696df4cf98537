import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

// PGlite served over the Postgres wire protocol to several connections (the app's pool, a CLI run beside
// `npm start`). PGlite has ONE session, so connections take turns; pglite-socket 0.2's own queue takes turns
// per message and keeps a connection's turn only inside a transaction, which lets two connections' extended
// exchanges (Parse, Bind, Execute … Sync) interleave: one binds the other's unnamed statement
// ("unnamed prepared statement does not exist", or another query's rows: electric-sql/pglite#1046). This
// queue keeps the turn from a connection's first extended message to its Sync, and through a transaction;
// everything else is pglite-socket's own handler.

type QueryQueue = ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'];

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

const code = (c: string) => c.charCodeAt(0);
/** Parse, Bind, Describe, Execute, Close, Flush: an exchange is open until its Sync. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map(code));
const ENDS_EXCHANGE = new Set(['S', 'Q'].map(code));

export class SessionQueue {
  private queue: Pending[] = [];
  private processing = false;
  /** The connection whose extended exchange is open. */
  private exchange: number | null = null;
  /** The connection that ran last: inside a transaction, the session is still its. */
  private last: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((p) => (p.handlerId === handlerId ? (p.reject(new Error('Handler disconnected')), false) : true));
    if (this.exchange === handlerId) this.exchange = null;
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.db.isInTransaction() && this.last === handlerId) {
      await this.db.exec('ROLLBACK');
      this.last = null;
      await this.process();
    }
  }

  /** The next message to run: the session holder's if there is one (none queued yet → wait for it). */
  private next(): Pending | undefined {
    const holder = this.exchange ?? (this.db.isInTransaction() ? this.last : null);
    if (holder === null) return this.queue.shift();
    const i = this.queue.findIndex((p) => p.handlerId === holder);
    return i < 0 ? undefined : this.queue.splice(i, 1)[0];
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let p = this.next(); p; p = this.next()) {
        const item = p;
        const type = item.message[0]!;
        if (EXTENDED.has(type)) this.exchange = item.handlerId;
        else if (ENDS_EXCHANGE.has(type) && this.exchange === item.handlerId) this.exchange = null;
        let bytes = 0;
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(item.message, { onRawData: (data) => { bytes += data.length; item.onData(data); } }));
        } catch (error) {
          item.reject(error);
          continue;
        }
        this.last = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}

export interface PgliteServer {
  stop(): Promise<void>;
}

export async function servePglite(db: PGlite, host: string, port: number): Promise<PgliteServer> {
  await db.waitReady;
  const queue = new SessionQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((socket) => {
    const handler = new PGLiteSocketHandler({ queryQueue: queue as unknown as QueryQueue, closeOnDetach: true });
    handlers.add(handler);
    const drop = () => handlers.delete(handler);
    handler.addEventListener('close', drop);
    handler.addEventListener('error', drop);
    handler.attach(socket).catch(() => {
      drop();
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    async stop() {
      for (const handler of handlers) await handler.detach(true);
      handlers.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
