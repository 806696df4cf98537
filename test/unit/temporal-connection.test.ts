import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config';
import {
  describeTemporalConnection,
  temporalConnectionOptions,
  type ReadFile,
} from '../../src/platform/temporal/connection';
import {
  ensureSearchAttributes,
  registerSearchAttributes,
  type SearchAttributeService,
} from '../../src/platform/temporal/search-attributes';

// Issue 18: reaching a secured Temporal cluster (mTLS, Temporal Cloud's API key) and running without admin rights.

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBclient\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n';
const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n';
const files: Record<string, string> = {
  '/etc/lawdesk/tls/client.pem': CERT,
  '/etc/lawdesk/tls/client.key': KEY,
  '/etc/lawdesk/tls/ca.pem': CA,
};
const readFile: ReadFile = (path) => (path in files ? new TextEncoder().encode(files[path]) : undefined);
const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
}

describe('configuration of the Temporal connection', () => {
  const cluster = { TEMPORAL_ADDRESS: 'temporal.internal:7233' };

  it('refuses a client certificate without its key, naming both variables', () => {
    expect(problemsOf({ ...cluster, TEMPORAL_TLS_CERT: '/etc/lawdesk/tls/client.pem' })).toEqual([
      expect.stringMatching(/^TEMPORAL_TLS_KEY: 设置了 TEMPORAL_TLS_CERT.*TEMPORAL_TLS_KEY/),
    ]);
    expect(problemsOf({ ...cluster, TEMPORAL_TLS_KEY: '/etc/lawdesk/tls/client.key' })).toEqual([
      expect.stringMatching(/^TEMPORAL_TLS_CERT: 设置了 TEMPORAL_TLS_KEY.*TEMPORAL_TLS_CERT/),
    ]);
  });

  it('refuses TLS settings without a cluster address (the embedded server has no TLS)', () => {
    expect(problemsOf({ TEMPORAL_API_KEY: 'key', TEMPORAL_TLS_CA: '/ca.pem' })).toEqual([
      expect.stringMatching(/^TEMPORAL_ADDRESS: TEMPORAL_TLS_CA、TEMPORAL_API_KEY 只用于连接 Temporal 集群/),
    ]);
  });

  it('takes the switch for search attributes as 0 or 1, defaulting to registering them', () => {
    expect(loadConfig({}).TEMPORAL_REGISTER_SEARCH_ATTRIBUTES).toBe('1');
    expect(loadConfig({ TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: '0' }).TEMPORAL_REGISTER_SEARCH_ATTRIBUTES).toBe('0');
    expect(problemsOf({ TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: 'no' })).toEqual([
      expect.stringMatching(/^TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: 0 or 1 \(got "no"\)/),
    ]);
  });

  it('accepts mTLS with a private CA and a server name', () => {
    const config = loadConfig({
      ...cluster,
      TEMPORAL_TLS_CERT: '/etc/lawdesk/tls/client.pem',
      TEMPORAL_TLS_KEY: '/etc/lawdesk/tls/client.key',
      TEMPORAL_TLS_CA: '/etc/lawdesk/tls/ca.pem',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.city.gov.cn',
    });
    expect(config.TEMPORAL_TLS_SERVER_NAME).toBe('temporal.city.gov.cn');
  });
});

