import { z } from 'zod';

// The whole environment contract (DESIGN.md) in one schema, parsed once at start. Empty strings count as
// unset, because `.env` files and CI variables often carry `NAME=` for "not configured".
const optionalText = z.string().min(1).optional();

const EnvSchema = z.object({
  FEISHU_APP_ID: optionalText,
  FEISHU_APP_SECRET: optionalText,
  FEISHU_DOMAIN: z
    .string()
    .url('a base URL such as https://open.feishu.cn')
    .refine((v) => !v.endsWith('/'), 'no trailing slash')
    .default('https://open.feishu.cn'),
  FEISHU_ENCRYPT_KEY: optionalText,
  FEISHU_VERIFICATION_TOKEN: optionalText,
  FEISHU_MODE: z.enum(['webhook', 'ws'], 'webhook or ws').default('webhook'),
  PORT: z.coerce.number('a port number 0–65535').int().min(0).max(65535).default(3000),
  /** The address the HTTP server listens on. Unset: every interface, except the sandbox (127.0.0.1 only). */
  HOST: z
    .string()
    .regex(/^[^\s/:]+$|^[0-9a-fA-F:]+$/, 'an address such as 127.0.0.1, 0.0.0.0 or ::')
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgresql:// connection URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:/]+:\d+$/, 'host:port, e.g. temporal.internal:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('lawdesk'),
  TEMPORAL_CLI_PATH: optionalText,
  // A cluster's TLS (lib/temporal-connection.ts): each of the three is a PEM file's path or the PEM text itself.
  TEMPORAL_TLS_CERT: optionalText,
  TEMPORAL_TLS_KEY: optionalText,
  TEMPORAL_TLS_CA: optionalText,
  TEMPORAL_TLS_SERVER_NAME: optionalText,
  /** Temporal Cloud's API key (sent as a bearer token; turns TLS on). */
  TEMPORAL_API_KEY: optionalText,
  /** 0: do not add the search attributes at start (no admin rights); `npm run cli -- temporal setup` does it once. */
  TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: z.enum(['0', '1'], '0 or 1').default('1'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: optionalText,
  OPENAI_JSON_MODE: z.enum(['0', '1'], '0 or 1').default('0'),
  OPENAI_TIMEOUT_MS: z.coerce.number('milliseconds').int().min(100).max(120_000).default(10_000),
  TZ_CALENDAR: z.string().min(1).default('Asia/Shanghai'),
  /** Operators' log lines: one JSON object a line (time, level, msg, event_id, workflow_id), or plain text. */
  LOG_FORMAT: z.enum(['json', 'text'], 'json or text').default('text'),
  /** Seconds of a quiet event loop before the process gives freed memory back to the machine; 0: never. */
  IDLE_MEMORY_RELEASE_S: z.coerce.number('seconds').int().min(0).max(86_400).default(30),
  /** The leaders' daily digest, county time, on working days only. */
  DIGEST_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM')
    .default('08:30'),
  /** Desk colours: 橙 when due within this many working days, 黄 within the second. */
  DESK_COLOUR_DAYS: z
    .string()
    .regex(/^\d{1,2},\d{1,2}$/, 'two numbers of working days, like 1,3')
    .default('1,3'),
  /** Quiet hours (no reminders except for 24-hour statutory deadlines), local hours from-to. */
  QUIET_HOURS: z
    .string()
    .regex(/^\d{1,2}-\d{1,2}$/, 'two hours, like 21-8')
    .default('21-8'),
});

/** The settings of the leaders' desk, read from the three variables above. */
export function deskSettings(config: Pick<Config, 'DIGEST_TIME' | 'DESK_COLOUR_DAYS' | 'QUIET_HOURS'>) {
  const [orangeWorkingDays, yellowWorkingDays] = config.DESK_COLOUR_DAYS.split(',').map(Number) as [number, number];
  const [from, to] = config.QUIET_HOURS.split('-').map(Number) as [number, number];
  const [hour, minute] = config.DIGEST_TIME.split(':').map(Number) as [number, number];
  return { thresholds: { orangeWorkingDays, yellowWorkingDays }, quietHours: { from, to }, digestAt: { hour, minute } };
}

// Pairs that only make sense together; checked on the raw values so they are reported with the rest.
function crossChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.FEISHU_APP_ID && !env.FEISHU_APP_SECRET)
    problems.push('FEISHU_APP_SECRET: required when FEISHU_APP_ID is set');
  if (env.FEISHU_MODE === 'ws' && !env.FEISHU_APP_ID)
    problems.push('FEISHU_MODE: ws needs FEISHU_APP_ID and FEISHU_APP_SECRET');
  // The older card callback is signed with the verification token only: without it, it could not be verified.
  if (env.FEISHU_ENCRYPT_KEY && !env.FEISHU_VERIFICATION_TOKEN) {
    problems.push(
      'FEISHU_VERIFICATION_TOKEN: 设置了 FEISHU_ENCRYPT_KEY 就必须同时设置 FEISHU_VERIFICATION_TOKEN(飞书开发者后台 → 事件与回调 → 加密策略),否则无法核实卡片回调来自飞书。' +
        ' (required when FEISHU_ENCRYPT_KEY is set: card callbacks are verified with it)',
    );
  }
  problems.push(...temporalTlsChecks(env));
  return problems;
}

