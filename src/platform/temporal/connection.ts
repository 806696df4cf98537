import { existsSync, readFileSync } from 'node:fs';
import type { Config } from '../config';

// How LawDesk reaches a Temporal cluster: the same address, TLS and API key for the client (lib/temporal.ts) and for
// the worker's NativeConnection (workflows/worker.ts), built once from the environment so the two cannot disagree.
// The SDK's shapes: `tls` is `true` or `{ serverNameOverride, serverRootCACertificate, clientCertPair: { crt, key } }`,
// `apiKey` becomes `Authorization: Bearer …` (and turns TLS on by itself in the SDK; we say so explicitly).

export type TemporalTlsSettings = Pick<
  Config,
  'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_SERVER_NAME' | 'TEMPORAL_API_KEY'
>;

export interface TemporalTlsConfig {
  serverNameOverride?: string;
  serverRootCACertificate?: Uint8Array;
  clientCertPair?: { crt: Uint8Array; key: Uint8Array };
}

/** What both `Connection.connect` and `NativeConnection.connect` take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TemporalTlsConfig | true;
  apiKey?: string;
}

export class TemporalConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalConnectionError';
  }
}

/** Reads a file's bytes, or undefined when there is no such file (tests pass their own). */
export type ReadFile = (path: string) => Uint8Array | undefined;

const readFromDisk: ReadFile = (path) => (existsSync(path) ? readFileSync(path) : undefined);

/**
 * The options for `address`. The embedded dev server (no TEMPORAL_ADDRESS) gets the address alone: the settings
 * below are refused at start without a cluster (lib/config.ts), so they never meet it.
 */
export function temporalConnectionOptions(
  address: string,
  settings: TemporalTlsSettings,
  readFile: ReadFile = readFromDisk,
): TemporalConnectionOptions {
  const crt = settings.TEMPORAL_TLS_CERT && pem('TEMPORAL_TLS_CERT', settings.TEMPORAL_TLS_CERT, readFile);
  const key = settings.TEMPORAL_TLS_KEY && pem('TEMPORAL_TLS_KEY', settings.TEMPORAL_TLS_KEY, readFile);
  const ca = settings.TEMPORAL_TLS_CA && pem('TEMPORAL_TLS_CA', settings.TEMPORAL_TLS_CA, readFile);
  if (Boolean(crt) !== Boolean(key)) {
    throw new TemporalConnectionError(
      'TEMPORAL_TLS_CERT 和 TEMPORAL_TLS_KEY 必须同时设置 (a client certificate needs its key)',
    );
  }
  const tls: TemporalTlsConfig = {
    ...(settings.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: settings.TEMPORAL_TLS_SERVER_NAME } : {}),
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(crt && key ? { clientCertPair: { crt, key } } : {}),
  };
  const apiKey = settings.TEMPORAL_API_KEY;
  const wantsTls = Object.keys(tls).length > 0 || Boolean(apiKey);
  return {
    address,
    ...(wantsTls ? { tls: Object.keys(tls).length ? tls : true } : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}

/** One line for logs and `status`: how the connection is secured, never the secrets themselves. */
export function describeTemporalConnection(options: TemporalConnectionOptions): string {
  if (!options.tls) return `${options.address}(未加密)`;
  const parts = ['TLS'];
  if (options.tls !== true && options.tls.clientCertPair) parts.push('客户端证书 mTLS');
  if (options.tls !== true && options.tls.serverRootCACertificate) parts.push('自有 CA');
  if (options.tls !== true && options.tls.serverNameOverride) parts.push(`服务器名 ${options.tls.serverNameOverride}`);
  if (options.apiKey) parts.push('API key');
  return `${options.address}(${parts.join(',')})`;
}

// A value is the PEM itself when it has a PEM header (a Kubernetes Secret or an env file may carry it, with real or
// escaped newlines), otherwise a path to a PEM file. Either way it must be PEM: a DER file or a wrong path is named.
function pem(name: string, value: string, readFile: ReadFile): Uint8Array {
  if (value.includes('-----BEGIN ')) return new TextEncoder().encode(value.replace(/\\n/g, '\n'));
  const bytes = readFile(value);
  if (!bytes) throw new TemporalConnectionError(`${name}: 找不到文件 ${value}(应为 PEM 文件的路径或 PEM 内容本身)`);
  if (!new TextDecoder().decode(bytes.subarray(0, 4096)).includes('-----BEGIN ')) {
    throw new TemporalConnectionError(
      `${name}: ${value} 不是 PEM 格式(应以 -----BEGIN 开头;DER 文件请先用 openssl 转换)`,
    );
  }
  return bytes;
}