describe('temporalConnectionOptions', () => {
  it('is the bare address for a plain cluster or the embedded server', () => {
    expect(temporalConnectionOptions('127.0.0.1:7233', {}, readFile)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('builds mTLS from PEM files: client pair, CA and server name', () => {
    const options = temporalConnectionOptions(
      'temporal.internal:7233',
      {
        TEMPORAL_TLS_CERT: '/etc/lawdesk/tls/client.pem',
        TEMPORAL_TLS_KEY: '/etc/lawdesk/tls/client.key',
        TEMPORAL_TLS_CA: '/etc/lawdesk/tls/ca.pem',
        TEMPORAL_TLS_SERVER_NAME: 'temporal.city.gov.cn',
      },
      readFile,
    );
    const tls = options.tls === true ? undefined : options.tls;
    expect(tls?.serverNameOverride).toBe('temporal.city.gov.cn');
    expect(text(tls?.clientCertPair?.crt)).toBe(CERT);
    expect(text(tls?.clientCertPair?.key)).toBe(KEY);
    expect(text(tls?.serverRootCACertificate)).toBe(CA);
    expect(options.apiKey).toBeUndefined();
    expect(describeTemporalConnection(options)).toBe(
      'temporal.internal:7233(TLS,客户端证书 mTLS,自有 CA,服务器名 temporal.city.gov.cn)',
    );
  });

  it('takes the PEM itself, with escaped newlines as an env file writes them', () => {
    const escaped = CERT.replace(/\n/g, '\\n');
    const options = temporalConnectionOptions(
      't:7233',
      { TEMPORAL_TLS_CERT: escaped, TEMPORAL_TLS_KEY: KEY },
      () => undefined,
    );
    const tls = options.tls === true ? undefined : options.tls;
    expect(text(tls?.clientCertPair?.crt)).toBe(CERT);
  });

  it("turns TLS on for Temporal Cloud's API key and never prints the key", () => {
    const options = temporalConnectionOptions(
      'ap-northeast-1.aws.api.temporal.io:7233',
      { TEMPORAL_API_KEY: 'secret-key' },
      readFile,
    );
    expect(options).toEqual({ address: 'ap-northeast-1.aws.api.temporal.io:7233', tls: true, apiKey: 'secret-key' });
    expect(describeTemporalConnection(options)).toBe('ap-northeast-1.aws.api.temporal.io:7233(TLS,API key)');
    expect(describeTemporalConnection(options)).not.toContain('secret-key');
  });

  it('names the variable and the path of a missing or non-PEM file', () => {
    expect(() => temporalConnectionOptions('t:7233', { TEMPORAL_TLS_CA: '/nowhere/ca.pem' }, readFile)).toThrow(
      'TEMPORAL_TLS_CA: 找不到文件 /nowhere/ca.pem',
    );
    const der: ReadFile = () => new Uint8Array([0x30, 0x82, 0x01, 0x0a]);
    expect(() => temporalConnectionOptions('t:7233', { TEMPORAL_TLS_CA: '/etc/ca.der' }, der)).toThrow(
      'TEMPORAL_TLS_CA: /etc/ca.der 不是 PEM 格式',
    );
  });
});

/** An operator service holding the namespace's custom attributes; `refuse` answers every call with that gRPC code. */
function operator(existing: string[], refuse?: { list?: number; add?: number }) {
  const attributes: Record<string, number> = Object.fromEntries(existing.map((name) => [name, 2]));
  const added: string[][] = [];
  const fail = (code: number) =>
    Promise.reject(Object.assign(new Error(code === 7 ? 'Request unauthorized.' : 'unimplemented'), { code }));
  const service: SearchAttributeService = {
    listSearchAttributes: () =>
      refuse?.list ? fail(refuse.list) : Promise.resolve({ customAttributes: { ...attributes } }),
    addSearchAttributes: ({ searchAttributes }) => {
      if (refuse?.add) return fail(refuse.add);
      added.push(Object.keys(searchAttributes));
      Object.assign(attributes, searchAttributes);
      return Promise.resolve({});
    },
  };
  return { service, added };
}

describe('search attributes', () => {
  it('temporal setup adds what is missing and says what was already there', async () => {
    const { service, added } = operator(['LawDeskUnit']);
    expect(await registerSearchAttributes(service, 'lawdesk-county-a')).toEqual({
      added: ['LawDeskCaseType', 'LawDeskStatus'],
      present: ['LawDeskUnit'],
    });
    expect(added).toEqual([['LawDeskCaseType', 'LawDeskStatus']]);
    expect(await registerSearchAttributes(service, 'lawdesk-county-a')).toEqual({
      added: [],
      present: ['LawDeskCaseType', 'LawDeskUnit', 'LawDeskStatus'],
    });
  });

  it('with registration off, a start names the missing attributes and the command that adds them, adding nothing', async () => {
    const { service, added } = operator(['LawDeskCaseType']);
    const start = ensureSearchAttributes(service, 'lawdesk-county-a', { register: false });
    await expect(start).rejects.toThrow(
      /命名空间 lawdesk-county-a 缺少执法通的搜索属性: LawDeskUnit\(Keyword\)、LawDeskStatus\(Keyword\)/,
    );
    await expect(start).rejects.toThrow(/npm run cli -- temporal setup/);
    expect(added).toEqual([]);
  });

  it('with registration off and nothing missing, a start goes on', async () => {
    const { service } = operator(['LawDeskCaseType', 'LawDeskUnit', 'LawDeskStatus']);
    await expect(ensureSearchAttributes(service, 'ns', { register: false })).resolves.toBeUndefined();
  });

  it('with registration off and the listing refused (a Cloud key), a start says so and goes on', async () => {
    const { service } = operator([], { list: 7 });
    const lines: string[] = [];
    await ensureSearchAttributes(service, 'ns', { register: false, log: (line) => lines.push(line) });
    expect(lines).toEqual([expect.stringMatching(/^Temporal: 无权列出命名空间 ns 的搜索属性/)]);
  });

  it('registering without admin rights says which switch to set and which command to run', async () => {
    const { service } = operator([], { add: 7 });
    await expect(ensureSearchAttributes(service, 'ns', { register: true })).rejects.toThrow(
      /无权在命名空间 ns 添加搜索属性.*temporal setup.*TEMPORAL_REGISTER_SEARCH_ATTRIBUTES=0/,
    );
  });
});
