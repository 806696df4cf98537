import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../../generated/prisma/client';
import type { Config } from '../config';
import { useEmbeddedPostgres } from './embedded-postgres';
import { migrate } from './migrate';

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  url: string;
  /** 'external' (DATABASE_URL), 'embedded-owner' (we started the embedded PostgreSQL) or 'embedded-shared' (we joined it). */
  kind: 'external' | 'embedded-owner' | 'embedded-shared';
  close(): Promise<void>;
}

// PostgreSQL everywhere: DATABASE_URL, else the embedded PostgreSQL in DATA_DIR/pg (src/platform/db/embedded-postgres.ts),
// started here or joined when another process on the same DATA_DIR (`npm start` beside a CLI) runs it.
// Pool size: every connection is its own server process, so the webhook's replies and the worker's activities
// run side by side; `npm start` asks for 8 (src/app/app.ts), the CLI gets 4. Several processes together stay far
// below PostgreSQL's 100 connections, and idle connections are closed by the pool after 10 s.
export async function openDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>,
  opts: { poolSize?: number; log?: (line: string) => void } = {},
): Promise<Database> {
  const log = opts.log ?? (() => {});
  if (config.DATABASE_URL) {
    await migrate(config.DATABASE_URL);
    return withPrisma(config.DATABASE_URL, 'external', opts.poolSize, async () => {});
  }
  const embedded = await useEmbeddedPostgres(config.DATA_DIR, log);
  try {
    await migrate(embedded.url);
  } catch (error) {
    await embedded.release();
    throw error;
  }
  return withPrisma(
    embedded.url,
    embedded.started ? 'embedded-owner' : 'embedded-shared',
    opts.poolSize,
    embedded.release,
  );
}

function withPrisma(url: string, kind: Database['kind'], poolSize = 4, stopServer: () => Promise<void>): Database {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    url,
    kind,
    async close() {
      // The pool waits for connections still checked out (work cut short by a shutdown); the embedded server is
      // stopped after a few seconds all the same (it ends those connections itself).
      await Promise.race([prisma.$disconnect(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      await stopServer();
    },
  };
}
