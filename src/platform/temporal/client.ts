import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto'; // CommonJS: named exports are not visible to ESM
import { SEARCH_ATTRIBUTES } from './search-attributes';
import type { Config } from '../config';
import { readRuntimeEntry, removeRuntimeEntry, writeRuntimeEntry } from '../runtime-file';
import { preferredPort } from '../net';
import { startDevServer } from './dev-server';

export interface TemporalHandle {
  address: string;
  namespace: string;
  client: Client;
  uiUrl?: string;
  kind: 'external' | 'embedded-owner' | 'embedded-shared';
  close(): Promise<void>;
}

// TEMPORAL_ADDRESS → a cluster. Otherwise the embedded dev server persisting to DATA_DIR/temporal.db,
// started by whichever LawDesk process comes first and shared (through DATA_DIR/run) with the others.
export async function openTemporal(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'DATA_DIR'>,
  opts: { log?: (line: string) => void } = {},
): Promise<TemporalHandle> {
  const log = opts.log ?? (() => {});
  const namespace = config.TEMPORAL_NAMESPACE;
  if (config.TEMPORAL_ADDRESS) return connect(config.TEMPORAL_ADDRESS, namespace, 'external', async () => {});

  const shared = readRuntimeEntry(config.DATA_DIR, 'temporal');
  if (shared) {
    try {
      return await connect(shared.address, namespace, 'embedded-shared', async () => {});
    } catch {
      log(`Temporal: 记录中的内嵌服务 ${shared.address} 无法连接,重新启动`);
    }
  }
  const server = await startDevServer({
    dbFilename: path.resolve(config.DATA_DIR, 'temporal.db'),
    port: await preferredPort(7233),
    uiPort: await preferredPort(8233),
    namespace,
    log: (line) => log(`[temporal] ${line}`),
  });
  writeRuntimeEntry(config.DATA_DIR, 'temporal', server.address);
  log(`Temporal: 内嵌开发服务器 ${server.address}${server.uiUrl ? `,Web UI ${server.uiUrl}` : ''}`);
  const handle = await connect(server.address, namespace, 'embedded-owner', async () => {
    removeRuntimeEntry(config.DATA_DIR, 'temporal');
    await server.stop();
  });
  return { ...handle, uiUrl: server.uiUrl };
}

async function connect(
  address: string,
  namespace: string,
  kind: TemporalHandle['kind'],
  stop: () => Promise<void>,
): Promise<TemporalHandle> {
  const connection = await Connection.connect({ address, connectTimeout: '5 seconds' });
  const client = new Client({ connection, namespace });
  await ensureSearchAttributes(connection, namespace);
  return {
    address,
    namespace,
    client,
    kind,
    async close() {
      await connection.close();
      await stop();
    },
  };
}

/** Registers LawDesk's search attributes (case type, unit, status) where they are missing. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !customAttributes?.[name]);
  if (!missing.length) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((name) => [name, proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
    ),
  });
}
