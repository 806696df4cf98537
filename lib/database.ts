import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import type { Config } from './config';
import { migrate } from './migrate';
import { readRuntimeEntry, removeRuntimeEntry, writeRuntimeEntry } from './runtime-file';
import { freePort } from './net';
import { servePglite } from './pglite-server';

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  url: string;
  /** 'external' (DATABASE_URL), 'embedded-owner' (we run PGlite) or 'embedded-shared' (another process does). */
  kind: 'external' | 'embedded-owner' | 'embedded-shared';
  close(): Promise<void>;
}

// Embedded and production share one path: PGlite is served over the Postgres wire protocol on loopback,
// so the app always talks `pg` through @prisma/adapter-pg, and a second process (the CLI) can join.
export async function openDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>,
  opts: { poolSize?: number; log?: (line: string) => void } = {},
): Promise<Database> {
  const log = opts.log ?? (() => {});
  if (config.DATABASE_URL) {
    await migrate(config.DATABASE_URL);
    return withPrisma(config.DATABASE_URL, 'external', opts.poolSize, async () => {});
  }
  // One connection per process to the embedded database: PGlite runs one query at a time, so queueing in the
  // pool costs nothing. Connections from several processes (a CLI beside `npm start`) take turns whole
  // exchanges at a time in lib/pglite-server.ts (pglite-socket's own queue let them interleave).
  const shared = readRuntimeEntry(config.DATA_DIR, 'postgres');
  if (shared && (await canConnect(shared.address))) {
    log(`数据库: 使用正在运行的 LawDesk 进程 (pid ${shared.pid}) 的内嵌 PGlite`);
    return withPrisma(shared.address, 'embedded-shared', EMBEDDED_POOL_SIZE, async () => {});
  }
  const embedded = await startEmbeddedPostgres(config.DATA_DIR);
  log(`数据库: 内嵌 PGlite (${embedded.dir})`);
  await migrate(embedded.url);
  return withPrisma(embedded.url, 'embedded-owner', EMBEDDED_POOL_SIZE, embedded.stop);
}

const EMBEDDED_POOL_SIZE = 1;

function withPrisma(
  url: string,
  kind: Database['kind'],
  poolSize = 4,
  stopServer: () => Promise<void>,
): Database {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    url,
    kind,
    async close() {
      await prisma.$disconnect();
      await stopServer();
    },
  };
}

export async function startEmbeddedPostgres(dataDir: string): Promise<{ url: string; dir: string; stop(): Promise<void> }> {
  const dir = path.resolve(dataDir, 'pg');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const port = await freePort();
  const server = await servePglite(db, '127.0.0.1', port);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  writeRuntimeEntry(dataDir, 'postgres', url);
  return {
    url,
    dir,
    async stop() {
      removeRuntimeEntry(dataDir, 'postgres');
      await server.stop();
      await db.close();
    },
  };
}

async function canConnect(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