// A client certificate is useless without its key and the other way round; TLS settings need a cluster to talk to,
// because the embedded dev server speaks plain gRPC.
function temporalTlsChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.TEMPORAL_TLS_CERT && !env.TEMPORAL_TLS_KEY) {
    problems.push(
      'TEMPORAL_TLS_KEY: 设置了 TEMPORAL_TLS_CERT(客户端证书)就必须同时设置 TEMPORAL_TLS_KEY(它的私钥) (required with TEMPORAL_TLS_CERT)',
    );
  }
  if (env.TEMPORAL_TLS_KEY && !env.TEMPORAL_TLS_CERT) {
    problems.push(
      'TEMPORAL_TLS_CERT: 设置了 TEMPORAL_TLS_KEY(私钥)就必须同时设置 TEMPORAL_TLS_CERT(客户端证书) (required with TEMPORAL_TLS_KEY)',
    );
  }
  const tlsNames = [
    'TEMPORAL_TLS_CERT',
    'TEMPORAL_TLS_KEY',
    'TEMPORAL_TLS_CA',
    'TEMPORAL_TLS_SERVER_NAME',
    'TEMPORAL_API_KEY',
  ];
  const setWithoutCluster = tlsNames.filter((name) => env[name]);
  if (setWithoutCluster.length && !env.TEMPORAL_ADDRESS) {
    problems.push(
      `TEMPORAL_ADDRESS: ${setWithoutCluster.join('、')} 只用于连接 Temporal 集群,请同时设置 TEMPORAL_ADDRESS(内嵌开发服务器不使用 TLS) (required with ${setWithoutCluster.join(', ')})`,
    );
  }
  return problems;
}

export type Config = z.infer<typeof EnvSchema> & {
  /** No Feishu app configured: run against the built-in Feishu emulator (sandbox). */
  sandbox: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`LawDesk configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Every variable the schema reads: what a deployment file may set (test/unit/deploy-kit.test.ts checks them). */
export const ENV_NAMES: readonly string[] = Object.keys(EnvSchema.shape);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(ENV_NAMES.map((n) => [n, env[n] === '' ? undefined : env[n]]));
  const parsed = EnvSchema.safeParse(relevant);
  const problems = [
    ...(parsed.error?.issues ?? []).map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const got = relevant[name];
      return `${name}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
    }),
    ...crossChecks(relevant),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  return { ...parsed.data, sandbox: !parsed.data.FEISHU_APP_ID };
}
