import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { temporalConnectionOptions, type TemporalConnectionOptions, type TemporalTlsSettings } from './connection';
import { ensureSearchAttributes } from './search-attributes';
import { readRuntimeEntry, removeRuntimeEntry, writeRuntimeEntry } from '../runtime-file';
import { preferredPort } from '../net';
import { startDevServer } from './dev-server';

export interface TemporalHandle {
  address: string;
  /** What the worker's NativeConnection needs to reach the same server (address, TLS, API key). */
  connectionOptions: TemporalConnectionOptions;
  connection: Connection;
  namespace: string;
  client: Client;
  uiUrl?: string;
  kind: 'external' | 'embedded-owner' | 'embedded-shared';
  close(): Promise<void>;
}

export type TemporalSettings = Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'DATA_DIR'> &
  Partial<TemporalTlsSettings & Pick<Config, 'TEMPORAL_REGISTER_SEARCH_ATTRIBUTES'>>;

// TEMPORAL_ADDRESS → a cluster. Otherwise the embedded dev server persisting to DATA_DIR/temporal.db,
// started by whichever LawDesk process comes first and shared (through DATA_DIR/run) with the others.
// `skipSearchAttributes`: `temporal setup` looks at them itself.
export async function openTemporal(
  config: TemporalSettings,
  opts: { log?: (line: string) => void; skipSearchAttributes?: boolean } = {},
): Promise<TemporalHandle> {
  const log = opts.log ?? (() => {});
  const namespace = config.TEMPORAL_NAMESPACE;
  // Off only when asked: the embedded dev server always lets us add them.
  const register = config.TEMPORAL_REGISTER_SEARCH_ATTRIBUTES !== '0' || !config.TEMPORAL_ADDRESS;
  const withSearchAttributes = async (connection: Connection) => {
    if (!opts.skipSearchAttributes)
      await ensureSearchAttributes(connection.operatorService, namespace, { register, log });
  };
  if (config.TEMPORAL_ADDRESS) {
    const options = temporalConnectionOptions(config.TEMPORAL_ADDRESS, config);
    return connect(options, namespace, 'external', withSearchAttributes, async () => {});
  }

  const shared = readRuntimeEntry(config.DATA_DIR, 'temporal');
  if (shared) {
    try {
      return await connect(
        { address: shared.address },
        namespace,
        'embedded-shared',
        withSearchAttributes,
        async () => {},
      );
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
  const handle = await connect(
    { address: server.address },
    namespace,
    'embedded-owner',
    withSearchAttributes,
    async () => {
      removeRuntimeEntry(config.DATA_DIR, 'temporal');
      await server.stop();
    },
  );
  return { ...handle, uiUrl: server.uiUrl };
}

async function connect(
  options: TemporalConnectionOptions,
  namespace: string,
  kind: TemporalHandle['kind'],
  prepare: (connection: Connection) => Promise<void>,
  stop: () => Promise<void>,
): Promise<TemporalHandle> {
  const connection = await Connection.connect({ ...options, connectTimeout: '5 seconds' });
  const client = new Client({ connection, namespace });
  try {
    await prepare(connection);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return {
    address: options.address,
    connectionOptions: options,
    connection,
    namespace,
    client,
    kind,
    async close() {
      await connection.close();
      await stop();
    },
  };
}
